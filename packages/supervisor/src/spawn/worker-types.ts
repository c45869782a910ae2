/** The types of {@link spawnWorker}'s options and of the worker it returns. */
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import type { spawnWorker } from './worker.js';

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
  /**
   * Arm a Node.js worker that loads no watcher itself: when `command` is Node (`process.execPath` or
   * `node`), start it with `--require <absolute path of @lifeline/parent-watch/register>` before `args`
   * (unless `args` or `NODE_OPTIONS` name one of Lifeline's preloads, or `enabled` is `false`).
   * Not the default: a worker that calls `watchParent(options)` itself would keep the preload's settings.
   * @default false
   */
  arm?: boolean;
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
