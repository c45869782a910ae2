import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { hasProcfs, isPid, listProcesses, readStat, type ProcStat } from './stat.js';

let childrenFiles: boolean | undefined;
/**
 * Whether this kernel lists each thread's children in `/proc/<pid>/task/<tid>/children`
 * (CONFIG_PROC_CHILDREN; on in Debian, Ubuntu, Fedora and RHEL kernels). @internal
 */
export function hasChildrenFiles(): boolean {
  if (childrenFiles === undefined) {
    try {
      const [tid] = hasProcfs() ? readdirSync('/proc/self/task') : [];
      childrenFiles = tid !== undefined && existsSync(`/proc/self/task/${tid}/children`);
    } catch {
      childrenFiles = false;
    }
  }
  return childrenFiles;
}

/** The pids listed in `/proc/<pid>/task/<tid>/children` for every thread of `pid` (a child belongs to the thread that forked it). @internal */
export function childPids(pid: number): number[] {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const tid of tids) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1');
    } catch {
      continue; // the thread (or the process) is gone
    }
    for (const word of text.split(' ')) {
      const child = Number(word);
      if (word !== '' && isPid(child)) out.push(child);
    }
  }
  return out;
}

/**
 * The descendants of `root` (children, grandchildren, …) found in `/proc`, parents before children.
 * Empty outside Linux. Processes that called `setsid` are still found while their ancestry is intact;
 * orphans already reparented away from the tree are not.
 *
 * Where the kernel has `/proc/<pid>/task/<tid>/children` this walks the tree from `root`: a few reads per
 * descendant. Otherwise (or when `processes` is given) it reads every process's stat: cost grows with
 * every process on the machine, which is what hundreds of workers orphaned at once pay together. @internal
 */
export function descendantsOf(root: number, processes?: ProcStat[]): ProcStat[] {
  if (processes === undefined && hasChildrenFiles()) return walkChildren(root);
  return fromList(root, processes ?? listProcesses());
}

function walkChildren(root: number): ProcStat[] {
  const out: ProcStat[] = [];
  const queue = [root];
  const seen = new Set<number>([root]);
  for (let i = 0; i < queue.length; i++) {
    const parent = queue[i] as number;
    for (const pid of childPids(parent)) {
      if (seen.has(pid)) continue;
      seen.add(pid);
      const stat = readStat(pid);
      // Gone meanwhile, or the pid was reused by a process that is not this parent's child.
      if (!stat || stat.ppid !== parent) continue;
      out.push(stat);
      queue.push(pid);
    }
  }
  return out;
}

function fromList(root: number, processes: readonly ProcStat[]): ProcStat[] {
  const children = new Map<number, ProcStat[]>();
  for (const stat of processes) {
    const list = children.get(stat.ppid);
    if (list) list.push(stat);
    else children.set(stat.ppid, [stat]);
  }
  const out: ProcStat[] = [];
  const queue = [root];
  const seen = new Set<number>([root]);
  for (let i = 0; i < queue.length; i++) {
    for (const child of children.get(queue[i] as number) ?? []) {
      if (seen.has(child.pid)) continue;
      seen.add(child.pid);
      out.push(child);
      queue.push(child.pid);
    }
  }
  return out;
}

/** Whether a process seen earlier is still the same running process (not exited, not a zombie, pid not reused). @internal */
export function stillRunning(seen: ProcStat): boolean {
  const now = readStat(seen.pid);
  if (!now || now.state === 'Z' || now.state === 'X' || now.state === 'x') return false;
  return seen.startTime === undefined || now.startTime === seen.startTime;
}

/** Send `signal` to each process, ignoring those already gone. Returns how many were signalled. @internal */
export function signalAll(targets: readonly ProcStat[], signal: NodeJS.Signals): number {
  let count = 0;
  for (const target of targets) {
    if (!stillRunning(target)) continue;
    try {
      process.kill(target.pid, signal);
      count++;
    } catch {
      // gone meanwhile, or not ours to signal
    }
  }
  return count;
}
