import { nodeOs } from './builtin.js';
import { invalidArgType, invalidArgValue } from './errors.js';

/** The signal `text` names (`'SIGTERM'`, `'sigterm'`, `'TERM'`, surrounding spaces ignored), or `null`. */
export function signalName(text: string): NodeJS.Signals | null {
  const upper = text.trim().toUpperCase();
  const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  return Object.hasOwn(nodeOs().constants.signals, name) ? (name as NodeJS.Signals) : null;
}

/** Signals a process cannot handle: raising one ends it at once, with no handler run. */
export const UNCATCHABLE: ReadonlySet<string> = new Set(['SIGKILL', 'SIGSTOP']);

/** A signal-name option (`'SIGTERM'`): throws `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` naming it. */
export function signalArg(where: string, name: string, value: unknown, fallback: NodeJS.Signals): NodeJS.Signals {
  if (value === undefined) return fallback;
  if (typeof value !== 'string') throw invalidArgType(where, name, 'a signal name such as "SIGTERM"', value);
  if (!Object.hasOwn(nodeOs().constants.signals, value))
    throw invalidArgValue(where, name, 'a signal name such as "SIGTERM"', value);
  return value as NodeJS.Signals;
}

/** The `raise` option: a signal the application can handle, or `undefined`. Throws like `signalArg`, and for SIGKILL/SIGSTOP. */
export function raiseSignalArg(where: string, name: string, value: unknown): NodeJS.Signals | undefined {
  if (value === undefined) return undefined;
  const signal = signalArg(where, name, value, 'SIGTERM');
  if (UNCATCHABLE.has(signal))
    throw invalidArgValue(where, name, 'a signal the application can handle (not SIGKILL or SIGSTOP)', signal);
  return signal;
}
