import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '@lifeline/core/config';
import { MAX_TIMER_MS, MIN_INTERVAL_MS, formatMs, parseDuration } from '@lifeline/core/duration';

const VECTORS = resolve(import.meta.dirname, '..', '..', '..', 'test', 'vectors');
const vectors = <T>(name: string): T[] =>
  (JSON.parse(readFileSync(resolve(VECTORS, name), 'utf8')) as { cases: T[] }).cases;
const env = (name: string, value: string | null) => (value === null ? {} : { [name]: value });

describe('parity vectors (test/vectors)', () => {
  const enabled = vectors<{ value: string | null; enabled: boolean; warn: boolean }>('enabled.json');
  it.each(enabled)(
    'LOCALAI_BACKEND_PARENT_WATCH=$value → enabled $enabled, warn $warn',
    ({ value, enabled: on, warn }) => {
      const config = resolveConfig(env('LOCALAI_BACKEND_PARENT_WATCH', value));
      expect(config.enabled).toBe(on);
      expect(config.warnings.length > 0).toBe(warn);
      for (const warning of config.warnings) expect(warning).toContain('LOCALAI_BACKEND_PARENT_WATCH=');
    },
  );

  const interval = vectors<{ value: string | null; intervalMs: number; warn: boolean }>('interval.json');
  it.each(interval)(
    'LOCALAI_BACKEND_PARENT_WATCH_INTERVAL=$value → $intervalMs ms, warn $warn',
    ({ value, intervalMs, warn }) => {
      const config = resolveConfig(env('LOCALAI_BACKEND_PARENT_WATCH_INTERVAL', value));
      expect(config.intervalMs).toBe(intervalMs);
      expect(config.warnings.length > 0).toBe(warn);
      for (const warning of config.warnings) expect(warning).toContain('LOCALAI_BACKEND_PARENT_WATCH_INTERVAL=');
    },
  );
});

