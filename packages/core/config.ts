/**
 * The watcher's settings as read from the environment: the variables, their defaults, and the one
 * reading of each (warn and fall back, never throw).
 */
import { describe } from './errors.js';
import { DELAY, INTERVAL, durationFromEnv } from './duration.js';
import { isPid, pidMax } from './proc/stat.js';
import { UNCATCHABLE, signalName } from './signals.js';
import { readSwitch } from './switch.js';
import { wrappersFromEnv, type WrappersSetting } from './wrappers/setting.js';

/** Environment variables read by Lifeline's watcher. */
export const ENV = {
  /** On/off switch shared with LocalAI's backends. */
  enabled: 'LOCALAI_BACKEND_PARENT_WATCH',
  /** Poll interval shared with LocalAI's backends. */
  interval: 'LOCALAI_BACKEND_PARENT_WATCH_INTERVAL',
  /** The pid of the expected parent, set by `@lifeline/supervisor`'s `spawnWorker`. */
  parentPid: 'LIFELINE_PARENT_PID',
  /** The expected parent's PID namespace (`pid:[…]`): a worker in another one does not judge that pid. */
  parentPidNs: 'LIFELINE_PARENT_PID_NS',
  /** Cleanup deadline after the orphaning. */
  grace: 'LIFELINE_PARENT_WATCH_GRACE',
  /** Watch from a worker thread, so that a blocked event loop does not delay the exit. */
  thread: 'LIFELINE_PARENT_WATCH_THREAD',
  /** Raise this signal on the orphan instead of exiting, so that the app's own graceful shutdown runs. */
  raise: 'LIFELINE_PARENT_WATCH_RAISE',
  /** An inherited file descriptor whose other end only the supervisor holds: its end-of-file is a hint. */
  parentFd: 'LIFELINE_PARENT_FD',
  /** Leave when stdin ends (stdio servers: language servers, MCP servers). */
  stdin: 'LIFELINE_PARENT_WATCH_STDIN',
  /** Seeing through pass-through wrappers (`npm run`, `sh -c`…): a switch word, or names of more wrappers. */
  wrappers: 'LIFELINE_PARENT_WATCH_WRAPPERS',
} as const;

/** Default poll interval: 2 s, as in LocalAI. */
export const DEFAULT_INTERVAL_MS = 2000;
/** Default cleanup deadline: 3 s. */
export const DEFAULT_GRACE_MS = 3000;
/** Default exit code of an orphan: 1, as in LocalAI. */
export const DEFAULT_EXIT_CODE = 1;

/** The watcher's settings as read from the environment. */
export interface ResolvedConfig {
  /** Whether the watcher is switched on (`LOCALAI_BACKEND_PARENT_WATCH`). @default true */
  enabled: boolean;
  /** Poll interval in milliseconds (`LOCALAI_BACKEND_PARENT_WATCH_INTERVAL`), within [10, 2147483647]. @default 2000 */
  intervalMs: number;
  /** The expected parent's pid (`LIFELINE_PARENT_PID`), or `null` when unset or invalid. @default null */
  parentPid: number | null;
  /** The expected parent's PID namespace (`LIFELINE_PARENT_PID_NS`, e.g. `pid:[4026531836]`), or `null`. @default null */
  parentPidNs: string | null;
  /** Cleanup deadline in milliseconds (`LIFELINE_PARENT_WATCH_GRACE`), within [0, 2147483647]. @default 3000 */
  graceMs: number;
  /** Watch from a worker thread (`LIFELINE_PARENT_WATCH_THREAD`). @default false */
  thread: boolean;
  /** The signal to raise on the orphan instead of exiting (`LIFELINE_PARENT_WATCH_RAISE`), or `null`. @default null */
  raise: NodeJS.Signals | null;
  /** The lifeline pipe's file descriptor (`LIFELINE_PARENT_FD`), 3 or more, or `null`. @default null */
  parentFd: number | null;
  /** Leave when stdin ends (`LIFELINE_PARENT_WATCH_STDIN`). @default false */
  stdin: boolean;
  /**
   * Seeing through pass-through wrappers (`LIFELINE_PARENT_WATCH_WRAPPERS`): `false` when switched off, else
   * the names of wrappers besides the built-in rows. @default []
   */
  wrappers: WrappersSetting;
  /** One message for each variable whose value was not usable; each names its variable. */
  warnings: string[];
}

/** Environment-like object: only string values are read. */
export type EnvLike = Readonly<Record<string, string | undefined>>;

/**
 * The string value of `name` in `env`, or `undefined`. A runtime that refuses to read the environment
 * (Deno without `--allow-env` throws `NotCapable`) reads as unset: the watcher never throws at load.
 */
