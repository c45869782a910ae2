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
  const symbol = Symbol.for(key);
  const holder = globalThis as typeof globalThis & Record<symbol, T | undefined>;
  let value = holder[symbol];
  if (value === undefined) {
    value = create();
    Object.defineProperty(holder, symbol, { value, enumerable: false, configurable: false, writable: false });
  }
  return value;
}
