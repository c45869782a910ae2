import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createLogger, warnOnce } from '@lifeline/core/diag';
import { DELAY, durationArg } from '@lifeline/core/duration';
import { invalidArgType, optionsObject } from '@lifeline/core/errors';
import { isRunning as pidIsRunning } from '@lifeline/core/proc/state';
import { signalArg } from '@lifeline/core/signals';
import { delay, pollUntil } from '@lifeline/core/timers';
import { groupAlive, signalGroup } from './group.js';
import { handshake } from './handshake.js';
import { holdLifelinePipe } from './pipe.js';

const debug = createLogger('supervisor');

/** Default grace period of {@link WorkerProcess.stop}: 5 s. */
export const DEFAULT_STOP_GRACE_MS = 5000;
/** How long `stop()` waits for the group to vanish after SIGKILL before it resolves anyway. */
const AFTER_KILL_MS = 2000;

/**
 * Options of {@link spawnWorker}: every option of `child_process.spawn` except `detached` (a worker
 * always gets its own process group), plus the watcher settings handed to the worker through its
 * environment (read by `@lifeline/parent-watch` in the worker, and by LocalAI's own backends for the
 * two `LOCALAI_*` ones).
 */
export interface SpawnWorkerOptions extends Omit<SpawnOptions, 'detached'> {
  /**
   * The worker's parent-watch poll interval, passed as `LOCALAI_BACKEND_PARENT_WATCH_INTERVAL`:
   * milliseconds as a number or a duration string (`'500ms'`). Must be positive
   * (`ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` otherwise); values outside [10 ms, 2147483647 ms]
   * are clamped into it with a warning, as everywhere.
   * @default not set (the worker's watcher uses its own default, 2 s)
   */
  interval?: number | string;
  /**
   * Switch the worker's parent watch on or off, passed as `LOCALAI_BACKEND_PARENT_WATCH=true|false`.
   * @default not set (the worker's watcher is on)
   */
  enabled?: boolean;
  /**
   * The worker's cleanup deadline once orphaned, passed as `LIFELINE_PARENT_WATCH_GRACE`: milliseconds
   * or a duration string, zero or more.
   * @default not set (the worker's watcher uses its own default, 3 s)
   */
  grace?: number | string;
  /**
   * Make the worker watch from a thread (survives a blocked event loop), passed as
   * `LIFELINE_PARENT_WATCH_THREAD=true|false`.
   * @default not set (off)
   */
  thread?: boolean;
  /**
   * Make the orphaned worker raise this signal on itself instead of exiting, so its own graceful
   * shutdown runs, passed as `LIFELINE_PARENT_WATCH_RAISE`. A signal the app can handle (not SIGKILL/SIGSTOP).
   * @default not set (the worker exits)
   */
  raise?: NodeJS.Signals;
  /**
   * Give the worker a lifeline pipe (one more stdio entry, whatever `stdio` is; its number is passed as
   * `LIFELINE_PARENT_FD`): when this process dies, the worker's watcher knows within milliseconds instead
   * of one poll interval. `false` leaves it out (and removes an inherited `LIFELINE_PARENT_FD`).
   * @default true
   */
  lifelinePipe?: boolean;
}

/** How a worker ended. */
export interface WorkerExit {
  /** The exit code, or `null` when it died of a signal or could not be started. */
  code: number | null;
  /** The signal that ended it, or `null`. */
  signal: NodeJS.Signals | null;
  /** Set when the worker could not be started at all (e.g. `ENOENT`: command not found). */
  error?: Error;
}

/** Options of {@link WorkerProcess.stop}. */
export interface StopOptions {
  /**
   * How long to wait after the first signal before SIGKILLing the group: milliseconds or a duration
   * string, zero or more (`ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` otherwise).
   * @default 5000
   */
  grace?: number | string;
  /**
   * The first signal sent to the worker's process group: a name from `os.constants.signals`
   * (`ERR_INVALID_ARG_VALUE` otherwise).
   * @default 'SIGTERM'
   */
  signal?: NodeJS.Signals;
}

