import type { ArmingCode } from './arming.js';
import type { EnvLike } from '@lifeline/core/config';
import type { OrphanCause } from '../orphan/verdict.js';

export type { ArmingCode, OrphanCause };

/**
 * Options of {@link watchParent}. Explicit options win over the environment.
 */
export interface WatchParentOptions {
  /**
   * How often to compare `process.ppid` with the pid captured at arming: milliseconds as a number,
   * or a duration string (`'500ms'`, `'2s'`). Throws `TypeError` (`ERR_INVALID_ARG_TYPE`) or `RangeError`
   * (`ERR_INVALID_ARG_VALUE`) when it is not a positive duration; values outside [10, 2147483647] ms are
   * clamped into it with a warning on stderr.
   * @default the value of `LOCALAI_BACKEND_PARENT_WATCH_INTERVAL`, else 2000
   */
  interval?: number | string;
  /**
   * Switch the watcher on or off.
   * @default the value of `LOCALAI_BACKEND_PARENT_WATCH` (off for false/0/no/off), else true
   */
  enabled?: boolean;
  /**
   * The pid of the expected parent (the supervisor). When it is not running at arming, the worker is
   * already orphaned and leaves at once; when it runs but is not `process.ppid` (a wrapper in between),
   * its liveness is also checked on every tick. Must be a pid this system can hand out (≤
   * `/proc/sys/kernel/pid_max`) other than this process's own (`ERR_OUT_OF_RANGE` / `ERR_INVALID_ARG_VALUE`).
   * @default the value of `LIFELINE_PARENT_PID`, else none
   */
  parentPid?: number;
  /**
   * Deadline for the cleanup after the orphaning (hooks, descendants), in milliseconds or as a
   * duration string. The process exits when it passes, whatever is still pending.
   * @default the value of `LIFELINE_PARENT_WATCH_GRACE`, else 3000
   */
  grace?: number | string;
  /**
   * Exit code used when orphaned.
   * @default 1
   */
  exitCode?: number;
  /**
   * Whether to exit when orphaned. `false` only notifies: the stderr line, `signal`, `onOrphan`
   * hooks; no descendants are signalled and the process stays.
   * @default true
   */
  exit?: boolean;
  /**
   * Whether to take the worker's own descendant processes down when orphaned: SIGTERM at once,
   * SIGKILL to those left at the grace deadline. Linux only (read from /proc).
   * @default true on Linux, false elsewhere
   */
  killDescendants?: boolean;
  /**
   * Reuse the application's own graceful shutdown: when orphaned, after its stderr line, raise this
   * signal on the process instead of exiting, so that the handler the app already has (close-with-grace,
   * @godaddy/terminus, a Fastify `close()` on SIGTERM) runs. Hooks, `signal` and descendants work as
   * usual; the grace deadline still holds: a process still there at `detectedAt + grace` has its
   * descendants SIGKILLed and exits with `exitCode`. The code the app exits with by itself stands.
   * When no listener for that signal is installed at the orphaning, the worker exits as usual (raising
   * it would only kill the process by the default action). `SIGKILL`/`SIGSTOP` are refused
   * (`ERR_INVALID_ARG_VALUE`), as are unknown names.
   * @default the value of `LIFELINE_PARENT_WATCH_RAISE`, else none (exit)
   */
  raise?: NodeJS.Signals;
  /**
   * The lifeline pipe: an inherited file descriptor (3 or more) whose other end only the supervisor holds.
   * Its end of file (or an error) — the kernel closes a dying supervisor's descriptors before it
   * reparents the children — makes the watcher check at once and at short delays after, instead of
   * waiting for the next poll: detection in milliseconds at any interval. A hint, never proof: a live
   * supervisor that closes its end does not make the worker leave. Not a pipe or socket, not open, or one
   * of this process's own (the IPC channel, a pipe it also writes to, a socket its event loop watches):
   * one warning, and it is ignored. `false` ignores `LIFELINE_PARENT_FD`, which is honoured only with a
   * `LIFELINE_PARENT_PID` naming this process's parent. `@lifeline/supervisor`'s `spawnWorker` gives
   * every worker one; see the README for the protocol in other languages.
   * @default the value of `LIFELINE_PARENT_FD`, else none
   */
  parentFd?: number | false;
  /**
   * Leave when stdin ends (stdio servers — language servers, MCP servers — are told to leave by their
   * stdin closing, and their host's death closes it too), with cause `'stdin-closed'` and exit code 0.
   * Never steals input: it only listens for the end, so the app receives every byte it reads, and it leaves
   * after the app's own `'end'` listeners and what they queue on the tick and microtask queues (in the
   * event loop's next check phase); an app that never reads stdin never sees its end (the poll and the
   * pipe still work).
   * @default the value of `LIFELINE_PARENT_WATCH_STDIN`, else false
   */
  stdin?: boolean;
  /**
   * Re-check the parent when stdout's or stderr's reader goes away: when either is a pipe or a socket
   * (Node's `spawn` and Python's `Popen(stdout=PIPE)` give one), the supervisor's death closes its read end
   * and the kernel reports it on the write end at once — detection in milliseconds with no lifeline pipe.
   * A hint, never proof: a `| tee` that ends or a supervisor that closes its end on purpose kills nothing.
   * Never reads, writes or reorders the application's output. Linux on Node only (Bun and Deno have no
   * way in; `lifeline doctor` says which hints a process has).
   * @default the value of `LIFELINE_PARENT_WATCH_STDIO`, else true
   */
  stdio?: boolean;
  /**
   * See through pass-through wrappers: when the parent is `npm run`, `npx`, `pnpm run`, `sh -c`, tsx,
   * `timeout`… (the table in the README), also watch the first ancestor that is not one, by pid and start
   * time, so that the worker leaves when that supervisor dies although the wrapper lives on. `false`
   * watches the parent pid alone; an array names more wrappers (program base names, whatever their
   * arguments). Linux only (read from /proc). `ERR_INVALID_ARG_TYPE` for another type,
   * `ERR_INVALID_ARG_VALUE` for a name with a path or a space.
   * @default the value of `LIFELINE_PARENT_WATCH_WRAPPERS`, else true
   */
  wrappers?: boolean | readonly string[];
  /**
   * Watch from a worker thread, so that the orphaning is noticed while the main thread is blocked.
   * @default the value of `LIFELINE_PARENT_WATCH_THREAD`, else false
   */
  thread?: boolean;
  /**
   * The environment the defaults are read from.
   * @default process.env
   */
  env?: EnvLike;
}

