/**
 * The walk up a chain of pass-through wrappers (chain.ts), past a parent whose command line may name one.
 * A module of its own: the register preload's start calls `walkChain` for every worker, and leaves this to
 * its run half's file (light-later.ts).
 */
import { readCmdline } from '../proc/cmdline.js';
import { readStat, type ProcStat } from '../proc/stat.js';
import type { ChainLink, WatchChain } from './chain.js';
import { matchWrapper } from './table.js';

/** Longest chain walked: wrappers are a few deep; a loop or a pathological tree stops here. */
const MAX_LINKS = 32;

/**
 * The walk of `walkChain` past a parent whose command line may name a wrapper: each ancestor's row,
 * and its `stat` to go up. @internal
 */
export function walkWrappers(ppid: number, first: string[] | null, extra: readonly string[]): WatchChain {
  const links: ChainLink[] = [];
  let pid = ppid;
  let child: ProcStat | null = null;
  while (pid > 1 && links.length < MAX_LINKS && !links.some((link) => link.pid === pid)) {
    const argv = links.length === 0 ? first : readCmdline(pid);
    const row = argv === null ? undefined : matchWrapper(argv, extra);
    if (row === undefined && links.length === 0) {
      links.push({ pid, argv, wrapper: null }); // the parent is no wrapper after all
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
