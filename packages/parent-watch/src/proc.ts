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
export { isRunning, listProcesses, parseStat, processState, readStat } from './proc/stat.js';
export type { ProcStat } from './proc/stat.js';
