/**
 * The watch chain: from a process's parent up through pass-through wrappers to the first ancestor that is
 * not one — the supervisor a worker behind `npm run` or `sh -c` really depends on. Read from /proc
 * (`cmdline` to judge, `stat` to go up and to tell a reused pid apart); nothing is read past the first
 * ancestor that is not a wrapper, so a worker whose parent is its supervisor pays one small read.
 */
import { readCmdline } from '../proc/cmdline.js';
import { hasProcfs, type ProcStat } from '../proc/stat.js';
import { namesWrapper } from './names.js';
import { wrapperNames } from './table.js';
import { walkWrappers } from './walk.js';

/** One ancestor on the chain. */
export interface ChainLink {
  pid: number;
  /** Its argv as /proc shows it (a process title is one word), or `null` when it could not be read. */
  argv: readonly string[] | null;
  /** The wrapper row it matched, or `null`: not a wrapper (the chain ends here). */
  wrapper: string | null;
  /** Its start time, read for wrappers and for the ancestor watched behind them. */
  startTime?: number;
}

/** Where a worker's chain of ancestors leads. */
export interface WatchChain {
  /** The parent first, up to and including the first ancestor that is not a wrapper (when it was reached). */
  links: ChainLink[];
  /**
   * The ancestor to watch behind the wrappers, by pid and start time; `null` when the parent itself is not
   * a wrapper (its pid is watched as always), or when the wrappers lead to init (PID 1), out of this PID
   * namespace or to an ancestor that cannot be read: nothing better than the parent pid to watch then.
   */
  target: Pick<ProcStat, 'pid' | 'startTime'> | null;
}

/**
 * Walk up from `ppid` (this process's parent, as captured at arming) while the ancestors are
 * pass-through wrappers. Returns `null` without /proc: there is no chain to read.
 *
 * @param ppid - the parent pid captured at arming.
 * @param extra - names that are wrappers too (`LIFELINE_PARENT_WATCH_WRAPPERS`). @default []
 * @param names - what a wrapper's argv names (names.ts): the register preload has them written in at
 *   build time. @default wrapperNames()
 * @example
 * ```ts
 * // worker <- sh -c <- npm run worker <- supervisor
 * walkChain(process.ppid)?.target; // { pid: <supervisor>, startTime: … }
 * ```
 */
export function walkChain(
  ppid: number,
  extra: readonly string[] = [],
  names: readonly string[] = wrapperNames(),
): WatchChain | null {
  // The parent's command line first: read, it proves /proc is there (the common case pays one read).
  const first = ppid > 1 ? readCmdline(ppid) : null;
  if (first === null && !hasProcfs()) return null;
  // An argv that names no wrapper is not read by the rows (extra names: always read): the parent is no
  // wrapper, its pid is watched as always.
  if (ppid > 1 && (first === null || (extra.length === 0 && !namesWrapper(first, names))))
    return { links: [{ pid: ppid, argv: first, wrapper: null }], target: null };
  return walkWrappers(ppid, first, extra);
}

/**
 * Whether `pid` is on the chain: this process's parent, or an ancestor reached through wrappers only.
 * How an inherited `LIFELINE_PARENT_PID` that is not the parent is judged.
 */
export function onChain(chain: WatchChain, pid: number): ChainLink | undefined {
  return chain.links.find((link) => link.pid === pid);
}
