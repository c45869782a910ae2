/**
 * A worker bundled into one file (esbuild, CJS and ESM), run from a folder with no node_modules: the
 * watcher must still arm (long-form durations: `ms` is inlined in our dist, nothing to resolve), DEBUG traces must still appear, and
 * thread mode must either work (its watchdog module shipped beside the bundle) or say why it cannot.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ROOT,
  cleanup,
  expectStaysAlive,
  fixture,
  startTree,
  tempDir,
  waitFor,
  waitGone,
} from '../../../test/helpers/process-tree.js';

afterEach(cleanup);

async function bundle(format: 'cjs' | 'esm', withWatchdog: boolean): Promise<string> {
  const dir = tempDir(); // under the system temp folder: no node_modules to fall back on
  const outfile = join(dir, format === 'cjs' ? 'worker.cjs' : 'worker.mjs');
  await build({
    entryPoints: [fixture('bundled-worker.mjs')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format,
    outfile,
    logLevel: 'silent',
    absWorkingDir: ROOT,
  });
  if (withWatchdog) copyFileSync(join(ROOT, 'packages/parent-watch/dist/watchdog.mjs'), join(dir, 'watchdog.mjs'));
  return outfile;
}

const ENV = {
  LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '100 milliseconds', // a long form: read by the `ms` inlined in our dist
  LIFELINE_PARENT_WATCH_THREAD: '1',
  DEBUG: 'lifeline:*',
};

describe.runIf(process.platform === 'linux')('bundled into one file', () => {
  it.each([
    ['cjs', false],
    ['esm', true],
  ] as const)(
    '%s bundle (watchdog shipped beside it: %s): armed, traced, thread mode working or said unavailable',
    async (format, withWatchdog) => {
      const file = await bundle(format, withWatchdog);
      const [armed, control] = await Promise.all([
        startTree({ worker: [file], env: ENV }),
        startTree({ worker: [file], env: { ...ENV, LOCALAI_BACKEND_PARENT_WATCH: 'false' } }),
      ]);
      expect(armed.ready).toMatchObject({ state: 'watching', thread: withWatchdog });
      expect(control.ready).toMatchObject({ state: 'disabled' });
      await waitFor('the arming trace', () => /lifeline:parent-watch .*arming: watching/.test(armed.stderr()));
      if (!withWatchdog)
        expect(armed.stderr()).toMatch(
          /warning: thread mode is unavailable: the watchdog module .*watchdog\.mjs is missing/,
        );
      expect(armed.stderr()).not.toMatch(/ERR_|Cannot find module/);
      process.kill(armed.middlePid, 'SIGKILL');
      process.kill(control.middlePid, 'SIGKILL');
      await waitGone(armed.workerPid);
      expect(armed.stderr()).toMatch(
        new RegExp(
          `parent process ${armed.middlePid} is gone.*${withWatchdog ? '\\[watchdog thread\\]' : 'code 1$'}`,
          'm',
        ),
      );
      await expectStaysAlive(control.workerPid, 1000);
    },
  );
});
