/**
 * The duration grammar and every environment reader, against hostile text: linear time up to 1 MB
 * (compared across sizes, never against a clock threshold) and never a throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ENV, resolveConfig } from '@lifeline/core/config';
import { parseDuration, parseDurationOrNull } from '@lifeline/core/duration';
import { pumped, superlinearStep } from '../../../test/helpers/linear.js';

const MB = 1 << 20;

/**
 * The grammar as the regular expressions of 0.x spelled it: the reference the parser (our scanner for Go
 * forms and bare seconds, the `ms` package for long forms) must agree with on short inputs (on long ones
 * the `LONG` pattern here, `ms`'s own, is quadratic: `ms` refuses text over 100 characters before it).
 */
function regexGrammar(text: string): number | null {
  const UNIT_MS: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    '\u00b5s': 1e-3,
    '\u03bcs': 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
    d: 86_400_000,
  };
  const LONG_UNIT_MS: [RegExp, number][] = [
    [/^(?:milliseconds?|msecs?|ms)$/, 1],
    [/^(?:seconds?|secs?|s)$/, 1000],
    [/^(?:minutes?|mins?|m)$/, 60_000],
    [/^(?:hours?|hrs?|h)$/, 3_600_000],
    [/^(?:days?|d)$/, 86_400_000],
    [/^(?:weeks?|w)$/, 604_800_000],
    [/^(?:years?|yrs?|y)$/, 31_557_600_000],
  ];
  const NUMBER = String.raw`(?:\d+(?:\.\d*)?|\.\d+)`;
  const UNIT = String.raw`(?:ns|us|\u00b5s|\u03bcs|ms|s|m|h|d)`;
  const trimmed = text.trim().toLowerCase();
  if (trimmed === '') return null;
  let result: number | null = null;
  const bare = new RegExp(String.raw`^([+-]?)(${NUMBER})$`).exec(trimmed);
  const go = bare ? null : new RegExp(String.raw`^([+-]?)((?:${NUMBER}${UNIT})+)$`).exec(trimmed);
  const long = bare || go ? null : /^(-?(?:\d+)?\.?\d+) *([a-z]+)$/.exec(trimmed);
  if (bare) result = Number(bare[2]) * 1000 * (bare[1] === '-' ? -1 : 1);
  else if (go) {
    let total = 0;
    for (const part of (go[2] ?? '').matchAll(new RegExp(String.raw`(${NUMBER})(${UNIT})`, 'g')))
      total += Number(part[1]) * (UNIT_MS[part[2] ?? ''] ?? Number.NaN);
    result = go[1] === '-' ? -total : total;
  } else if (long) {
    const unit = LONG_UNIT_MS.find(([words]) => words.test(long[2] ?? ''));
    if (unit) result = Number(long[1]) * unit[1];
  }
  return result !== null && Number.isFinite(result) ? result : null;
}

/** Characters durations are made of, and those that end them badly. */
const DURATION_CHARS = [...'0123456789.+- \tsmhdnuµμwyrecoiMSH!x'];
const durationText = (maxLength: number) => fc.string({ unit: fc.constantFrom(...DURATION_CHARS), maxLength });
/** Text built to make a backtracking parser work hard: a prefix, a pumped middle, a suffix. */
const attack = fc.record({
  prefix: durationText(4),
  pump: durationText(3).filter((p) => p.length > 0),
  suffix: durationText(3),
});

describe('parseDuration: linear time (issue 16, item 2)', () => {
  it.each([
    ['a long run of digits, then a character no grammar accepts', pumped('', '1', '!')],
    ['a long run of digits, then a space and a word that is no unit', pumped('', '1', ' x')],
    ['a signed run of digits, then junk', pumped('-', '1', '!')],
    ['a fraction with a long run of digits, then junk', pumped('1.', '1', '!')],
    ['a long Go compound, then junk', pumped('', '1s', '!')],
    ['a long Go compound of fractions, then junk', pumped('', '1.5m', 'x')],
    ['many spaces between a number and a word', pumped('1', ' ', 'x')],
    ['a long unit word', pumped('1 ', 's', '')],
    [
      "a long run of digits, then a unit word (a long form, past the `ms` package's 100 characters)",
      pumped('', '1', ' seconds'),
    ],
  ])('%s: the time grows linearly up to 1 MB', (_name, make) => {
    expect(superlinearStep(make, parseDurationOrNull)).toBeUndefined();
  });

  it('property: pumped duration text of up to 1 MB is parsed in linear time', () => {
    fc.assert(
      fc.property(attack, ({ prefix, pump, suffix }) => {
        expect(superlinearStep(pumped(prefix, pump, suffix), parseDurationOrNull)).toBeUndefined();
      }),
      { numRuns: 10 },
    );
  });

  it('property: the parser reads every short text as the regular-expression grammar did', () => {
    fc.assert(
      fc.property(
        fc.oneof(durationText(16), fc.string({ maxLength: 16 }), fc.string({ unit: 'grapheme', maxLength: 8 })),
        (text) => {
          expect(parseDurationOrNull(text)).toBe(regexGrammar(text));
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it('property: any string is a finite number or a RangeError ERR_INVALID_ARG_VALUE, never another throw', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), durationText(40)), (text) => {
        let value: number | undefined;
        try {
          value = parseDuration(text);
        } catch (error) {
          expect(error).toBeInstanceOf(RangeError);
          expect((error as NodeJS.ErrnoException).code).toBe('ERR_INVALID_ARG_VALUE');
          return;
        }
        expect(Number.isFinite(value)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('resolveConfig: every variable, linear time and never a throw', () => {
  const variables = Object.values(ENV);

  it.each(variables)('%s: pumped text of up to 1 MB is read in linear time, with at most one warning', (name) => {
    fc.assert(
      fc.property(attack, ({ prefix, pump, suffix }) => {
        const make = pumped(prefix, pump, suffix);
        expect(superlinearStep(make, (value) => resolveConfig({ [name]: value }))).toBeUndefined();
        const { warnings } = resolveConfig({ [name]: make(MB) });
        expect(warnings.length).toBeLessThanOrEqual(1);
        for (const warning of warnings) expect(warning.length).toBeLessThan(500);
      }),
      { numRuns: 4 },
    );
  });

  it('property: arbitrary strings in every variable at once never throw; every warning names its variable', () => {
    const value = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      durationText(24),
      fc.constantFrom('', ' ', '\u0000', 'NaN', 'Infinity', '-1', '1e309'),
    );
    fc.assert(
      fc.property(fc.record(Object.fromEntries(variables.map((n) => [n, value])), { requiredKeys: [] }), (env) => {
        const config = resolveConfig(env as Record<string, string>);
        expect(config.warnings.length).toBeLessThanOrEqual(variables.length);
        for (const warning of config.warnings) expect(variables.some((n) => warning.startsWith(`${n}=`))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