export function envValue(env: EnvLike, name: string): string | undefined {
  const claimed = env === process.env ? claimedVariables() : undefined;
  if (claimed !== undefined && Object.hasOwn(claimed, name)) return claimed[name];
  let value: unknown;
  try {
    value = env[name];
  } catch {
    return undefined;
  }
  return typeof value === 'string' ? value : undefined;
}

/**
 * The variables addressed to one process — the supervisor's pid, its PID namespace and the number of the
 * descriptor it passed — which its own children must not inherit: there the pid is not their parent's and
 * the number names another descriptor (the IPC channel of a `fork()`, a data pipe).
 */
export const PER_PROCESS: readonly string[] = [ENV.parentPid, ENV.parentPidNs, ENV.parentFd];

const CLAIMED = Symbol.for('lifeline.claimed-env.v1');
type Claimed = Readonly<Record<string, string | undefined>>;

/** What {@link claimPerProcessVariables} took out of `process.env`, or `undefined` before it ran. */
function claimedVariables(): Claimed | undefined {
  return (globalThis as typeof globalThis & { [CLAIMED]?: Claimed })[CLAIMED];
}

/**
 * Take the {@link PER_PROCESS} variables out of `process.env`, once per process (every copy of the
 * package shares the result), so that children started with the default environment do not inherit
 * them; {@link envValue} keeps reading this process's values from `process.env`, so a watcher armed again
 * after `stop()` sees what the process was given. Never throws (a runtime that refuses to change the
 * environment keeps the variables there).
 */
export function claimPerProcessVariables(): void {
  if (claimedVariables() !== undefined) return;
  const claimed: Record<string, string | undefined> = {};
  for (const name of PER_PROCESS) {
    const value = envValue(process.env, name);
    if (value === undefined) continue;
    claimed[name] = value;
    try {
      delete process.env[name];
    } catch {
      // the environment is read-only here: the children see it, and the binding to the parent still holds
    }
  }
  Object.defineProperty(globalThis, CLAIMED, { value: Object.freeze(claimed), enumerable: false, configurable: false, writable: false });
}

/** Why a number cannot name this process's supervisor. */
export interface PidProblem {
  /** `range`: not a pid this system hands out (1 to `pid_max`); `own`: this process's own pid. */
  kind: 'range' | 'own';
  /** What is wrong, as the end of a sentence: `is above this system's largest pid (4194304)`. */
  text: string;
}

/** Whether `pid` can name this process's supervisor: a pid this system can hand out, other than our own. */
export function parentPidProblem(pid: number): PidProblem | undefined {
  if (!isPid(pid)) return { kind: 'range', text: 'is not a positive integer pid' };
  if (pid > pidMax()) return { kind: 'range', text: `is above this system's largest pid (${pidMax()})` };
  if (pid === process.pid) return { kind: 'own', text: "is this process's own pid, not a supervisor's" };
  return undefined;
}

/**
 * Read the watcher's settings from an environment, without side effects: nothing is printed, nothing
 * throws. Unusable values fall back to their defaults and leave one warning each in `warnings`,
 * naming the variable, the value (cut when long) and the fallback used.
 *
 * - `LOCALAI_BACKEND_PARENT_WATCH`: trimmed, lower-cased; `false`/`0`/`no`/`off` switch the watcher off;
 *   `true`/`1`/`yes`/`on`/empty keep it on; any other word keeps it on and warns (LocalAI keeps it on silently).
 * - `LOCALAI_BACKEND_PARENT_WATCH_INTERVAL`: any form `parseDuration` accepts; zero, negative or
 *   unparseable → 2 s with a warning; clamped to [10 ms, 2147483647 ms] with a warning.
 * - `LIFELINE_PARENT_PID`: a pid this system can hand out (1 to `/proc/sys/kernel/pid_max`) other than
 *   this process's own; anything else is ignored with a warning.
 * - `LIFELINE_PARENT_PID_NS`: the supervisor's PID namespace as its `/proc/self/ns/pid` names it; a worker
 *   in another namespace does not judge `LIFELINE_PARENT_PID` (compared as text; empty is unset); anything
 *   not of the form `pid:[<digits>]` is ignored with a warning.
 * - `LIFELINE_PARENT_WATCH_GRACE`: a duration (same grammar); negative or unparseable → 3 s with a
 *   warning; clamped to at most 2147483647 ms.
 * - `LIFELINE_PARENT_WATCH_THREAD`: the same words as the switch; other words → off with a warning.
 * - `LIFELINE_PARENT_FD`: a file descriptor number, 3 or more (checked for a pipe or socket at arming,
 *   where it is honoured only with a `LIFELINE_PARENT_PID` that names the parent); anything else is
 *   ignored with a warning.
 * - `LIFELINE_PARENT_WATCH_STDIN`: the same words as the switch; other words → off with a warning.
 * - `LIFELINE_PARENT_WATCH_WRAPPERS`: a switch word (off: the parent pid alone is watched, as before), or
 *   names of more pass-through wrappers, separated by commas or spaces; a word that is no program name
 *   is left out with a warning.
 * - `LIFELINE_PARENT_WATCH_RAISE`: a signal name (`SIGTERM`, `term`, `SIGINT`…) to raise on the orphan
 *   instead of exiting; anything else → exit as usual, with a warning.
 *
 * @param env - the environment to read. @default process.env
 * @example
 * ```ts
 * const { enabled, intervalMs, warnings } = resolveConfig({ LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '1m30s' });
 * // enabled: true, intervalMs: 90000, warnings: []
 * ```
 */
