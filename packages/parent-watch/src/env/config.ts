import { describe, formatMs, parseDurationOrNull } from './duration.js';
import { readSwitch } from './switch.js';

/** Environment variables read by Lifeline's watcher. */
export const ENV = {
  /** On/off switch shared with LocalAI's backends. */
  enabled: 'LOCALAI_BACKEND_PARENT_WATCH',
  /** Poll interval shared with LocalAI's backends. */
  interval: 'LOCALAI_BACKEND_PARENT_WATCH_INTERVAL',
  /** The pid of the expected parent, set by `@lifeline/supervisor`'s `spawnWorker`. */
  parentPid: 'LIFELINE_PARENT_PID',
  /** Cleanup deadline after the orphaning. */
  grace: 'LIFELINE_PARENT_WATCH_GRACE',
  /** Watch from a worker thread, so that a blocked event loop does not delay the exit. */
  thread: 'LIFELINE_PARENT_WATCH_THREAD',
} as const;

/** Default poll interval: 2 s, as in LocalAI. */
export const DEFAULT_INTERVAL_MS = 2000;
/** Default cleanup deadline: 3 s. */
export const DEFAULT_GRACE_MS = 3000;
/** Shortest interval: below it a watcher is a busy loop. */
export const MIN_INTERVAL_MS = 10;
/** Longest delay a Node timer accepts; a longer one silently fires after 1 ms. */
export const MAX_TIMER_MS = 2_147_483_647;
/** Largest pid Linux can hand out (`PID_MAX_LIMIT` is 2^22 on 64-bit). */
const MAX_PID = 2_147_483_647;

/**
 * The watcher's settings as read from the environment. See {@link resolveConfig}.
 */
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

/**
 * Read the watcher's settings from an environment, without side effects: nothing is printed, nothing
 * throws. Unusable values fall back to their defaults and leave one warning each in `warnings`,
 * naming the variable, the value and the fallback used.
 *
 * - `LOCALAI_BACKEND_PARENT_WATCH`: trimmed, lower-cased; `false`/`0`/`no`/`off` switch the watcher off;
 *   `true`/`1`/`yes`/`on`/empty keep it on; any other word keeps it on and warns (LocalAI keeps it on silently).
 * - `LOCALAI_BACKEND_PARENT_WATCH_INTERVAL`: any form {@link parseDuration} accepts; zero, negative or
 *   unparseable → 2 s with a warning; clamped to [10 ms, 2147483647 ms] with a warning.
 * - `LIFELINE_PARENT_PID`: a positive integer; anything else is ignored with a warning.
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
export function resolveConfig(env: EnvLike = process.env): ResolvedConfig {
  const warnings: string[] = [];
  const read = (name: string): string | undefined => {
    const value: unknown = env == null ? undefined : env[name];
    return typeof value === 'string' ? value : undefined;
  };

  const enabledRaw = read(ENV.enabled);
  const enabled = readSwitch(enabledRaw, true);
  if (!enabled.recognised) {
    warnings.push(
      `${ENV.enabled}=${describe(enabledRaw)} is not one of true/1/yes/on or false/0/no/off; ` +
        `the watcher stays on (set it to "false" to switch it off)`,
    );
  }

  const intervalMs = readDurationVar(read(ENV.interval), ENV.interval, DEFAULT_INTERVAL_MS, MIN_INTERVAL_MS, warnings);
  const graceMs = readDurationVar(read(ENV.grace), ENV.grace, DEFAULT_GRACE_MS, 0, warnings);

  let parentPid: number | null = null;
  const pidRaw = read(ENV.parentPid);
  if (pidRaw !== undefined && pidRaw.trim() !== '') {
    const trimmed = pidRaw.trim();
    const pid = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
    if (Number.isSafeInteger(pid) && pid > 0 && pid <= MAX_PID) {
      parentPid = pid;
    } else {
      warnings.push(`${ENV.parentPid}=${describe(pidRaw)} is not a positive integer pid; it is ignored`);
    }
  }

  const threadRaw = read(ENV.thread);
  const thread = readSwitch(threadRaw, false);
  if (!thread.recognised) {
    warnings.push(
      `${ENV.thread}=${describe(threadRaw)} is not one of true/1/yes/on or false/0/no/off; thread mode stays off`,
    );
  }

  return { enabled: enabled.value, intervalMs, parentPid, graceMs, thread: thread.value, warnings };
}

function readDurationVar(
  raw: string | undefined,
  name: string,
  fallback: number,
  min: number,
  warnings: string[],
): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const parsed = parseDurationOrNull(raw);
  const positiveOnly = min > 0;
  if (parsed === null || (positiveOnly ? parsed <= 0 : parsed < 0)) {
    const why = parsed === null ? 'is not a duration' : positiveOnly ? 'is not positive' : 'is negative';
    warnings.push(
      `${name}=${describe(raw)} ${why}; using the default ${formatMs(fallback)} ` +
        `(accepted: "500ms", "2s", "1m30s", "2" for seconds, "2 seconds")`,
    );
    return fallback;
  }
  const rounded = Math.round(parsed);
  if (rounded < min || rounded > MAX_TIMER_MS) {
    const clamped = Math.min(Math.max(rounded, min), MAX_TIMER_MS);
    warnings.push(
      `${name}=${describe(raw)} is outside [${formatMs(min)}, ${MAX_TIMER_MS}ms]; using ${clamped}ms`,
    );
    return clamped;
  }
  return rounded;
}
