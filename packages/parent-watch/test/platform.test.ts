// The platform facts as the watcher reads them: the arming decision on Windows (the parent watched by its
// liveness), the check's "once gone, gone for good", the pipe check by mode bits. Real Windows trees run
// under Wine in ../../../test/windows.
import { describe, expect, it } from 'vitest';
import { decideArming, type ArmingInput } from '../src/watch/arming.js';
import { isPipeOrSocket } from '../src/hints/pipe.js';
import { checkParent, orphanReason, type WatchTarget } from '../src/orphan/verdict.js';

const input = (over: Partial<ArmingInput>): ArmingInput => ({
  enabled: true,
  enabledFrom: 'default',
  enabledRaw: undefined,
  platform: 'win32',
  mainThread: true,
  ppid: 4242,
  parentPid: null,
  parentPidFrom: 'none',
  parentRunning: () => true,
  ppidRunning: () => true,
  intervalMs: 2000,
  chain: () => null,
  ...over,
});

describe('arming on Windows: the parent watched by its liveness', () => {
  it('arms when the parent runs; not when its pid names no running process or is 0 (started from outside Windows)', () => {
    expect(decideArming(input({}))).toMatchObject({ code: 'watching', watch: true, warn: false });
    expect(decideArming(input({})).message).toBe(
      'watching the parent pid 4242 by its liveness (a parent pid never changes on Windows) every 2s',
    );
    for (const over of [{ ppidRunning: () => false }, { ppid: 0 }]) {
      const decision = decideArming(input(over));
      expect(decision).toMatchObject({ code: 'parent-is-init', watch: false });
      expect(decision.message).toMatch(/names no running process at arming.*LIFELINE_PARENT_PID/);
    }
  });

  it('LIFELINE_PARENT_PID decides as on Linux (gone at start, or behind a wrapper), whatever the ppid', () => {
    const named = { parentPid: 77, parentPidFrom: 'env' as const, ppidRunning: () => false };
    expect(decideArming(input({ ...named, parentRunning: () => false })).code).toBe('parent-gone-at-start');
    expect(decideArming(input({ ...named, ppid: 77 })).code).toBe('watching');
    const wrapped = decideArming(input(named));
    expect(wrapped).toMatchObject({ code: 'watching-expected', warn: true });
    expect(wrapped.message).toMatch(/Watching it by its liveness every 2s$/);
  });

  it('Linux and macOS decide as before: the ppid liveness is never asked', () => {
    for (const platform of ['linux', 'darwin'] as const) {
      const asked: string[] = [];
      const ppidRunning = (): boolean => {
        asked.push(platform);
        return false;
      };
      const decision = decideArming(input({ platform, ppidRunning }));
      expect(decision).toMatchObject({ code: 'watching', message: 'watching the parent pid 4242 every 2s' });
      expect(decideArming(input({ platform, ppid: 1 })).code).toBe('parent-is-init');
      expect(asked).toEqual([]);
    }
  });
});

describe('the check against a parent watched by its liveness', () => {
  it('once seen gone, it stays gone (a reused pid is not the parent back)', () => {
    const target: WatchTarget = { capturedPpid: process.ppid, expected: { pid: 2 ** 31 - 2 } };
    expect(checkParent(target)).toBe('parent-not-running');
    expect(target.expectedGone).toBe(true);
    target.expected = { pid: process.pid }; // running: the pid named someone else meanwhile
    expect(checkParent(target)).toBe('parent-not-running');
  });

  it('names the lost parent as the parent when it is the direct one (Windows)', () => {
    expect(orphanReason('parent-not-running', 10, 10)).toBe('parent process 10 is no longer running');
    expect(orphanReason('parent-not-running', 10, 11)).toBe(
      'expected parent process 10 is no longer running (direct parent 11)',
    );
  });
});

describe('the lifeline pipe check', () => {
  it('reads the mode bits: FIFO and socket pass (Windows reports a pipe as FIFO, with isFIFO() false), others do not', () => {
    expect(isPipeOrSocket(0o010666)).toBe(true);
    expect(isPipeOrSocket(0o140777)).toBe(true);
    for (const mode of [0o100644, 0o020666, 0o040755, 0o120777, 0o060660]) expect(isPipeOrSocket(mode)).toBe(false);
  });
});
