import type { Worker } from 'node:worker_threads';
import { decideArming } from './arming.js';
import { canLoadBuiltins, isMainThread } from '@lifeline/core/builtin';
import { createLogger, warnOnce } from '@lifeline/core/diag';
import { formatMs } from '@lifeline/core/duration';
import { invalidArgType } from '@lifeline/core/errors';
import { takePipe } from '../hints/pipe.js';
import { checkParent, exitCodeFor, lostParent, orphanReason, type WatchTarget } from '../orphan/verdict.js';
import { platformFacts } from '@lifeline/core/platform';
import { inOtherPidNamespace } from '@lifeline/core/proc/namespace';
import { isRunning } from '@lifeline/core/proc/state';
import { readStat } from '@lifeline/core/proc/stat';
import { walkChain } from '@lifeline/core/wrappers/chain';
import type { LightWatch } from './global.js';
import { Hints } from '../hints/watcher-hints.js';
import { announceOrphan, runOrphanPath, runHook } from '../orphan/cleanup.js';
import type { Settings } from './options.js';
import { FLAG, startWatchdog, tellWatchdog, watchdogData } from './thread.js';
import type { ArmingCode, OrphanEvent, OrphanHook, Orphaning, ParentWatch, WatchState } from './types.js';

/** `DEBUG=lifeline:parent-watch`. @internal */
export const log = createLogger('parent-watch');

/** The one watcher of a process: arming, the poll timer or watchdog thread, the IPC hint. @internal */
export class Watcher implements ParentWatch {
  #state: WatchState = 'watching';
  #reason: string | undefined;
  #reasonCode: ArmingCode | undefined;
  readonly #target: WatchTarget;
  readonly #settings: Settings;
  readonly #onStopped: () => void;
  /** Created on first use: AbortController costs a preload its loading at start-up. */
  #controller: AbortController | undefined;
  readonly #hooks = new Set<{ hook: OrphanHook }>();
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #onStdinEnd = (): void => this.#orphan({ cause: 'stdin-closed', detectedBy: 'stdin' });
  readonly #hints = new Hints((by) => this.#check(by), this.#onStdinEnd);
  #worker: Worker | undefined;
  #flags: Int32Array | undefined;
  #event: OrphanEvent | undefined;

  /** The register preload's light watcher this one takes over from: its ppid, what it saw, the chain it walked. */
  readonly #light: LightWatch | undefined;

  /** `light`: the register preload's light watcher this one takes over from (its ppid, what it saw). */
  constructor(settings: Settings, onStopped: () => void, light?: LightWatch) {
    this.#settings = settings;
    this.#onStopped = onStopped;
    this.#target = { capturedPpid: light?.capturedPpid ?? process.ppid, expected: null };
    this.#light = light;
  }

  get state(): WatchState {
    return this.#state;
  }
  get reason(): string | undefined {
    return this.#reason;
  }
  get reasonCode(): ArmingCode | undefined {
    return this.#reasonCode;
  }
  get capturedParentPid(): number {
    return this.#target.capturedPpid;
  }
  get intervalMs(): number {
    return this.#settings.intervalMs;
  }
  get graceMs(): number {
    return this.#settings.graceMs;
  }
  get thread(): boolean {
    return this.#worker !== undefined;
  }
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      // Asked for after the orphaning: nobody could listen before, but it must read as aborted.
      if (this.#event)
        this.#controller.abort(
          new Error(orphanReason(this.#event.cause, this.#event.originalParentPid, this.#event.currentParentPid)),
        );
    }
    return this.#controller.signal;
  }

  onOrphan(hook: OrphanHook): () => void {
    if (typeof hook !== 'function') throw invalidArgType('onOrphan(hook)', 'hook', 'a function', hook);
    const entry = { hook };
    this.#hooks.add(entry);
    if (this.#state === 'orphaned' && this.#event && !this.#settings.exit) {
      // Subscribed after a notify-only orphaning: tell it too, once.
      const event = this.#event;
      queueMicrotask(() => void runHook(hook, event));
    }
    return () => {
      this.#hooks.delete(entry);
    };
  }

