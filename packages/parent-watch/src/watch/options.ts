import { DEFAULT_EXIT_CODE, ENV, envValue, isFd, parentPidProblem, resolveConfig, type EnvLike } from '@lifeline/core/config';
import { DELAY, INTERVAL, durationArg } from '@lifeline/core/duration';
import { booleanArg, envArg, integerArg, invalidArgType, invalidArgValue, optionsObject, outOfRange } from '@lifeline/core/errors';
import { pidMax } from '@lifeline/core/proc/stat';
import { raiseSignalArg } from '@lifeline/core/signals';
import { wrappersArg, type WrappersSetting } from '@lifeline/core/wrappers/setting';
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
  /** Seeing through pass-through wrappers: off, or the names of wrappers besides the built-in rows. */
  wrappers: WrappersSetting;
  /** Warnings about the environment that apply (variables not overridden by an option) and clamped options. */
  warnings: string[];
  /** The options given explicitly (without `env`), to compare a second call with. */
  explicit: Record<string, unknown>;
}

/** The keys of {@link WatchParentOptions}. @internal */
export const WATCH_OPTION_KEYS = [
  'interval',
  'enabled',
  'parentPid',
  'grace',
  'exitCode',
  'exit',
  'killDescendants',
  'thread',
  'raise',
  'parentFd',
  'stdin',
  'wrappers',
  'env',
] as const;

/**
 * Validate options (throwing `TypeError`/`RangeError` with Node's codes, naming the option) and merge them
 * over the environment. `where` and `name` only shape the messages: `${where}: ${name}.interval must be …`. @internal
 */
export function resolveSettings(input: WatchParentOptions | undefined, where = 'watchParent(options)', name = 'options'): Settings {
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

  const enabledOption = take('enabled', booleanArg(where, label('enabled'), options.enabled), ENV.enabled);
  const threadOption = take('thread', booleanArg(where, label('thread'), options.thread), ENV.thread);
  const exit = take('exit', booleanArg(where, label('exit'), options.exit)) ?? true;
  const killDescendants = take('killDescendants', booleanArg(where, label('killDescendants'), options.killDescendants)) ?? process.platform === 'linux';
  const intervalOption = take('interval', durationArg(where, label('interval'), options.interval, INTERVAL, undefined, warn), ENV.interval);
  const graceOption = take('grace', durationArg(where, label('grace'), options.grace, DELAY, undefined, warn), ENV.grace);
  const exitCode = take('exitCode', integerArg(where, label('exitCode'), options.exitCode, 0, 255)) ?? DEFAULT_EXIT_CODE;
  const raiseOption = take('raise', raiseSignalArg(where, label('raise'), options.raise), ENV.raise);
  const stdinOption = take('stdin', booleanArg(where, label('stdin'), options.stdin), ENV.stdin);
  const wrappersOption = wrappersArg(where, label('wrappers'), options.wrappers);
  // Compared by value when a second call differs: a list as its text.
  if (wrappersOption !== undefined) take('wrappers', wrappersOption === false ? false : wrappersOption.join(','), ENV.wrappers);
  let parentFdOption: number | false | undefined;
  if (options.parentFd !== undefined && options.parentFd !== false) {
    if (typeof options.parentFd !== 'number') throw invalidArgType(where, label('parentFd'), 'a file descriptor number or false', options.parentFd);
    if (!isFd(options.parentFd)) throw outOfRange(where, label('parentFd'), 'an integer of 3 or more (0-2 are stdio)', options.parentFd);
  }
  if (options.parentFd !== undefined) parentFdOption = take('parentFd', options.parentFd, ENV.parentFd);

  let parentPidOption: number | undefined;
  if (options.parentPid !== undefined) {
    const pid = integerArg(where, label('parentPid'), options.parentPid, 1, Number.MAX_SAFE_INTEGER) as number;
    const problem = parentPidProblem(pid);
    if (problem?.kind === 'own') throw invalidArgValue(where, label('parentPid'), "the supervisor's pid, not this process's own", pid);
    if (problem) throw outOfRange(where, label('parentPid'), `a pid of this system (1..${pidMax()})`, pid);
    parentPidOption = take('parentPid', pid, ENV.parentPid);
  }

  const envWarnings = config.warnings.filter((warning) => ![...overridden].some((variable) => warning.startsWith(`${variable}=`)));
  return {
    enabled: enabledOption ?? config.enabled,
    enabledFrom: enabledOption !== undefined ? 'option' : envValue(env, ENV.enabled) !== undefined ? 'env' : 'default',
    enabledRaw: envValue(env, ENV.enabled),
    intervalMs: intervalOption ?? config.intervalMs,
    graceMs: graceOption ?? config.graceMs,
    parentPid: parentPidOption ?? config.parentPid,
    parentPidFrom: parentPidOption !== undefined ? 'option' : config.parentPid !== null ? 'env' : 'none',
    parentPidNs: config.parentPidNs,
    exitCode,
    exit,
    killDescendants,
    thread: threadOption ?? config.thread,
    raise: raiseOption ?? config.raise,
    parentFd: parentFdOption === false ? null : (parentFdOption ?? config.parentFd),
    parentFdFrom: parentFdOption === undefined ? 'LIFELINE_PARENT_FD' : 'parentFd',
    parentFdPid: config.parentPid,
    stdin: stdinOption ?? config.stdin,
    wrappers: wrappersOption ?? config.wrappers,
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
 * @param where - names the call in messages. @default 'watchParent(options)'
 * @param name - names the options object in messages. @default 'options'
 * @throws {TypeError} `ERR_INVALID_ARG_TYPE` when an option has the wrong type.
 * @throws {RangeError} `ERR_INVALID_ARG_VALUE` / `ERR_OUT_OF_RANGE` when an option's value is not usable.
 * @example
 * ```ts
 * validateWatchParentOptions({ interval: 'soon' }, 'createServer', 'parentWatch');
 * // RangeError [ERR_INVALID_ARG_VALUE]: createServer: parentWatch.interval must be a duration …
 * ```
 */
export function validateWatchParentOptions(
  options: unknown,
  where = 'watchParent(options)',
  name = 'options',
): asserts options is WatchParentOptions | undefined {
  resolveSettings(options as WatchParentOptions | undefined, where, name);
}
