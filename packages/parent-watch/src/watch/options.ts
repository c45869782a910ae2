import { DEFAULT_EXIT_CODE, ENV, envValue, resolveConfig, type EnvLike } from '@lifeline/core/config';
import { booleanArg, envArg, integerArg, optionsObject } from '@lifeline/core/errors';
import { settingOption, type OptionValueOf } from '@lifeline/core/setting-option';
import { SETTINGS, type SettingRow } from '@lifeline/core/settings';
import type { WrappersSetting } from '@lifeline/core/wrappers/setting';
import type { WatchParentOptions } from './types.js';

/** Fully resolved watcher settings. @internal */
export interface Settings {
  enabled: boolean;
  /** Where `enabled` came from, for the disabled reason. */
  enabledFrom: 'option' | 'env' | 'default';
  /** The raw switch value of the environment read (the `env` option, else process.env). */
  enabledRaw: string | undefined;
  intervalMs: number;
  graceMs: number;
  parentPid: number | null;
  parentPidFrom: 'option' | 'env' | 'none';
  /** The namespace `LIFELINE_PARENT_PID` was handed down from, or `null`. */
  parentPidNs: string | null;
  exitCode: number;
  exit: boolean;
  killDescendants: boolean;
  thread: boolean;
  /** The signal to raise on the orphan instead of exiting, or `null`. */
  raise: NodeJS.Signals | null;
  /** The lifeline pipe's descriptor, or `null`; and which name it came from, for warnings. */
  parentFd: number | null;
  parentFdFrom: 'parentFd' | 'LIFELINE_PARENT_FD';
  /**
   * The `LIFELINE_PARENT_PID` read with a descriptor from the environment (`null`: none): the descriptor is
   * this process's only when that pid is its parent.
   */
  parentFdPid: number | null;
  /** Leave when stdin ends. */
  stdin: boolean;
  /** Re-check the parent when stdout's or stderr's reader goes away. */
  stdio: boolean;
  /** Seeing through pass-through wrappers: off, or the names of wrappers besides the built-in rows. */
  wrappers: WrappersSetting;
  /** Warnings about the environment that apply (variables not overridden by an option) and clamped options. */
  warnings: string[];
  /** The options given explicitly (without `env`), to compare a second call with. */
  explicit: Record<string, unknown>;
}

/** The options that are settings (a row of the table), as validated. */
type OptionsFromTable = {
  [S in SettingRow as S['option'] extends string ? S['option'] : never]?: OptionValueOf[S['rule']['kind']];
};

/** The keys of {@link WatchParentOptions}: the settings' options, then those of the orphan path alone. @internal */
export const WATCH_OPTION_KEYS: readonly string[] = [
  ...SETTINGS.flatMap((setting) => (setting.option === null ? [] : [setting.option])),
  'exitCode',
  'exit',
  'killDescendants',
  'env',
];

/**
 * Validate options (throwing `TypeError`/`RangeError` with Node's codes, naming the option) and merge them
 * over the environment. `where` and `name` only shape the messages: `${where}: ${name}.interval must be …`. @internal
 */
export function resolveSettings(
  input: WatchParentOptions | undefined,
  where = 'watchParent',
  name = 'options',
): Settings {
  const options = optionsObject(where, name, input, WATCH_OPTION_KEYS);
  const label = (key: string): string => `${name}.${key}`;
  const env: EnvLike = envArg(where, label('env'), options.env) ?? process.env;
  const config = resolveConfig(env);
  const warnings: string[] = [];
  const warn = (message: string): void => void warnings.push(message);
  const explicit: Record<string, unknown> = {};
  const overridden = new Set<string>();
  const take = <T>(key: keyof WatchParentOptions, value: T | undefined, variable?: string): T | undefined => {
    if (value === undefined) return undefined;
    explicit[key] = value;
    if (variable) overridden.add(variable);
    return value;
  };

  // Every setting with an option, validated by its rule; given, it wins over its variable.
  const given: OptionsFromTable = {};
  for (const setting of SETTINGS) {
    if (setting.option === null) continue;
    const value = settingOption(setting.rule, where, label(setting.option), options[setting.option], warn);
    if (value === undefined) continue;
    (given as Record<string, unknown>)[setting.option] = value;
    // Compared by value when a second call differs: a list as its text.
    take(setting.option, Array.isArray(value) ? value.join(',') : value, setting.variable);
  }
  const exit = take('exit', booleanArg(where, label('exit'), options.exit)) ?? true;
  const killDescendants =
    take('killDescendants', booleanArg(where, label('killDescendants'), options.killDescendants)) ??
    process.platform === 'linux';
  const exitCode =
    take('exitCode', integerArg(where, label('exitCode'), options.exitCode, 0, 255)) ?? DEFAULT_EXIT_CODE;

  const envWarnings = config.warnings.filter(
    (warning) => ![...overridden].some((variable) => warning.startsWith(`${variable}=`)),
  );
  return {
    enabled: given.enabled ?? config.enabled,
    enabledFrom: given.enabled !== undefined ? 'option' : envValue(env, ENV.enabled) !== undefined ? 'env' : 'default',
    enabledRaw: envValue(env, ENV.enabled),
    intervalMs: given.interval ?? config.intervalMs,
    graceMs: given.grace ?? config.graceMs,
    parentPid: given.parentPid ?? config.parentPid,
    parentPidFrom: given.parentPid !== undefined ? 'option' : config.parentPid !== null ? 'env' : 'none',
    parentPidNs: config.parentPidNs,
    exitCode,
    exit,
    killDescendants,
    thread: given.thread ?? config.thread,
    raise: given.raise ?? config.raise,
    parentFd: given.parentFd === false ? null : (given.parentFd ?? config.parentFd),
    parentFdFrom: given.parentFd === undefined ? 'LIFELINE_PARENT_FD' : 'parentFd',
    parentFdPid: config.parentPid,
    stdin: given.stdin ?? config.stdin,
    stdio: given.stdio ?? config.stdio,
    wrappers: given.wrappers ?? config.wrappers,
    warnings: [...envWarnings, ...warnings],
    explicit,
  };
}

/**
 * Check `watchParent` options without arming anything: throws the `TypeError`/`RangeError` that
 * `watchParent(options)` would throw. For integrations that arm later (on a server's bind, say) and want
 * a mistake to throw where it was made.
 *
 * @param options - the options to check.
 * @param where - names the call in messages. @default 'validateWatchParentOptions'
 * @param name - names the options object in messages. @default 'options'
 * @throws {TypeError} `ERR_INVALID_ARG_TYPE` when an option has the wrong type.
 * @throws {RangeError} `ERR_INVALID_ARG_VALUE` / `ERR_OUT_OF_RANGE` when an option's value is not usable.
 * @example
 * ```ts
 * validateWatchParentOptions({ interval: 'soon' }, 'createServer', 'options.parentWatch');
 * // RangeError [ERR_INVALID_ARG_VALUE]: createServer: options.parentWatch.interval must be a duration …
 * ```
 */
export function validateWatchParentOptions(
  options: unknown,
  where = 'validateWatchParentOptions',
  name = 'options',
): asserts options is WatchParentOptions | undefined {
  resolveSettings(options as WatchParentOptions | undefined, where, name);
}
