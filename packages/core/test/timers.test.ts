import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS } from '@lifeline/core/duration';
import { clampDelay, delay, pollUntil } from '@lifeline/core/timers';

describe('clampDelay: what a Node timer accepts (a longer one fires after 1 ms)', () => {
  it.each([
    [0, 0],
    [-5, 0],
    [Number.NaN, 0],
    [Number.NEGATIVE_INFINITY, 0],
    [1.4, 1],
    [1.5, 2],
    [2000, 2000],
    [MAX_TIMER_MS, MAX_TIMER_MS],
    [MAX_TIMER_MS + 1, MAX_TIMER_MS],
    [Number.POSITIVE_INFINITY, MAX_TIMER_MS],
  ])('%s → %s', (ms, clamped) => {
    expect(clampDelay(ms)).toBe(clamped);
  });
});

describe('delay and pollUntil', () => {
  it('delay(Infinity) is a long wait, not a busy loop: it has not resolved after a zero delay', async () => {
    let done = false;
    void delay(Number.POSITIVE_INFINITY).then(() => (done = true));
    await delay(0, true);
    expect(done).toBe(false);
  });

  it('pollUntil: true as soon as the check passes; false once the time is up, having checked at least once', async () => {
    let calls = 0;
    expect(await pollUntil(() => ++calls === 3, 10_000, 1)).toBe(true);
    expect(calls).toBe(3);
    let checked = 0;
    expect(await pollUntil(() => (checked++, false), 0)).toBe(false);
    expect(checked).toBe(1);
  });
});
