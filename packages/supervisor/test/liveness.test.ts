import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ancestorsOf, groupZombies, isRunning, listZombies, processState } from '../src/index.js';
import {
  cleanup,
  spawnTracked,
  tempDir,
  trackPid,
  waitFor,
  waitForFile,
  waitForPid,
} from '../../../test/helpers/process-tree.js';
import { fixture } from './helpers.js';

const linux = process.platform === 'linux';
afterEach(cleanup);

describe.runIf(linux)('zombie-aware liveness (real processes)', () => {
  it('a real zombie is not running, though kill(pid, 0) succeeds, and its parent still reaps exit code 42', async () => {
    const dir = tempDir();
    const parent = spawnTracked('python3', [fixture('make-zombie.py'), dir]);
    const parentPid = await waitForPid(join(dir, 'parent.pid'));
    const zombie = await waitForPid(join(dir, 'child.pid'));
    trackPid(parentPid);
    expect(parentPid).toBe(parent.pid);
    await waitFor('the child to be a zombie', () => processState(zombie) === 'Z');

    // Control: the signal-0 probe (what lemonade's first is_running did) says "alive".
    expect(() => process.kill(zombie, 0)).not.toThrow();
    expect(isRunning(zombie)).toBe(false);
    // Asking must not reap: the zombie is still there, still Z.
    expect(processState(zombie)).toBe('Z');

    const listed = listZombies().find((z) => z.pid === zombie);
    expect(listed).toEqual({ pid: zombie, ppid: parentPid, comm: 'python3', parentComm: 'python3' });
    expect(groupZombies().find((g) => g.ppid === parentPid)).toMatchObject({ count: 1, pids: [zombie] });

    // The parent still gets the real exit status afterwards.
    process.kill(parentPid, 'SIGUSR1');
    expect((await waitForFile(join(dir, 'reaped'))).trim()).toBe('42');
    await waitFor('the zombie to be reaped', () => processState(zombie) === null);
  });

  it('a live process renamed so that its stat line looks like a zombie is running', async () => {
    const dir = tempDir();
    spawnTracked('python3', [fixture('renamed-like-zombie.py'), dir]);
    const pid = await waitForPid(join(dir, 'pid'));
    trackPid(pid);
    const line = readFileSync(`/proc/${pid}/stat`, 'utf8');
    expect(line.startsWith(`${pid} (x) Z 1 (y) `)).toBe(true);
    expect(isRunning(pid)).toBe(true);
    expect(processState(pid)).not.toBe('Z');
    expect(listZombies().some((z) => z.pid === pid)).toBe(false);
  });
});

describe('liveness edge cases', () => {
  it('invalid pids are not running and have no state', () => {
    for (const pid of [0, -1, 1.5, Number.NaN, 2 ** 53]) {
      expect(isRunning(pid)).toBe(false);
      expect(processState(pid)).toBeNull();
    }
    expect(isRunning(process.pid)).toBe(true);
  });

  it('groupZombies groups by parent, most zombies first', () => {
    const groups = groupZombies([
      { pid: 12, ppid: 5, comm: 'a', parentComm: 'p5' },
      { pid: 11, ppid: 5, comm: 'a', parentComm: 'p5' },
      { pid: 20, ppid: 7, comm: 'b', parentComm: 'p7' },
    ]);
    expect(groups).toEqual([
      { ppid: 5, parentComm: 'p5', count: 2, pids: [11, 12] },
      { ppid: 7, parentComm: 'p7', count: 1, pids: [20] },
    ]);
  });

  it('listZombies reads the state letter, not the name', () => {
    const zombies = listZombies([
      { pid: 3, comm: 'x) Z 1 (y', state: 'S', ppid: 2 },
      { pid: 4, comm: 'dead', state: 'Z', ppid: 3 },
      { pid: 5, comm: 'orphan', state: 'Z', ppid: 999 },
    ]);
    expect(zombies).toEqual([
      { pid: 4, ppid: 3, comm: 'dead', parentComm: 'x) Z 1 (y' },
      { pid: 5, ppid: 999, comm: 'orphan', parentComm: '?' },
    ]);
  });

  it.runIf(linux)('ancestorsOf walks up to PID 1, starting with the parent', () => {
    const chain = ancestorsOf();
    expect(chain[0]?.pid).toBe(process.ppid);
    expect(chain.at(-1)?.pid).toBe(1);
  });
});
