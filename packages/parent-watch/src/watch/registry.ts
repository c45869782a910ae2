import { claimPerProcessVariables } from '@lifeline/core/config';
import { warnOnce } from '@lifeline/core/diag';
import { registry, type LightWatch, type Registry } from './global.js';
import { resolveSettings, type Settings } from './options.js';
import type { ParentWatch, WatchParentOptions } from './types.js';
import { Watcher, log } from './watcher.js';

/**
 * Arm the parent-death watcher, once per process.
 *
 * Captures `process.ppid` now and compares it on every `interval`; when it changes (the parent died and
 * the kernel reparented this process to init or a subreaper), the worker is orphaned: one line on
 * stderr names the lost and the new parent, `signal` aborts, `onOrphan` hooks run concurrently for at
 * most `grace`, the worker's own descendants get SIGTERM (and SIGKILL at the deadline), then the process
 * exits with `exitCode`. With no hooks and no descendants it exits at once. On Windows, where a parent
 * pid never changes, it checks instead that the parent (`parentPid`, else the ppid captured now) still
 * runs; once seen gone it stays gone. Whatever ends the process
 * once it is orphaned — a hook calling `process.exit`, a SIGTERM, an uncaught exception — its
 * descendants are still taken down on the way out, and the exit code is the one announced.
 *
 * A second call — also from another copy of this package, ESM beside CJS — returns the same handle;
 * explicit options that conflict with the first call's are reported on stderr. After `stop()`, a new
 * call arms anew.
 *
 * Not armed (state `'disabled'`, see `reason` and `reasonCode`) when switched off, outside the main
 * thread, or when the parent pid is ≤ 1 at arming (on Windows: names no running process) and no
 * `parentPid`/`LIFELINE_PARENT_PID` says otherwise.
 *
 * @param options - see {@link WatchParentOptions}; explicit options win over the environment.
 * @throws {TypeError} `ERR_INVALID_ARG_TYPE` when an option has the wrong type.
 * @throws {RangeError} `ERR_INVALID_ARG_VALUE` / `ERR_OUT_OF_RANGE` when an option's value is not usable
 * (environment values never throw: they warn).
 * @example
 * ```ts
 * import { watchParent } from '@lifeline/parent-watch';
 *
 * const watch = watchParent({ interval: '500ms', grace: '5s' });
 * watch.onOrphan(async () => {
 *   await server.close(); // bounded by the grace
 * });
 * ```
 */
export function watchParent(options?: WatchParentOptions): ParentWatch {
  const settings = resolveSettings(options);
  // Read from process.env: what the supervisor addressed to this process stays with it (not its children).
  if (options?.env === undefined) claimPerProcessVariables();
  const shared = registry();
  if (shared.light) takeOver(shared, shared.light);
  const current = shared.current;
  if (current && current.state !== 'stopped') {
    const armedWith = shared.currentOptions ?? {};
    const ignored = Object.entries(settings.explicit)
      .filter(([key, value]) => armedWith[key] !== value)
      .map(
        ([key, value]) =>
          `${key}: ${String(value)}${armedWith[key] === undefined ? '' : ` (armed with ${String(armedWith[key])})`}`,
      );
    if (ignored.length > 0) {
      warnOnce(
        `watchParent() is already armed in this process; the first call's settings stay (ignored: ${ignored.join(', ')})`,
      );
    }
    log('already armed: returning the existing handle');
    return current;
  }
  return arm(shared, settings);
}

function arm(shared: Registry, settings: Settings, light?: LightWatch): Watcher {
  for (const warning of settings.warnings) warnOnce(warning);
  const watcher = new Watcher(
    settings,
    () => {
      if (shared.current === watcher) {
        shared.current = undefined;
        shared.currentOptions = undefined;
      }
    },
    light,
  );
  shared.current = watcher;
  shared.currentOptions = { ...settings.explicit };
  watcher.arm();
  return watcher;
}

/**
 * The register preload armed its light watcher: this one takes over as the preload's own call would have
 * armed it (from the environment alone), with the ppid captured at preload, and checks at once when the
 * light watcher handed over because the parent may be gone.
 */
function takeOver(shared: Registry, light: LightWatch): void {
  shared.light = undefined;
  light.stop();
  log('taking over from the preload (parent %d captured at start)', light.capturedPpid);
  arm(shared, resolveSettings(undefined), light);
}
