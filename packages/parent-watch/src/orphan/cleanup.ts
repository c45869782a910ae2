/**
 * The orphan path, once the parent is gone: abort the signal, run the hooks within the grace, take the
 * descendants down, exit with the announced code — and keep those promises whatever ends the process
 * first (a hook's `process.exit`, a SIGTERM, an uncaught exception from an abort listener).
 */
import { warnOnce, writeLine } from '@lifeline/core/diag';
import { formatMs } from '@lifeline/core/duration';
import { errorText } from '@lifeline/core/errors';
import { platformFacts } from '@lifeline/core/platform';
import { terminate } from '@lifeline/core/proc/terminate';
import { hasProcfs, type ProcStat } from '@lifeline/core/proc/stat';
import { descendantsOf, hasChildrenFiles, signalAll } from './descendants.js';
import { orphanLine, type OrphanCause } from './verdict.js';
import { clampDelay, delay } from '@lifeline/core/timers';
import type { Settings } from '../watch/options.js';
import type { OrphanEvent, OrphanHook } from '../watch/types.js';

/** How often the orphan path looks whether the descendants it signalled are gone. */
const DESCENDANT_POLL_MS = 20;
/** Signals whose default action would end the process mid-cleanup, skipping the descendants. */
const ENDING_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/** What the orphan path works with. @internal */
export interface OrphanContext {
  settings: Settings;
  event: OrphanEvent;
  /** The sentence of the orphan line, for the abort reason. */
  reason: string;
  /** The signal's controller, when someone asked for `signal`. */
  controller: AbortController | undefined;
  hooks: OrphanHook[];
  /** The signal to raise for the application's own shutdown (a listener for it exists), or `null`. */
  raise: NodeJS.Signals | null;
  /** Called right before the process exits through this path. */
  beforeExit: () => void;
  /**
   * Called before the path gives control away (maybe more than once: the first call counts): to the
   * application (abort listeners, hooks, a raised signal) or to the event loop (descendants to wait for,
   * notify-only mode). Not when the path exits in this tick, which runs nothing but Lifeline's own code:
   * the watchdog thread then has nothing to guard and is not woken up for it.
   */
  beforeWaiting: () => void;
}

/** What the orphan line needs to say, and whether the watchdog thread wrote it already. @internal */
export interface Announcement {
  cause: OrphanCause;
  originalParentPid: number;
  currentParentPid: number;
  settings: Settings;
  lineWritten: boolean;
}

/**
 * Write the one orphan line (unless the watchdog did) and return the signal to raise: only into a handler,
 * as with no listener its default action would just kill the process. @internal
 */
export function announceOrphan(a: Announcement): NodeJS.Signals | null {
  const s = a.settings;
  const raise = s.exit && s.raise !== null && process.listenerCount(s.raise) > 0 ? s.raise : null;
  const { cause, originalParentPid: lostPid, currentParentPid } = a;
  if (!a.lineWritten)
    writeLine(orphanLine({ cause, lostPid, currentParentPid, exit: s.exit, exitCode: s.exitCode, raise }));
  if (s.exit && s.raise !== null && raise === null) {
    writeLine(`no listener for ${s.raise} to run the application's shutdown: exiting with code ${s.exitCode} as usual`);
  }
  return raise;
}

/** Run the orphan path. Never rejects. @internal */
export async function runOrphanPath(ctx: OrphanContext): Promise<void> {
  const s = ctx.settings;
  const raise = ctx.raise;
  // The exit guard is set before any of the application's code runs: the abort listeners, or else the wait.
  let guard: Guard | undefined;
  const exit = (): never => {
    ctx.beforeExit();
    process.exit(s.exitCode);
  };
  if (ctx.controller) {
    ctx.beforeWaiting();
    guard = s.exit ? guardTheWayOut(s, raise !== null) : undefined;
    abortSafely(ctx.controller, new Error(ctx.reason), s.exit);
  }
  // After the abort listeners (they run synchronously): what they started is found too.
  // The children lists answer first: where they are, /proc is (and its stat need not be read to know it).
  if (s.exit && s.killDescendants && !hasChildrenFiles() && !hasProcfs()) {
    warnOnce(
      platformFacts().childrenInJob
        ? "descendants cannot be taken down on Windows (no /proc to find them); this process's non-detached children end with it (Node's job object)"
        : 'descendants cannot be taken down: /proc cannot be read here (hidden, or a runtime without the permission)',
    );
  }
  const victims = s.exit && s.killDescendants ? descendantsOf(process.pid) : [];
  if (raise === null && ctx.hooks.length === 0 && victims.length === 0) {
    // Nothing to wait for: leave in this tick. No signal or stray exception can come in between.
    if (guard) guard.swept = true;
    if (s.exit) exit();
    ctx.beforeWaiting(); // notify-only: the process goes on
    return;
  }
  ctx.beforeWaiting();
  guard ??= s.exit ? guardTheWayOut(s, raise !== null) : undefined;
  guard?.holdOn(victims, exit);
  const deadlineAt = ctx.event.detectedAt + s.graceMs;
  // SIGTERM now; the SIGKILL is the exit guard's. Raise mode does not wait for them.
  const graceMs = raise === null ? deadlineAt - Date.now() : 0;
  const victimsGone = terminate(victims, { graceMs, every: DESCENDANT_POLL_MS, kill: false, ref: s.exit });
  if (raise !== null) return raiseAndHold(ctx, raise, exit);

  let settled = 0;
  const hooksDone = Promise.all(ctx.hooks.map((hook) => runHook(hook, ctx.event).then(() => void settled++)));
  let deadlineTimer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'deadline'>((resolve) => {
    deadlineTimer = setTimeout(() => resolve('deadline'), clampDelay(deadlineAt - Date.now()));
    // Keep the process up until the deadline when it must exit: a hook that never settles must not let
    // the event loop drain and exit with code 0.
    if (!s.exit) deadlineTimer.unref();
  });
  const outcome = await Promise.race([Promise.all([hooksDone, victimsGone]).then(() => 'done' as const), deadline]);
  clearTimeout(deadlineTimer);
  if (outcome === 'deadline' && settled < ctx.hooks.length) {
    writeLine(
      `${ctx.hooks.length - settled} onOrphan hook(s) still pending at the grace deadline (${formatMs(s.graceMs)}); ` +
        (s.exit ? 'exiting anyway' : 'giving up on them'),
    );
  }
  if (s.exit) exit(); // the 'exit' guard SIGKILLs the descendants still there
}

