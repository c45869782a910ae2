import { EventEmitter } from 'node:events';
import createDebug from 'debug';
import { clampDelay, durationOption } from '../options/duration.js';
import { spawnWorker, type SpawnWorkerOptions, type StopOptions, type Worker, type WorkerExit } from './worker.js';

const debug = createDebug('lifeline:supervise');

/**
 * When to start the worker again after it exited:
 * - `'on-failure'`: after a non-zero exit code, a death by signal (SIGKILL from the OOM killer
 *   included) or a failure to start;
 * - `'always'`: after any exit, including code 0;
 * - `'never'`: never.
 */
export type RestartPolicy = 'on-failure' | 'always' | 'never';

/** What to run: the arguments of {@link spawnWorker}. */
export interface WorkerSpec {
  /** The program to run. */
  command: string;
  /** Its arguments. @default [] */
  args?: readonly string[];
  /** Spawn options, as for {@link spawnWorker}. @default {} */
  options?: SpawnWorkerOptions;
}

/** Options of {@link supervise}. Durations are milliseconds or duration strings (`'500ms'`). */
export interface SuperviseOptions {
  /** When to restart the worker. @default 'on-failure' */
  restart?: RestartPolicy;
  /** Delay before the first restart; it is multiplied by `factor` for each further one. @default 500 */
  initialDelay?: number | string;
  /** The longest delay between restarts. @default 30000 */
  maxDelay?: number | string;
  /** Growth of the delay from one restart to the next (≥ 1). @default 2 */
  factor?: number;
  /** How many restarts are allowed within `window`; one more and the supervisor gives up. `Infinity`: no cap. @default 5 */
  maxRestarts?: number;
  /** The sliding window over which restarts are counted. @default 60000 */
  window?: number | string;
  /** A run at least this long resets the backoff to `initialDelay`. @default 10000 */
  resetAfter?: number | string;
  /** Grace of `stop()`: the time between `stopSignal` and SIGKILL. @default 5000 */
  stopGrace?: number | string;
  /** The first signal `stop()` sends to the worker's group. @default 'SIGTERM' */
  stopSignal?: NodeJS.Signals;
}

/**
 * What a supervisor is doing: `'running'` (a worker is up), `'backoff'` (waiting to restart),
 * `'stopping'`, and the final states `'stopped'` (by `stop()`), `'exited'` (the worker exited and the
 * policy says not to restart) and `'gave-up'` (too many restarts).
 */
export type SupervisorState = 'running' | 'backoff' | 'stopping' | 'stopped' | 'exited' | 'gave-up';

/** Payload of the `'exit'` event. */
export interface SupervisorExitEvent extends WorkerExit {
  /** The worker that exited. */
  worker: Worker;
  /** Whether the exit counts as a failure (non-zero code, a signal, or not started). */
  failure: boolean;
  /** Whether it was ended by the supervisor's own `stop()`. */
  stopped: boolean;
  /** How long it ran, in milliseconds. */
  uptimeMs: number;
}

/** Payload of the `'restart'` event, emitted when a restart is scheduled. */
export interface SupervisorRestartEvent {
  /** 1 for the first restart since the last reset of the backoff, then 2, 3… */
  attempt: number;
  /** The delay before the new worker is spawned, in milliseconds. */
  delayMs: number;
  /** Restarts within the current window, this one included. */
  restartsInWindow: number;
  /** How the previous worker ended. */
  exit: WorkerExit;
}

/** Payload of the `'give-up'` event. */
export interface SupervisorGiveUpEvent {
  /** A sentence saying why, e.g. `gave up restarting "node": 5 restarts within 60s …`. */
  message: string;
  /** Restarts within the window when giving up. */
  restartsInWindow: number;
  /** The window, in milliseconds. */
  windowMs: number;
  /** How the last worker ended. */
  exit: WorkerExit;
}

/** The events of a {@link Supervisor} and their payloads. */
export interface SupervisorEvents {
  /** A worker was started (the first one, and each restart). */
  spawn: [worker: Worker];
  /** A worker exited. */
  exit: [event: SupervisorExitEvent];
  /** A restart was scheduled after the backoff delay. */
  restart: [event: SupervisorRestartEvent];
  /** The restart cap was reached: no more restarts. Printed to stderr when nobody listens. */
  'give-up': [event: SupervisorGiveUpEvent];
}

/** A running supervisor; see {@link supervise}. */
export interface Supervisor {
  /** What it is doing now. */
  readonly state: SupervisorState;
  /** The current (or last) worker. */
  readonly worker: Worker | undefined;
  /** Restarts so far, in total. */
  readonly restarts: number;
  /** Resolves with the final state (`'stopped'`, `'exited'` or `'gave-up'`) once reached. */
  readonly finished: Promise<SupervisorState>;
  /** Listen to an event. */
  on<K extends keyof SupervisorEvents>(event: K, listener: (...args: SupervisorEvents[K]) => void): this;
  /** Listen to an event once. */
  once<K extends keyof SupervisorEvents>(event: K, listener: (...args: SupervisorEvents[K]) => void): this;
  /** Remove a listener. */
  off<K extends keyof SupervisorEvents>(event: K, listener: (...args: SupervisorEvents[K]) => void): this;
  /**
   * Stop supervising: cancel a pending restart and take the worker's group down (`stopSignal`, then
   * SIGKILL after `stopGrace`, or the values given here). Resolves when the worker has exited.
   */
  stop(options?: StopOptions): Promise<void>;
}

