/** Environment variables read by Lifeline's watcher. */
export declare const ENV: {
    /** On/off switch shared with LocalAI's backends. */
    readonly enabled: "LOCALAI_BACKEND_PARENT_WATCH";
    /** Poll interval shared with LocalAI's backends. */
    readonly interval: "LOCALAI_BACKEND_PARENT_WATCH_INTERVAL";
    /** The pid of the expected parent, set by `@lifeline/supervisor`'s `spawnWorker`. */
    readonly parentPid: "LIFELINE_PARENT_PID";
    /** Cleanup deadline after the orphaning. */
    readonly grace: "LIFELINE_PARENT_WATCH_GRACE";
    /** Watch from a worker thread, so that a blocked event loop does not delay the exit. */
    readonly thread: "LIFELINE_PARENT_WATCH_THREAD";
};
/** Default poll interval: 2 s, as in LocalAI. */
export declare const DEFAULT_INTERVAL_MS = 2000;
/** Default cleanup deadline: 3 s. */
export declare const DEFAULT_GRACE_MS = 3000;
/** The watcher's settings as read from the environment. */
export interface ResolvedConfig {
    /** Whether the watcher is switched on (`LOCALAI_BACKEND_PARENT_WATCH`). @default true */
    enabled: boolean;
    /** Poll interval in milliseconds (`LOCALAI_BACKEND_PARENT_WATCH_INTERVAL`), within [10, 2147483647]. @default 2000 */
    intervalMs: number;
    /** The expected parent's pid (`LIFELINE_PARENT_PID`), or `null` when unset or invalid. @default null */
    parentPid: number | null;
    /** Cleanup deadline in milliseconds (`LIFELINE_PARENT_WATCH_GRACE`), within [0, 2147483647]. @default 3000 */
    graceMs: number;
    /** Watch from a worker thread (`LIFELINE_PARENT_WATCH_THREAD`). @default false */
    thread: boolean;
    /** One message for each variable whose value was not usable; each names its variable. */
    warnings: string[];
}
/** Environment-like object: only string values are read. */
export type EnvLike = Readonly<Record<string, string | undefined>>;
/** The string value of `name` in `env`, or `undefined`. */
export declare function envValue(env: EnvLike, name: string): string | undefined;
/** Why a number cannot name this process's supervisor. */
export interface PidProblem {
    /** `range`: not a pid this system hands out (1 to `pid_max`); `own`: this process's own pid. */
    kind: 'range' | 'own';
    /** What is wrong, as the end of a sentence: `is above this system's largest pid (4194304)`. */
    text: string;
}
/** Whether `pid` can name this process's supervisor: a pid this system can hand out, other than our own. */
export declare function parentPidProblem(pid: number): PidProblem | undefined;
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
 * - `LIFELINE_PARENT_WATCH_GRACE`: a duration (same grammar); negative or unparseable → 3 s with a
 *   warning; clamped to at most 2147483647 ms.
 * - `LIFELINE_PARENT_WATCH_THREAD`: the same words as the switch; other words → off with a warning.
 *
 * @param env - the environment to read. @default process.env
 * @example
 * ```ts
 * const { enabled, intervalMs, warnings } = resolveConfig({ LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '1m30s' });
 * // enabled: true, intervalMs: 90000, warnings: []
 * ```
 */
export declare function resolveConfig(env?: EnvLike): ResolvedConfig;
