import { MAX_TIMER_MS, parseDuration } from '@lifeline/parent-watch';

/** Clamp a delay to what a Node timer accepts: [0, 2^31-1] ms. @internal */
export function clampDelay(ms: number): number {
  if (!Number.isFinite(ms) || ms <= 0) return ms === Number.POSITIVE_INFINITY ? MAX_TIMER_MS : 0;
  return Math.min(Math.round(ms), MAX_TIMER_MS);
}

/**
 * Read a programmatic duration option: milliseconds as a number, or a string `parseDuration` accepts.
 * Throws `TypeError`/`RangeError` naming the option. The result is clamped to [min, 2^31-1]. @internal
 */
export function durationOption(name: string, value: unknown, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  let ms: number;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`Invalid ${name}: expected a finite number of milliseconds, got ${value}`);
    ms = value;
  } else if (typeof value === 'string') {
    try {
      ms = parseDuration(value);
    } catch (error) {
      throw new RangeError(`Invalid ${name}: ${(error as Error).message}`);
    }
  } else {
    throw new TypeError(`Invalid ${name}: expected milliseconds (number) or a duration string such as "5s", got ${typeof value}`);
  }
  if (ms < min) throw new RangeError(`Invalid ${name}: ${String(value)} is below the minimum of ${min}ms`);
  return Math.min(Math.round(ms), MAX_TIMER_MS);
}

/** A promise that resolves after `ms`; the timer is unref'd unless `ref` is true. @internal */
export function delay(ms: number, ref = false): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, clampDelay(ms));
    if (!ref) timer.unref();
  });
}

/**
 * Poll `check` every `every` ms until it returns true or `timeoutMs` passes.
 * Resolves to whether the condition was met. Timers are kept referenced while waiting so that a
 * caller awaiting the result is not cut short. @internal
 */
export async function pollUntil(check: () => boolean, timeoutMs: number, every = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (check()) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await delay(Math.min(every, left), true);
  }
}
