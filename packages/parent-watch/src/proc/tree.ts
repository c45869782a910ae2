import { listProcesses, readStat, type ProcStat } from './stat.js';

/**
 * The descendants of `root` (children, grandchildren, …) found in `/proc`, parents before children.
 * Empty outside Linux. Processes that called `setsid` are still found while their ancestry is intact;
 * orphans already reparented away from the tree are not. @internal
 */
export function descendantsOf(root: number, processes: ProcStat[] = listProcesses()): ProcStat[] {
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
