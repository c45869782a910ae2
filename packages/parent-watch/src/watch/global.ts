import type { ParentWatch } from './types.js';
import { prefix, writeLine } from './log.js';

/** Process-wide state, shared by every copy of this package (ESM beside CJS, or two versions). @internal */
export interface SharedState {
  /** The armed (or disabled) watcher, until it is stopped. */
  current: ParentWatch | undefined;
  /** The explicit options the current watcher was armed with, to warn about conflicting calls. */
  currentOptions: Readonly<Record<string, unknown>> | undefined;
  /** Warnings already printed: each is printed once per process. */
  warned: Set<string>;
}

const KEY = Symbol.for('lifeline.parent-watch.v1');

/** @internal */
export function sharedState(): SharedState {
  const holder = globalThis as typeof globalThis & { [KEY]?: SharedState };
  let state = holder[KEY];
  if (!state) {
    state = { current: undefined, currentOptions: undefined, warned: new Set() };
    Object.defineProperty(holder, KEY, { value: state, enumerable: false, configurable: false, writable: false });
  }
  return state;
}

/** Print a warning on stderr, once per process. @internal */
export function warnOnce(message: string): void {
  const { warned } = sharedState();
  if (warned.has(message)) return;
  warned.add(message);
  writeLine(`${prefix()} warning: ${message}`);
}
