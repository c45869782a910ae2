/**
 * The duration grammar: a bare number of seconds, Go's `time.ParseDuration` (plus `d`), or one number
 * with a long unit word as the `ms` package spells them. `parseDuration` (./duration.ts) documents it.
 */

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
/** Long unit words (the `ms` package's vocabulary): `2 seconds`, `1 minute`, `3 hrs`, `1y`. */
const LONG_UNIT_MS: ReadonlyMap<string, number> = new Map(
  (
    [
      [['milliseconds', 'millisecond', 'msecs', 'msec', 'ms'], 1],
      [['seconds', 'second', 'secs', 'sec', 's'], 1000],
      [['minutes', 'minute', 'mins', 'min', 'm'], 60_000],
      [['hours', 'hour', 'hrs', 'hr', 'h'], 3_600_000],
      [['days', 'day', 'd'], 86_400_000],
      [['weeks', 'week', 'w'], 604_800_000],
      [['years', 'year', 'yrs', 'yr', 'y'], 31_557_600_000],
    ] as const
  ).flatMap(([words, ms]) => words.map((word) => [word, ms] as const)),
);

// A hand-written scanner, not one pattern for the whole text: each character is looked at a bounded
// number of times, so parsing is linear in the length of the text whatever it holds (a backtracking
// pattern with two adjacent digit runs was quadratic on a long run of digits). Runs of one character
// class are read by sticky patterns that cannot backtrack: native speed on a cold start.
const DIGIT_RUN = /[0-9]*/y;
const SPACE_RUN = / */y;

function runEnd(run: RegExp, text: string, at: number): number {
  run.lastIndex = at;
  run.test(text);
  return run.lastIndex;
}

function isDigit(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  return code >= 48 && code <= 57;
}

function digitsEnd(text: string, at: number): number {
  return runEnd(DIGIT_RUN, text, at);
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

/** One number and one long unit word, optionally apart by spaces: `-?(\d*\.)?\d+ *[a-z]+`. */
function parseLong(text: string): number | null {
  let at = text[0] === '-' ? 1 : 0;
  const intEnd = digitsEnd(text, at);
  let end = intEnd;
  if (text[intEnd] === '.') {
    end = digitsEnd(text, intEnd + 1);
    if (end === intEnd + 1) return null;
  } else if (intEnd === at) return null;
  const number = text.slice(0, end);
  at = end;
  at = runEnd(SPACE_RUN, text, at);
  const unit = LONG_UNIT_MS.get(text.slice(at));
  return unit === undefined ? null : Number(number) * unit;
}

/** Parse a duration into milliseconds, or `null` when it is not one (see `parseDuration`). */
export function parseDurationOrNull(text: string): number | null {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === '') return null;
  const result = parseGo(trimmed) ?? parseLong(trimmed);
  return result !== null && Number.isFinite(result) ? result : null;
}
