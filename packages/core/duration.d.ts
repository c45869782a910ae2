/** Longest delay a Node timer accepts; a longer one silently fires after 1 ms (a busy loop). */
export declare const MAX_TIMER_MS = 2147483647;
/** Shortest poll interval: below it a watcher is a busy loop. */
export declare const MIN_INTERVAL_MS = 10;
/** Parse a duration into milliseconds, or `null` when it is not one (see `parseDuration`). */
export declare function parseDurationOrNull(text: string): number | null;
/**
 * Parse a duration into milliseconds.
 *
 * Accepts, after trimming white space and ignoring the case of units:
 * - a bare number, meaning seconds (`"3"`, `"0.25"`), as LocalAI's C++ and Python watchers do;
 * - Go's `time.ParseDuration` grammar: units `ns`, `us`/`µs`, `ms`, `s`, `m`, `h` (and `d`), compounds
 *   (`"1m30s"`), fractions (`".5s"`) and one leading sign (`"+2s"`);
 * - one number with a long unit word, as the `ms` package spells them (`"2 seconds"`, `"1 minute"`,
 *   `"3 hrs"`, `"1w"`, `"1y"` = 365.25 days).
 *
 * It is a parser, not a validator of intervals: the result may be zero, negative or fractional.
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
 * parseDuration('abc');   // throws RangeError: Invalid duration "abc" …
 * ```
 */
export declare function parseDuration(text: string): number;
/** Milliseconds for messages, exactly: `2000` → `2s`, `90000` → `90s`, `1500` → `1.5s`, `250` → `250ms`. */
export declare function formatMs(value: number): string;
/** What a duration may be: its bounds, whether zero is allowed, and its default. */
export interface DurationRule {
    /** Smallest value; a positive value below it is raised to it with a warning. */
    min: number;
    /** Largest value; a larger one is lowered to it with a warning. @default MAX_TIMER_MS */
    max?: number;
    /** Whether 0 is a valid value (a grace or a delay) or not (an interval). */
    zero: boolean;
}
/** A poll interval: positive, at least 10 ms. */
export declare const INTERVAL: DurationRule;
/** A grace period or a delay: zero or more. */
export declare const DELAY: DurationRule;
/** A time window that must not be empty. */
export declare const WINDOW: DurationRule;
/**
 * Read a duration variable of the environment. Never throws: unset or blank → `fallback`; unparseable or
 * not positive (or negative, where zero is allowed) → `fallback` with a warning; outside the bounds →
 * clamped with a warning. Every warning names the variable.
 */
export declare function durationFromEnv(name: string, raw: string | undefined, rule: DurationRule, fallback: number, warn: (message: string) => void): number;
/**
 * Read a programmatic duration: milliseconds (number) or a duration string. Throws `ERR_INVALID_ARG_TYPE`
 * for another type, `ERR_INVALID_ARG_VALUE` for a string that is not a duration, a non-finite number, or
 * a value below zero (or zero, where the rule wants it positive). A value outside the bounds is clamped
 * with a warning (`warn`). `undefined` gives `fallback`.
 */
export declare function durationArg(where: string, name: string, value: unknown, rule: DurationRule, fallback: number, warn: (message: string) => void): number;
export declare function durationArg(where: string, name: string, value: unknown, rule: DurationRule, fallback: number | undefined, warn: (message: string) => void): number | undefined;
