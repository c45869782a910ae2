import { constants } from 'node:os';
import { invalidArgType, invalidArgValue } from './errors.js';

/** A signal-name option (`'SIGTERM'`): throws `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` naming it. */
export function signalArg(where: string, name: string, value: unknown, fallback: NodeJS.Signals): NodeJS.Signals {
  if (value === undefined) return fallback;
  if (typeof value !== 'string') throw invalidArgType(where, name, 'a signal name such as "SIGTERM"', value);
  if (!Object.hasOwn(constants.signals, value)) throw invalidArgValue(where, name, 'a signal name such as "SIGTERM"', value);
  return value as NodeJS.Signals;
}