const POLICIES: readonly RestartPolicy[] = ['on-failure', 'always', 'never'];

/**
 * Keep a worker running: spawn it with {@link spawnWorker}, and when it exits restart it according to
 * `restart`, after an exponential backoff (`initialDelay` × `factor`^n, capped at `maxDelay`), until
 * more than `maxRestarts` restarts would fall within `window`: then emit `'give-up'` and stop trying.
 * A worker killed by a signal — SIGKILL from the OOM killer included — is a failure and is restarted
 * under `'on-failure'`; a worker ended by `stop()` is not.
 *
 * The first worker is spawned synchronously; its `'spawn'` event is emitted on the next tick so that
 * listeners attached right after `supervise()` see it. The backoff timer is not unref'd: a supervisor
 * waiting to restart its worker keeps the process alive, until `stop()`.
 *
 * @param spec - what to run.
 * @param options - restart policy, backoff and cap.
 * @example
 * ```ts
 * const sup = supervise({ command: 'node', args: ['server.js'] }, { restart: 'on-failure', maxRestarts: 3 });
 * sup.on('restart', ({ attempt, delayMs }) => console.log(`restart #${attempt} in ${delayMs}ms`));
 * sup.on('give-up', ({ message }) => console.error(message));
 * // later
 * await sup.stop();
 * ```
 */
export function supervise(spec: WorkerSpec, options: SuperviseOptions = {}): Supervisor {
  if (spec === null || typeof spec !== 'object') throw new TypeError('Invalid spec: expected { command, args?, options? }');
  if (typeof spec.command !== 'string' || spec.command === '') throw new TypeError('Invalid spec.command: expected a non-empty string');
  if (spec.args !== undefined && (!Array.isArray(spec.args) || spec.args.some((a) => typeof a !== 'string'))) {
    throw new TypeError('Invalid spec.args: expected an array of strings');
  }
  if (options === null || typeof options !== 'object') throw new TypeError('Invalid options: expected an object');
  const restart = options.restart ?? 'on-failure';
  if (!POLICIES.includes(restart)) {
    throw new RangeError(`Invalid restart: ${JSON.stringify(restart)}; expected one of ${POLICIES.map((p) => `"${p}"`).join(', ')}`);
  }
  const initialDelay = durationOption('initialDelay', options.initialDelay, 500);
  const maxDelay = durationOption('maxDelay', options.maxDelay, 30_000);
  if (maxDelay < initialDelay) throw new RangeError(`Invalid maxDelay: ${maxDelay}ms is below initialDelay (${initialDelay}ms)`);
  const factor = options.factor ?? 2;
  if (typeof factor !== 'number') throw new TypeError(`Invalid factor: expected a number, got ${typeof factor}`);
  if (!Number.isFinite(factor) || factor < 1) throw new RangeError(`Invalid factor: ${factor} must be a finite number ≥ 1`);
  const maxRestarts = options.maxRestarts ?? 5;
  if (typeof maxRestarts !== 'number') throw new TypeError(`Invalid maxRestarts: expected a number, got ${typeof maxRestarts}`);
  if (!(maxRestarts === Number.POSITIVE_INFINITY || (Number.isSafeInteger(maxRestarts) && maxRestarts >= 0))) {
    throw new RangeError(`Invalid maxRestarts: ${maxRestarts} must be a non-negative integer or Infinity`);
  }
  const windowMs = durationOption('window', options.window, 60_000, 1);
  const resetAfter = durationOption('resetAfter', options.resetAfter, 10_000);
  const stopGrace = durationOption('stopGrace', options.stopGrace, 5000);
  const stopSignal = options.stopSignal ?? 'SIGTERM';
  if (typeof stopSignal !== 'string') throw new TypeError('Invalid stopSignal: expected a signal name');

  return new SupervisorImpl(spec, { restart, initialDelay, maxDelay, factor, maxRestarts, windowMs, resetAfter, stopGrace, stopSignal });
}

interface Resolved {
  restart: RestartPolicy;
  initialDelay: number;
  maxDelay: number;
  factor: number;
  maxRestarts: number;
  windowMs: number;
  resetAfter: number;
  stopGrace: number;
  stopSignal: NodeJS.Signals;
}

class SupervisorImpl extends EventEmitter implements Supervisor {
  #state: SupervisorState = 'running';
  #worker: Worker | undefined;
  #restarts = 0;
  #attempt = 0;
  #restartTimes: number[] = [];
  #timer: NodeJS.Timeout | undefined;
  #stopRequested = false;
  #stopPromise: Promise<void> | undefined;
  #finish!: (state: SupervisorState) => void;
  readonly finished: Promise<SupervisorState>;

