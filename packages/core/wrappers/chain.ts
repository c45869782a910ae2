/**
 * The watch chain: from a process's parent up through pass-through wrappers to the first ancestor that is
 * not one — the supervisor a worker behind `npm run` or `sh -c` really depends on. Read from /proc
 * (`cmdline` to judge, `stat` to go up and to tell a reused pid apart); nothing is read past the first
 * ancestor that is not a wrapper, so a worker whose parent is its supervisor pays one small read.
 */
import { nodeFs } from '../builtin.js';
import { hasProcfs, readStat, type ProcStat } from '../proc/stat.js';
import { namesWrapper } from './names.js';
import { matchWrapper, wrapperNames } from './table.js';

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

/** Longest chain walked: wrappers are a few deep; a loop or a pathological tree stops here. */
const MAX_LINKS = 32;

/** `/proc/<pid>/cmdline` as words, or `null` when it cannot be read (gone, hidden, a kernel thread: empty). */
export function readCmdline(pid: number): string[] | null {
  try {
    // NUL-terminated words; a process title (npm's) is padded with NULs to the length of the original argv.
    const text = nodeFs().readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '');
    return text === '' ? null : text.split('\0');
  } catch {
    return null;
  }
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
  const links: ChainLink[] = [];
  let pid = ppid;
  let child: ProcStat | null = null;
  while (pid > 1 && links.length < MAX_LINKS && !links.some((link) => link.pid === pid)) {
    const argv = links.length === 0 ? first : readCmdline(pid);
    // An argv that names no wrapper is not read by the rows (extra names: always read).
    const row =
      argv === null || (extra.length === 0 && !namesWrapper(argv, names)) ? undefined : matchWrapper(argv, extra);
    if (row === undefined && links.length === 0) {
      links.push({ pid, argv, wrapper: null }); // the parent is no wrapper: its pid is watched as always
      return { links, target: null };
    }
    const stat = readStat(pid);
    // Gone, or a reused pid (a parent cannot have started after its child): the chain is broken here.
    if (
      stat === null ||
      (child?.startTime !== undefined && stat.startTime !== undefined && stat.startTime > child.startTime)
    )
      break;
    const link: ChainLink = { pid, argv, wrapper: row?.name ?? null };
    if (stat.startTime !== undefined) link.startTime = stat.startTime;
    links.push(link);
    if (row === undefined) return { links, target: { pid, startTime: stat.startTime } };
    child = stat;
    pid = stat.ppid;
  }
  return { links, target: null };
}

/**
 * Whether `pid` is on the chain: this process's parent, or an ancestor reached through wrappers only.
 * How an inherited `LIFELINE_PARENT_PID` that is not the parent is judged.
 */
export function onChain(chain: WatchChain, pid: number): ChainLink | undefined {
  return chain.links.find((link) => link.pid === pid);
}