  stop(): void {
    if (this.#state === 'stopped' || (this.#state === 'orphaned' && this.#settings.exit)) return;
    this.#state = 'stopped';
    this.#release();
    this.#onStopped();
    log('stopped');
  }

  [Symbol.dispose](): void {
    this.stop();
  }

  arm(): void {
    const s = this.#settings;
    const ppid = this.#target.capturedPpid;
    const decision = decideArming({
      ...s,
      platform: process.platform,
      builtins: canLoadBuiltins(),
      mainThread: isMainThread(),
      ppid,
      parentRunning: () => s.parentPid !== null && isRunning(s.parentPid),
      ppidRunning: () => this.#light?.parentRanAtStart ?? isRunning(ppid),
      // Walked from the ppid captured at start: at preload when taking over, so a supervisor that died since is seen.
      chain: () =>
        s.wrappers === false
          ? null
          : this.#light?.chain !== undefined
            ? this.#light.chain
            : walkChain(ppid, s.wrappers),
      parentElsewhere: () => inOtherPidNamespace(s.parentPidNs),
    });
    log('arming: %s (%s)', decision.code, decision.message);
    if (decision.warn) warnOnce(decision.message);
    if (decision.code === 'parent-gone-at-start') {
      const lost = s.parentPid ?? ppid;
      setImmediate(() => this.#orphan({ cause: 'parent-gone-at-start', detectedBy: 'arming', lost }));
      return;
    }
    if (!decision.watch) {
      this.#state = 'disabled';
      this.#reason = decision.message;
      this.#reasonCode = decision.code;
      return;
    }
    const byLiveness = platformFacts().parentDeath === 'liveness';
    // Watched by its liveness: the expected parent or the supervisor behind wrappers; on Windows, the parent in any case.
    const watched = byLiveness ? { pid: s.parentPid ?? ppid } : decision.expected;
    if (watched !== null) {
      this.#target.expected = watched.startTime === undefined ? (readStat(watched.pid) ?? watched) : watched;
      // The light watcher saw it gone: it stays gone, whatever its pid names by now.
      if (byLiveness && this.#light?.detectedBy === 'poll') this.#target.expectedGone = true;
    }
    const pipeFd = Hints.pipeFd(s, ppid);
    if (s.thread) this.#startThread(pipeFd);
    if (!this.#worker) this.#startTimer();
    this.#hints.start(s);
    if (pipeFd !== null && !this.#worker) this.#hints.pipe(pipeFd);
    log('armed: interval %s, grace %s, thread %s', formatMs(s.intervalMs), formatMs(s.graceMs), this.thread);
    // Taking over from the preload's light watcher: check against the ppid it captured at start (the
    // parent may have gone since, or the light watcher saw it go and handed over for the verdict) — after
    // the caller's synchronous code, so that hooks registered right after watchParent() still run.
    const by = this.#light === undefined ? undefined : (this.#light.detectedBy ?? 'arming');
    // Handed over on stdin's end, a verdict already, with descendants to take down: the orphan path now, in
    // the call that ended stdin's wait (maybe the application's own process.exit, which waits on it).
    if (by === 'stdin') this.#onStdinEnd();
    else if (by !== undefined) setImmediate(() => this.#check(by));
  }

  #startTimer(): void {
    this.#timer = setInterval(() => this.#check('poll'), this.#settings.intervalMs);
    this.#timer.unref();
  }

  #startThread(pipeFd: number | null): void {
    const data = watchdogData(this.#settings, this.#target, pipeFd);
    const worker = startWatchdog(
      data,
      ({ cause, currentParentPid, detectedAt }) =>
        this.#orphan({ cause, detectedBy: 'thread', currentParentPid, detectedAt, lineWritten: true }),
      () => {
        if (this.#state !== 'watching' || this.#worker !== worker) return;
        log('watchdog thread ended unexpectedly: falling back to the main-loop timer');
        this.#worker = undefined;
        this.#flags = undefined;
        this.#startTimer(); // the pipe closed with the thread: the poll is the backstop
      },
    );
    if (worker) {
      this.#worker = worker;
      this.#flags = data.flags;
      if (pipeFd !== null) takePipe(pipeFd); // the thread closes it when it ends
    }
  }

  #check(detectedBy: OrphanEvent['detectedBy']): void {
    if (this.#state !== 'watching') return;
    const cause = checkParent(this.#target);
    if (cause !== null) this.#orphan({ cause, detectedBy });
  }

  /** Stop watching; `leaving`: the process exits next, and what it holds goes with it. */
  #release(leaving = false): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#hints.stop(leaving);
    if (this.#worker && this.#state === 'stopped') {
      this.#worker.postMessage({ type: 'stop' });
      void this.#worker.terminate();
      this.#worker = undefined;
    }
  }

  #orphan(orphaning: Orphaning): void {
    if (this.#state !== 'watching') return;
    const { cause, detectedBy, lost, lineWritten = false } = orphaning;
    const { currentParentPid = process.ppid, detectedAt = Date.now() } = orphaning;
    const flags = this.#flags;
    if (flags && !lineWritten && Atomics.compareExchange(flags, FLAG.orphaned, 0, 1) !== 0) {
      return; // the watchdog claimed it first; its message is on the way
    }
    this.#state = 'orphaned';
    this.#release(this.#settings.exit);
    // stdin's end is a request to leave, with its own exit code.
    const s = { ...this.#settings, exitCode: exitCodeFor(cause, this.#settings.exitCode) };
    const originalParentPid = lost ?? lostParent(cause, this.#target);
    const event: OrphanEvent = { originalParentPid, currentParentPid, detectedAt, cause, detectedBy };
    this.#event = event;
    const raise = announceOrphan({ cause, originalParentPid, currentParentPid, settings: s, lineWritten });
    log('orphaned: %s, detected by %s', cause, detectedBy);
    void runOrphanPath({
      settings: s,
      event,
      reason: orphanReason(cause, originalParentPid, currentParentPid),
      // Only a signal someone asked for has listeners to tell: creating one now would slow the exit.
      controller: this.#controller,
      hooks: [...this.#hooks].map(({ hook }) => hook),
      raise,
      beforeExit: () => {
        if (flags) Atomics.store(flags, FLAG.done, 1);
      },
      // Not on a path that exits in this tick: the watchdog stays asleep, which spares the exit its wake-up.
      beforeWaiting: tellWatchdog(this.#worker, lineWritten, detectedAt),
    });
  }
}
