import { invalidArgType, outOfRange, pidArg } from '@lifeline/core/errors';
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
 * @throws {TypeError} `ERR_INVALID_ARG_TYPE` when `processes` is not an array.
 * @returns the zombies, ascending by pid; empty outside Linux.
 * @example
 * ```ts
 * for (const z of listZombies()) console.log(`${z.pid} (${z.comm}) waits for ${z.ppid} (${z.parentComm})`);
 * ```
 */
export function listZombies(processes: readonly ProcStat[] = listProcesses()): Zombie[] {
  if (!Array.isArray(processes))
    throw invalidArgType(
      'listZombies',
      'processes',
      'an array of process stats (as listProcesses() returns)',
      processes,
    );
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
 * @throws {TypeError} `ERR_INVALID_ARG_TYPE` when `zombies` is not an array of zombies; {RangeError}
 *   `ERR_OUT_OF_RANGE` for a pid in it that is not one.
 * @example
 * ```ts
 * groupZombies(); // [{ ppid: 1234, parentComm: 'python3', count: 2, pids: [1240, 1241] }]
 * ```
 */
export function groupZombies(zombies: readonly Zombie[] = listZombies()): ZombieGroup[] {
  const groups = new Map<number, ZombieGroup>();
  for (const zombie of zombiesArg('groupZombies', 'zombies', zombies)) {
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

/** An array of `{ pid, ppid, comm, parentComm }` as `listZombies()` returns, given by the caller. @internal */
export function zombiesArg(where: string, label: string, value: unknown): readonly Zombie[] {
  if (!Array.isArray(value)) throw invalidArgType(where, label, 'an array of zombies', value);
  return value.map((zombie: unknown, i) => {
    const name = `${label}[${i}]`;
    if (zombie === null || typeof zombie !== 'object')
      throw invalidArgType(where, name, 'a zombie { pid, ppid, comm, parentComm }', zombie);
    const { pid, ppid, comm, parentComm } = zombie as Record<string, unknown>;
    pidArg(where, `${name}.pid`, pid);
    // 0: the parent is outside this PID namespace (listZombies reports it; it is skipped as invalid).
    if (typeof ppid !== 'number') throw invalidArgType(where, `${name}.ppid`, 'a pid (an integer)', ppid);
    if (!Number.isSafeInteger(ppid) || ppid < 0)
      throw outOfRange(where, `${name}.ppid`, 'a pid (an integer of 0 or more)', ppid);
    if (typeof comm !== 'string') throw invalidArgType(where, `${name}.comm`, 'a string', comm);
    if (typeof parentComm !== 'string') throw invalidArgType(where, `${name}.parentComm`, 'a string', parentComm);
    return zombie as Zombie;
  });
}
