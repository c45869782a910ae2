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
export { watchParent } from './watch/watcher.js';
export { resolveConfig, ENV, DEFAULT_GRACE_MS, DEFAULT_INTERVAL_MS, MAX_TIMER_MS, MIN_INTERVAL_MS } from './env/config.js';
export { parseDuration } from './env/duration.js';
export { validateWatchParentOptions } from './watch/options.js';
export type { EnvLike, ResolvedConfig } from './env/config.js';
export type {
  OrphanCause,
  OrphanEvent,
  OrphanHook,
  ParentWatch,
  WatchParentOptions,
  WatchState,
} from './watch/types.js';
