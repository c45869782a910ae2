import { describe, expect, it } from 'vitest';
import { resolveSettings } from '../src/watch/options.js';
import type { WatchParentOptions } from '../src/watch/types.js';

const bad = (options: unknown) => () => resolveSettings(options as WatchParentOptions);

describe('watchParent options', () => {
  it.each([
    [{ interval: 'abc' }, RangeError, /options\.interval/],
    [{ interval: 0 }, RangeError, /options\.interval must be positive/],
    [{ interval: -5 }, RangeError, /options\.interval/],
    [{ interval: Number.NaN }, RangeError, /options\.interval/],
    [{ interval: {} }, TypeError, /options\.interval must be milliseconds/],
    [{ grace: -1 }, RangeError, /options\.grace must be zero or more/],
    [{ grace: '1 fortnight' }, RangeError, /options\.grace/],
    [{ exitCode: 1.5 }, TypeError, /options\.exitCode/],
    [{ exitCode: 256 }, RangeError, /options\.exitCode/],
    [{ parentPid: 0 }, RangeError, /options\.parentPid/],
    [{ parentPid: '12' }, TypeError, /options\.parentPid/],
    [{ enabled: 'yes' }, TypeError, /options\.enabled must be a boolean/],
    [{ thread: 1 }, TypeError, /options\.thread/],
    [{ intervall: 5 }, TypeError, /unknown option "options.intervall"/],
    [{ env: 'x' }, TypeError, /options\.env/],
    ['fast', TypeError, /options must be an object/],
  ])('%j → %s', (options, type, message) => {
    expect(bad(options)).toThrow(type);
    expect(bad(options)).toThrow(message);
  });

  it('explicit options win over the environment; overridden variables do not warn', () => {
    const env = { LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: 'garbage', LOCALAI_BACKEND_PARENT_WATCH: 'false', LIFELINE_PARENT_PID: 'x' };
    const s = resolveSettings({ interval: '250ms', enabled: true, env });
    expect(s).toMatchObject({ intervalMs: 250, enabled: true, enabledFrom: 'option', parentPid: null });
    expect(s.envWarnings).toEqual([expect.stringMatching(/^LIFELINE_PARENT_PID=/)]);
  });

  it('numbers are milliseconds; out-of-range values are clamped with a note', () => {
    expect(resolveSettings({ interval: 500, env: {} }).intervalMs).toBe(500);
    const s = resolveSettings({ interval: 1, grace: 2 ** 40, env: {} });
    expect(s.intervalMs).toBe(10);
    expect(s.graceMs).toBe(2_147_483_647);
    expect(s.optionWarnings).toHaveLength(2);
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
