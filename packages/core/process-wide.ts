/**
 * One instance per process, shared by every copy of every Lifeline package (ESM beside CJS, a bundled
 * copy beside an installed one, two versions): signal-exit's idiom. The key is versioned (`….v1`): a
 * copy that needs another shape takes a new key instead of misreading the old one.
 */

/**
 * The process-wide value under `Symbol.for(key)` on `globalThis`, made by `create` on first use. It is
 * neither enumerable nor replaceable.
 * @example
 * ```ts
 * const warned = processWide('lifeline.example.v1', () => new Set<string>());
 * ```
 */
export function processWide<T>(key: string, create: () => T): T {
  let value = processWideIfMade<T>(key);
  if (value === undefined) {
    value = create();
    Object.defineProperty(globalThis, Symbol.for(key), {
      value,
      enumerable: false,
      configurable: false,
      writable: false,
    });
  }
  return value;
}

/**
 * The process-wide value under `Symbol.for(key)` if some copy made it, else `undefined`: for a reader
 * that has nothing to do with a value no one made.
 * @example
 * ```ts
 * processWideIfMade<Set<string>>('lifeline.example.v1')?.has('x') ?? false;
 * ```
 */
export function processWideIfMade<T>(key: string): T | undefined {
  return (globalThis as typeof globalThis & Record<symbol, T | undefined>)[Symbol.for(key)];
}
