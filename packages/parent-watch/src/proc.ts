/**
 * `@lifeline/parent-watch/proc`: process liveness that tells zombies apart and never reaps.
 *
 * @example
 * ```ts
 * import { isRunning, processState, parseStat } from '@lifeline/parent-watch/proc';
 * isRunning(pid); // false for missing pids, zombies and dead processes
 * ```
 * @packageDocumentation
 */
export { isRunning, processState } from '@lifeline/core/proc/state';
export { listProcesses, parseStat, readStat } from '@lifeline/core/proc/stat';
export type { ProcStat } from '@lifeline/core/proc/stat';
