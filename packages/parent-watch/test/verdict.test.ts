// The orphan verdict and its line: one check for the main-loop watcher and the watchdog thread, one
// sentence for every cause. The Windows cases (the parent watched by its liveness): platform.test.ts.
import { describe, expect, it } from 'vitest';
import { readStat } from '@lifeline/core/proc/stat';
import {
  STDIN_EXIT_CODE,
  checkParent,
  exitCodeFor,
  lostParent,
  orphanLine,
  orphanReason,
  type WatchTarget,
} from '../src/orphan/verdict.js';

const linux = process.platform === 'linux';
/** A pid no process has: above any pid_max. */
const NO_PROCESS = 2 ** 31 - 2;

describe('checkParent', () => {
  it('the captured ppid is still the parent and nothing else is watched: not orphaned', () => {
    expect(checkParent({ capturedPpid: process.ppid, expected: null })).toBeNull();
  });

  it('the ppid changed: reparented, whatever the expected parent', () => {
    expect(checkParent({ capturedPpid: process.ppid + 1, expected: null })).toBe('reparented');
    expect(checkParent({ capturedPpid: process.ppid + 1, expected: { pid: process.pid } })).toBe('reparented');
  });

  it('the expected parent runs: not orphaned; gone: parent-not-running, and it stays gone', () => {
    expect(checkParent({ capturedPpid: process.ppid, expected: { pid: process.ppid } })).toBeNull();
    const target: WatchTarget = { capturedPpid: process.ppid, expected: { pid: NO_PROCESS } };
    expect(checkParent(target)).toBe('parent-not-running');
    expect(target.expectedGone).toBe(true);
  });

  it.skipIf(!linux)('a running pid with another start time is not the expected parent (a reused pid)', () => {
    const start = readStat(process.ppid)?.startTime as number;
    expect(checkParent({ capturedPpid: process.ppid, expected: { pid: process.ppid, startTime: start } })).toBeNull();
    expect(checkParent({ capturedPpid: process.ppid, expected: { pid: process.ppid, startTime: start + 1 } })).toBe(
      'parent-not-running',
    );
  });
});

describe('lostParent', () => {
  const target: WatchTarget = { capturedPpid: 10, expected: { pid: 20 } };
  it('the captured parent when reparented or stdin ended (the host holds stdin); else the expected one, or the captured one when none is', () => {
    expect(lostParent('reparented', target)).toBe(10);
    expect(lostParent('stdin-closed', target)).toBe(10);
    expect(lostParent('parent-not-running', target)).toBe(20);
    expect(lostParent('parent-not-running', { capturedPpid: 10, expected: null })).toBe(10);
  });
});

describe('exitCodeFor', () => {
  it("the setting's code, but stdin's end exits with its own (0)", () => {
    expect(exitCodeFor('reparented', 7)).toBe(7);
    expect(exitCodeFor('parent-not-running', 7)).toBe(7);
    expect(exitCodeFor('stdin-closed', 7)).toBe(STDIN_EXIT_CODE);
  });
});

describe('orphanReason and orphanLine', () => {
  it.each([
    ['reparented', 10, 1, 'parent process 10 is gone (now reparented to 1)'],
    ['parent-not-running', 20, 10, 'expected parent process 20 is no longer running (direct parent 10)'],
    ['parent-not-running', 10, 10, 'parent process 10 is no longer running'],
    [
      'parent-gone-at-start',
      20,
      10,
      'expected parent process 20 was already gone when the watcher armed (parent is now 10)',
    ],
    ['stdin-closed', 10, 10, 'stdin closed: the host (parent 10) is gone or asked this process to leave'],
  ] as const)('%s (lost %i, parent now %i)', (cause, lost, now, reason) => {
    expect(orphanReason(cause, lost, now)).toBe(reason);
  });

  it('the action: exit with the code, raise a signal, or only notify; the watchdog thread says so', () => {
    const base = { cause: 'reparented', lostPid: 10, currentParentPid: 1, exitCode: 1 } as const;
    const reason = 'parent process 10 is gone (now reparented to 1)';
    expect(orphanLine({ ...base, exit: true })).toBe(`${reason}; exiting with code 1`);
    expect(orphanLine({ ...base, exit: true, thread: true })).toBe(`${reason}; exiting with code 1 [watchdog thread]`);
    expect(orphanLine({ ...base, exit: true, raise: 'SIGTERM' })).toBe(
      `${reason}; raising SIGTERM for the application's own shutdown (exit code 1 if still running at the grace deadline)`,
    );
    expect(orphanLine({ ...base, exit: false, raise: 'SIGTERM' })).toBe(`${reason}; notifying (exit: false)`);
    expect(orphanLine({ ...base, cause: 'stdin-closed', exit: true, exitCode: STDIN_EXIT_CODE })).toMatch(
      /^stdin closed: .*; exiting with code 0$/,
    );
  });
});
