/**
 * Without /proc (macOS, or a container that hides it) liveness falls back to kill(pid, 0). Reproduced on
 * Linux as root: the middle runs in its own mount namespace with /proc unmounted, so the worker it
 * starts cannot read any /proc/<pid>/stat.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  HIDE_PROC,
  IMPORT_REGISTER,
  canHideProc,
  cleanup,
  expectStaysAlive,
  fixture,
  startTree,
  waitGone,
} from '../../../test/helpers/process-tree.js';

afterEach(cleanup);

describe.runIf(canHideProc())('no /proc', () => {
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
