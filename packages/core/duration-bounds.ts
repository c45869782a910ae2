/**
 * The bounds of durations: what the settings table states for each duration setting, apart from the
 * readers (duration.ts), so that the table can be read without them (the register preload's facts are
 * computed from it at build time).
 */

/** Longest delay a Node timer accepts; a longer one silently fires after 1 ms (a busy loop). */
export const MAX_TIMER_MS = 2_147_483_647;
/** Shortest poll interval: below it a watcher is a busy loop. */
export const MIN_INTERVAL_MS = 10;

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
export const INTERVAL: DurationRule = { min: MIN_INTERVAL_MS, zero: false };
/** A grace period or a delay: zero or more. */
export const DELAY: DurationRule = { min: 0, zero: true };
/** A time window that must not be empty. */
export const WINDOW: DurationRule = { min: 1, zero: false };
