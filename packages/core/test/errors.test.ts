// The one error shape (`<where>: <name> must be <expected>, got <value>`, Node's codes) and the value
// validators every package's options go through.
import { describe as group, expect, it } from 'vitest';
import {
  MAX_QUOTED_CHARS,
  booleanArg,
  describe,
  envArg,
  errorText,
  functionArg,
  integerArg,
  invalidArgType,
  invalidArgValue,
  optionsObject,
  outOfRange,
  pidArg,
  subject,
  withCode,
} from '@lifeline/core/errors';

const thrown = (fn: () => unknown): Error & { code?: string } => {
  try {
    fn();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('did not throw');
};

group('describe: a value as messages show it', () => {
  it.each([
    ['abc', '"abc"'],
    ['', '""'],
    ['a"b', '"a\\"b"'],
    [42, '42'],
    [-1.5, '-1.5'],
    [Number.NaN, 'NaN'],
    [true, 'true'],
    [null, 'null'],
    [undefined, 'undefined'],
    [[1], 'an array'],
    [() => 1, 'a function'],
    [{}, 'a value of type object'],
    [Symbol('s'), 'a value of type symbol'],
  ])('%j → %s', (value, text) => {
    expect(describe(value)).toBe(text);
  });

  it('a bigint as written', () => {
    expect(describe(10n)).toBe('10');
  });

  it(`cuts a string after ${MAX_QUOTED_CHARS} characters and says its length`, () => {
    expect(describe('x'.repeat(MAX_QUOTED_CHARS))).toBe(JSON.stringify('x'.repeat(MAX_QUOTED_CHARS)));
    expect(describe('x'.repeat(1000))).toBe(`${JSON.stringify('x'.repeat(MAX_QUOTED_CHARS))}… (1000 characters)`);
  });
});

group('the error constructors', () => {
  it('subject: "<where>: <name>", or the name alone for a command-line flag', () => {
    expect(subject('watchParent()', 'options.grace')).toBe('watchParent(): options.grace');
    expect(subject('', '--grace')).toBe('--grace');
  });

  it('withCode adds an enumerable, writable code and keeps the error', () => {
    const error = new Error('x');
    expect(withCode(error, 'ERR_OUT_OF_RANGE')).toBe(error);
    expect(Object.getOwnPropertyDescriptor(error, 'code')).toMatchObject({
      value: 'ERR_OUT_OF_RANGE',
      enumerable: true,
      writable: true,
    });
  });

  it.each([
    [
      invalidArgType('f()', 'options.a', 'a boolean', 'yes'),
      TypeError,
      'ERR_INVALID_ARG_TYPE',
      'f(): options.a must be a boolean, got "yes"',
    ],
    [
      invalidArgValue('f()', 'options.s', 'a signal name', 'SIGFOO'),
      RangeError,
      'ERR_INVALID_ARG_VALUE',
      'f(): options.s must be a signal name, got "SIGFOO"',
    ],
    [invalidArgValue('', '--s', 'x', 1, 'why'), RangeError, 'ERR_INVALID_ARG_VALUE', '--s must be x, got 1 (why)'],
    [
      outOfRange('f()', 'options.n', 'an integer within 1..3', 4),
      RangeError,
      'ERR_OUT_OF_RANGE',
      'f(): options.n must be an integer within 1..3, got 4',
    ],
  ])('%s', (error, type, code, message) => {
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ code, message });
  });
});

group('optionsObject', () => {
  it('undefined → {}; a plain object with known keys is returned as is', () => {
    expect(optionsObject('f()', 'options', undefined, ['a'])).toEqual({});
    const options = { a: 1 };
    expect(optionsObject('f()', 'options', options, ['a', 'b'])).toBe(options);
  });

  it.each([null, 1, 'x', [], () => ({})])('refuses %j with ERR_INVALID_ARG_TYPE', (value) => {
    const error = thrown(() => optionsObject('f()', 'options', value as object, ['a']));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.code).toBe('ERR_INVALID_ARG_TYPE');
    expect(error.message).toMatch(/^f\(\): options must be an object, got /);
  });

  it('an unknown key is a TypeError with ERR_INVALID_ARG_VALUE, naming the key and the known ones', () => {
    const error = thrown(() => optionsObject('f()', 'options', { a: 1, grase: 2 }, ['a', 'grace']));
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({
      code: 'ERR_INVALID_ARG_VALUE',
      message: 'f(): unknown option "options.grase" (known: a, grace)',
    });
  });
});

group('the option validators', () => {
  it('booleanArg', () => {
    expect(booleanArg('f()', 'o.b', undefined)).toBeUndefined();
    expect(booleanArg('f()', 'o.b', false)).toBe(false);
    expect(thrown(() => booleanArg('f()', 'o.b', 'true'))).toMatchObject({
      code: 'ERR_INVALID_ARG_TYPE',
      message: 'f(): o.b must be a boolean, got "true"',
    });
  });

  it('functionArg', () => {
    const fn = (): void => {};
    expect(functionArg('f()', 'o.f', undefined)).toBeUndefined();
    expect(functionArg('f()', 'o.f', fn)).toBe(fn);
    expect(thrown(() => functionArg('f()', 'o.f', {}))).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' });
  });

  it('pidArg: a positive safe integer; a numeric string is refused by type, never coerced', () => {
    expect(pidArg('f()', 'pid', 1)).toBe(1);
    expect(thrown(() => pidArg('f()', 'pid', '1234'))).toMatchObject({
      code: 'ERR_INVALID_ARG_TYPE',
      message: 'f(): pid must be a pid (a positive integer), got "1234"',
    });
    expect(thrown(() => pidArg('f()', 'pid', undefined))).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' });
    for (const pid of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      const error = thrown(() => pidArg('f()', 'pid', pid));
      expect(error).toBeInstanceOf(RangeError);
      expect(error.code).toBe('ERR_OUT_OF_RANGE');
    }
  });

  it('integerArg: an integer within the bounds, both included', () => {
    expect(integerArg('f()', 'n', undefined, 1, 3)).toBeUndefined();
    expect(integerArg('f()', 'n', 1, 1, 3)).toBe(1);
    expect(integerArg('f()', 'n', 3, 1, 3)).toBe(3);
    expect(thrown(() => integerArg('f()', 'n', '2', 1, 3))).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' });
    for (const n of [0, 4, 1.5, Number.NaN]) {
      expect(thrown(() => integerArg('f()', 'n', n, 1, 3))).toMatchObject({
        code: 'ERR_OUT_OF_RANGE',
        message: `f(): n must be an integer within 1..3, got ${n}`,
      });
    }
  });

  it('envArg: an object of variables; arrays, null and other types are refused', () => {
    const env = { A: '1' };
    expect(envArg('f()', 'o.env', undefined)).toBeUndefined();
    expect(envArg('f()', 'o.env', env)).toBe(env);
    for (const value of [null, [], 'A=1', 1])
      expect(thrown(() => envArg('f()', 'o.env', value))).toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' });
  });

  it('errorText: the stack of an Error, the text of anything else', () => {
    const error = new Error('boom');
    expect(errorText(error)).toBe(error.stack);
    expect(errorText('plain')).toBe('plain');
    expect(errorText(undefined)).toBe('undefined');
  });
});
