/**
 * The register preload's light watcher: what a polling worker needs at start, and nothing else. It reads
 * the settings the table marks `light` (LocalAI's two variables, the stdio and stdin switches), captures the ppid,
 * reads the parent's command line (a pass-through wrapper such as `npm run`? then the supervisor behind it
 * is watched too) and arms one unref'd timer. What it does after start — each tick's check, the hints
 * (stdout's and stderr's reader going away, the IPC channel's 'disconnect': the check, at once and after),
 * stdin's end, the orphan path — is its run half (light-run.ts), loaded on the first turn of the event loop
 * (a hint to wait for), at start (stdin's end, opted in: listened to before the application's own
 * listeners) or at the first tick. The full watcher (hooks, descendants, the watchdog thread, the lifeline
 * pipe, the messages) loads only when it is needed: at start when a variable only it reads is set,
 * when the application calls `watchParent()`, or when this one sees the parent go with descendants to take
 * down — it then hands over, and the full watcher gives the verdict and runs the orphan path with the ppid
 * captured here. With no descendants, it writes the orphan line and exits itself, as the full one would.
 */
import { armingVerdict } from './arming.js';
import { canLoadBuiltins, isMainThread } from '@lifeline/core/builtin';
import { claimVariables, envValue } from '@lifeline/core/claimed-env';
import { durationFromEnv } from '@lifeline/core/duration';
import { parseGoDurationOrNull } from '@lifeline/core/duration-grammar';
import { warnOnce } from '@lifeline/core/diag';
import { errorText } from '@lifeline/core/errors';
import type { WatchTarget } from '../orphan/verdict.js';
import { platformFacts } from '@lifeline/core/platform';
import { isRunning } from '@lifeline/core/proc/state';
import { readSwitch } from '@lifeline/core/switch';
import { walkChain } from '@lifeline/core/wrappers/chain';
import { registry, type LightWatch } from './global.js';
import { LIGHT_FACTS } from './light-facts.js';
import type { LightArmed, LightCheckBy } from './light-run.js';
import { hasIpcChannel } from '../hints/ipc.js';
import { withFullWatcher, type LoadedBy } from './full-watcher.js';

/**
 * How the preload gets the run half: Node's preload (light-preload.cts) requires its file when first
 * needed, the ES module build has it bundled.
 */
export type LoadRun = () => typeof import('./light-run.js');

/**
 * Arm from the environment, as `watchParent()` with no options would: the light watcher when only the
 * settings it reads (LocalAI's two variables, the stdio and stdin switches) are set, and usable; the full one otherwise. `loadedBy`: how the preload was loaded, which tells the likelier format of the
 * application (the full watcher is loaded in that format, so that it is the instance the application
 * imports). `loadRun`: how to get the run half. Never throws. @internal
 */
export function armFromPreload(loadedBy: LoadedBy, loadRun: LoadRun): void {
  try {
    arm(loadedBy, loadRun);
  } catch (error) {
    // A path that needs the run half's file at start (light-later.ts), which could not load: said, never thrown.
    warnOnce(`the parent watcher could not arm, the parent is not watched: ${errorText(error)}`);
  }
}

function arm(loadedBy: LoadedBy, loadRun: LoadRun): void {
  const shared = registry();
  if (shared.current !== undefined || shared.light !== undefined) return; // armed already (another copy)
  const facts = LIGHT_FACTS;
  claimVariables(facts.perProcess); // now, before the application can start children with this environment
  const env = process.env;
  // The rows' rules read here by hand (not by the core's reader of every rule): the preload stays small.
  const enabledRaw = envValue(env, facts.enabled.variable);
  const switched = readSwitch(enabledRaw, facts.enabled.fallback);
  const enabled = switched.value;
  const stdio = readSwitch(envValue(env, facts.stdio.variable), facts.stdio.fallback);
  const stdin = readSwitch(envValue(env, facts.stdin.variable), facts.stdin.fallback);
  let warned = !switched.recognised || !stdio.recognised || !stdin.recognised;
  const { variable, bounds, fallback } = facts.interval;
  const intervalRaw = envValue(env, variable);
  // Unset, the default without the reader (in the run half's file: light-later.ts). The Go forms only: what
  // this grammar cannot read (a long form such as "2 seconds", read by the full watcher, which alone
  // bundles `ms`; or no duration, which it warns about) hands over like a warning.
  const intervalMs =
    intervalRaw === undefined
      ? fallback
      : durationFromEnv(variable, intervalRaw, bounds, fallback, () => (warned = true), parseGoDurationOrNull);
  // A value the full watcher must read (or warn about), or a feature only it has: it arms now.
  if (warned) return armFull(loadedBy);
  for (const name of facts.fullOnly) if (envValue(env, name) !== undefined) return armFull(loadedBy);
  const capturedPpid = process.ppid;
  let parentRanAtStart: boolean | undefined;
  const decision = armingVerdict({
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
    // Walked only when the decision asks (the parent is watched): one read of the parent's command line.
    chain: () => walkChain(capturedPpid, [], facts.wrapperNames),
  });
  if (decision.warn) {
    // A setup to tell the user about: the full watcher decides again and says it.
    return armFull(loadedBy);
  }
  let timer: ReturnType<typeof setInterval> | undefined;
  let firstTurn: ReturnType<typeof setTimeout> | undefined;
  // Windows: the parent's pid never changes; its liveness is what tells. Elsewhere the supervisor behind wrappers, if any.
  const target: WatchTarget = {
    capturedPpid,
    expected: platformFacts().parentDeath === 'liveness' ? { pid: capturedPpid } : decision.expected,
  };
  const light: LightWatch = {
    capturedPpid,
    chain: decision.chain,
    parentRanAtStart,
    watching: false,
    detectedBy: undefined,
    stop() {
      light.watching = false;
      clearInterval(timer);
      clearTimeout(firstTurn);
      for (const stop of armed.stops.splice(0)) stop();
    },
  };
  const ipc = hasIpcChannel();
  const armed: LightArmed = {
    light,
    target,
    loadedBy,
    stdio: stdio.value,
    ipc,
    stdin: stdin.value,
    stops: [],
  };
  // Disabled here (switched off, a worker thread, parent already init): nothing runs, and the
  // full watcher says why if the application asks.
  shared.light = light;
  if (!decision.watch) return;
  light.watching = true;
  let check: ((by: LightCheckBy) => void) | undefined;
  const run = (): ((by: LightCheckBy) => void) =>
    (check ??= loaded(loadRun)?.runLight(armed) ?? (light.stop(), () => {}));
  timer = setInterval(() => run()('poll'), intervalMs);
  timer.unref();
  // stdin's end is listened to at start, before the application's own listeners: one of them may call
  // process.exit, which must run the orphan path first (a CommonJS app registers them before any turn).
  if (armed.stdin) run();
  // The hints (stdio, IPC) wait from the first turn of the event loop: their half loads then, not at start.
  else if (armed.stdio || ipc) {
    firstTurn = setTimeout(run, 0);
    firstTurn.unref();
  }
}

/** The full watcher armed from the environment instead, unless the application armed it meanwhile. */
function armFull(loadedBy: LoadedBy): void {
  withFullWatcher(loadedBy, (full) => void (registry().current ?? full.watchParent()));
}

/** The run half, or `undefined` (said once) when it cannot load: never an exception in the application's timers. */
function loaded(loadRun: LoadRun): ReturnType<LoadRun> | undefined {
  try {
    return loadRun();
  } catch (error) {
    warnOnce(`the parent watcher could not load, the parent is not watched: ${errorText(error)}`);
    return undefined;
  }
}
