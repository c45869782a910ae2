import type { SpawnWorkerOptions, StopOptions, WorkerExit, WorkerProcess } from './worker.js';

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
  grace?: number | string;
  /** The first signal `stop()` sends to the worker's group; validated here (`ERR_INVALID_ARG_VALUE`). @default 'SIGTERM' */
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
  worker: WorkerProcess;
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
  spawn: [worker: WorkerProcess];
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
  readonly worker: WorkerProcess | undefined;
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
   * SIGKILL after `grace`, or the values given here). Resolves when the worker has exited; `finished`
   * then resolves with `'stopped'`. Invalid options throw synchronously and change nothing.
   */
  stop(options?: StopOptions): Promise<void>;
}
