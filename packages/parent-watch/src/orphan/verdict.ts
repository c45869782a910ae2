/**
 * The orphan condition and the orphan line: one test of "is the parent gone?" for the main-loop
 * watcher and the watchdog thread, and one sentence saying so.
 */
import { isStillRunning } from '@lifeline/core/proc/state';
import type { ProcStat } from '@lifeline/core/proc/stat';

/**
 * Why the worker is considered orphaned:
 * - `'reparented'`: `process.ppid` no longer is the pid captured at arming;
 * - `'parent-not-running'`: the parent watched by its liveness exited: the expected parent (`parentPid`, or
 *   the supervisor behind pass-through wrappers such as `npm run`), or on Windows the parent itself;
 * - `'parent-gone-at-start'`: the expected parent was already gone when the watcher armed;
 * - `'stdin-closed'`: stdin ended (opt-in, `stdin: true`): the host is gone, or asked this stdio server
 *   to leave; exits with {@link STDIN_EXIT_CODE}.
 */
export type OrphanCause = 'reparented' | 'parent-not-running' | 'parent-gone-at-start' | 'stdin-closed';

/** The exit code when stdin ended: 0, as a stdio server told to leave by its host ends normally. */
export const STDIN_EXIT_CODE = 0;

/** What a watcher compares on each check. */
export interface WatchTarget {
  /** `process.ppid` captured at arming. */
  capturedPpid: number;
  /**
   * The parent watched by its liveness, with its start time where known: the expected parent or the
   * supervisor behind pass-through wrappers when it is not the direct one, and on Windows the parent itself
   * (its pid never changes).
   */
  expected: Pick<ProcStat, 'pid' | 'startTime'> | null;
  /**
   * Set once `expected` was seen gone: it stays gone, whatever runs under its pid later (Windows reuses a
   * pid at once, and has no start time to tell the new process apart).
   */
  expectedGone?: boolean;
}

/** Check once: the orphan cause, or `null` while the parent is there. */
export function checkParent(target: WatchTarget): OrphanCause | null {
  if (process.ppid !== target.capturedPpid) return 'reparented';
  if (target.expected === null) return null;
  if (!target.expectedGone && isStillRunning(target.expected)) return null;
  target.expectedGone = true;
  return 'parent-not-running';
}

/** The exit code of an orphaning: `exitCode` (the setting), or {@link STDIN_EXIT_CODE} when stdin ended. @internal */
export function exitCodeFor(cause: OrphanCause, exitCode: number): number {
  return cause === 'stdin-closed' ? STDIN_EXIT_CODE : exitCode;
}

/** The process the worker lost: the captured parent when reparented or stdin ended, else the expected one. */
export function lostParent(cause: OrphanCause, target: WatchTarget): number {
  return cause === 'reparented' || cause === 'stdin-closed'
    ? target.capturedPpid
    : (target.expected?.pid ?? target.capturedPpid);
}

/** What the orphan line says. */
export interface OrphanLineInput {
  cause: OrphanCause;
  lostPid: number;
  currentParentPid: number;
  exit: boolean;
  exitCode: number;
  /** The signal raised for the application's own shutdown instead of exiting, if any. */
  raise?: NodeJS.Signals | null;
  /** Written by the watchdog thread. */
  thread?: boolean;
}

/** The sentence that says why the worker is orphaned (without the `lifeline[pid]:` prefix or the action). */
export function orphanReason(cause: OrphanCause, lostPid: number, currentParentPid: number): string {
  if (cause === 'stdin-closed')
    return `stdin closed: the host (parent ${lostPid}) is gone or asked this process to leave`;
  if (cause === 'parent-gone-at-start') {
    return `expected parent process ${lostPid} was already gone when the watcher armed (parent is now ${currentParentPid})`;
  }
  if (cause === 'parent-not-running') {
    // On Windows the parent pid never changes: the lost parent is still named as the direct one.
    if (lostPid === currentParentPid) return `parent process ${lostPid} is no longer running`;
    return `expected parent process ${lostPid} is no longer running (direct parent ${currentParentPid})`;
  }
  return `parent process ${lostPid} is gone (now reparented to ${currentParentPid})`;
}

/** The one orphan line (without the `lifeline[pid]:` prefix that `writeLine` adds). */
export function orphanLine(input: OrphanLineInput): string {
  const action = !input.exit
    ? 'notifying (exit: false)'
    : input.raise
      ? `raising ${input.raise} for the application's own shutdown (exit code ${input.exitCode} if still running at the grace deadline)`
      : `exiting with code ${input.exitCode}`;
  return `${orphanReason(input.cause, input.lostPid, input.currentParentPid)}; ${action}${input.thread ? ' [watchdog thread]' : ''}`;
}
