// How an input becomes a delay: from a programmatic option (throw on a wrong type or value, clamp with a
// note) and from the environment (warn and fall back, never throw). The grammar itself: env.test.ts and
// linear-input.test.ts.
import { describe, expect, it } from 'vitest';
import {
  DELAY,
  INTERVAL,
  MAX_TIMER_MS,
  MIN_INTERVAL_MS,
  WINDOW,
  durationArg,
  durationFromEnv,
  formatMs,
  parseDurationOrNull,
} from '@lifeline/core/duration';
import { parseGoDurationOrNull } from '@lifeline/core/duration-grammar';

const notes = (): { warn: (message: string) => void; said: string[] } => {
  const said: string[] = [];
  return { said, warn: (message) => void said.push(message) };
};

describe('durationArg: a programmatic duration', () => {
  it('undefined gives the fallback, whatever it is', () => {
    const { warn, said } = notes();
    expect(durationArg('f()', 'o.interval', undefined, INTERVAL, 2000, warn)).toBe(2000);
    expect(durationArg('f()', 'o.interval', undefined, INTERVAL, undefined, warn)).toBeUndefined();
    expect(said).toEqual([]);
  });

  it.each([
    [250, 250],
    ['250ms', 250],
    ['2', 2000],
    ['1m30s', 90_000],
    ['2 seconds', 2000],
    [10.4, 10],
  ])('%j → %i ms, without a note', (value, ms) => {
    const { warn, said } = notes();
    expect(durationArg('f()', 'o.interval', value, INTERVAL, 2000, warn)).toBe(ms);
    expect(said).toEqual([]);
  });

  it('zero: a valid grace or delay, not a valid interval or window', () => {
    const { warn } = notes();
    expect(durationArg('f()', 'o.grace', 0, DELAY, 3000, warn)).toBe(0);
    expect(durationArg('f()', 'o.grace', '0s', DELAY, 3000, warn)).toBe(0);
    for (const rule of [INTERVAL, WINDOW]) {
      expect(() => durationArg('f()', 'o.interval', 0, rule, 2000, warn)).toThrow(
        expect.objectContaining({
          code: 'ERR_INVALID_ARG_VALUE',
          message: 'f(): o.interval must be a positive duration, got 0',
        }),
      );
    }
  });

  it.each([Number.NaN, Number.NEGATIVE_INFINITY, -1, '-1s'])('%j is refused with ERR_INVALID_ARG_VALUE', (value) => {
    const { warn } = notes();
    expect(() => durationArg('f()', 'o.grace', value, DELAY, 3000, warn)).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        code: 'ERR_INVALID_ARG_VALUE',
        message: expect.stringMatching(/^f\(\): o.grace must be a duration of zero or more, got /),
      }),
    );
  });

  it('a string that is no duration: ERR_INVALID_ARG_VALUE naming the accepted forms', () => {
    const { warn } = notes();
    expect(() => durationArg('f()', 'o.grace', 'soon', DELAY, 3000, warn)).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        code: 'ERR_INVALID_ARG_VALUE',
        message: expect.stringMatching(/^f\(\): o.grace must be a duration \(accepted: .*\), got "soon"$/),
      }),
    );
  });

  it.each([true, null, {}, [1000], Symbol('s')])('%s is refused with ERR_INVALID_ARG_TYPE', (value) => {
    const { warn } = notes();
    expect(() => durationArg('f()', 'o.grace', value, DELAY, 3000, warn)).toThrow(
      expect.objectContaining({ name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' }),
    );
  });

  it('outside the bounds: clamped, with one note naming the option and the value used', () => {
    const { warn, said } = notes();
    expect(durationArg('f()', 'o.interval', 1, INTERVAL, 2000, warn)).toBe(MIN_INTERVAL_MS);
    expect(durationArg('f()', 'o.interval', Number.POSITIVE_INFINITY, INTERVAL, 2000, warn)).toBe(MAX_TIMER_MS);
    expect(durationArg('f()', 'o.window', '2s', { ...WINDOW, max: 1000 }, 500, warn)).toBe(1000);
    expect(said).toEqual([
      `f(): o.interval=1 is outside [10ms, ${MAX_TIMER_MS}ms]; using 10ms`,
      `f(): o.interval=Infinity is outside [10ms, ${MAX_TIMER_MS}ms]; using ${MAX_TIMER_MS}ms`,
      'f(): o.window="2s" is outside [1ms, 1000ms]; using 1000ms',
    ]);
  });
});

describe("parseGoDurationOrNull: the light watcher's grammar, every form but the long ones", () => {
  it.each([
    ['2', 2000],
    [' .5S ', 500],
    ['1m30s', 90_000],
    ['+2s', 2000],
    ['500ms', 500],
    ['', null],
    ['abc', null],
    ['2 seconds', null],
    ['1 minute', null],
    ['1w', null],
  ] as const)('%j → %j (a long form is null: the full watcher reads it)', (text, ms) => {
    expect(parseGoDurationOrNull(text)).toBe(ms);
    if (ms !== null) expect(parseDurationOrNull(text)).toBe(ms);
  });
});

describe('durationFromEnv: a duration variable (never throws)', () => {
  it.each([undefined, '', '   '])('%j: the fallback, silently', (raw) => {
    const { warn, said } = notes();
    expect(durationFromEnv('X', raw, INTERVAL, 2000, warn, parseDurationOrNull)).toBe(2000);
    expect(said).toEqual([]);
  });

  it('a duration in any accepted form', () => {
    const { warn, said } = notes();
    expect(durationFromEnv('X', ' 1m30s ', INTERVAL, 2000, warn, parseDurationOrNull)).toBe(90_000);
    expect(durationFromEnv('X', '0', DELAY, 3000, warn, parseDurationOrNull)).toBe(0);
    expect(said).toEqual([]);
  });

  it.each([
    ['soon', INTERVAL, 'is not a duration'],
    ['0', INTERVAL, 'is not positive'],
    ['-1s', INTERVAL, 'is not positive'],
    ['-1s', DELAY, 'is negative'],
  ])('%j: the fallback, with a warning naming the variable (%#)', (raw, rule, why) => {
    const { warn, said } = notes();
    expect(durationFromEnv('X', raw, rule, 2000, warn, parseDurationOrNull)).toBe(2000);
    expect(said).toEqual([
      expect.stringMatching(new RegExp(`^X=${JSON.stringify(raw)} ${why}; using the default 2s \\(accepted: `)),
    ]);
  });

  it('outside the bounds: clamped, with a warning', () => {
    const { warn, said } = notes();
    expect(durationFromEnv('X', '1ms', INTERVAL, 2000, warn, parseDurationOrNull)).toBe(10);
    expect(durationFromEnv('X', '100d', DELAY, 3000, warn, parseDurationOrNull)).toBe(MAX_TIMER_MS);
    expect(said).toEqual([
      `X="1ms" is outside [10ms, ${MAX_TIMER_MS}ms]; using 10ms`,
      `X="100d" is outside [0ms, ${MAX_TIMER_MS}ms]; using ${MAX_TIMER_MS}ms`,
    ]);
  });
});

describe('formatMs: exact, in the largest unit that divides', () => {
  it.each([
    [0, '0ms'],
    [250, '250ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [1250, '1.25s'],
    [1234.4, '1.234s'],
    [60_000, '1m'],
    [90_000, '90s'],
    [3_600_000, '1h'],
    [86_400_000, '1d'],
    [-2000, '-2s'],
    [Number.POSITIVE_INFINITY, 'Infinityms'],
  ])('%s → %s', (ms, text) => {
    expect(formatMs(ms)).toBe(text);
  });
});