/**
 * Raise mode: the application's own handler for `raise` shuts it down, and whatever code it exits with
 * stands (an uncaught exception from it: Node's exit code 1). Hooks run alongside; the deadline timer is unref'd so that a shutdown that lets the event loop
 * drain ends the process at once, and a process still there at the deadline exits with `exitCode`.
 */
async function raiseAndHold(ctx: OrphanContext, raise: NodeJS.Signals, exit: () => never): Promise<void> {
  for (const hook of ctx.hooks) void runHook(hook, ctx.event);
  // Windows: process.kill would end this process with TerminateProcess; hand the signal to its listeners instead.
  if (platformFacts().signalHandlers) process.kill(process.pid, raise);
  else process.emit(raise, raise);
  await delay(clampDelay(ctx.event.detectedAt + ctx.settings.graceMs - Date.now()), false);
  writeLine(
    `still running at the grace deadline (${formatMs(ctx.settings.graceMs)}) after ${raise}; exiting with code ${ctx.settings.exitCode}`,
  );
  exit();
}

/**
 * From the orphaning on, whatever ends the process keeps the orphan path's promises: on 'exit' (also
 * from a hook's or the app's `process.exit(n)`), descendants still running get SIGKILL synchronously and
 * the exit code is the announced one. While the cleanup lasts beyond this tick (hooks or descendants to
 * wait for), a SIGTERM/SIGINT/SIGHUP the app does not handle ends it early through the same exit instead
 * of killing the process outright, and an uncaught exception (an abort listener that throws, a hook's
 * stray error) is reported while the cleanup goes on — except in raise mode, where it is the application's
 * own shutdown failing and ends the process as Node would (exit code 1).
 */
interface Guard {
  /** Set when no descendant can be left (none were found and nothing ran since): the exit skips the walk. */
  swept: boolean;
  /** The cleanup will take more than this tick: also end it early on signals, survive stray exceptions. */
  holdOn(victims: readonly ProcStat[], exit: () => never): void;
}

function guardTheWayOut(s: Settings, appDecidesCode: boolean): Guard {
  let victims: readonly ProcStat[] = [];
  const guard: Guard = {
    swept: false,
    holdOn(found, exit) {
      victims = found;
      // In raise mode the exception is the application's shutdown failing: Node's own handling (the
      // error printed, exit code 1) stands, as it would without Lifeline.
      if (!appDecidesCode) {
        process.on('uncaughtException', (error) => {
          writeLine(`uncaught exception during the orphan cleanup (the cleanup goes on): ${errorText(error)}`);
        });
      }
      for (const signal of ENDING_SIGNALS) {
        if (process.listenerCount(signal) > 0) continue; // the app's own handler decides; the 'exit' guard still holds
        process.once(signal, () => {
          writeLine(`${signal} during the orphan cleanup: ending it now`);
          exit();
        });
      }
    },
  };
  process.on('exit', (code) => {
    if (s.killDescendants && !guard.swept) signalAll([...victims, ...descendantsOf(process.pid)], 'SIGKILL');
    if (!appDecidesCode && code !== s.exitCode) {
      writeLine(
        `the process was ending with code ${code} during the orphan cleanup; exiting with code ${s.exitCode} as announced`,
      );
      process.exitCode = s.exitCode;
    }
  });
  return guard;
}

/**
 * Abort the orphan signal. A listener that throws is reported by Node on the next tick as an uncaught
 * exception; in notify-only mode (no exit guard) catch that one tick's worth so the app is not killed
 * by it, and say so.
 */
function abortSafely(controller: AbortController, reason: Error, guarded: boolean): void {
  const report = (error: unknown): void =>
    writeLine(`an abort listener of the orphan signal threw: ${errorText(error)}`);
  if (!guarded) {
    process.on('uncaughtException', report);
    setImmediate(() => process.removeListener('uncaughtException', report));
  }
  try {
    controller.abort(reason);
  } catch (error) {
    report(error);
  }
}

/** Run one hook; a throw or rejection is reported on stderr, never passed on. @internal */
export async function runHook(hook: OrphanHook, event: OrphanEvent): Promise<void> {
  try {
    await hook(event);
  } catch (error) {
    writeLine(`an onOrphan hook failed: ${errorText(error)}`);
  }
}