export function resolveConfig(env: EnvLike = process.env): ResolvedConfig {
  const warnings: string[] = [];
  const warn = (message: string): void => void warnings.push(message);
  const read = (name: string): string | undefined => (env == null ? undefined : envValue(env, name));

  const enabledRaw = read(ENV.enabled);
  const enabled = readSwitch(enabledRaw, true);
  if (!enabled.recognised) {
    warn(
      `${ENV.enabled}=${describe(enabledRaw)} is not one of true/1/yes/on or false/0/no/off; ` +
        `the watcher stays on (set it to "false" to switch it off)`,
    );
  }
  const intervalMs = durationFromEnv(ENV.interval, read(ENV.interval), INTERVAL, DEFAULT_INTERVAL_MS, warn);
  const graceMs = durationFromEnv(ENV.grace, read(ENV.grace), DELAY, DEFAULT_GRACE_MS, warn);

  let parentPid: number | null = null;
  const pidRaw = read(ENV.parentPid);
  if (pidRaw !== undefined && pidRaw.trim() !== '') {
    const trimmed = pidRaw.trim();
    const pid = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
    const problem = parentPidProblem(pid);
    if (problem === undefined) parentPid = pid;
    else warn(`${ENV.parentPid}=${describe(pidRaw)} ${problem.text}; it is ignored`);
  }

  const nsRaw = read(ENV.parentPidNs);
  let parentPidNs: string | null = null;
  if (nsRaw !== undefined && nsRaw.trim() !== '') {
    if (/^pid:\[\d{1,20}\]$/.test(nsRaw.trim())) parentPidNs = nsRaw.trim();
    else warn(`${ENV.parentPidNs}=${describe(nsRaw)} is not a PID namespace such as "pid:[4026531836]"; it is ignored`);
  }

  const threadRaw = read(ENV.thread);
  const thread = readSwitch(threadRaw, false);
  if (!thread.recognised) {
    warn(`${ENV.thread}=${describe(threadRaw)} is not one of true/1/yes/on or false/0/no/off; thread mode stays off`);
  }
  const raiseRaw = read(ENV.raise);
  let raise: NodeJS.Signals | null = null;
  if (raiseRaw !== undefined && raiseRaw.trim() !== '') {
    raise = signalName(raiseRaw);
    if (raise === null || UNCATCHABLE.has(raise)) {
      const why = raise === null ? 'is not a signal name such as "SIGTERM"' : 'cannot be handled by the application';
      warn(`${ENV.raise}=${describe(raiseRaw)} ${why}; the orphan exits instead`);
      raise = null;
    }
  }
  let parentFd: number | null = null;
  const fdRaw = read(ENV.parentFd);
  if (fdRaw !== undefined && fdRaw.trim() !== '') {
    const fd = /^\d+$/.test(fdRaw.trim()) ? Number(fdRaw.trim()) : Number.NaN;
    if (isFd(fd)) parentFd = fd;
    else warn(`${ENV.parentFd}=${describe(fdRaw)} is not a file descriptor of 3 or more (0-2 are stdio); it is ignored`);
  }
  const stdinRaw = read(ENV.stdin);
  const stdin = readSwitch(stdinRaw, false);
  if (!stdin.recognised) {
    warn(`${ENV.stdin}=${describe(stdinRaw)} is not one of true/1/yes/on or false/0/no/off; stdin is not watched`);
  }
  const wrappers = wrappersFromEnv(ENV.wrappers, read(ENV.wrappers), warn);
  return { enabled: enabled.value, intervalMs, parentPid, parentPidNs, graceMs, thread: thread.value, raise, parentFd, stdin: stdin.value, wrappers, warnings };
}

/** A descriptor the lifeline pipe may use: an integer from 3 (0-2 are stdio) to 2^31-1. */
export function isFd(fd: unknown): fd is number {
  return typeof fd === 'number' && Number.isInteger(fd) && fd >= 3 && fd <= 2_147_483_647;
}
