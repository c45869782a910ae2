import { nodeFs } from '@lifeline/core/builtin';
import { signalIfStillRunning } from '@lifeline/core/proc/terminate';
import { hasProcfs, isPid, listProcesses, readStat, type ProcStat } from '@lifeline/core/proc/stat';

let childrenFiles: boolean | undefined;
/**
 * Whether this kernel lists each thread's children in `/proc/<pid>/task/<tid>/children`
 * (CONFIG_PROC_CHILDREN; on in Debian, Ubuntu, Fedora and RHEL kernels). Probed once.
 */
export function hasChildrenFiles(): boolean {
  if (childrenFiles === undefined) {
    try {
      // This thread's own directory (Linux ≥ 3.17: one look), else the first thread's.
      const fs = nodeFs();
      if (!hasProcfs()) childrenFiles = false;
      else if (fs.existsSync('/proc/thread-self/children')) childrenFiles = true;
      else {
        const [tid] = fs.readdirSync('/proc/self/task');
        childrenFiles = tid !== undefined && fs.existsSync(`/proc/self/task/${tid}/children`);
      }
    } catch {
      childrenFiles = false;
    }
  }
  return childrenFiles;
}

/** The pids in `/proc/<pid>/task/<tid>/children` for every thread of `pid` (a child belongs to the thread that forked it). */
export function childPids(pid: number): number[] {
  let tids: string[];
  try {
    tids = nodeFs().readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const tid of tids) {
    const text = readSmallFile(`/proc/${pid}/task/${tid}/children`);
    if (text === undefined) continue; // the thread (or the process) is gone
    for (const word of text.split(' ')) {
      const child = Number(word);
      if (word !== '' && isPid(child)) out.push(child);
    }
  }
  return out;
}

/** One buffer for every children file: the walk runs on the way out, once per thread. */
let buffer: Buffer | undefined;

/** A procfs file's text (latin1), read into one reused buffer; `undefined` when it cannot be read. */
function readSmallFile(path: string): string | undefined {
  const fs = nodeFs();
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    buffer ??= Buffer.allocUnsafe(4096);
    let text = '';
    for (
      let n = fs.readSync(fd, buffer, 0, buffer.length, null);
      n > 0;
      n = fs.readSync(fd, buffer, 0, buffer.length, null)
    ) {
      text += buffer.toString('latin1', 0, n);
    }
    return text;
  } catch {
    return undefined;
  } finally {
    try {
      fs.closeSync(fd);
    } catch {
      // closed already: nothing to release
    }
  }
}

/**
 * The descendants of `root` found in `/proc`, parents before children; empty without procfs.
 * Where the kernel has the children lists this walks down from `root` (a few reads per descendant);
 * otherwise, or when `processes` is given, it groups every process's stat by parent.
 */
export function descendantsOf(root: number, processes?: readonly ProcStat[]): ProcStat[] {
  if (processes === undefined && hasChildrenFiles()) return walk(root, childPids, readStat);
  const byParent = new Map<number, ProcStat[]>();
  for (const stat of processes ?? listProcesses()) {
    const list = byParent.get(stat.ppid);
    if (list) list.push(stat);
    else byParent.set(stat.ppid, [stat]);
  }
  const stats = new Map<number, ProcStat>();
  for (const list of byParent.values()) for (const stat of list) stats.set(stat.pid, stat);
  return walk(
    root,
    (pid) => (byParent.get(pid) ?? []).map((stat) => stat.pid),
    (pid) => stats.get(pid) ?? null,
  );
}

function walk(root: number, children: (pid: number) => number[], stat: (pid: number) => ProcStat | null): ProcStat[] {
  const out: ProcStat[] = [];
  const queue = [root];
  const seen = new Set<number>([root]);
  for (let i = 0; i < queue.length; i++) {
    const parent = queue[i] as number;
    for (const pid of children(parent)) {
      if (seen.has(pid)) continue;
      seen.add(pid);
      const found = stat(pid);
      // Gone meanwhile, or the pid was reused by a process that is not this parent's child.
      if (!found || found.ppid !== parent) continue;
      out.push(found);
      queue.push(pid);
    }
  }
  return out;
}

/** Send `signal` to each process still running (same start time), ignoring those gone. Returns how many were signalled. */
export function signalAll(targets: readonly ProcStat[], signal: NodeJS.Signals): number {
  let count = 0;
  for (const target of targets) if (signalIfStillRunning(target, signal)) count++;
  return count;
}
