/**
 * A supervisor that starts its worker with the real execa: execa's `cleanup` kills the worker when the
 * supervisor exits, never when it is SIGKILLed. With the preload given in `nodeOptions` (absolute path),
 * the worker leaves within milliseconds (execaNode opens an IPC channel: its disconnect is the hint).
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ROOT,
  cleanup,
  expectStaysAlive,
  fixture,
  spawnTracked,
  tempDir,
  trackPid,
  waitForJson,
  waitGone,
} from '../helpers/process-tree.js';

afterEach(cleanup);

async function start(mode: 'recipe' | 'plain') {
  const dir = tempDir();
  // A poll of one hour: a leave proves the IPC hint.
  const env = {
    ...process.env,
    FIXTURE_DIR: dir,
    FIXTURE_READY: join(dir, 'ready.json'),
    LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '1h',
  };
  spawnTracked(process.execPath, [fixture('execa-supervisor.mjs'), mode], { cwd: ROOT, env });
  const supervisor = await waitForJson<{ pid: number; worker: number }>(join(dir, 'supervisor.json'));
  trackPid(supervisor.worker);
  const worker = await waitForJson<{ pid: number; ppid: number }>(join(dir, 'ready.json'));
  expect(worker.ppid).toBe(supervisor.pid);
  return { supervisor: supervisor.pid, worker: worker.pid };
}

describe.runIf(process.platform === 'linux')('execa', () => {
  it('execaNode with the preload in nodeOptions: the worker leaves within milliseconds of the supervisor SIGKILL', async () => {
    const { supervisor, worker } = await start('recipe');
    process.kill(supervisor, 'SIGKILL');
    const tookMs = await waitGone(worker, 10_000, 1); // the IPC hint: the poll is an hour away
    console.info(`execa worker gone ${tookMs} ms after the supervisor's SIGKILL`);
  });

  it('control: the same worker without the preload stays', async () => {
    const { supervisor, worker } = await start('plain');
    process.kill(supervisor, 'SIGKILL');
    await expectStaysAlive(worker, 1000);
  });
});
