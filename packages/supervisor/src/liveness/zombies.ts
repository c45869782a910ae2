import { listProcesses, type ProcStat } from '@lifeline/core/proc/stat';

/** A zombie: a process that exited and whose parent has not collected its exit status yet. */
export interface Zombie {
  /** The zombie's pid. */
  pid: number;
  /** Its parent: the process that should `wait()` for it. */
  ppid: number;
  /** The zombie's command name (from `/proc/<pid>/stat`). */
  comm: string;
  /** The parent's command name, or `'?'` when the parent could not be read. */
  parentComm: string;
}

/** Zombies sharing one parent. */
export interface ZombieGroup {
  /** The parent pid. */
  ppid: number;
  /** The parent's command name, or `'?'`. */
  parentComm: string;
  /** How many zombies this parent has not reaped. */
  count: number;
  /** Their pids, ascending. */
  pids: number[];
}

/**
 * List every zombie process visible in `/proc`, with its parent's name. Never reaps anything.
 *
 * Linux only: elsewhere there is no `/proc` to read and the list is always empty (`kill(pid, 0)` cannot
 * tell a zombie from a live process).
 *
 * @param processes - the process table to read. @default listProcesses() (all of `/proc`)
 * @returns the zombies, ascending by pid; empty outside Linux.
 * @example
 * ```ts
 * for (const z of listZombies()) console.log(`${z.pid} (${z.comm}) waits for ${z.ppid} (${z.parentComm})`);
 * ```
 */
export function listZombies(processes: readonly ProcStat[] = listProcesses()): Zombie[] {
  const byPid = new Map<number, ProcStat>();
  for (const stat of processes) byPid.set(stat.pid, stat);
  return processes
    .filter((stat) => stat.state === 'Z')
    .map((stat) => ({ pid: stat.pid, ppid: stat.ppid, comm: stat.comm, parentComm: byPid.get(stat.ppid)?.comm ?? '?' }))
    .sort((a, b) => a.pid - b.pid);
}

/**
 * Group zombies by parent, the parents with the most zombies first.
 *
 * @param zombies - the zombies to group. @default listZombies()
 * @example
 * ```ts
 * groupZombies(); // [{ ppid: 1234, parentComm: 'python3', count: 2, pids: [1240, 1241] }]
 * ```
 */
export function groupZombies(zombies: readonly Zombie[] = listZombies()): ZombieGroup[] {
  const groups = new Map<number, ZombieGroup>();
  for (const zombie of zombies) {
    let group = groups.get(zombie.ppid);
    if (!group) {
      group = { ppid: zombie.ppid, parentComm: zombie.parentComm, count: 0, pids: [] };
      groups.set(zombie.ppid, group);
    }
    group.count++;
    group.pids.push(zombie.pid);
  }
  for (const group of groups.values()) group.pids.sort((a, b) => a - b);
  return [...groups.values()].sort((a, b) => b.count - a.count || a.ppid - b.ppid);
}
