/**
 * The duration grammar: a bare number of seconds or Go's `time.ParseDuration` (plus `d`), our own
 * scanner; one number with a long unit word, the `ms` package (bundled into each package's dist, so it
 * loads with the file that uses it and an app's bundler never resolves it). `parseDuration`
 * (./duration.ts) documents it.
 */
import ms from 'ms';

/** Go's units (plus `d`), by their lower-case spelling. */
const UNIT_MS: ReadonlyMap<string, number> = new Map([
  ['ns', 1e-6],
  ['us', 1e-3],
  ['\u00b5s', 1e-3], // micro sign, as Go spells it
  ['\u03bcs', 1e-3], // Greek mu, also accepted by Go
  ['ms', 1],
  ['s', 1000],
  ['m', 60_000],
  ['h', 3_600_000],
  ['d', 86_400_000],
]);

// A hand-written scanner, not one pattern for the whole text: each character is looked at a bounded
// number of times, so parsing is linear in the length of the text whatever it holds (a backtracking
// pattern with two adjacent digit runs was quadratic on a long run of digits). Runs of one character
// class are read by a sticky pattern that cannot backtrack: native speed on a cold start.
const DIGIT_RUN = /[0-9]*/y;

function isDigit(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  return code >= 48 && code <= 57;
}

function digitsEnd(text: string, at: number): number {
  DIGIT_RUN.lastIndex = at;
  DIGIT_RUN.test(text);
  return DIGIT_RUN.lastIndex;
}

/** End of a Go number (`12`, `12.`, `12.5`, `.5`) starting at `at`, or -1. */
function goNumberEnd(text: string, at: number): number {
  if (isDigit(text, at)) {
    const end = digitsEnd(text, at);
    return text[end] === '.' ? digitsEnd(text, end + 1) : end;
  }
  if (text[at] === '.' && isDigit(text, at + 1)) return digitsEnd(text, at + 1);
  return -1;
}

/** The Go unit starting at `at` (the longest: `ms` before `m`), or undefined. */
function goUnitAt(text: string, at: number): string | undefined {
  const two = text.slice(at, at + 2);
  if (UNIT_MS.has(two)) return two;
  const one = text.slice(at, at + 1);
  return UNIT_MS.has(one) ? one : undefined;
}

/** A bare number (seconds) or Go's grammar: `[+-]?(<number><unit>)+` or `[+-]?<number>`. */
function parseGo(text: string): number | null {
  const signed = text[0] === '+' || text[0] === '-';
  let at = signed ? 1 : 0;
  const sign = text[0] === '-' ? -1 : 1;
  const first = goNumberEnd(text, at);
  if (first === -1) return null;
  if (first === text.length) return Number(text.slice(at)) * 1000 * sign;
  let total = 0;
  while (at < text.length) {
    const end = goNumberEnd(text, at);
    if (end === -1) return null;
    const unit = goUnitAt(text, end);
    if (unit === undefined) return null;
    total += Number(text.slice(at, end)) * (UNIT_MS.get(unit) as number);
    at = end + unit.length;
  }
  return sign === -1 ? -total : total;
}

/**
 * One number and one long unit word, optionally apart by spaces (`2 seconds`, `1 minute`, `3 hrs`, `1w`,
 * `1y` = 365.25 days): the `ms` package's grammar, read by `ms` itself. Its pattern backtracks on a long
 * run of digits, and it refuses any text over 100 characters before matching: that cap is what keeps it
 * fast, so the long forms are limited to 100 characters while the Go forms and bare seconds have no limit.
 */
function parseLong(text: string): number | null {
  const value = ms(text as ms.StringValue) as number | undefined;
  return value ?? null;
}

const finite = (ms: number | null): number | null => (ms !== null && Number.isFinite(ms) ? ms : null);

/** Parse a duration into milliseconds, or `null` when it is not one (see `parseDuration`). */
export function parseDurationOrNull(text: string): number | null {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === '') return null;
  return finite(parseGo(trimmed) ?? parseLong(trimmed));
}

/**
 * The same for a bare number of seconds and Go's grammar only, `null` for a long form (`2 seconds`) too:
 * for the register preload's light watcher, which leaves long forms to the full watcher so that its own
 * bundle does without the `ms` package.
 */
export function parseGoDurationOrNull(text: string): number | null {
  const trimmed = text.trim().toLowerCase();
  return trimmed === '' ? null : finite(parseGo(trimmed));
}
