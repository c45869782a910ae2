import { createLogger, warnOnce } from '@lifeline/core/diag';
import { DELAY, durationArg, formatMs } from '@lifeline/core/duration';
import { invalidArgType, optionsObject } from '@lifeline/core/errors';
import { isRunning as pidIsRunning } from '@lifeline/core/proc/state';
import { signalArg } from '@lifeline/core/signals';
import { terminate } from '@lifeline/core/proc/terminate';
import { groupAlive, signalGroup } from './group.js';
import { armedArgs } from './arm.js';
import { workerLaunch } from './launch.js';
import { holdLifelinePipe } from './pipe.js';
import { startChild } from './start.js';
import type { SpawnWorkerOptions, StopOptions, WorkerExit, WorkerProcess } from './worker-types.js';

const debug = createLogger('supervisor');

/** Default grace period of {@link WorkerProcess.stop}: 5 s. */
export const DEFAULT_STOP_GRACE_MS = 5000;

export type { SpawnWorkerOptions, StopOptions, WorkerExit, WorkerProcess } from './worker-types.js';

/**
 * Start a worker like `child_process.spawn` (same options), but in its own process group, with
 * `LIFELINE_PARENT_PID` set to this process's pid so that a Lifeline watcher in the worker can tell at
 * arming time whether its supervisor is already gone, the watcher settings given as options passed in
 * the worker's environment, and a lifeline pipe (`LIFELINE_PARENT_FD`) that tells the worker within
 * milliseconds when this process dies. `arm: true` starts a Node.js worker with the register preload.
 *
 * The worker is started with `detached: true`: on Unix it is the leader of a new session and process
 * group (so it has no controlling terminal and a Ctrl-C in the terminal does not reach it). `stop()`
 * signals the whole group: the worker and every descendant that did not move to another group. A
 * descendant that calls `setsid()`/`setpgid()` (a daemonizing program) escapes the teardown. On
 * Windows there are no process groups and no catchable SIGTERM: `stop()` reaches only the worker, which
 * Node ends at once with `TerminateProcess` (no handler runs, the grace is not waited for; its own
 * non-detached Node children end with it), and `detached` keeps it out of this process's job object.
 *
 * A worker that cannot be started does not throw, whatever the reason (command not found, permission
 * denied, an argument list or a file name too long: `ENOENT`, `EACCES`, `E2BIG`, `ENAMETOOLONG`…): `pid` is
 * `undefined`, `child` emits `'error'` on the next tick, and `exited` resolves with `error` set.
 *
 * @param command - the program to run.
 * @param args - its arguments. @default []
 * @param options - `child_process.spawn` options (but `detached`) plus Lifeline's own: see
 * {@link SpawnWorkerOptions}. @default {}
 * @throws {TypeError} `ERR_INVALID_ARG_TYPE` when an argument or option has the wrong type (`null` included;
 *   `stdio: 5`).
 * @throws {RangeError} `ERR_INVALID_ARG_VALUE` when an option's value is not usable (`stdio: 'bogus'`);
 *   `ERR_OUT_OF_RANGE` for a `stdio` descriptor that is not an integer of 0 or more.
 * @example
 * ```ts
 * const worker = spawnWorker('python3', ['backend.py'], { stdio: 'inherit', interval: '1s' });
 * const node = spawnWorker('node', ['worker.js'], { arm: true }); // + --require …/register.cjs
 * // …
 * const { code, signal } = await worker.stop({ grace: '3s' });
 * ```
 */
export function spawnWorker(
  command: string,
  args: readonly string[] = [],
  options: SpawnWorkerOptions = {},
): WorkerProcess {
  const where = 'spawnWorker';
  if (typeof command !== 'string' || command === '')
    throw invalidArgType(where, 'command', 'a non-empty string', command);
  if (!Array.isArray(args) || args.some((arg) => typeof arg !== 'string'))
    throw invalidArgType(where, 'args', 'an array of strings', args);
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw invalidArgType(where, 'options', 'an object', options);
  return startWorker(where, 'options', command, args, options);
}

