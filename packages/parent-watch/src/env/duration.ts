import type ms from 'ms';
import { lazyRequire } from '../watch/log.js';

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  '\u00b5s': 1e-3, // micro sign, as Go spells it
  '\u03bcs': 1e-3, // Greek mu, also accepted by Go
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const NUMBER = String.raw`(?:\d+(?:\.\d*)?|\.\d+)`;
const UNIT = String.raw`(?:ns|us|\u00b5s|\u03bcs|ms|s|m|h|d)`;
/** A bare number: seconds, as LocalAI's C++ and Python watchers read it. */
const BARE = new RegExp(String.raw`^([+-]?)(${NUMBER})$`);
/** Go's time.ParseDuration grammar (plus `d`), units case-insensitive as in LocalAI's Python watcher. */
const GO = new RegExp(String.raw`^([+-]?)((?:${NUMBER}${UNIT})+)$`);
const GO_PART = new RegExp(String.raw`(${NUMBER})(${UNIT})`, 'g');

/**
 * Parse a duration into milliseconds.
 *
 * Accepts, after trimming white space and ignoring the case of units:
 * - a bare number, meaning seconds (`"3"`, `"0.25"`), as LocalAI's C++ and Python watchers do;
 * - Go's `time.ParseDuration` grammar: units `ns`, `us`/`µs`, `ms`, `s`, `m`, `h` (and `d`), compounds
 *   (`"1m30s"`), fractions (`".5s"`) and one leading sign (`"+2s"`);
 * - the long forms of the `ms` package (`"2 seconds"`, `"1 minute"`, `"1d"`, `"1y"`).
 *
 * It is a parser, not a validator of intervals: the result may be zero, negative or fractional.
 * Callers that need a positive interval check it themselves (as `watchParent` does).
 *
 * @param text - the duration, e.g. `"500ms"`, `"1m30s"`, `"2"` (2 s) or `"2 seconds"`.
 * @returns the duration in milliseconds (a finite number).
 * @throws {TypeError} when `text` is not a string.
 * @throws {RangeError} when `text` is not a duration in any accepted form, or overflows.
 * @example
 * ```ts
 * parseDuration('1m30s'); // 90000
 * parseDuration('2');     // 2000 (a bare number is seconds)
 * parseDuration('.5s');   // 500
 * parseDuration('abc');   // throws RangeError: Invalid duration "abc" …
 * ```
 */
export function parseDuration(text: string): number {
  if (typeof text !== 'string') {
    throw new TypeError(`Invalid duration: expected a string such as "500ms" or "2s", got ${describe(text)}`);
  }
  const value = parseDurationOrNull(text);
  if (value === null) {
    throw new RangeError(
      `Invalid duration ${JSON.stringify(text)}: expected a number of seconds ("2"), Go-style units ` +
        `("500ms", "1m30s", ".5s") or a long form ("2 seconds")`,
    );
  }
  return value;
}

/** Like {@link parseDuration} but returns `null` instead of throwing. @internal */
export function parseDurationOrNull(text: string): number | null {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === '') return null;
  let result: number | null = null;
  const bare = BARE.exec(trimmed);
  if (bare) {
    result = Number(bare[2]) * 1000 * (bare[1] === '-' ? -1 : 1);
  } else {
    const go = GO.exec(trimmed);
    if (go) {
      let total = 0;
      for (const part of (go[2] ?? '').matchAll(GO_PART)) {
        total += Number(part[1]) * (UNIT_MS[part[2] ?? ''] ?? Number.NaN);
      }
      result = go[1] === '-' ? -total : total;
    } else {
      // The `ms` package's long forms. It does not know signs other than '-', exponents or compounds.
      // Loaded only here: importing a CommonJS package from ESM costs a preload ~3 ms of start-up,
      // and the default path (unset, "2s", "500ms") never needs it.
      const parseLong = lazyRequire('ms') as typeof ms;
      const viaMs = parseLong(trimmed as ms.StringValue) as number | undefined;
      result = typeof viaMs === 'number' ? viaMs : null;
    }
  }
  return result !== null && Number.isFinite(result) ? result : null;
}

/** @internal */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  return Array.isArray(value) ? 'an array' : `a value of type ${typeof value}`;
}

const FORMAT_UNITS: readonly (readonly [string, number])[] = [
  ['d', 864e5],
  ['h', 36e5],
  ['m', 6e4],
  ['s', 1e3],
];

/**
 * Format milliseconds for messages, exactly (unlike `ms()`, which rounds 1500 to "2s"):
 * `2000` → `2s`, `90000` → `90s`, `120000` → `2m`, `1500` → `1.5s`, `250` → `250ms`. @internal
 */
export function formatMs(value: number): string {
  if (!Number.isFinite(value)) return `${value}ms`;
  const abs = Math.abs(value);
  for (const [unit, size] of FORMAT_UNITS) {
    if (abs >= size && abs % size === 0) return `${value / size}${unit}`;
  }
  if (abs >= 1000) return `${Number((value / 1000).toFixed(3))}s`;
  return `${value}ms`;
}
