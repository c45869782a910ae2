import { describe, expect, it } from 'vitest';
import { UNCATCHABLE, raiseSignalArg, signalArg, signalName } from '@lifeline/core/signals';

describe('signalName: the one reading of a signal name in the environment', () => {
  it.each([
    ['SIGTERM', 'SIGTERM'],
    ['sigterm', 'SIGTERM'],
    ['TERM', 'SIGTERM'],
    ['  int ', 'SIGINT'],
    ['SIGKILL', 'SIGKILL'],
    ['usr2', 'SIGUSR2'],
  ])('%j → %s', (text, name) => {
    expect(signalName(text)).toBe(name);
  });

  it.each(['', ' ', 'SIG', 'SIGFOO', 'FOO', '15', 'SIG TERM', 'toString', '__proto__'])(
    '%j names no signal',
    (text) => {
      expect(signalName(text)).toBeNull();
    },
  );
});

describe('signalArg / raiseSignalArg: a signal option, exactly as Node spells it', () => {
  it('undefined gives the fallback; a known name is returned', () => {
    expect(signalArg('f()', 'o.signal', undefined, 'SIGTERM')).toBe('SIGTERM');
    expect(signalArg('f()', 'o.signal', 'SIGINT', 'SIGTERM')).toBe('SIGINT');
  });

  it('another type: ERR_INVALID_ARG_TYPE; an unknown or lower-case name: ERR_INVALID_ARG_VALUE', () => {
    expect(() => signalArg('f()', 'o.signal', 15, 'SIGTERM')).toThrow(
      expect.objectContaining({
        name: 'TypeError',
        code: 'ERR_INVALID_ARG_TYPE',
        message: 'f(): o.signal must be a signal name such as "SIGTERM", got 15',
      }),
    );
    for (const value of ['SIGFOO', 'sigterm', 'TERM']) {
      expect(() => signalArg('f()', 'o.signal', value, 'SIGTERM')).toThrow(
        expect.objectContaining({ name: 'RangeError', code: 'ERR_INVALID_ARG_VALUE' }),
      );
    }
  });

  it('raise: a signal the application can handle; SIGKILL and SIGSTOP are refused', () => {
    expect(raiseSignalArg('f()', 'o.raise', undefined)).toBeUndefined();
    expect(raiseSignalArg('f()', 'o.raise', 'SIGTERM')).toBe('SIGTERM');
    expect([...UNCATCHABLE].sort()).toEqual(['SIGKILL', 'SIGSTOP']);
    for (const signal of UNCATCHABLE) {
      expect(() => raiseSignalArg('f()', 'o.raise', signal)).toThrow(
        expect.objectContaining({
          code: 'ERR_INVALID_ARG_VALUE',
          message: expect.stringMatching(/can handle \(not SIGKILL or SIGSTOP\), got "SIG(KILL|STOP)"$/),
        }),
      );
    }
  });
});
