/**
 * The register preload's light watcher: what a polling worker needs at start, and nothing else. It reads
 * the settings the table marks `light` (LocalAI's two variables and the stdio switch), captures the ppid,
 * reads the parent's command line (a pass-through wrapper such as `npm run`? then the supervisor behind it
 * is watched too), arms one unref'd timer and waits for stdout's and stderr's reader to go away (a hint:
 * the timer's check, at once and after). The full watcher (hooks, descendants, the watchdog thread, the
 * other hints, stdin, the messages) loads only when it is needed: at start
 * when a variable only it reads is set or an IPC channel is there (its 'disconnect' makes the exit a
 * matter of milliseconds, which loading the full watcher at the orphaning would lengthen), when the
 * application calls `watchParent()`, or when this one sees the parent go with descendants to take down —
 * it then hands over, and the full watcher gives the verdict and runs the orphan path with the ppid
 * captured here. With no descendants, it writes the orphan line and exits itself, as the full one would.
 */
import { decideArming } from './arming.js';
import { canLoadBuiltins, isMainThread, loadBuiltin } from '@lifeline/core/builtin';
import { DEFAULT_EXIT_CODE, ENV, claimPerProcessVariables, envValue } from '@lifeline/core/config';
import { durationFromEnv } from '@lifeline/core/duration';
import { parseGoDurationOrNull } from '@lifeline/core/duration-grammar';
import { warnOnce, writeLine } from '@lifeline/core/diag';
import { errorText } from '@lifeline/core/errors';
import { moduleUrl } from '@lifeline/core/module-url';
import { checkParent, lostParent, orphanLine, type WatchTarget } from '../orphan/verdict.js';
import { platformFacts } from '@lifeline/core/platform';
import { isRunning } from '@lifeline/core/proc/state';
import { hasProcfs } from '@lifeline/core/proc/stat';
import { descendantsOf } from '../orphan/descendants.js';
import { SETTINGS, setting } from '@lifeline/core/settings';
import { readSwitch } from '@lifeline/core/switch';
import { recheckAfterHint } from '../hints/recheck.js';
import { watchStdio } from '../hints/stdio.js';
import { walkChain, type WatchChain } from '@lifeline/core/wrappers/chain';
import { registry, type LightWatch } from './global.js';

type FullWatcher = typeof import('../index.js');

/** This package's name: the full watcher is loaded from beside this file only inside it. */
const PACKAGE_NAME = '@lifeline/parent-watch';

/** What only the full watcher reads: any of these set loads it at start (`DEBUG`: its traces). */
const FULL_ONLY: readonly string[] = [
  ...SETTINGS.filter((setting) => !setting.light).map((setting) => setting.variable),
  'DEBUG',
];

/**
 * Arm from the environment, as `watchParent()` with no options would: the light watcher when only
 * `LOCALAI_BACKEND_PARENT_WATCH` and `_INTERVAL` are set (and usable) and there is no IPC channel, the
 * full one otherwise. `loadedBy`: how the preload was loaded, which tells the likelier format of the
 * application (the full watcher is loaded in that format, so that it is the instance the application
 * imports). Never throws. @internal
 */
