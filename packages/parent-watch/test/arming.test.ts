// The arming decision, branch by branch on Linux (Windows: platform.test.ts). Pure:
// every fact about the process comes from the input, so no process is started.
import { describe, expect, it } from 'vitest';
import { decideArming, wrapperList, type ArmingInput } from '../src/watch/arming.js';
import type { WatchChain } from '@lifeline/core/wrappers/chain';

const input = (over: Partial<ArmingInput> = {}): ArmingInput => ({
  enabled: true,
  enabledFrom: 'default',
  enabledRaw: undefined,
  platform: 'linux',
  mainThread: true,
  ppid: 4242,
  parentPid: null,
  parentPidFrom: 'none',
  parentRunning: () => true,
  intervalMs: 2000,
  chain: () => null,
  ...over,
});

/** worker <- sh -c (812) <- npm run (790) <- supervisor (700) */
const CHAIN: WatchChain = {
  links: [
    { pid: 812, argv: ['sh', '-c', 'node w.js'], wrapper: 'sh -c', startTime: 30 },
    { pid: 790, argv: ['npm run w'], wrapper: 'npm run / npm exec', startTime: 20 },
    { pid: 700, argv: ['node', 'supervisor.js'], wrapper: null, startTime: 10 },
  ],
  target: { pid: 700, startTime: 10 },
};

describe('decideArming: switched off or unable', () => {
  it('enabled: false by the option, or by the variable (its raw value quoted)', () => {
    expect(decideArming(input({ enabled: false, enabledFrom: 'option' }))).toEqual({
      code: 'disabled-by-option',
      watch: false,
      warn: false,
      message: 'disabled by the option enabled: false',
      expected: null,
    });
    expect(decideArming(input({ enabled: false, enabledFrom: 'env', enabledRaw: 'off' }))).toMatchObject({
      code: 'disabled-by-env',
      watch: false,
      message: 'disabled by LOCALAI_BACKEND_PARENT_WATCH="off"',
    });
  });

  it('no process.getBuiltinModule: unsupported-runtime, said as a warning; the switch is read first', () => {
    expect(decideArming(input({ builtins: false }))).toMatchObject({
      code: 'unsupported-runtime',
      watch: false,
      warn: true,
    });
    expect(decideArming(input({ builtins: false, enabled: false, enabledFrom: 'option' })).code).toBe(
      'disabled-by-option',
    );
  });

  it('a worker thread does not arm', () => {
    expect(decideArming(input({ mainThread: false }))).toMatchObject({ code: 'not-main-thread', watch: false });
  });
});

describe('decideArming: the parent pid alone', () => {
  it('watches the parent pid, saying the interval', () => {
    expect(decideArming(input({ intervalMs: 90_000 }))).toEqual({
      code: 'watching',
      watch: true,
      warn: false,
      message: 'watching the parent pid 4242 every 90s',
      expected: null,
    });
  });

  it.each([0, 1])('ppid %i with no expected parent: parent-is-init, nothing to watch', (ppid) => {
    const decision = decideArming(input({ ppid }));
    expect(decision).toMatchObject({ code: 'parent-is-init', watch: false, warn: false, expected: null });
    expect(decision.message).toContain(`the parent pid is ${ppid} at arming`);
  });

  it('behind pass-through wrappers: the first ancestor that is not one is watched too, by pid and start time', () => {
    const decision = decideArming(input({ ppid: 812, chain: () => CHAIN }));
    expect(decision).toEqual({
      code: 'watching-ancestor',
      watch: true,
      warn: false,
      message:
        'watching pid 700 behind pass-through wrappers (sh -c (812) <- npm run / npm exec (790)) and the parent pid 812 every 2s',
      expected: { pid: 700, startTime: 10 },
    });
  });

  it('a chain without a target (the parent is no wrapper, or the wrappers lead to init) watches the parent alone', () => {
    const chain: WatchChain = { links: [{ pid: 4242, argv: ['node', 's.js'], wrapper: null }], target: null };
    expect(decideArming(input({ chain: () => chain }))).toMatchObject({ code: 'watching', expected: null });
  });
});

