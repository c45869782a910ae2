/**
 * Durations: the one grammar (parse), the one way to print them (format), and the one rule for
 * turning an input into a delay — from the environment (warn and fall back, never throw) or from a
 * programmatic option (throw on the wrong type or a non-positive value; clamp into bounds with a
 * warning). Every package, the CLI and the watchdog thread use these.
 */
import { parseDurationOrNull } from './duration-grammar.js';
import { describe, invalidArgType, invalidArgValue, subject } from './errors.js';
import { MAX_TIMER_MS, type DurationRule } from './duration-bounds.js';

export { parseDurationOrNull };
export { DELAY, INTERVAL, MAX_TIMER_MS, MIN_INTERVAL_MS, WINDOW, type DurationRule } from './duration-bounds.js';

/**
 * Parse a duration into milliseconds.
 *
 * Accepts, after trimming white space and ignoring the case of units:
 * - a bare number, meaning seconds (`"3"`, `"0.25"`), as LocalAI's C++ and Python watchers do;
 * - Go's `time.ParseDuration` grammar: units `ns`, `us`/`µs`, `ms`, `s`, `m`, `h` (and `d`), compounds
 *   (`"1m30s"`), fractions (`".5s"`) and one leading sign (`"+2s"`);
 * - one number with a long unit word, read by the `ms` package (`"2 seconds"`, `"1 minute"`, `"3 hrs"`,
 *   `"1w"`, `"1y"` = 365.25 days), at most 100 characters long after trimming (`ms` refuses longer text).
 *
 * It is a parser, not a validator of intervals: the result may be zero, negative or fractional. Its time
 * is linear in the length of `text`, whatever `text` holds, so no length cap is needed: a 1 MB value
 * of the environment is read in milliseconds and refused like any other non-duration.
 *
 * @param text - the duration, e.g. `"500ms"`, `"1m30s"`, `"2"` (2 s) or `"2 seconds"`.
 * @returns the duration in milliseconds (a finite number).
 * @throws {TypeError} `ERR_INVALID_ARG_TYPE` when `text` is not a string.
 * @throws {RangeError} `ERR_INVALID_ARG_VALUE` when `text` is not a duration in any accepted form, or overflows.
 * @example
 * ```ts
 * parseDuration('1m30s'); // 90000
 * parseDuration('2');     // 2000 (a bare number is seconds)
 * parseDuration('.5s');   // 500
 * parseDuration('abc');   // throws RangeError: parseDuration: text must be a number of seconds ("2"), …
 * ```
 */
export function parseDuration(text: string): number {
  if (typeof text !== 'string')
    throw invalidArgType('parseDuration', 'text', 'a duration string such as "500ms" or "2s"', text);
  const value = parseDurationOrNull(text);
  if (value === null) {
    const expected = 'a number of seconds ("2"), Go-style units ("500ms", "1m30s", ".5s") or a long form ("2 seconds")';
    throw invalidArgValue('parseDuration', 'text', expected, text);
  }
  return value;
}

const FORMAT_UNITS: readonly (readonly [string, number])[] = [
  ['d', 864e5],
  ['h', 36e5],
  ['m', 6e4],
  ['s', 1e3],
];

/** Milliseconds for messages, exactly: `2000` → `2s`, `90000` → `90s`, `1500` → `1.5s`, `250` → `250ms`. */
export function formatMs(value: number): string {
  if (!Number.isFinite(value)) return `${value}ms`;
  const abs = Math.abs(value);
  for (const [unit, size] of FORMAT_UNITS) {
    if (abs >= size && abs % size === 0) return `${value / size}${unit}`;
  }
  if (abs >= 1000) return `${Number((value / 1000).toFixed(3))}s`;
  return `${value}ms`;
}

const ACCEPTED = `(accepted: "500ms", "2s", "1m30s", "2" for seconds, "2 seconds")`;

function clamp(value: number, rule: DurationRule, label: string, warn: (message: string) => void): number {
  const max = rule.max ?? MAX_TIMER_MS;
  const used = Math.min(Math.max(Math.round(value), rule.min), max);
  if (value < rule.min || value > max) warn(`${label} is outside [${formatMs(rule.min)}, ${max}ms]; using ${used}ms`);
  return used;
}

/**
 * Read a duration variable of the environment. Never throws: unset or blank → `fallback`; unparseable or
 * not positive (or negative, where zero is allowed) → `fallback` with a warning; outside the bounds →
 * clamped with a warning. Every warning names the variable. `parse`: the grammar, `parseDurationOrNull`
 * (every form) but for the light watcher, which reads the Go forms only and hands the rest over.
 */
export function durationFromEnv(
  name: string,
  raw: string | undefined,
  rule: DurationRule,
  fallback: number,
  warn: (message: string) => void,
  parse: (text: string) => number | null,
): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const parsed = parse(raw);
  if (parsed === null || (rule.zero ? parsed < 0 : parsed <= 0)) {
    const why = parsed === null ? 'is not a duration' : rule.zero ? 'is negative' : 'is not positive';
    warn(`${name}=${describe(raw)} ${why}; using the default ${formatMs(fallback)} ${ACCEPTED}`);
    return fallback;
  }
  return clamp(parsed, rule, `${name}=${describe(raw)}`, warn);
}

/**
 * Read a programmatic duration: milliseconds (number) or a duration string. Throws `ERR_INVALID_ARG_TYPE`
 * for another type, `ERR_INVALID_ARG_VALUE` for a string that is not a duration, a non-finite number, or
 * a value below zero (or zero, where the rule wants it positive). A value outside the bounds is clamped
 * with a warning (`warn`). `undefined` gives `fallback`.
 */
export function durationArg<F extends number | undefined>(
  where: string,
  name: string,
  value: unknown,
  rule: DurationRule,
  fallback: F,
  warn: (message: string) => void,
): number | F {
  if (value === undefined) return fallback;
  let ms: number;
  if (typeof value === 'number') {
    ms = value;
  } else if (typeof value === 'string') {
    const parsed = parseDurationOrNull(value);
    if (parsed === null) throw invalidArgValue(where, name, `a duration ${ACCEPTED}`, value);
    ms = parsed;
  } else {
    throw invalidArgType(where, name, 'milliseconds (a number) or a duration string such as "5s"', value);
  }
  if (Number.isNaN(ms) || ms === Number.NEGATIVE_INFINITY || (rule.zero ? ms < 0 : ms <= 0)) {
    throw invalidArgValue(where, name, rule.zero ? 'a duration of zero or more' : 'a positive duration', value);
  }
  return clamp(ms, rule, `${subject(where, name)}=${describe(value)}`, warn);
}
