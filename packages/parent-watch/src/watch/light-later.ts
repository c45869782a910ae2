/**
 * What the register preload's start file leaves to its run half's file: functions on paths that start
 * takes only sometimes (an interval to parse, a command line that may name a wrapper — the walk up from
 * there —, a parent's liveness on Windows, a supervisor named by pid — which the preload
 * never reads: the full watcher does). The run half exports them; in the start file's bundle, each module
 * named here is a stub whose functions call the run half's (tsup.config.ts reads this list): V8 scans at
 * start only the code that start runs. The full watcher's loader stays in the start file: a worker that
 * hands over at start would otherwise load the run half for nothing.
 * Only `export { … } from '…';` statements here, one per module: the build reads them as data.
 */
export { durationFromEnv } from '@lifeline/core/duration';
export { parseGoDurationOrNull } from '@lifeline/core/duration-grammar';
export { hasProcfs } from '@lifeline/core/proc/stat';
export { isRunning } from '@lifeline/core/proc/state';
export { wrapperNames } from '@lifeline/core/wrappers/table';
export { walkWrappers } from '@lifeline/core/wrappers/walk';
export { namedParentVerdict } from './named-parent.js';