/** A worker process started by {@link spawnWorker}. */
export interface WorkerProcess {
  /** The worker's pid, which is also its process group id; `undefined` when it could not be started. */
  readonly pid: number | undefined;
  /** The underlying `ChildProcess`. */
  readonly child: ChildProcess;
  /** Resolves when the worker (the group leader) has exited, or could not be started. Never rejects. */
  readonly exited: Promise<WorkerExit>;
  /** How the worker ended, once it has; `undefined` before. */
  readonly exitStatus: WorkerExit | undefined;
  /** Whether the worker is running: started, not exited and not a zombie (read from `/proc` on Linux). */
  isRunning(): boolean;
  /**
   * Take the worker's whole process group down: send `signal` to the group, wait up to `grace` for the
   * group to be empty, then SIGKILL the group. Resolves with the leader's exit when it has exited
   * (and the group is empty, or did not empty within 2 s of the SIGKILL). Calling it again returns the
   * same promise. Processes that left the group (`setsid`, `setpgid`) are not reached. Invalid options
   * throw synchronously (`ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`) and start nothing.
   */
  stop(options?: StopOptions): Promise<WorkerExit>;
}

/**
 * Start a worker like `child_process.spawn` (same options), but in its own process group, with
 * `LIFELINE_PARENT_PID` set to this process's pid so that a Lifeline watcher in the worker can tell at
 * arming time whether its supervisor is already gone, and, when given, every watcher setting passed in
 * the worker's environment: `interval`, `enabled`, `grace`, `thread` and `raise`; and a lifeline pipe
 * (`LIFELINE_PARENT_FD`) that tells the worker within milliseconds when this process dies.
 *
 * The worker is started with `detached: true`: on Unix it is the leader of a new session and process
 * group (so it has no controlling terminal and a Ctrl-C in the terminal does not reach it). `stop()`
 * signals the whole group: the worker and every descendant that did not move to another group. A
 * descendant that calls `setsid()`/`setpgid()` (a daemonizing program) escapes the teardown. On
 * Windows there are no process groups and no catchable SIGTERM: `stop()` reaches only the worker, which
 * Node ends at once with `TerminateProcess` (no handler runs, the grace is not waited for; its own
 * non-detached Node children end with it), and `detached` keeps it out of this process's job object.
 *
 * A worker that cannot be started (command not found) does not throw: `pid` is `undefined` and
 * `exited` resolves with `error` set.
 *
 * @param command - the program to run.
 * @param args - its arguments. @default []
 * @param options - `child_process.spawn` options plus `interval`, `enabled`, `grace` and `thread`.
 * @throws {TypeError} `ERR_INVALID_ARG_TYPE` when an argument or option has the wrong type.
 * @throws {RangeError} `ERR_INVALID_ARG_VALUE` when an option's value is not usable.
 * @example
 * ```ts
 * const worker = spawnWorker('python3', ['backend.py'], { stdio: 'inherit', interval: '1s' });
 * // …
 * const { code, signal } = await worker.stop({ grace: '3s' });
 * ```
 */
export function spawnWorker(command: string, args: readonly string[] = [], options: SpawnWorkerOptions = {}): WorkerProcess {
  const where = 'spawnWorker';
  if (typeof command !== 'string' || command === '') throw invalidArgType(where, 'command', 'a non-empty string', command);
  if (!Array.isArray(args) || args.some((arg) => typeof arg !== 'string')) throw invalidArgType(where, 'args', 'an array of strings', args);
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw invalidArgType(where, 'options', 'an object', options);
  const { spawnOptions, childEnv, lifelineFd } = handshake(where, options);
  const child = spawn(command, [...args], { ...spawnOptions, env: childEnv, detached: true });
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
    const { graceMs, signal } = resolveStopOptions('stop', stopOptions, DEFAULT_STOP_GRACE_MS, 'SIGTERM');
    stopping ??= teardown(graceMs, signal);
    return stopping;
  };

  const gone = (): boolean => exitStatus !== undefined && (pid === undefined || !groupAlive(pid));

  async function teardown(graceMs: number, signal: NodeJS.Signals): Promise<WorkerExit> {
    if (pid === undefined) return exited;
    const deadline = Date.now() + graceMs;
    if (!gone()) {
      debug('stop pid %s: %s to the group, grace %dms', pid, signal, graceMs);
      send(pid, signal);
      // Event-driven for the leader, then polled for the rest of the group.
      await Promise.race([exited, delay(graceMs, true)]);
      if (exitStatus !== undefined) await pollUntil(() => !groupAlive(pid), Math.max(0, deadline - Date.now()));
      if (!gone()) {
        debug('stop pid %s: grace over, SIGKILL to the group', pid);
        send(pid, 'SIGKILL');
        await exited;
        await pollUntil(() => !groupAlive(pid), AFTER_KILL_MS);
      }
    }
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
