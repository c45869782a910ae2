import { warnOnce } from '@lifeline/core/diag';
import { DELAY, WINDOW, durationArg, formatMs } from '@lifeline/core/duration';
import { invalidArgType, invalidArgValue, optionsObject, outOfRange } from '@lifeline/core/errors';
import { signalArg } from '@lifeline/core/signals';
import { SupervisorImpl } from './supervisor.js';
import type { RestartPolicy, SuperviseOptions, Supervisor, WorkerSpec } from './supervisor-types.js';
import { DEFAULT_STOP_GRACE_MS } from './worker.js';

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
 * @param options - when to restart, with what backoff and cap, and how to stop: see {@link SuperviseOptions}.
 * @throws {TypeError} `ERR_INVALID_ARG_TYPE` when `spec` or an option has the wrong type (`restart: 5`, and
 *   `null` for any option: only `undefined` means the default); `ERR_INVALID_ARG_VALUE` for an unknown option key.
 * @throws {RangeError} `ERR_INVALID_ARG_VALUE` (a bad `restart` policy, duration or `stopSignal`) or
 *   `ERR_OUT_OF_RANGE` (`factor` < 1, `maxRestarts` < 0, `maxDelay` below `initialDelay`).
 * @example
 * ```ts
 * const sup = supervise({ command: 'node', args: ['server.js'] }, { restart: 'on-failure', maxRestarts: 3 });
 * sup.on('restart', ({ attempt, delayMs }) => console.log(`restart #${attempt} in ${delayMs}ms`));
 * sup.on('give-up', ({ message }) => console.error(message));
 * // later
 * await sup.stop();
 * ```
 */
export function supervise(spec: WorkerSpec, options?: SuperviseOptions): Supervisor {
  const where = 'supervise';
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec))
    throw invalidArgType(where, 'spec', 'an object { command, args?, options? }', spec);
  if (typeof spec.command !== 'string' || spec.command === '')
    throw invalidArgType(where, 'spec.command', 'a non-empty string', spec.command);
  if (spec.args !== undefined && (!Array.isArray(spec.args) || spec.args.some((a) => typeof a !== 'string'))) {
    throw invalidArgType(where, 'spec.args', 'an array of strings', spec.args);
  }
  if (
    spec.options !== undefined &&
    (spec.options === null || typeof spec.options !== 'object' || Array.isArray(spec.options))
  ) {
    throw invalidArgType(where, 'spec.options', 'spawnWorker options (an object)', spec.options);
  }
  const o = optionsObject(where, 'options', options, SUPERVISE_OPTION_KEYS);
  // Only `undefined` means "the default": `null` is a wrong type here as for every other option.
  const restart = o.restart === undefined ? 'on-failure' : o.restart;
  const policies = `one of ${POLICIES.map((p) => `"${p}"`).join(', ')}`;
  if (typeof restart !== 'string') throw invalidArgType(where, 'options.restart', policies, restart);
  if (!POLICIES.includes(restart)) throw invalidArgValue(where, 'options.restart', policies, restart);
  const duration = (name: keyof SuperviseOptions, fallback: number, rule = DELAY): number =>
    durationArg(where, `options.${name}`, o[name], rule, fallback, warnOnce);
  const initialDelay = duration('initialDelay', 500);
  const maxDelay = duration('maxDelay', 30_000);
  if (maxDelay < initialDelay) {
    // Blame the option the caller wrote: a lone initialDelay above the default maxDelay is the mistake.
    if (o.maxDelay === undefined)
      throw outOfRange(where, 'options.initialDelay', `at most maxDelay (${formatMs(maxDelay)})`, o.initialDelay);
    throw outOfRange(where, 'options.maxDelay', `at least initialDelay (${formatMs(initialDelay)})`, maxDelay);
  }
  const factor = o.factor === undefined ? 2 : o.factor;
  if (typeof factor !== 'number') throw invalidArgType(where, 'options.factor', 'a number', factor);
  if (!Number.isFinite(factor) || factor < 1) throw outOfRange(where, 'options.factor', 'a finite number ≥ 1', factor);
  const maxRestarts = o.maxRestarts === undefined ? 5 : o.maxRestarts;
  if (typeof maxRestarts !== 'number') throw invalidArgType(where, 'options.maxRestarts', 'a number', maxRestarts);
  if (!(maxRestarts === Number.POSITIVE_INFINITY || (Number.isSafeInteger(maxRestarts) && maxRestarts >= 0))) {
    throw outOfRange(where, 'options.maxRestarts', 'a non-negative integer or Infinity', maxRestarts);
  }
  const windowMs = duration('window', 60_000, WINDOW);
  const resetAfter = duration('resetAfter', 10_000);
  const grace = duration('grace', DEFAULT_STOP_GRACE_MS);
  // The rule of WorkerProcess.stop(), applied now: a bad signal must not surface only at stop time.
  const stopSignal = signalArg(where, 'options.stopSignal', o.stopSignal, 'SIGTERM');
  return new SupervisorImpl(spec, {
    restart,
    initialDelay,
    maxDelay,
    factor,
    maxRestarts,
    windowMs,
    resetAfter,
    grace,
    stopSignal,
  });
}

const SUPERVISE_OPTION_KEYS = [
  'restart',
  'initialDelay',
  'maxDelay',
  'factor',
  'maxRestarts',
  'window',
  'resetAfter',
  'grace',
  'stopSignal',
] as const;
