import { EventEmitter } from 'node:events';
import { createLogger, writeLine } from '@lifeline/core/diag';
import { formatMs } from '@lifeline/core/duration';
import { clampDelay } from '@lifeline/core/timers';
import type {
  RestartPolicy,
  Supervisor,
  SupervisorExitEvent,
  SupervisorGiveUpEvent,
  SupervisorRestartEvent,
  SupervisorState,
  WorkerSpec,
} from './supervisor-types.js';
import { resolveStopOptions, startWorker, type StopOptions, type WorkerExit, type WorkerProcess } from './worker.js';

const debug = createLogger('supervisor');

/** Validated options of {@link supervise}. @internal */
export interface Resolved {
  restart: RestartPolicy;
  initialDelay: number;
  maxDelay: number;
  factor: number;
  maxRestarts: number;
  windowMs: number;
  resetAfter: number;
  grace: number;
  stopSignal: NodeJS.Signals;
}

/** The supervisor behind {@link supervise}. @internal */
export class SupervisorImpl extends EventEmitter implements Supervisor {
  #state: SupervisorState = 'running';
  #worker: WorkerProcess | undefined;
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
  get worker(): WorkerProcess | undefined {
    return this.#worker;
  }
  get restarts(): number {
    return this.#restarts;
  }

  #spawn(first: boolean): void {
    this.#timer = undefined;
    let worker: WorkerProcess;
    try {
      worker = startWorker(
        'supervise',
        'spec.options',
        this.spec.command,
        this.spec.args ?? [],
        this.spec.options ?? {},
      );
    } catch (error) {
      if (first) throw error; // bad spec: supervise() throws
      // A synchronous spawn failure on a restart: no worker to wait for, so give up rather than throw from a timer.
      const exit: WorkerExit = { code: null, signal: null, error: error as Error };
      const message = `gave up restarting ${JSON.stringify(this.spec.command)}: ${describeExit(exit)}`;
      this.#end('gave-up');
      if (this.listenerCount('give-up') === 0) writeLine(message);
      this.emit('give-up', {
        message,
        restartsInWindow: this.#restartTimes.length,
        windowMs: this.opts.windowMs,
        exit,
      } satisfies SupervisorGiveUpEvent);
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

  #onExit(worker: WorkerProcess, exit: WorkerExit, uptimeMs: number): void {
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
        `gave up restarting ${JSON.stringify(this.spec.command)}: ${this.#restartTimes.length} restart(s) ` +
        `within ${formatMs(this.opts.windowMs)} reached maxRestarts=${this.opts.maxRestarts} (last exit: ${describeExit(exit)})`;
      debug(message);
      const event: SupervisorGiveUpEvent = {
        message,
        restartsInWindow: this.#restartTimes.length,
        windowMs: this.opts.windowMs,
        exit,
      };
      this.#end('gave-up');
      if (this.listenerCount('give-up') === 0) writeLine(message);
      this.emit('give-up', event);
      return;
    }
    this.#attempt++;
    this.#restarts++;
    this.#restartTimes.push(now);
    const delayMs = clampDelay(
      Math.min(this.opts.maxDelay, this.opts.initialDelay * this.opts.factor ** (this.#attempt - 1)),
    );
    this.#state = 'backoff';
    debug('restart #%d of %s in %s after %s', this.#attempt, this.spec.command, formatMs(delayMs), describeExit(exit));
    this.emit('restart', {
      attempt: this.#attempt,
      delayMs,
      restartsInWindow: this.#restartTimes.length,
      exit,
    } satisfies SupervisorRestartEvent);
    if (this.#stopRequested) return; // a listener called stop()
    this.#timer = setTimeout(() => this.#spawn(false), delayMs);
  }

  #end(state: SupervisorState): void {
    this.#state = state;
    this.#finish(state);
  }

  stop(options?: StopOptions): Promise<void> {
    // Validated before anything changes: a bad option throws and the supervisor goes on as it was.
    const { graceMs, signal } = resolveStopOptions('Supervisor.stop', options, this.opts.grace, this.opts.stopSignal);
    if (this.#stopPromise) return this.#stopPromise;
    if (this.#state === 'exited' || this.#state === 'gave-up' || this.#state === 'stopped') return Promise.resolve();
    this.#stopRequested = true;
    this.#state = 'stopping';
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const worker = this.#worker;
    this.#stopPromise = (async () => {
      try {
        if (worker && worker.exitStatus === undefined) await worker.stop({ grace: graceMs, signal });
      } finally {
        // Whatever happened to the teardown, `finished` settles.
        this.#end('stopped');
      }
    })();
    return this.#stopPromise;
  }
}

function describeExit(exit: WorkerExit): string {
  if (exit.error) return `not started: ${exit.error.message}`;
  if (exit.signal) return `signal ${exit.signal}`;
  return `code ${exit.code}`;
}
