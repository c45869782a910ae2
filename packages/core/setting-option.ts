/**
 * A setting given as an option (`watchParent`, `spawnWorker`): validated by its rule, throwing Node's
 * argument errors, and written as its variable for a child's environment.
 */
import { parentPidProblem, isFd } from './config.js';
import { durationArg } from './duration.js';
import { booleanArg, invalidArgType, invalidArgValue, outOfRange } from './errors.js';
import { pidMax } from './proc/stat.js';
import type { SettingRule } from './settings.js';
import { raiseSignalArg } from './signals.js';
import { wrappersArg, type WrappersSetting } from './wrappers/setting.js';

/** What an option of each rule is, once validated. */
export interface OptionValueOf {
  switch: boolean;
  duration: number;
  pid: number;
  'pid-namespace': never;
  fd: number | false;
  signal: NodeJS.Signals;
  wrappers: WrappersSetting;
}

/**
 * Validate the option `label` of `where` by the setting's rule: `undefined` when not given; throws
 * `TypeError`/`RangeError` with Node's codes otherwise; a duration outside its bounds is clamped, with
 * `warn`.
 */
export function settingOption<R extends SettingRule>(
  rule: R,
  where: string,
  label: string,
  value: unknown,
  warn: (message: string) => void,
): OptionValueOf[R['kind']] | undefined;
export function settingOption(
  rule: SettingRule,
  where: string,
  label: string,
  value: unknown,
  warn: (message: string) => void,
): OptionValueOf[keyof OptionValueOf] | undefined {
  if (value === undefined) return undefined;
  switch (rule.kind) {
    case 'switch':
      return booleanArg(where, label, value);
    case 'duration':
      return durationArg(where, label, value, rule.bounds, undefined, warn);
    case 'signal':
      return raiseSignalArg(where, label, value);
    case 'wrappers':
      return wrappersArg(where, label, value);
    case 'fd':
      if (value === false) return false;
      if (typeof value !== 'number') throw invalidArgType(where, label, 'a file descriptor number or false', value);
      if (!isFd(value)) throw outOfRange(where, label, 'an integer of 3 or more (0-2 are stdio)', value);
      return value;
    case 'pid': {
      // One range text for every wrong number (0, 1.5, above pid_max).
      const expected = `a pid of this system (1..${pidMax()})`;
      if (typeof value !== 'number') throw invalidArgType(where, label, expected, value);
      const problem = parentPidProblem(value);
      if (problem?.kind === 'own')
        throw invalidArgValue(where, label, "the supervisor's pid, not this process's own", value);
      if (problem) throw outOfRange(where, label, expected, value);
      return value;
    }
    case 'pid-namespace':
      throw invalidArgValue(where, label, 'no value: this setting has no option', value);
  }
}

/** A validated option as its variable's text: what the watcher in a child reads back as the same value. */
export function variableText<R extends SettingRule>(rule: R, value: OptionValueOf[R['kind']]): string;
export function variableText(rule: SettingRule, value: OptionValueOf[keyof OptionValueOf]): string {
  if (rule.kind === 'duration') return `${value as number}ms`;
  if (rule.kind === 'wrappers') return value === false ? 'false' : (value as readonly string[]).join(',');
  return String(value);
}
