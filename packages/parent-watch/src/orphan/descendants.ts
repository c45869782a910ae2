import { nodeFs } from '@lifeline/core/builtin';
import { signalIfStillRunning } from '@lifeline/core/proc/terminate';
import { hasProcfs, isPid, listProcesses, readStat, type ProcStat } from '@lifeline/core/proc/stat';

let childrenFiles: boolean | undefined;
/**
 * Whether this kernel lists each thread's children in `/proc/<pid>/task/<tid>/children`
 * (CONFIG_PROC_CHILDREN; on in Debian, Ubuntu, Fedora and RHEL kernels). Probed once, by one look at
 * this thread's own file (Linux ≥ 3.17) before anything else: the orphan path asks first, and that look
 * also tells that /proc is there.
 */
export function hasChildrenFiles(): boolean {
  if (childrenFiles === undefined) {
    try {
      const fs = nodeFs();
      if (process.platform !== 'linux') childrenFiles = false;
      else if (fs.existsSync('/proc/thread-self/children')) childrenFiles = true;
      else if (!hasProcfs()) childrenFiles = false;
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
  const fs = nodeFs();
  let tids: string[];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const tid of tids) {
    const text = readChildrenFile(fs, `/proc/${pid}/task/${tid}/children`);
    if (text === undefined) continue; // the thread (or the process) is gone
    for (const word of text.split(' ')) {
      const child = Number(word);
      if (word !== '' && isPid(child)) out.push(child);
    }
  }
  return out;
}

/**
 * A children file's text, or `undefined` when it cannot be read. Read whole by one call (its text is
 * digits and spaces: UTF-8 is Latin-1 here), which Node does natively: the walk runs once per thread on
 * the way out, before any of this code was ever run.
 */
function readChildrenFile(fs: typeof import('node:fs'), path: string): string | undefined {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    return undefined;
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