describe('values that cannot be used are ignored, with one short warning naming the variable', () => {
  it.each([
    ['999999999', /is above this system's largest pid \(\d+\); it is ignored$/],
    [String(2 ** 53), /is not a positive integer pid/],
    [String(process.pid), /is this process's own pid, not a supervisor's; it is ignored$/],
    ['0', /is not a positive integer pid/],
    ['-4', /is not a positive integer pid/],
  ])('LIFELINE_PARENT_PID=%s', (value, warning) => {
    const config = resolveConfig({ LIFELINE_PARENT_PID: value });
    expect(config.parentPid).toBeNull();
    expect(config.warnings).toEqual([
      expect.stringMatching(new RegExp(`^LIFELINE_PARENT_PID="${value}" ${warning.source}`)),
    ]);
  });

  it('a 120 kB value is quoted cut short, with its length', () => {
    const huge = 'x'.repeat(120_000);
    for (const name of [
      'LOCALAI_BACKEND_PARENT_WATCH',
      'LOCALAI_BACKEND_PARENT_WATCH_INTERVAL',
      'LIFELINE_PARENT_PID',
      'LIFELINE_PARENT_WATCH_GRACE',
    ]) {
      const [warning] = resolveConfig({ [name]: huge }).warnings;
      expect(warning).toContain(`${name}="xxxx`);
      expect(warning).toContain('(120000 characters)');
      expect(warning?.length).toBeLessThan(400);
    }
  });
});

describe('LIFELINE_PARENT_WATCH_RAISE', () => {
  it.each([
    ['SIGTERM', 'SIGTERM'],
    [' sigint ', 'SIGINT'],
    [' int ', 'SIGINT'],
    ['TERM', 'SIGTERM'],
    ['', null],
  ])('%j → %s', (value, raise) => {
    expect(resolveConfig({ LIFELINE_PARENT_WATCH_RAISE: value })).toMatchObject({ raise, warnings: [] });
  });
  it.each([
    ['SIGFOO', /is not a signal name/],
    ['SIGKILL', /cannot be handled by the application/],
    ['kill', /cannot be handled by the application/],
    ['stop', /cannot be handled by the application/],
  ])('%j → exit instead, with a warning', (value, why) => {
    const config = resolveConfig({ LIFELINE_PARENT_WATCH_RAISE: value });
    expect(config.raise).toBeNull();
    expect(config.warnings).toEqual([
      expect.stringMatching(
        new RegExp(`^LIFELINE_PARENT_WATCH_RAISE="${value}" ${why.source}.*; the orphan exits instead$`),
      ),
    ]);
  });
});

describe('resolveConfig', () => {
  it('defaults', () => {
    expect(resolveConfig({})).toEqual({
      enabled: true,
      intervalMs: 2000,
      parentPid: null,
      parentPidNs: null,
      graceMs: 3000,
      thread: false,
      raise: null,
      parentFd: null,
      stdin: false,
      stdio: true,
      wrappers: [],
      warnings: [],
    });
  });

  it('LIFELINE_PARENT_WATCH_STDIO: the switch words; another word keeps it on and warns', () => {
    expect(resolveConfig({ LIFELINE_PARENT_WATCH_STDIO: ' Off ' })).toMatchObject({ stdio: false, warnings: [] });
    expect(resolveConfig({ LIFELINE_PARENT_WATCH_STDIO: '1' })).toMatchObject({ stdio: true, warnings: [] });
    expect(resolveConfig({ LIFELINE_PARENT_WATCH_STDIO: 'never' })).toMatchObject({
      stdio: true,
      warnings: [
        `LIFELINE_PARENT_WATCH_STDIO="never" is not one of true/1/yes/on or false/0/no/off; stdout's and stderr's readers stay watched`,
      ],
    });
  });

  it('LIFELINE_PARENT_PID_NS is kept as text, trimmed; empty is unset; another form warns and is ignored', () => {
    expect(resolveConfig({ LIFELINE_PARENT_PID_NS: ' pid:[4026531836] ' })).toMatchObject({
      parentPidNs: 'pid:[4026531836]',
      warnings: [],
    });
    expect(resolveConfig({ LIFELINE_PARENT_PID_NS: '  ' })).toMatchObject({ parentPidNs: null, warnings: [] });
    const bad = resolveConfig({ LIFELINE_PARENT_PID_NS: 'net:[1]' });
    expect(bad.parentPidNs).toBeNull();
    expect(bad.warnings).toEqual([
      'LIFELINE_PARENT_PID_NS="net:[1]" is not a PID namespace such as "pid:[4026531836]"; it is ignored',
    ]);
  });

  it.each([
    ['4242', 4242, false],
    [' 17 ', 17, false],
    ['0', null, true],
    ['-5', null, true],
    ['12abc', null, true],
    ['1.5', null, true],
    ['99999999999999999999', null, true],
    ['', null, false],
  ])('LIFELINE_PARENT_PID=%j → %s (warn %s)', (value, pid, warn) => {
    const config = resolveConfig({ LIFELINE_PARENT_PID: value });
    expect(config.parentPid).toBe(pid);
    expect(config.warnings.length > 0).toBe(warn);
    if (warn) expect(config.warnings[0]).toMatch(/^LIFELINE_PARENT_PID=/);
  });

  it.each([
    ['5s', 5000, false],
    ['0', 0, false],
    ['-1s', 3000, true],
    ['soon', 3000, true],
    ['1y', MAX_TIMER_MS, true],
  ])('LIFELINE_PARENT_WATCH_GRACE=%j → %d ms (warn %s)', (value, ms, warn) => {
    const config = resolveConfig({ LIFELINE_PARENT_WATCH_GRACE: value });
    expect(config.graceMs).toBe(ms);
    expect(config.warnings.length > 0).toBe(warn);
    if (warn) expect(config.warnings[0]).toMatch(/^LIFELINE_PARENT_WATCH_GRACE=/);
  });

  it.each([
    ['1', true, false],
    [' yes', true, false],
    ['off', false, false],
    ['', false, false],
    ['maybe', false, true],
  ])('LIFELINE_PARENT_WATCH_THREAD=%j → %s (warn %s)', (value, on, warn) => {
    const config = resolveConfig({ LIFELINE_PARENT_WATCH_THREAD: value });
    expect(config.thread).toBe(on);
    expect(config.warnings.length > 0).toBe(warn);
  });

  it('ignores values that are not strings', () => {
    expect(resolveConfig({ LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: 5 as unknown as string }).intervalMs).toBe(2000);
  });

  it('property: any string in any variable → no throw, interval within the clamp, every warning names its variable', () => {
    const names = [
      'LOCALAI_BACKEND_PARENT_WATCH',
      'LOCALAI_BACKEND_PARENT_WATCH_INTERVAL',
      'LIFELINE_PARENT_PID',
      'LIFELINE_PARENT_WATCH_GRACE',
      'LIFELINE_PARENT_WATCH_THREAD',
    ];
    const durationish = fc.oneof(
      fc.string(),
      fc.stringMatching(/^[ +-]?\d{0,12}(\.\d{0,4})?(ns|us|µs|ms|s|m|h|d|y|MS| seconds)?$/),
      fc.double().map(String),
    );
    fc.assert(
      fc.property(fc.record(Object.fromEntries(names.map((n) => [n, durationish])), { requiredKeys: [] }), (input) => {
        const config = resolveConfig(input as Record<string, string>);
        expect(config.intervalMs).toBeGreaterThanOrEqual(MIN_INTERVAL_MS);
        expect(config.intervalMs).toBeLessThanOrEqual(MAX_TIMER_MS);
        expect(Number.isInteger(config.intervalMs)).toBe(true);
        expect(config.graceMs).toBeGreaterThanOrEqual(0);
        expect(config.graceMs).toBeLessThanOrEqual(MAX_TIMER_MS);
        for (const warning of config.warnings) expect(names.some((n) => warning.startsWith(`${n}=`))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