  constructor(
    private readonly spec: WorkerSpec,
    private readonly opts: Resolved,
  ) {
    super();
    this.finished = new Promise((resolve) => {
      this.#finish = resolve;
    });
    this.#spawn(true);
  }

  get state(): SupervisorState {
    return this.#state;
  }
  get worker(): Worker | undefined {
    return this.#worker;
  }
  get restarts(): number {
    return this.#restarts;
  }

  #spawn(first: boolean): void {
    this.#timer = undefined;
    let worker: Worker;
    try {
      worker = spawnWorker(this.spec.command, this.spec.args ?? [], this.spec.options ?? {});
    } catch (error) {
      if (first) throw error; // bad spec: supervise() throws
      // A synchronous spawn failure on a restart: no worker to wait for, so give up rather than throw from a timer.
      const exit: WorkerExit = { code: null, signal: null, error: error as Error };
      const message = `lifeline: gave up restarting ${JSON.stringify(this.spec.command)}: ${describeExit(exit)}`;
      this.#end('gave-up');
      if (this.listenerCount('give-up') === 0) process.stderr.write(`${message}\n`);
      this.emit('give-up', { message, restartsInWindow: this.#restartTimes.length, windowMs: this.opts.windowMs, exit } satisfies SupervisorGiveUpEvent);
      return;
    }
    const startedAt = Date.now();
    this.#worker = worker;
    this.#state = 'running';
    debug('spawned %s (pid %s)', this.spec.command, worker.pid);
    if (first) process.nextTick(() => this.emit('spawn', worker));
    else this.emit('spawn', worker);
    void worker.exited.then((exit) => this.#onExit(worker, exit, Date.now() - startedAt));
  }

  #onExit(worker: Worker, exit: WorkerExit, uptimeMs: number): void {
    const failure = exit.error !== undefined || exit.code !== 0 || exit.signal !== null;
    const stopped = this.#stopRequested;
    this.emit('exit', { ...exit, worker, failure, stopped, uptimeMs } satisfies SupervisorExitEvent);
    if (stopped) return; // stop() settles the state
    const { restart } = this.opts;
    if (restart === 'never' || (restart === 'on-failure' && !failure)) {
      this.#end('exited');
      return;
    }
    const now = Date.now();
    if (uptimeMs >= this.opts.resetAfter) this.#attempt = 0;
    this.#restartTimes = this.#restartTimes.filter((t) => now - t < this.opts.windowMs);
    if (this.#restartTimes.length >= this.opts.maxRestarts) {
      const message =
        `lifeline: gave up restarting ${JSON.stringify(this.spec.command)}: ${this.#restartTimes.length} restart(s) ` +
        `within ${this.opts.windowMs}ms reached maxRestarts=${this.opts.maxRestarts} (last exit: ${describeExit(exit)})`;
      debug(message);
      const event: SupervisorGiveUpEvent = { message, restartsInWindow: this.#restartTimes.length, windowMs: this.opts.windowMs, exit };
      this.#end('gave-up');
      if (this.listenerCount('give-up') === 0) process.stderr.write(`${message}\n`);
      this.emit('give-up', event);
      return;
    }
    this.#attempt++;
    this.#restarts++;
    this.#restartTimes.push(now);
    const delayMs = clampDelay(Math.min(this.opts.maxDelay, this.opts.initialDelay * this.opts.factor ** (this.#attempt - 1)));
    this.#state = 'backoff';
    debug('restart #%d of %s in %dms after %s', this.#attempt, this.spec.command, delayMs, describeExit(exit));
    this.emit('restart', { attempt: this.#attempt, delayMs, restartsInWindow: this.#restartTimes.length, exit } satisfies SupervisorRestartEvent);
    if (this.#stopRequested) return; // a listener called stop()
    this.#timer = setTimeout(() => this.#spawn(false), delayMs);
  }

  #end(state: SupervisorState): void {
    this.#state = state;
    this.#finish(state);
  }

  stop(options: StopOptions = {}): Promise<void> {
    if (this.#stopPromise) return this.#stopPromise;
    if (this.#state === 'exited' || this.#state === 'gave-up' || this.#state === 'stopped') return Promise.resolve();
    this.#stopRequested = true;
    this.#state = 'stopping';
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const worker = this.#worker;
    const grace = options.grace ?? this.opts.stopGrace;
    const signal = options.signal ?? this.opts.stopSignal;
    this.#stopPromise = (async () => {
      if (worker && worker.exitStatus === undefined) await worker.stop({ grace, signal });
      this.#end('stopped');
    })();
    return this.#stopPromise;
  }
}

function describeExit(exit: WorkerExit): string {
  if (exit.error) return `not started: ${exit.error.message}`;
  if (exit.signal) return `signal ${exit.signal}`;
  return `code ${exit.code}`;
}