export function armFromPreload(loadedBy: 'import' | 'require'): void {
  const shared = registry();
  if (shared.current !== undefined || shared.light !== undefined) return; // armed already (another copy)
  claimPerProcessVariables(); // now, before the application can start children with this environment
  const env = process.env;
  // The rows' rules read here by hand (not by the core's reader of every rule): the preload stays small.
  const enabledRaw = envValue(env, ENV.enabled);
  const switched = readSwitch(enabledRaw, setting('enabled').rule.default);
  const enabled = switched.value;
  const stdio = readSwitch(envValue(env, ENV.stdio), setting('stdio').rule.default);
  let warned = !switched.recognised || !stdio.recognised;
  const { bounds, default: fallback } = setting('interval').rule;
  // The Go forms only: what this grammar cannot read (a long form such as "2 seconds", read by the full
  // watcher, which alone bundles `ms`; or no duration, which it warns about) hands over like a warning.
  const intervalMs = durationFromEnv(
    ENV.interval,
    envValue(env, ENV.interval),
    bounds,
    fallback,
    () => (warned = true),
    parseGoDurationOrNull,
  );
  const ipc = typeof process.send === 'function';
  if (ipc || warned || FULL_ONLY.some((name) => envValue(env, name) !== undefined)) {
    // A hint to listen to, a value the full watcher must read (or warn about), or a feature only it has: it arms now.
    withFullWatcher(loadedBy, (full) => void (shared.current ?? full.watchParent()));
    return;
  }
  const capturedPpid = process.ppid;
  // Walked only when the decision asks (the parent is watched): one read of the parent's command line.
  let chain: WatchChain | null | undefined;
  let parentRanAtStart: boolean | undefined;
  const decision = decideArming({
    enabled,
    enabledFrom: enabledRaw === undefined ? 'default' : 'env',
    enabledRaw,
    platform: process.platform,
    builtins: canLoadBuiltins(),
    mainThread: isMainThread(),
    ppid: capturedPpid,
    parentPid: null,
    parentPidFrom: 'none',
    parentRunning: () => false,
    ppidRunning: () => (parentRanAtStart = isRunning(capturedPpid)),
    intervalMs,
    chain: () => (chain = walkChain(capturedPpid)),
  });
  let timer: ReturnType<typeof setInterval> | undefined;
  let stopStdio: (() => void) | undefined;
  const rechecks: ReturnType<typeof setTimeout>[] = [];
  // Windows: the parent's pid never changes; its liveness is what tells. Elsewhere the supervisor behind wrappers, if any.
  const target: WatchTarget = {
    capturedPpid,
    expected: platformFacts().parentDeath === 'liveness' ? { pid: capturedPpid } : decision.expected,
  };
  const check = (by: 'poll' | 'stdio' = 'poll'): void => {
    const cause = shared.light === light ? checkParent(target) : null;
    if (cause === null) return;
    light.stop();
    // Nothing to wait for — no hooks (the application never asked for the watcher), no descendants: leave
    // in this tick, as the full watcher would, without loading it (CPU that hundreds of workers orphaned
    // at once on a few cores would queue behind).
    if (hasProcfs() && descendantsOf(process.pid).length === 0) {
      const currentParentPid = process.ppid;
      writeLine(
        orphanLine({
          cause,
          lostPid: lostParent(cause, target),
          currentParentPid,
          exit: true,
          exitCode: DEFAULT_EXIT_CODE,
        }),
      );
      process.exit(DEFAULT_EXIT_CODE);
    }
    light.detectedBy = by;
    withFullWatcher(loadedBy, (full) => void (shared.light === light && full.watchParent()));
  };
  const light: LightWatch = {
    capturedPpid,
    chain,
    parentRanAtStart,
    watching: false,
    detectedBy: undefined,
    stop() {
      light.watching = false;
      clearInterval(timer);
      stopStdio?.();
      for (const recheck of rechecks.splice(0)) clearTimeout(recheck);
    },
  };
  // Disabled here (switched off, a worker thread, parent already init): nothing runs, and the
  // full watcher says why if the application asks.
  shared.light = light;
  if (decision.warn) warnOnce(decision.message);
  if (!decision.watch) return;
  light.watching = true;
  timer = setInterval(check, intervalMs);
  timer.unref();
  if (stdio.value) stopStdio = watchStdio(() => void rechecks.push(...recheckAfterHint(() => check('stdio'))));
}

/**
 * Load the full watcher and use it: synchronously from beside this file (loaded by `import`: the ES module
 * build, through require(esm), which is the instance an ESM application imports; else, or without
 * require(esm), the CJS build), or — in an app bundled into one file, where the bundler inlined it —
 * through the dynamic import, a microtask later.
 */
function withFullWatcher(loadedBy: 'import' | 'require', use: (full: FullWatcher) => void): void {
  const full = requireFull(loadedBy);
  if (full !== undefined) return use(full);
  import('../index.js').then(use, (error: unknown) => {
    writeLine(`warning: the parent watcher could not load, the parent is not watched: ${errorText(error)}`);
  });
}

function requireFull(loadedBy: 'import' | 'require'): FullWatcher | undefined {
  const base = moduleUrl(import.meta.url);
  if (base === undefined) return undefined;
  try {
    const load = loadBuiltin<typeof import('node:module')>('node:module').createRequire(base);
    // Beside our own package.json only: in an app bundled into one file, "./index.js" is somebody else's.
    if ((load('../package.json') as { name?: unknown }).name !== PACKAGE_NAME) return undefined;
    for (const entry of loadedBy === 'import' ? ['./index.js', './index.cjs'] : ['./index.cjs']) {
      try {
        return load(entry) as FullWatcher;
      } catch {
        // require(esm) unavailable (Node < 20.19, or switched off): the CJS build next
      }
    }
  } catch {
    // not inside the package (bundled): the dynamic import
  }
  return undefined;
}
