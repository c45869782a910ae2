import { describe, parseDuration } from '../env/duration.js';
import { ENV, MAX_TIMER_MS, MIN_INTERVAL_MS, resolveConfig, type EnvLike } from '../env/config.js';
import type { WatchParentOptions } from './types.js';

/** Fully resolved watcher settings. @internal */
export interface Settings {
  enabled: boolean;
  /** Where `enabled` came from, for the disabled reason. */
  enabledFrom: 'option' | 'env' | 'default';
  intervalMs: number;
  graceMs: number;
  parentPid: number | null;
  parentPidFrom: 'option' | 'env' | 'none';
  exitCode: number;
  exit: boolean;
  killDescendants: boolean;
  thread: boolean;
  /** Warnings about the environment that apply (variables not overridden by an option). */
  envWarnings: string[];
  /** Notes about clamped option values. */
  optionWarnings: string[];
  /** The options given explicitly (without `env`), to compare a second call with. */
  explicit: Record<string, unknown>;
}

const KNOWN = new Set([
  'interval',
  'enabled',
  'parentPid',
  'grace',
  'exitCode',
  'exit',
  'killDescendants',
  'thread',
  'env',
]);

/**
 * Validate options (throwing `TypeError`/`RangeError` naming the option) and merge them over the environment.
 * `where` and `name` only shape the messages: `${where}: ${name}.interval must be positive`. @internal
 */
export function resolveSettings(
  options: WatchParentOptions | undefined,
  where = 'watchParent(options)',
  name = 'options',
): Settings {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${where}: ${name} must be an object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) {
      throw new TypeError(`${where}: unknown option "${name}.${key}" (known: ${[...KNOWN].join(', ')})`);
    }
  }
  const env = options.env ?? process.env;
  if (typeof env !== 'object' || env === null) {
    throw new TypeError(`${where}: ${name}.env must be an object, got ${describe(env)}`);
  }
  const config = resolveConfig(env as EnvLike);
  const optionWarnings: string[] = [];
  const explicit: Record<string, unknown> = {};
  const overridden = new Set<string>();

  const bool = (key: keyof WatchParentOptions): boolean | undefined => {
    const value = options[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') {
      throw new TypeError(`${where}: ${name}.${key} must be a boolean, got ${describe(value)}`);
    }
    explicit[key] = value;
    return value;
  };

  const enabledOption = bool('enabled');
  if (enabledOption !== undefined) overridden.add(ENV.enabled);
  const exit = bool('exit') ?? true;
  const killDescendants = bool('killDescendants') ?? process.platform === 'linux';
  const threadOption = bool('thread');
  if (threadOption !== undefined) overridden.add(ENV.thread);

  let intervalMs = config.intervalMs;
  if (options.interval !== undefined) {
    intervalMs = durationOption(`${where}: ${name}.interval`, options.interval, MIN_INTERVAL_MS, optionWarnings);
    explicit.interval = intervalMs;
    overridden.add(ENV.interval);
  }
  let graceMs = config.graceMs;
  if (options.grace !== undefined) {
    graceMs = durationOption(`${where}: ${name}.grace`, options.grace, 0, optionWarnings);
    explicit.grace = graceMs;
    overridden.add(ENV.grace);
  }

  let exitCode = 1;
  if (options.exitCode !== undefined) {
    const code: unknown = options.exitCode;
    if (typeof code !== 'number' || !Number.isInteger(code)) {
      throw new TypeError(`${where}: ${name}.exitCode must be an integer, got ${describe(code)}`);
    }
    if (code < 0 || code > 255) {
      throw new RangeError(`${where}: ${name}.exitCode must be within 0..255, got ${code}`);
    }
    exitCode = code;
    explicit.exitCode = code;
  }

  let parentPid = config.parentPid;
  let parentPidFrom: Settings['parentPidFrom'] = parentPid === null ? 'none' : 'env';
  if (options.parentPid !== undefined) {
    const pid: unknown = options.parentPid;
    if (typeof pid !== 'number' || !Number.isSafeInteger(pid)) {
      throw new TypeError(`${where}: ${name}.parentPid must be an integer pid, got ${describe(pid)}`);
    }
    if (pid <= 0) throw new RangeError(`${where}: ${name}.parentPid must be positive, got ${pid}`);
    parentPid = pid;
    parentPidFrom = 'option';
    explicit.parentPid = pid;
    overridden.add(ENV.parentPid);
  }

  const envWarnings = config.warnings.filter((warning) => ![...overridden].some((name) => warning.startsWith(`${name}=`)));
  return {
    enabled: enabledOption ?? config.enabled,
    enabledFrom: enabledOption !== undefined ? 'option' : env[ENV.enabled] !== undefined ? 'env' : 'default',
    intervalMs,
    graceMs,
    parentPid,
    parentPidFrom,
    exitCode,
    exit,
    killDescendants,
    thread: threadOption ?? config.thread,
    envWarnings,
    optionWarnings,
    explicit,
  };
}

/**
 * Check `watchParent` options without arming anything: throws the `TypeError`/`RangeError` that
 * `watchParent(options)` would throw. For integrations that arm later (on a server's bind, say) and want
 * a mistake to throw where it was made.
 *
 * @param options - the options to check.
 * @param where - names the call in messages. @default 'watchParent(options)'
 * @param name - names the options object in messages. @default 'options'
 * @example
 * ```ts
 * validateWatchParentOptions({ interval: 'soon' }, 'createServer', 'parentWatch');
 * // RangeError: createServer: parentWatch.interval: Invalid duration "soon" …
 * ```
 */
export function validateWatchParentOptions(
  options: unknown,
  where = 'watchParent(options)',
  name = 'options',
): asserts options is WatchParentOptions | undefined {
  resolveSettings(options as WatchParentOptions | undefined, where, name);
}

function durationOption(label: string, value: unknown, min: number, warnings: string[]): number {
  let ms: number;
  if (typeof value === 'number') {
    ms = value;
  } else if (typeof value === 'string') {
    try {
      ms = parseDuration(value);
    } catch (error) {
      throw new RangeError(`${label}: ${(error as Error).message}`);
    }
  } else {
    throw new TypeError(
      `${label} must be milliseconds (number) or a duration string, got ${describe(value)}`,
    );
  }
  if (Number.isNaN(ms) || (min > 0 ? ms <= 0 : ms < 0)) {
    throw new RangeError(
      `${label} must be ${min > 0 ? 'positive' : 'zero or more'}, got ${describe(value)}`,
    );
  }
  const rounded = Math.round(Math.min(ms, MAX_TIMER_MS));
  const clamped = Math.max(rounded, min);
  if (clamped !== Math.round(ms)) {
    warnings.push(`${label}=${describe(value)} is outside [${min}ms, ${MAX_TIMER_MS}ms]; using ${clamped}ms`);
  }
  return clamped;
}
