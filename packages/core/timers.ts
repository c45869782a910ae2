// Timers that cannot overflow: every delay goes through `clampDelay` (a Node timer above 2^31-1 ms
// silently fires after 1 ms: a busy loop).
import { MAX_TIMER_MS } from './duration.js';

/** Clamp a delay to what a Node timer accepts: [0, 2^31-1] ms (`Infinity` → the largest). */
export function clampDelay(ms: number): number {
  if (!Number.isFinite(ms) || ms <= 0) return ms === Number.POSITIVE_INFINITY ? MAX_TIMER_MS : 0;
  return Math.min(Math.round(ms), MAX_TIMER_MS);
}

/** A promise that resolves after `ms`; the timer is unref'd unless `ref` is true. */
export function delay(ms: number, ref = false): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, clampDelay(ms));
    if (!ref) timer.unref();
  });
}

/** Options of {@link pollUntil}. */
export interface PollOptions {
  /** Whether the timers keep the event loop alive. @default true */
  ref?: boolean;
  /** Settles when `check` may have turned true (an 'exit' event): looked at at once, not at the next poll. */
  wake?: Promise<unknown> | undefined;
}

/**
 * Poll `check` every `every` ms until it returns true or `timeoutMs` passes; resolves to whether it did.
 * The timers are referenced unless `ref: false`, so a caller awaiting the result is not cut short.
 */
export async function pollUntil(
  check: () => boolean,
  timeoutMs: number,
  every = 50,
  { ref = true, wake }: PollOptions = {},
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  // A settled wake counts once: after it, `check` is polled.
  let woken = wake?.then(
    () => 'woken',
    () => 'woken',
  );
  for (;;) {
    if (check()) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    const tick = delay(Math.min(every, left), ref);
    if (woken === undefined) await tick;
    else if ((await Promise.race([tick, woken])) === 'woken') woken = undefined;
  }
}
