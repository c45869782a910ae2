/**
 * `@lifeline/parent-watch`: make a Node worker notice that its supervisor died, and leave.
 *
 * @example
 * ```ts
 * import { watchParent } from '@lifeline/parent-watch';
 * const watch = watchParent();
 * watch.onOrphan(() => server.close());
 * ```
 * @packageDocumentation
 */
export { watchParent } from './watch/registry.js';
export { explainWatch } from './watch/explain.js';
export { resolveConfig, ENV, DEFAULT_GRACE_MS, DEFAULT_INTERVAL_MS } from '@lifeline/core/config';
export { MAX_TIMER_MS, MIN_INTERVAL_MS, parseDuration } from '@lifeline/core/duration';
export { validateWatchParentOptions } from './watch/options.js';
export { stdioHintReport, type StdioHintReport } from './hints/stdio.js';
export type { EnvLike, ResolvedConfig } from '@lifeline/core/config';
export type { ExplainedLink, ExplainedSetting, WatchExplanation } from './watch/explain.js';
export type {
  ArmingCode,
  OrphanCause,
  OrphanEvent,
  OrphanHook,
  ParentWatch,
  WatchParentOptions,
  WatchState,
} from './watch/types.js';
