import type { ProcStat } from './proc/stat.js';
/**
 * Why the worker is considered orphaned:
 * - `'reparented'`: `process.ppid` no longer is the pid captured at arming;
 * - `'parent-not-running'`: the expected parent (`parentPid`, not our direct parent) exited;
 * - `'parent-gone-at-start'`: the expected parent was already gone when the watcher armed.
 */
export type OrphanCause = 'reparented' | 'parent-not-running' | 'parent-gone-at-start';
/** What a watcher compares on each check. */
export interface WatchTarget {
    /** `process.ppid` captured at arming. */
    capturedPpid: number;
    /** The expected parent when it is not the direct one (a wrapper in between), with its start time. */
    expected: Pick<ProcStat, 'pid' | 'startTime'> | null;
}
/** Check once: the orphan cause, or `null` while the parent is there. */
export declare function checkParent(target: WatchTarget): OrphanCause | null;
/** The process the worker lost: the captured parent when reparented, else the expected one. */
export declare function lostParent(cause: OrphanCause, target: WatchTarget): number;
/** What the orphan line says. */
export interface OrphanLineInput {
    cause: OrphanCause;
    lostPid: number;
    currentParentPid: number;
    exit: boolean;
    exitCode: number;
    /** Written by the watchdog thread. */
    thread?: boolean;
}
/** The sentence that says why the worker is orphaned (without the `lifeline[pid]:` prefix or the action). */
export declare function orphanReason(cause: OrphanCause, lostPid: number, currentParentPid: number): string;
/** The one orphan line (without the `lifeline[pid]:` prefix that `writeLine` adds). */
export declare function orphanLine(input: OrphanLineInput): string;
