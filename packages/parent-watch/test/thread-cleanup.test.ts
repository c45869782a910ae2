/**
 * Thread mode when the main thread finds the orphaning itself (the IPC hint): with nothing to wait for it
 * leaves at once without waking the watchdog; when it then runs the application's code and blocks there,
 * the watchdog was told before, and ends the process a margin after the grace.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  IMPORT_REGISTER,
  cleanup,
  expectStaysAlive,
  fixture,
  startTree,
  waitFor,
} from '../../../test/helpers/process-tree.js';

afterEach(cleanup);

// An hour's interval: the IPC channel's end is what finds the orphaning, on the main thread.
type BlockIn = 'hook' | 'abort';
const start = (blockIn: BlockIn, thread: boolean) =>
  startTree({
    worker: [fixture('blocked-in-cleanup-worker.mjs')],
    env: { FIXTURE_BLOCK_IN: blockIn, FIXTURE_OPTIONS: JSON.stringify({ interval: '1h', grace: 300, thread }) },
    ipc: true,
    subreaper: true,
  });

describe('watchdog thread: the main thread finds the orphaning', () => {
  it('nothing to wait for: one orphan line, the announced code, no word from the watchdog (control: no IPC channel stays)', async () => {
    const env = { LIFELINE_PARENT_WATCH_THREAD: '1', LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '1h' };
    const worker = [...IMPORT_REGISTER, fixture('idle-worker.mjs')];
    const [hinted, control] = await Promise.all([
      startTree({ worker, env, ipc: true, subreaper: true }),
      startTree({ worker, env, subreaper: true }),
    ]);
    process.kill(hinted.middlePid, 'SIGKILL');
    process.kill(control.middlePid, 'SIGKILL');
    const reaped = await waitFor('the reap', () => hinted.reaped().find((r) => r.pid === hinted.workerPid));
    expect(reaped.code).toBe(1);
    expect(hinted.stderr()).toBe(
      `lifeline[${hinted.workerPid}]: parent process ${hinted.middlePid} is gone (now reparented to ${hinted.subreaperPid}); exiting with code 1\n`,
    );
    // Control: the same worker without a channel, polled once an hour: nothing notices.
    await expectStaysAlive(control.workerPid, 1000);
  });
});

describe('watchdog thread: the main thread blocks in the orphan path it started', () => {
  it.each([
    ['an onOrphan hook', 'hook'],
    ['an abort listener of the orphan signal', 'abort'],
  ] satisfies [string, BlockIn][])(
    'blocked in %s: SIGKILLed after the grace; the main-loop watcher cannot (control)',
    async (_, blockIn) => {
      const [threaded, looped] = await Promise.all([start(blockIn, true), start(blockIn, false)]);
      expect(threaded.ready.thread).toBe(true);
      process.kill(threaded.middlePid, 'SIGKILL');
      process.kill(looped.middlePid, 'SIGKILL');
      const reaped = await waitFor('the reap', () => threaded.reaped().find((r) => r.pid === threaded.workerPid));
      expect(reaped.code).toBe(-9);
      const lines = (
        await waitFor('stderr', () => (threaded.stderr().includes('unresponsive') ? threaded.stderr() : ''))
      )
        .trim()
        .split('\n');
      expect(lines).toHaveLength(2);
      // The main thread wrote the orphan line (the hint found it), the watchdog the second one.
      expect(lines[0]).toContain(`parent process ${threaded.middlePid} is gone`);
      expect(lines[0]).not.toContain('[watchdog thread]');
      expect(lines[1]).toContain('the main thread was unresponsive for 550ms after the orphaning');
      // Control: the same worker watched from the main loop announces the orphaning, then stays stuck.
      await waitFor('the control line', () => looped.stderr().includes('is gone'));
      await expectStaysAlive(looped.workerPid, 1000);
    },
  );
});