describe('decideArming: an expected parent (parentPid / LIFELINE_PARENT_PID)', () => {
  it('already gone: parent-gone-at-start, not watched (orphaned at once), named by where it came from', () => {
    const gone = { parentPid: 77, parentRunning: () => false };
    expect(decideArming(input({ ...gone, parentPidFrom: 'option' }))).toMatchObject({
      code: 'parent-gone-at-start',
      watch: false,
      message: 'the expected parent parentPid=77 is not running: orphaned already',
    });
    expect(decideArming(input({ ...gone, parentPidFrom: 'env' })).message).toContain('LIFELINE_PARENT_PID=77');
  });

  it('the parent itself: watched as the parent pid, nothing more', () => {
    expect(decideArming(input({ parentPid: 4242, parentPidFrom: 'env' }))).toMatchObject({
      code: 'watching',
      warn: false,
      expected: null,
    });
  });

  it('on the chain behind wrappers: watched with its start time, quietly', () => {
    const decision = decideArming(input({ ppid: 812, parentPid: 790, parentPidFrom: 'env', chain: () => CHAIN }));
    expect(decision).toMatchObject({
      code: 'watching-expected',
      watch: true,
      warn: false,
      expected: { pid: 790, startTime: 20 },
    });
    expect(decision.message).toBe(
      'LIFELINE_PARENT_PID=790 is behind pass-through wrappers (sh -c (812) <- npm run / npm exec (790)): watching it and the parent pid 812 every 2s',
    );
  });

  it('not on the chain but named by the application, or no chain to judge by: honoured, with a warning', () => {
    const option = decideArming(input({ parentPid: 99, parentPidFrom: 'option', chain: () => CHAIN }));
    expect(option).toMatchObject({ code: 'watching-expected', watch: true, warn: true, expected: { pid: 99 } });
    expect(option.message).toMatch(
      /^parentPid=99 is running but is not this process's parent \(ppid 4242\): a wrapper in between\? Watching both every 2s$/,
    );
    expect(decideArming(input({ parentPid: 99, parentPidFrom: 'env' }))).toMatchObject({
      code: 'watching-expected',
      warn: true,
    });
  });

  it("inherited from further up (not on this process's chain): ignored, as if unset, and the message says so", () => {
    const chain: WatchChain = { links: [{ pid: 4242, argv: ['node', 's.js'], wrapper: null }], target: null };
    const decision = decideArming(input({ parentPid: 99, parentPidFrom: 'env', chain: () => chain }));
    expect(decision).toMatchObject({ code: 'watching', watch: true, warn: false, expected: null });
    expect(decision.message).toBe(
      'watching the parent pid 4242 every 2s (LIFELINE_PARENT_PID=99 is ignored: neither the parent nor behind pass-through wrappers)',
    );
  });

  it('from another PID namespace (ppid 0, or LIFELINE_PARENT_PID_NS differs): never judged, the parent pid is watched', () => {
    const elsewhere = { parentPid: 99, parentPidFrom: 'env' as const, parentRunning: () => false };
    const ns = decideArming(input({ ...elsewhere, parentElsewhere: () => true }));
    expect(ns).toMatchObject({ code: 'watching', watch: true, warn: true, expected: null });
    expect(ns.message).toMatch(
      /^LIFELINE_PARENT_PID=99 names a process of another PID namespace .*; watching the parent pid 4242 every 2s$/,
    );
    expect(decideArming(input({ ...elsewhere, ppid: 0 }))).toMatchObject({
      code: 'parent-is-init',
      watch: false,
      warn: true,
    });
    // Named by the application: its own namespace, so judged as usual.
    expect(decideArming(input({ ...elsewhere, parentPidFrom: 'option', parentElsewhere: () => true })).code).toBe(
      'parent-gone-at-start',
    );
  });

  it('asks for the chain at most once, and only when it matters', () => {
    let asked = 0;
    const chain = (): WatchChain => {
      asked++;
      return { links: [{ pid: 4242, argv: ['node', 's.js'], wrapper: null }], target: null };
    };
    decideArming(input({ parentPid: 99, parentPidFrom: 'env', chain }));
    expect(asked).toBe(1);
    decideArming(input({ parentPid: 4242, parentPidFrom: 'env', chain }));
    decideArming(input({ enabled: false, chain }));
    expect(asked).toBe(1);
  });
});

describe('wrapperList', () => {
  it('names the wrappers of a chain with their pids, nearest first; the ancestor that is no wrapper is left out', () => {
    expect(wrapperList(CHAIN)).toBe('sh -c (812) <- npm run / npm exec (790)');
    expect(wrapperList({ links: [], target: null })).toBe('');
  });
});
