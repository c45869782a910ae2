// Reading the watcher's settings from an environment, beyond what the parity vectors and env.test.ts cover:
// each variable's refusals, the reader that never throws, the per-process variables.
import { describe, expect, it } from 'vitest';
import { ENV, PER_PROCESS, envValue, isFd, parentPidProblem, resolveConfig } from '@lifeline/core/config';
import { pidMax } from '@lifeline/core/proc/stat';

describe('envValue: reading one variable never throws', () => {
  it('a string is returned; anything else reads as unset', () => {
    expect(envValue({ A: 'x' }, 'A')).toBe('x');
    expect(envValue({}, 'A')).toBeUndefined();
    expect(envValue({ A: 5 } as unknown as Record<string, string>, 'A')).toBeUndefined();
  });

  it('an environment that refuses to be read (Deno without --allow-env) reads as unset', () => {
    const refusing = new Proxy(
      {},
      {
        get: () => {
          throw new Error('NotCapable');
        },
      },
    );
    expect(envValue(refusing, 'A')).toBeUndefined();
    expect(() => resolveConfig(refusing)).not.toThrow();
    expect(resolveConfig(refusing)).toMatchObject({ enabled: true, intervalMs: 2000, warnings: [] });
  });
});

describe('parentPidProblem', () => {
  it('a pid this system hands out, other than our own, has no problem', () => {
    expect(parentPidProblem(1)).toBeUndefined();
    expect(parentPidProblem(pidMax())).toBeUndefined();
  });

  it.each([0, -1, 1.5, Number.NaN, 2 ** 53])('%s is not a pid', (pid) => {
    expect(parentPidProblem(pid)).toEqual({ kind: 'range', text: 'is not a positive integer pid' });
  });

  it("above pid_max, or this process's own", () => {
    expect(parentPidProblem(pidMax() + 1)).toEqual({
      kind: 'range',
      text: `is above this system's largest pid (${pidMax()})`,
    });
    expect(parentPidProblem(process.pid)).toMatchObject({ kind: 'own' });
  });
});

describe('isFd: a descriptor the lifeline pipe may use', () => {
  it.each([
    [3, true],
    [2 ** 31 - 1, true],
    [0, false],
    [2, false],
    [2 ** 31, false],
    [3.5, false],
    ['3', false],
    [Number.NaN, false],
  ])('%j → %s', (fd, ok) => {
    expect(isFd(fd)).toBe(ok);
  });
});

describe('resolveConfig: each variable', () => {
  it('the variables addressed to one process are the pid, its namespace and the descriptor', () => {
    expect([...PER_PROCESS].sort()).toEqual([ENV.parentFd, ENV.parentPid, ENV.parentPidNs].sort());
  });

  it('LOCALAI_BACKEND_PARENT_WATCH: an unknown word keeps the watcher on and says how to switch it off', () => {
    expect(resolveConfig({ LOCALAI_BACKEND_PARENT_WATCH: 'maybe' })).toMatchObject({
      enabled: true,
      warnings: [
        'LOCALAI_BACKEND_PARENT_WATCH="maybe" is not one of true/1/yes/on or false/0/no/off; the watcher stays on (set it to "false" to switch it off)',
      ],
    });
  });

  it.each([
    ['3', 3, false],
    [' 17 ', 17, false],
    ['', null, false],
    ['2', null, true],
    ['0', null, true],
    ['-3', null, true],
    ['3.0', null, true],
    ['x', null, true],
    ['9999999999', null, true],
  ])('LIFELINE_PARENT_FD=%j → %s (warn %s)', (raw, fd, warn) => {
    const config = resolveConfig({ LIFELINE_PARENT_FD: raw });
    expect(config.parentFd).toBe(fd);
    expect(config.warnings).toEqual(
      warn
        ? [
            `LIFELINE_PARENT_FD=${JSON.stringify(raw)} is not a file descriptor of 3 or more (0-2 are stdio); it is ignored`,
          ]
        : [],
    );
  });

  it.each([
    ['1', true, false],
    ['on', true, false],
    ['no', false, false],
    ['', false, false],
    ['eof', false, true],
  ])('LIFELINE_PARENT_WATCH_STDIN=%j → %s (warn %s)', (raw, on, warn) => {
    const config = resolveConfig({ LIFELINE_PARENT_WATCH_STDIN: raw });
    expect(config.stdin).toBe(on);
    expect(config.warnings.length > 0).toBe(warn);
    for (const warning of config.warnings)
      expect(warning).toMatch(/^LIFELINE_PARENT_WATCH_STDIN="eof" .*stdin is not watched$/);
  });

  it('LIFELINE_PARENT_WATCH_WRAPPERS: a switch word, or names of more wrappers', () => {
    expect(resolveConfig({ LIFELINE_PARENT_WATCH_WRAPPERS: 'off' }).wrappers).toBe(false);
    expect(resolveConfig({ LIFELINE_PARENT_WATCH_WRAPPERS: 'on' }).wrappers).toEqual([]);
    expect(resolveConfig({ LIFELINE_PARENT_WATCH_WRAPPERS: 'dumb-init, s6-setuidgid' }).wrappers).toEqual([
      'dumb-init',
      's6-setuidgid',
    ]);
  });

  it('every variable unusable at once: each falls back, with one warning each, in the order of the table', () => {
    const config = resolveConfig({
      [ENV.enabled]: 'x',
      [ENV.interval]: 'x',
      [ENV.parentPid]: 'x',
      [ENV.parentPidNs]: 'x',
      [ENV.grace]: 'x',
      [ENV.thread]: 'x',
      [ENV.raise]: 'x',
      [ENV.parentFd]: 'x',
      [ENV.stdin]: 'x',
      [ENV.stdio]: 'x',
      [ENV.wrappers]: '/bin/x',
    });
    expect(config).toMatchObject({
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
    });
    expect(config.warnings.map((warning) => warning.slice(0, warning.indexOf('=')))).toEqual(
      expect.arrayContaining(Object.values(ENV)),
    );
    expect(config.warnings).toHaveLength(Object.values(ENV).length);
  });
});
