import type { Worker } from 'node:worker_threads';
import { ENV } from '../env/config.js';
import { formatMs } from '../env/duration.js';
import { isRunning, readStat, type ProcStat } from '../proc/stat.js';
import { descendantsOf, hasChildrenFiles, signalAll, stillRunning } from '../proc/tree.js';
import { sharedState, warnOnce } from './global.js';
import { debug, lazyRequire, prefix, writeLine } from './log.js';
import { resolveSettings, type Settings } from './options.js';
import { FLAG, startWatchdog, type WatchdogMessage } from './thread.js';
import type {
  OrphanCause,
  OrphanEvent,
  OrphanHook,
  ParentWatch,
  WatchParentOptions,
  WatchState,
} from './types.js';

/** After an IPC 'disconnect', re-check at these delays (ms): the pipe closes before the kernel reparents. */
const DISCONNECT_RECHECKS = [0, 1, 2, 5, 10, 20, 50, 100, 250, 500, 1000];
/** How often the orphan path looks whether the descendants it signalled are gone. */
const DESCENDANT_POLL_MS = 20;
/** Extra time the watchdog thread gives the main thread after the grace, before it SIGKILLs. */
const WATCHDOG_MARGIN_MS = 250;

/**
 * Arm the parent-death watcher, once per process.
 *
 * Captures `process.ppid` now and compares it on every `interval`; when it changes (the parent died and
 * the kernel reparented this process to init or a subreaper), the worker is orphaned: one line on
 * stderr names the lost and the new parent, `signal` aborts, `onOrphan` hooks run concurrently for at
 * most `grace`, the worker's own descendants get SIGTERM (and SIGKILL at the deadline), then the process
 * exits with `exitCode`. With no hooks and no descendants it exits at once.
 *
 * A second call — also from another copy of this package, ESM beside CJS — returns the same handle;
 * explicit options that conflict with the first call's are reported on stderr. After `stop()`, a new
 * call arms anew.
 *
 * Not armed (state `'disabled'`, see `reason`) when switched off, on Windows, outside the main thread,
 * or when the parent pid is ≤ 1 at arming and no `parentPid`/`LIFELINE_PARENT_PID` says otherwise.
 *
 * @param options - see {@link WatchParentOptions}; explicit options win over the environment.
 * @throws {TypeError | RangeError} when an option is invalid (environment values never throw: they warn).
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
  const shared = sharedState();
  const current = shared.current;
  if (current && current.state !== 'stopped') {
    const conflicts = Object.entries(settings.explicit)
      .filter(([key, value]) => shared.currentOptions?.[key] !== undefined && shared.currentOptions[key] !== value)
      .map(([key, value]) => `${key}: ${String(value)} (armed with ${String(shared.currentOptions?.[key])})`);
    const unseen = Object.keys(settings.explicit).filter((key) => shared.currentOptions?.[key] === undefined);
    if (conflicts.length > 0 || unseen.length > 0) {
      warnOnce(
        `watchParent() is already armed in this process; the first call's settings stay ` +
          `(ignored: ${[...conflicts, ...unseen.map((key) => `${key}: ${String(settings.explicit[key])}`)].join(', ')})`,
      );
    }
    debug('already armed: returning the existing handle');
    return current;
  }
  for (const warning of [...settings.envWarnings, ...settings.optionWarnings]) warnOnce(warning);
  const watcher = new Watcher(settings);
  shared.current = watcher;
  shared.currentOptions = { ...settings.explicit };
  watcher.arm();
  return watcher;
}

class Watcher implements ParentWatch {
  #state: WatchState = 'watching';
  #reason: string | undefined;
  #parentPid = process.ppid;
  readonly #settings: Settings;
  readonly #controller = new AbortController();
  readonly #hooks = new Set<{ hook: OrphanHook }>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #rechecks: ReturnType<typeof setTimeout>[] = [];
  #expected: ProcStat | null = null;
  #worker: Worker | undefined;
  #flags: Int32Array | undefined;
  #event: OrphanEvent | undefined;
  #exiting = false;
  readonly #onDisconnect = (): void => this.#disconnected();

  constructor(settings: Settings) {
    this.#settings = settings;
  }

  get state(): WatchState {
    return this.#state;
  }
  get reason(): string | undefined {
    return this.#reason;
  }
  get parentPid(): number {
    return this.#parentPid;
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
    return this.#controller.signal;
  }

  onOrphan(hook: OrphanHook): () => void {
    if (typeof hook !== 'function') {
      throw new TypeError(`onOrphan(hook): hook must be a function, got ${typeof hook}`);
    }
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
    const shared = sharedState();
    if (shared.current === this) {
      shared.current = undefined;
      shared.currentOptions = undefined;
    }
    debug('stopped');
  }

  [Symbol.dispose](): void {
    this.stop();
  }

  arm(): void {
    const s = this.#settings;
    if (!s.enabled) {
      return this.#disable(
        s.enabledFrom === 'option'
          ? 'disabled by the option enabled: false'
          : `disabled by ${ENV.enabled}=${JSON.stringify(process.env[ENV.enabled] ?? '')}`,
      );
    }
    if (process.platform === 'win32') {
      return this.#disable("not supported on Windows: a process's parent pid never changes there when the parent dies");
    }
    if (!isMainThread()) {
      return this.#disable('watchParent() must be called from the main thread (process.exit in a worker ends only the worker)');
    }
    const expected = s.parentPid;
    if (expected !== null) {
      const source = s.parentPidFrom === 'option' ? 'parentPid' : ENV.parentPid;
      if (!isRunning(expected)) {
        debug('expected parent %d (%s) is not running at arming: already orphaned', expected, source);
        setImmediate(() => this.#orphan('parent-gone-at-start', 'arming', process.ppid, Date.now(), false, expected));
        return;
      }
      if (expected !== this.#parentPid) {
        this.#expected = readStat(expected) ?? { pid: expected, comm: '', state: '?', ppid: -1 };
        warnOnce(
          `${source}=${expected} is running but is not this process's parent (ppid ${this.#parentPid}): ` +
            `a wrapper in between? Watching both the parent pid and process ${expected}`,
        );
      }
    } else if (this.#parentPid <= 1) {
      return this.#disable(
        `the parent pid is ${this.#parentPid} at arming: already orphaned, or started by init / as PID 1 of a ` +
          `container (set ${ENV.parentPid} to the supervisor's pid to watch it)`,
      );
    }
    if (s.thread) this.#startThread();
    if (!this.#worker) this.#startTimer();
    if (typeof process.send === 'function') process.on('disconnect', this.#onDisconnect);
    debug(
      'armed: ppid %d, interval %s, grace %s, thread %s, expected parent %s',
      this.#parentPid,
      formatMs(s.intervalMs),
      formatMs(s.graceMs),
      this.thread,
      expected ?? 'none',
    );
  }

  #disable(reason: string): void {
    this.#state = 'disabled';
    this.#reason = reason;
    debug('not armed: %s', reason);
  }

  #startTimer(): void {
    this.#timer = setInterval(() => this.#check('poll'), this.#settings.intervalMs);
    this.#timer.unref();
  }

  #startThread(): void {
    const s = this.#settings;
    try {
      this.#flags = new Int32Array(new SharedArrayBuffer(8));
      this.#worker = startWatchdog(
        {
          flags: this.#flags,
          pid: process.pid,
          capturedPpid: this.#parentPid,
          expectedPid: this.#expected?.pid ?? null,
          expectedStartTime: this.#expected?.startTime ?? null,
          intervalMs: s.intervalMs,
          graceMs: s.graceMs,
          marginMs: WATCHDOG_MARGIN_MS,
          killDescendants: s.killDescendants,
          childrenFiles: hasChildrenFiles(),
          exit: s.exit,
          exitCode: s.exitCode,
          linePrefix: prefix(),
        },
        (message: WatchdogMessage) => {
          this.#orphan(message.cause, 'thread', message.currentParentPid, message.detectedAt, true);
        },
      );
      this.#worker.once('exit', () => {
        if (this.#state === 'watching' && this.#worker) {
          debug('watchdog thread ended unexpectedly: falling back to the main-loop timer');
          this.#worker = undefined;
          this.#flags = undefined;
          this.#startTimer();
        }
      });
    } catch (error) {
      warnOnce(`the watchdog thread could not start (${(error as Error).message}); watching from the main loop`);
      this.#worker = undefined;
      this.#flags = undefined;
    }
  }

  #disconnected(): void {
    debug('IPC channel disconnected: checking the parent now and shortly after');
    for (const delay of DISCONNECT_RECHECKS) {
      const timer = setTimeout(() => this.#check('ipc-disconnect'), delay);
      timer.unref();
      this.#rechecks.push(timer);
    }
  }

  #check(detectedBy: OrphanEvent['detectedBy']): void {
    if (this.#state !== 'watching') return;
    const ppid = process.ppid;
    if (ppid !== this.#parentPid) {
      this.#orphan('reparented', detectedBy, ppid, Date.now(), false);
    } else if (this.#expected && !stillRunning(this.#expected)) {
      this.#orphan('parent-not-running', detectedBy, ppid, Date.now(), false);
    }
  }

  #release(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    for (const timer of this.#rechecks) clearTimeout(timer);
    this.#rechecks = [];
    process.removeListener('disconnect', this.#onDisconnect);
    if (this.#worker && this.#state === 'stopped') {
      this.#worker.postMessage({ type: 'stop' });
      void this.#worker.terminate();
      this.#worker = undefined;
    }
  }

  #orphan(
    cause: OrphanCause,
    detectedBy: OrphanEvent['detectedBy'],
    currentParentPid: number,
    detectedAt: number,
    lineWritten: boolean,
    lostPid?: number,
  ): void {
    if (this.#state !== 'watching') return;
    const flags = this.#flags;
    if (flags && !lineWritten && Atomics.compareExchange(flags, FLAG.orphaned, 0, 1) !== 0) {
      return; // the watchdog claimed it first; its message is on the way
    }
    this.#state = 'orphaned';
    this.#release();
    const s = this.#settings;
    const original = lostPid ?? (cause === 'reparented' ? this.#parentPid : (this.#expected?.pid ?? this.#parentPid));
    const event: OrphanEvent = { originalParentPid: original, currentParentPid, detectedAt, cause, detectedBy };
    this.#event = event;
    const what =
      cause === 'parent-gone-at-start'
        ? `expected parent process ${original} was already gone when the watcher armed (parent is now ${currentParentPid})`
        : cause === 'parent-not-running'
          ? `expected parent process ${original} is no longer running (direct parent ${currentParentPid})`
          : `parent process ${original} is gone (now reparented to ${currentParentPid})`;
    if (!lineWritten) {
      writeLine(`${prefix()} ${what}; ${s.exit ? `exiting with code ${s.exitCode}` : 'notifying (exit: false)'}`);
    }
    debug('orphaned: %s, detected by %s', cause, detectedBy);
    this.#worker?.postMessage({ type: 'orphaned', detectedAt });

    try {
      this.#controller.abort(new Error(what));
    } catch (error) {
      writeLine(`${prefix()} an abort listener of the orphan signal threw: ${errorText(error)}`);
    }
    void this.#cleanup(event);
  }

  async #cleanup(event: OrphanEvent): Promise<void> {
    const s = this.#settings;
    const hooks = [...this.#hooks].map(({ hook }) => hook);
    const victims = s.exit && s.killDescendants ? descendantsOf(process.pid) : [];
    if (victims.length > 0) {
      debug('SIGTERM to %d descendant(s): %o', victims.length, victims.map((v) => v.pid));
      signalAll(victims, 'SIGTERM');
    }
    if (hooks.length === 0 && victims.length === 0) {
      if (s.exit) this.#exit();
      return;
    }

    const deadlineAt = event.detectedAt + s.graceMs;
    let settled = 0;
    const hooksDone = Promise.all(hooks.map((hook) => runHook(hook, event).then(() => void settled++)));
    const victimsGone = (async () => {
      while (victims.some(stillRunning) && Date.now() < deadlineAt) await delay(DESCENDANT_POLL_MS, s.exit);
    })();
    let deadlineTimer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<'deadline'>((resolve) => {
      deadlineTimer = setTimeout(() => resolve('deadline'), Math.max(0, deadlineAt - Date.now()));
      // Keep the process up until the deadline when it must exit: a hook that never settles must not let
      // the event loop drain and exit with code 0.
      if (!s.exit) deadlineTimer.unref();
    });
    const outcome = await Promise.race([Promise.all([hooksDone, victimsGone]).then(() => 'done' as const), deadline]);
    clearTimeout(deadlineTimer);
    if (outcome === 'deadline' && settled < hooks.length) {
      writeLine(
        `${prefix()} ${hooks.length - settled} onOrphan hook(s) still pending at the grace deadline ` +
          `(${formatMs(s.graceMs)}); ${s.exit ? 'exiting anyway' : 'giving up on them'}`,
      );
    }
    if (s.exit && s.killDescendants) {
      const left = [...victims, ...descendantsOf(process.pid)].filter(stillRunning);
      if (left.length > 0) {
        debug('SIGKILL to %d descendant(s) left at the deadline', left.length);
        signalAll(left, 'SIGKILL');
      }
    }
    if (s.exit) this.#exit();
  }

  #exit(): void {
    if (this.#exiting) return;
    this.#exiting = true;
    if (this.#flags) Atomics.store(this.#flags, FLAG.done, 1);
    debug('exiting with code %d', this.#settings.exitCode);
    process.exit(this.#settings.exitCode);
  }
}

/**
 * Whether this is the main thread, without loading node:worker_threads in the common case: a worker
 * thread always has it loaded already (Node's own bootstrap requires it), the main thread usually not. @internal
 */
function isMainThread(): boolean {
  const loaded = (process as { moduleLoadList?: unknown }).moduleLoadList;
  if (Array.isArray(loaded) && !loaded.includes('NativeModule worker_threads')) return true;
  return (lazyRequire('node:worker_threads') as typeof import('node:worker_threads')).isMainThread;
}

async function runHook(hook: OrphanHook, event: OrphanEvent): Promise<void> {
  try {
    await hook(event);
  } catch (error) {
    writeLine(`${prefix()} an onOrphan hook failed: ${errorText(error)}`);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function delay(ms: number, ref: boolean): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    if (!ref) timer.unref();
  });
}
