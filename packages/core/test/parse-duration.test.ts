import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, MIN_INTERVAL_MS, formatMs, parseDuration } from '@lifeline/core/duration';

describe('parseDuration', () => {
  it.each([
    ['1m30s', 90_000],
    ['2', 2000],
    ['.5s', 500],
    ['-1s', -1000],
    ['0', 0],
    ['1h2m3s4ms', 3_723_004],
    ['2 seconds', 2000],
    ['1 minute', 60_000],
    ['1.5 Hours', 5_400_000],
    ['3 hrs', 10_800_000],
    ['-.5 sec', -500],
    ['1w', 604_800_000],
    ['1y', 31_557_600_000],
    ['500MS', 500],
    ['1d12h', 129_600_000],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '   ', 'abc', 's', '1m30', '1.2.3s', '1e3s', 'NaN', 'Infinity', '1x', '--1s', '9'.repeat(400)])(
    'rejects %j with a RangeError naming the input',
    (text) => {
      expect(() => parseDuration(text)).toThrow(RangeError);
      expect(() => parseDuration(text)).toThrow(/^parseDuration: text must be /);
    },
  );

  it('rejects non-strings with a TypeError', () => {
    expect(() => parseDuration(5 as unknown as string)).toThrow(TypeError);
  });

  it('reads a long form (the `ms` package) of at most 100 characters after trimming; Go forms and bare seconds have no cap', () => {
    const zeros = (n: number) => '0'.repeat(n);
    expect(parseDuration(`${zeros(91)}2 seconds`)).toBe(2000); // 100 characters
    expect(() => parseDuration(`${zeros(92)}2 seconds`)).toThrow(RangeError); // 101: `ms` refuses it
    expect(parseDuration(`${' '.repeat(500)}2 seconds${' '.repeat(500)}`)).toBe(2000); // trimmed first
    expect(parseDuration(`${zeros(10_000)}2s`)).toBe(2000);
    expect(parseDuration(`${zeros(10_000)}1m${zeros(10_000)}30s`)).toBe(90_000);
    expect(parseDuration(`${zeros(10_000)}2`)).toBe(2000);
  });
});

describe('formatMs (messages)', () => {
  it.each([
    [2000, '2s'],
    [1500, '1.5s'],
    [90_000, '90s'],
    [120_000, '2m'],
    [3_600_000, '1h'],
    [864e5, '1d'],
    [250, '250ms'],
    [10, '10ms'],
    [0, '0ms'],
    [2_147_483_647, '2147483.647s'],
  ])('%d → %s, exact, and parseDuration reads it back', (value, text) => {
    expect(formatMs(value)).toBe(text);
    expect(parseDuration(text)).toBe(value);
  });
});
