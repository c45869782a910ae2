/**
 * The watcher's settings as read from the environment: the variables, their defaults, and the one
 * reading of each (warn and fall back, never throw).
 */
import { describe } from './errors.js';
import { durationFromEnv, parseDurationOrNull } from './duration.js';
import { isPid, pidMax } from './proc/stat.js';
import {
  DEFAULT_GRACE_MS,
  DEFAULT_INTERVAL_MS,
  PER_PROCESS,
  SETTINGS,
  type SettingRow,
  type SettingRule,
  type SettingVariables,
} from './settings.js';
import { UNCATCHABLE, signalName } from './signals.js';
import { readSwitch } from './switch.js';
import { claimVariables, envValue, type EnvLike } from './claimed-env.js';
import { wrappersFromEnv, type WrappersSetting } from './wrappers/setting.js';

/** Environment variables read by Lifeline's watcher, by setting (derived from {@link SETTINGS}). */
// Pure: a bundle that reads no variable name drops it and the table (the register preload).
export const ENV = /* @__PURE__ */ (() =>
  Object.freeze(Object.fromEntries(SETTINGS.map((s) => [s.key, s.variable]))))() as SettingVariables;

export { DEFAULT_GRACE_MS, DEFAULT_INTERVAL_MS };
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
  /** Re-check the parent when stdout's or stderr's reader goes away (`LIFELINE_PARENT_WATCH_STDIO`). @default true */
  stdio: boolean;
  /**
   * Seeing through pass-through wrappers (`LIFELINE_PARENT_WATCH_WRAPPERS`): `false` when switched off, else
   * the names of wrappers besides the built-in rows. @default []
   */
  wrappers: WrappersSetting;
  /** One message for each variable whose value was not usable; each names its variable. */
  warnings: string[];
}

export { envValue, type EnvLike } from './claimed-env.js';
export { PER_PROCESS };

/**
 * Take the {@link PER_PROCESS} variables out of `process.env`, once per process (every copy of the
 * package shares the result), so that children started with the default environment do not inherit
 * them; {@link envValue} keeps reading this process's values from `process.env`, so a watcher armed again
 * after `stop()` sees what the process was given. Never throws (a runtime that refuses to change the
 * environment keeps the variables there).
 */
export function claimPerProcessVariables(): void {
  claimVariables(PER_PROCESS);
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
 * One field for each variable the watcher reads (the README's "Environment" table lists them), each read
 * by its kind: a switch (`false`/`0`/`no`/`off` off, `true`/`1`/`yes`/`on` or empty the default; another
 * word the default and a warning — LocalAI keeps its switch on silently), a duration (any form
 * `parseDuration` accepts; unusable → the default, outside the bounds → clamped, each with a warning), a
 * pid, a PID namespace, a descriptor of 3 or more, a signal the application can handle, or the wrappers
 * (a switch word, or names of more wrappers); an unusable pid, namespace, descriptor or signal is ignored
 * with a warning.
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
  const config: Record<string, unknown> = {};
  for (const setting of SETTINGS) {
    config[setting.field] = readSetting(setting, env == null ? undefined : envValue(env, setting.variable), warn);
  }
  return { ...(config as FromTable), warnings };
}

/** What a variable of each rule reads as; `null`: unset or unusable (no value). */
export interface EnvValueOf {
  switch: boolean;
  duration: number;
  pid: number | null;
  'pid-namespace': string | null;
  fd: number | null;
  signal: NodeJS.Signals | null;
  wrappers: WrappersSetting;
}

/** `resolveConfig()`'s fields as the table makes them; {@link ResolvedConfig} must be exactly this (checked below). */
type FromTable = { [S in SettingRow as S['field']]: EnvValueOf[S['rule']['kind']] };
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** A type error here: a row and {@link ResolvedConfig} disagree (add the field there, with its doc). */
const resolvedConfigMatchesTable: Same<FromTable, Omit<ResolvedConfig, 'warnings'>> = true;
void resolvedConfigMatchesTable;

/**
 * Read one setting's variable by its rule. Never throws: unset or blank is the default; an unusable value
 * is the default with one warning naming the variable.
 */
export function readSetting<S extends { variable: string; rule: SettingRule }>(
  setting: S,
  raw: string | undefined,
  warn: (message: string) => void,
): EnvValueOf[S['rule']['kind']];
export function readSetting(
  setting: { variable: string; rule: SettingRule },
  raw: string | undefined,
  warn: (message: string) => void,
): EnvValueOf[keyof EnvValueOf] {
  const { variable, rule } = setting;
  const blank = raw === undefined || raw.trim() === '';
  switch (rule.kind) {
    case 'switch': {
      const reading = readSwitch(raw, rule.default);
      if (!reading.recognised)
        warn(`${variable}=${describe(raw)} is not one of true/1/yes/on or false/0/no/off; ${rule.otherwise}`);
      return reading.value;
    }
    case 'duration':
      return durationFromEnv(variable, raw, rule.bounds, rule.default, warn, parseDurationOrNull);
    case 'wrappers':
      return wrappersFromEnv(variable, raw, warn);
    case 'pid': {
      if (blank) return null;
      const trimmed = raw.trim();
      const pid = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
      const problem = parentPidProblem(pid);
      if (problem === undefined) return pid;
      warn(`${variable}=${describe(raw)} ${problem.text}; it is ignored`);
      return null;
    }
    case 'pid-namespace':
      if (blank) return null;
      if (/^pid:\[\d{1,20}\]$/.test(raw.trim())) return raw.trim();
      warn(`${variable}=${describe(raw)} is not a PID namespace such as "pid:[4026531836]"; it is ignored`);
      return null;
    case 'fd': {
      if (blank) return null;
      const fd = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
      if (isFd(fd)) return fd;
      warn(`${variable}=${describe(raw)} is not a file descriptor of 3 or more (0-2 are stdio); it is ignored`);
      return null;
    }
    case 'signal': {
      if (blank) return null;
      const signal = signalName(raw);
      if (signal !== null && !UNCATCHABLE.has(signal)) return signal;
      const why = signal === null ? 'is not a signal name such as "SIGTERM"' : 'cannot be handled by the application';
      warn(`${variable}=${describe(raw)} ${why}; the orphan exits instead`);
      return null;
    }
  }
}

/** A descriptor the lifeline pipe may use: an integer from 3 (0-2 are stdio) to 2^31-1. */
export function isFd(fd: unknown): fd is number {
  return typeof fd === 'number' && Number.isInteger(fd) && fd >= 3 && fd <= 2_147_483_647;
}
