import { pidArg } from '@lifeline/core/errors';
import { readStat } from '@lifeline/core/proc/stat';

/** One process on the way from a process up to PID 1. */
export interface Ancestor {
  /** Its pid. */
  pid: number;
  /** Its command name, or `'?'` when it could not be read (outside Linux). */
  comm: string;
}

/**
 * The ancestors of a process, nearest first, up to and including PID 1 (or the first one that cannot
 * be read). On Linux the chain is read from `/proc/<pid>/stat`; elsewhere only the direct parent of the
 * current process is known.
 *
 * @param pid - the process whose ancestors are wanted. @default process.pid
 * @throws {TypeError} `ERR_INVALID_ARG_TYPE` when `pid` is not a number; {RangeError} `ERR_OUT_OF_RANGE`
 *   when it is not a positive integer.
 * @example
 * ```ts
 * ancestorsOf(); // [{ pid: 812, comm: 'bash' }, { pid: 1, comm: 'systemd' }]
 * ```
 */
export function ancestorsOf(pid: number = process.pid): Ancestor[] {
  return ancestryOf(pidArg('ancestorsOf', 'pid', pid)).ancestors;
}

/**
 * The ancestors of a process and whether that chain is complete: read up to PID 1 (or to a process whose
 * parent is outside this PID namespace). Incomplete without /proc, or where an ancestor cannot be read
 * (`hidepid`): then some ancestors are unknown. @internal
 */
export function ancestryOf(pid: number): { ancestors: Ancestor[]; complete: boolean } {
  const out: Ancestor[] = [];
  const self = readStat(pid);
  if (!self) {
    if (pid === process.pid && process.ppid > 0) out.push({ pid: process.ppid, comm: '?' });
    return { ancestors: out, complete: false };
  }
  const seen = new Set<number>([pid]);
  let next = self.ppid;
  while (next > 0 && !seen.has(next)) {
    seen.add(next);
    const stat = readStat(next);
    out.push({ pid: next, comm: stat?.comm ?? '?' });
    if (!stat) return { ancestors: out, complete: false };
    next = stat.ppid;
  }
  return { ancestors: out, complete: next === 0 };
}
