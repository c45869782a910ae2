/**
 * Without /proc (macOS, or a container that hides it) liveness falls back to kill(pid, 0). Reproduced on
 * Linux as root: the middle runs in its own mount namespace with /proc unmounted, so the worker it
 * starts cannot read any /proc/<pid>/stat.
 */
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { IMPORT_REGISTER, cleanup, expectStaysAlive, fixture, startTree, waitGone } from './helpers/process-tree.js';

afterEach(cleanup);

/** Run the middle with /proc unmounted in a private mount namespace (needs root). */
const HIDE_PROC = ['unshare', '-m', 'sh', '-c', 'umount -l /proc && exec "$0" "$@"'];
const canHide = process.platform === 'linux' && spawnSync(HIDE_PROC[0] as string, [...HIDE_PROC.slice(1), 'test', '!', '-e', '/proc/self/stat']).status === 0;

describe.runIf(canHide)('no /proc', () => {
  it('a wrapper in between: the expected parent is alive by kill(pid, 0), so the worker stays until it dies', async () => {
    const env = { LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '50ms' };
    const worker = [...IMPORT_REGISTER, fixture('idle-worker.mjs')];
    const [armed, control] = await Promise.all([
      startTree({ worker, env: { ...env, LIFELINE_PARENT_PID: '$MIDDLE_PID' }, wrapper: true, through: HIDE_PROC }),
      startTree({ worker, env, wrapper: true, through: HIDE_PROC }),
    ]);
    // Many ticks with the supervisor alive: no false orphaning (it used to leave on the first tick).
    await expectStaysAlive(armed.workerPid, 1000);
    expect(armed.stderr()).not.toMatch(/no longer running/);
    process.kill(armed.middlePid, 'SIGKILL');
    process.kill(control.middlePid, 'SIGKILL');
    await waitGone(armed.workerPid);
    expect(armed.stderr()).toMatch(new RegExp(`expected parent process ${armed.middlePid} is no longer running`));
    // Control: without LIFELINE_PARENT_PID the wrapper hides the supervisor's death: with no /proc there is
    // no command line to see through it by.
    await expectStaysAlive(control.workerPid, 1000);
  });
});
