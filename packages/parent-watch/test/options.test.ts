import { describe, expect, it } from 'vitest';
import { resolveSettings } from '../src/watch/options.js';
import type { WatchParentOptions } from '../src/watch/types.js';

const bad = (options: unknown) => () => resolveSettings(options as WatchParentOptions);

describe('watchParent options', () => {
  it.each([
    [{ interval: 'abc' }, RangeError, 'ERR_INVALID_ARG_VALUE', /options\.interval must be a duration/],
    [{ interval: 0 }, RangeError, 'ERR_INVALID_ARG_VALUE', /options\.interval must be a positive duration, got 0/],
    [{ interval: -5 }, RangeError, 'ERR_INVALID_ARG_VALUE', /options\.interval/],
    [{ interval: Number.NaN }, RangeError, 'ERR_INVALID_ARG_VALUE', /options\.interval/],
    [{ interval: {} }, TypeError, 'ERR_INVALID_ARG_TYPE', /options\.interval must be milliseconds/],
    [{ grace: -1 }, RangeError, 'ERR_INVALID_ARG_VALUE', /options\.grace must be a duration of zero or more/],
    [{ grace: '1 fortnight' }, RangeError, 'ERR_INVALID_ARG_VALUE', /options\.grace/],
    [
      { exitCode: 1.5 },
      RangeError,
      'ERR_OUT_OF_RANGE',
      /options\.exitCode must be an integer within 0\.\.255, got 1\.5/,
    ],
    [{ exitCode: 256 }, RangeError, 'ERR_OUT_OF_RANGE', /options\.exitCode/],
    [{ exitCode: '1' }, TypeError, 'ERR_INVALID_ARG_TYPE', /options\.exitCode/],
    [{ parentPid: 0 }, RangeError, 'ERR_OUT_OF_RANGE', /options\.parentPid/],
    [{ parentPid: 2 ** 40 }, RangeError, 'ERR_OUT_OF_RANGE', /options\.parentPid must be a pid of this system/],
    [
      { parentPid: process.pid },
      RangeError,
      'ERR_INVALID_ARG_VALUE',
      /options\.parentPid must be the supervisor's pid/,
    ],
    [{ parentPid: '12' }, TypeError, 'ERR_INVALID_ARG_TYPE', /options\.parentPid/],
    [{ enabled: 'yes' }, TypeError, 'ERR_INVALID_ARG_TYPE', /options\.enabled must be a boolean/],
    [{ thread: 1 }, TypeError, 'ERR_INVALID_ARG_TYPE', /options\.thread/],
    [{ intervall: 5 }, TypeError, 'ERR_INVALID_ARG_VALUE', /unknown option "options.intervall"/],
    [{ env: 'x' }, TypeError, 'ERR_INVALID_ARG_TYPE', /options\.env/],
    [{ raise: 'SIGFOO' }, RangeError, 'ERR_INVALID_ARG_VALUE', /options\.raise must be a signal name/],
    [
      { raise: 'SIGKILL' },
      RangeError,
      'ERR_INVALID_ARG_VALUE',
      /options\.raise must be a signal the application can handle/,
    ],
    [{ raise: 15 }, TypeError, 'ERR_INVALID_ARG_TYPE', /options\.raise/],
    [
      { env: [] },
      TypeError,
      'ERR_INVALID_ARG_TYPE',
      /options\.env must be an object of environment variables, got an array/,
    ],
    ['fast', TypeError, 'ERR_INVALID_ARG_TYPE', /options must be an object/],
  ])('%j → %s %s', (options, type, code, message) => {
    expect(bad(options)).toThrow(type);
    expect(bad(options)).toThrow(message);
    expect(bad(options)).toThrow(expect.objectContaining({ code }));
  });

  it('explicit options win over the environment; overridden variables do not warn', () => {
    const env = {
      LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: 'garbage',
      LOCALAI_BACKEND_PARENT_WATCH: 'false',
      LIFELINE_PARENT_PID: 'x',
    };
    const s = resolveSettings({ interval: '250ms', enabled: true, env });
    expect(s).toMatchObject({ intervalMs: 250, enabled: true, enabledFrom: 'option', parentPid: null });
    expect(s.warnings).toEqual([expect.stringMatching(/^LIFELINE_PARENT_PID=/)]);
  });

  it('numbers are milliseconds; out-of-range values are clamped with a note', () => {
    expect(resolveSettings({ interval: 500, env: {} }).intervalMs).toBe(500);
    const s = resolveSettings({ interval: 1, grace: 2 ** 40, env: {} });
    expect(s.intervalMs).toBe(10);
    expect(s.graceMs).toBe(2_147_483_647);
    expect(s.warnings).toEqual([
      expect.stringMatching(/options\.interval=1 is outside \[10ms, 2147483647ms\]; using 10ms/),
      expect.stringMatching(/options\.grace=1099511627776 is outside/),
    ]);
  });

  it('defaults', () => {
    expect(resolveSettings(undefined)).toMatchObject({
      exit: true,
      exitCode: 1,
      killDescendants: process.platform === 'linux',
      thread: false,
    });
  });
});