/** What a watcher is doing. */
export type WatchState = 'watching' | 'disabled' | 'orphaned' | 'stopped';

/** What `onOrphan` hooks receive. */
export interface OrphanEvent {
  /** The parent pid captured at arming (or the expected `parentPid`, or the supervisor behind wrappers, when that one is gone). */
  originalParentPid: number;
  /** `process.ppid` when the orphaning was detected. */
  currentParentPid: number;
  /** When it was detected (milliseconds since the epoch). */
  detectedAt: number;
  /** Why. */
  cause: OrphanCause;
  /**
   * What noticed it: the poll timer, a check after the IPC 'disconnect', the lifeline pipe's end or the
   * reader of stdout/stderr going away (`'stdio'`), the end of stdin, the watchdog thread, or the arming itself.
   */
  detectedBy: 'poll' | 'ipc-disconnect' | 'pipe' | 'stdio' | 'stdin' | 'thread' | 'arming';
}

/** What the detector tells the watcher's orphan path: the verdict, and what it knows already. @internal */
export interface Orphaning {
  cause: OrphanCause;
  detectedBy: OrphanEvent['detectedBy'];
  /** `process.ppid` at the detection. @default `process.ppid` now */
  currentParentPid?: number;
  /** @default `Date.now()` */
  detectedAt?: number;
  /** The watchdog thread claimed the orphaning and wrote the orphan line itself. @default false */
  lineWritten?: boolean;
  /** The process the worker lost, when the detector names it. @default from the cause and the target */
  lost?: number;
}

/** A cleanup hook; it may be async. Bounded by the grace period. */
export type OrphanHook = (event: OrphanEvent) => void | Promise<void>;

/** The handle {@link watchParent} returns: one per process. */
export interface ParentWatch {
  /** `'watching'`, `'disabled'` (see `reason`), `'orphaned'` or `'stopped'`. */
  readonly state: WatchState;
  /** Why the watcher is disabled (a sentence), or `undefined`. */
  readonly reason: string | undefined;
  /** Why the watcher is disabled, as a code for programs (see {@link ArmingCode}), or `undefined`. */
  readonly reasonCode: ArmingCode | undefined;
  /**
   * The parent pid captured at start (`process.ppid` when the watcher or the register preload armed) — not
   * the `parentPid` option, which names the expected supervisor (behind a wrapper the two differ).
   */
  readonly capturedParentPid: number;
  /** The poll interval in use, in milliseconds. */
  readonly intervalMs: number;
  /** The grace period in use, in milliseconds. */
  readonly graceMs: number;
  /** Whether the watchdog thread is in use. */
  readonly thread: boolean;
  /** Aborted when the worker is orphaned; its `reason` is an `Error` naming the lost parent. */
  readonly signal: AbortSignal;
  /** Run `hook` when orphaned (concurrently with the others, bounded by the grace). Returns an unsubscribe function. */
  onOrphan(hook: OrphanHook): () => void;
  /** Stop watching: timers, listeners and thread are released; a later `watchParent` arms anew. */
  stop(): void;
  /** Same as `stop()`, for `using`. */
  [Symbol.dispose](): void;
}