/**
 * {@link spawnWorker} once its arguments are checked; `where` and `name` name the call and the options
 * in messages (`supervise: spec.options.grace …`). @internal
 */
export function startWorker(
  where: string,
  name: string,
  command: string,
  args: readonly string[],
  options: SpawnWorkerOptions,
): WorkerProcess {
  const { spawnOptions, childEnv, lifelineFd, arm } = workerLaunch(where, options, name);
  const argv = arm ? armedArgs(command, args, childEnv) : args;
  const child = startChild(command, [...argv], { ...spawnOptions, env: childEnv, detached: true });
  const pid = child.pid;
  if (lifelineFd !== undefined && pid !== undefined) holdLifelinePipe(child, lifelineFd);
  debug('spawned %s (pid %s)', command, pid);

  let exitStatus: WorkerExit | undefined;
  const exited = new Promise<WorkerExit>((resolve) => {
    child.once('exit', (code, signal) => {
      exitStatus = { code, signal };
      debug('pid %s exited: code %s signal %s', pid, code, signal);
      resolve(exitStatus);
    });
    child.on('error', (error) => {
      // Spawn failures (no 'exit' follows). Later errors (a failed kill) are left to the caller's listeners.
      if (child.pid === undefined && exitStatus === undefined) {
        exitStatus = { code: null, signal: null, error };
        debug('%s could not be started: %s', command, error.message);
        resolve(exitStatus);
      }
    });
  });

  let stopping: Promise<WorkerExit> | undefined;
  const stop = (stopOptions?: StopOptions): Promise<WorkerExit> => {
    const { graceMs, signal } = resolveStopOptions('WorkerProcess.stop', stopOptions, DEFAULT_STOP_GRACE_MS, 'SIGTERM');
    stopping ??= teardown(graceMs, signal);
    return stopping;
  };

  const gone = (): boolean => exitStatus !== undefined && (pid === undefined || !groupAlive(pid));

  async function teardown(graceMs: number, signal: NodeJS.Signals): Promise<WorkerExit> {
    if (pid === undefined) return exited;
    // The group as one target: signalled as a whole, gone when the leader exited and no member is left.
    // The exit event wakes the wait at once; the rest of the group is polled.
    await terminate([{ pid }], {
      graceMs,
      signal,
      alive: () => !gone(),
      send: (target, sig) => {
        if (sig === 'SIGKILL') debug('stop pid %s: grace over, SIGKILL to the group', pid);
        else debug('stop pid %s: %s to the group, grace %s', pid, sig, formatMs(graceMs));
        send(target.pid, sig);
        return true;
      },
      wake: exited,
    });
    return exited;
  }

  return {
    get pid() {
      return pid;
    },
    child,
    exited,
    get exitStatus() {
      return exitStatus;
    },
    isRunning: () => exitStatus === undefined && pid !== undefined && pidIsRunning(pid),
    stop,
  };
}

/**
 * Validate `stop()` options: the one rule for `WorkerProcess.stop`, `supervise`'s defaults and
 * `Supervisor.stop`. Throws `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` naming the option. @internal
 */
export function resolveStopOptions(
  where: string,
  options: StopOptions | undefined,
  defaultGraceMs: number,
  defaultSignal: NodeJS.Signals,
): { graceMs: number; signal: NodeJS.Signals } {
  const checked = optionsObject(where, 'options', options, ['grace', 'signal']);
  return {
    graceMs: durationArg(where, 'options.grace', checked.grace, DELAY, defaultGraceMs, warnOnce),
    signal: signalArg(where, 'options.signal', checked.signal, defaultSignal),
  };
}

function send(pgid: number, signal: NodeJS.Signals): void {
  try {
    signalGroup(pgid, signal);
  } catch (error) {
    debug('signalling group %d with %s failed: %s', pgid, signal, (error as Error).message);
  }
}
