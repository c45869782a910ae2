/**
 * LIFELINE_PARENT_WATCH_RAISE: an app that already shuts down gracefully on SIGTERM gets that shutdown
 * on orphan too. Each app runs beside a control with the same preload and no RAISE: that one exits
 * through the watcher and its own handler never runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  IMPORT_REGISTER,
  cleanup,
  exitOf,
  fixture,
  spawnTracked,
  startTree,
  tempDir,
  waitFor,
  waitForJson,
  waitGone,
  type Tree,
} from '../../../test/helpers/process-tree.js';

afterEach(cleanup);

const env = (app: string, raise: string | null) => ({
  FIXTURE_APP: app,
  LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '100ms',
  LIFELINE_PARENT_WATCH_GRACE: '3s',
  LIFELINE_PARENT_WATCH_RAISE: raise,
});
const app = (name: string, raise: string | null, extra: Record<string, string> = {}) =>
  startTree({
    worker: [...IMPORT_REGISTER, fixture('graceful-app.mjs')],
    env: { ...env(name, raise), ...extra },
    subreaper: true,
  });
const shutdownOf = (t: Tree) => {
  const file = join(t.dir, 'shutdown.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { by: string; signal: string }) : undefined;
};
const codeOf = (t: Tree) =>
  waitFor('the reap', () => t.reaped().find((r) => r.pid === t.workerPid)).then((r) => r.code);

describe.runIf(process.platform === 'linux')('LIFELINE_PARENT_WATCH_RAISE=SIGTERM', () => {
  it.each([
    ['close-with-grace', 0],
    ['terminus', 0],
    ['fastify', 0],
  ])(
    '%s: the app’s own SIGTERM shutdown runs, its exit code stands; without RAISE it never runs (control)',
    async (name, code) => {
      const [armed, control] = await Promise.all([app(name, 'SIGTERM'), app(name, null)]);
      process.kill(armed.middlePid, 'SIGKILL');
      process.kill(control.middlePid, 'SIGKILL');
      const tookMs = await waitGone(armed.workerPid);
      expect(tookMs).toBeLessThan(2500); // its own shutdown, not the 3 s deadline
      expect(shutdownOf(armed)).toEqual({ by: name, signal: 'SIGTERM' });
      expect(await codeOf(armed)).toBe(code);
      expect(armed.stderr()).toMatch(
        /raising SIGTERM for the application's own shutdown \(exit code 1 if still running at the grace deadline\)/,
      );
      await waitGone(control.workerPid);
      expect(await codeOf(control)).toBe(1);
      expect(shutdownOf(control)).toBeUndefined();
    },
  );

  it('a handler that never finishes: the grace deadline still holds, with the configured exit code', async () => {
    const armed = await app('never', 'SIGTERM');
    process.kill(armed.middlePid, 'SIGKILL');
    await waitGone(armed.workerPid, 10_000);
    expect(shutdownOf(armed)).toEqual({ by: 'never', signal: 'SIGTERM' }); // the handler ran
    expect(await codeOf(armed)).toBe(1);
    expect(armed.stderr()).toMatch(/still running at the grace deadline \(3s\) after SIGTERM; exiting with code 1/);
  });

  it('a handler that drains the event loop and then throws: exit code 1 as without Lifeline (control: a plain SIGTERM)', async () => {
    const dir = tempDir();
    const control = spawnTracked(process.execPath, [fixture('graceful-app.mjs')], {
      env: { ...process.env, FIXTURE_APP: 'throws', FIXTURE_DIR: dir, FIXTURE_READY: join(dir, 'ready.json') },
    });
    const armed = await app('throws', 'SIGTERM');
    await waitForJson(join(dir, 'ready.json'));
    control.kill('SIGTERM'); // Node's own handling of the throw, without Lifeline
    expect(await exitOf(control)).toEqual({ code: 1, signal: null });
    process.kill(armed.middlePid, 'SIGKILL');
    await waitGone(armed.workerPid);
    expect(shutdownOf(armed)).toEqual({ by: 'throws', signal: 'SIGTERM' });
    expect(await codeOf(armed)).toBe(1);
    expect(armed.stderr()).toMatch(/Error: the shutdown failed/);
  });

  it('a name that is not a signal warns and falls back to exiting; so does RAISE without a listener', async () => {
    const [bad, unhandled] = await Promise.all([app('fastify', 'SIGFOO'), app('none', 'SIGTERM')]);
    expect(bad.stderr()).toMatch(
      /warning: LIFELINE_PARENT_WATCH_RAISE="SIGFOO" is not a signal name such as "SIGTERM"; the orphan exits instead/,
    );
    process.kill(bad.middlePid, 'SIGKILL');
    process.kill(unhandled.middlePid, 'SIGKILL');
    await Promise.all([waitGone(bad.workerPid), waitGone(unhandled.workerPid)]);
    expect(await codeOf(bad)).toBe(1);
    expect(shutdownOf(bad)).toBeUndefined();
    expect(await codeOf(unhandled)).toBe(1);
    expect(unhandled.stderr()).toMatch(
      /no listener for SIGTERM to run the application's shutdown: exiting with code 1 as usual/,
    );
  });
});
