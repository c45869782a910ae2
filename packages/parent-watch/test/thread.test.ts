/**
 * Thread mode (watchParent({ thread: true }) / LIFELINE_PARENT_WATCH_THREAD=1): the orphaning is noticed
 * and acted on while the main thread is blocked.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ROOT,
  cleanup,
  expectStaysAlive,
  fixture,
  startTree,
  waitFor,
  waitGone,
} from '../../../test/helpers/process-tree.js';

afterEach(cleanup);
const options = (extra: object) => ({ FIXTURE_OPTIONS: JSON.stringify({ interval: 100, grace: 1000, ...extra }) });

describe('watchdog thread', () => {
  it('a main thread stuck in for(;;) is killed after the grace; the main-loop watcher cannot (control)', async () => {
    const [threaded, looped] = await Promise.all([
      startTree({ worker: [fixture('blocked-worker.mjs')], env: options({ thread: true }), subreaper: true }),
      startTree({ worker: [fixture('blocked-worker.mjs')], env: options({ thread: false }) }),
    ]);
    expect(threaded.ready.thread).toBe(true);
    process.kill(threaded.middlePid, 'SIGKILL');
    process.kill(looped.middlePid, 'SIGKILL');
    await waitGone(threaded.workerPid);
    const reaped = await waitFor('the reap', () => threaded.reaped().find((r) => r.pid === threaded.workerPid));
    expect(reaped.code).toBe(-9); // SIGKILL: no cleanup could run
    const lines = (await waitFor('stderr', () => (threaded.stderr().includes('unresponsive') ? threaded.stderr() : '')))
      .trim()
      .split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(`parent process ${threaded.middlePid} is gone`);
    expect(lines[1]).toContain('the main thread was unresponsive');
    expect(existsSync(join(threaded.dir, 'hook.json'))).toBe(false);
    // Control: same worker, main-loop mode, same settings: the timer never runs.
    await expectStaysAlive(looped.workerPid, 2500);
  });

  it("the watchdog's SIGKILL takes the stuck worker's child and grandchild down too; killDescendants: false leaves them (control)", async () => {
    const env = { FIXTURE_GRANDCHILD: '1' };
    const [tree, control] = await Promise.all([
      startTree({
        worker: [fixture('blocked-worker.mjs')],
        env: { ...env, ...options({ thread: true, grace: 300 }) },
        subreaper: true,
      }),
      startTree({
        worker: [fixture('blocked-worker.mjs')],
        env: { ...env, ...options({ thread: true, grace: 300, killDescendants: false }) },
        subreaper: true,
      }),
    ]);
    process.kill(tree.middlePid, 'SIGKILL');
    process.kill(control.middlePid, 'SIGKILL');
    const reaped = await waitFor('the reap', () => tree.reaped().find((r) => r.pid === tree.workerPid));
    expect(reaped.code).toBe(-9); // the watchdog's path: the main thread never ran the orphan path
    await waitGone(tree.ready.child as number);
    await waitGone(tree.ready.grandchild as number);
    // Control: its stuck worker is SIGKILLed the same way, but its descendants stay.
    const controlReaped = await waitFor('the control reap', () =>
      control.reaped().find((r) => r.pid === control.workerPid),
    );
    expect(controlReaped.code).toBe(-9);
    await expectStaysAlive(control.ready.grandchild as number, 1000);
  });

  it('the LIFELINE_PARENT_WATCH_THREAD=1 preload does the same for an unmodified program', async () => {
    const env = { LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '100ms', LIFELINE_PARENT_WATCH_GRACE: '500ms' };
    const blocked = [
      '-e',
      "require('fs').writeFileSync(process.env.FIXTURE_READY, JSON.stringify({pid: process.pid, ppid: process.ppid})); for (;;) {}",
    ];
    const [threaded, looped] = await Promise.all([
      startTree({
        worker: ['-r', '@lifeline/parent-watch/register', ...blocked],
        env: { ...env, LIFELINE_PARENT_WATCH_THREAD: '1' },
      }),
      startTree({ worker: ['-r', '@lifeline/parent-watch/register', ...blocked], env }),
    ]);
    process.kill(threaded.middlePid, 'SIGKILL');
    process.kill(looped.middlePid, 'SIGKILL');
    await waitGone(threaded.workerPid);
    await expectStaysAlive(looped.workerPid, 2000);
  });

  it('a main thread blocked for less than the grace runs the normal orphan path: hook, configured exit code', async () => {
    const [tree, control] = await Promise.all([
      startTree({
        worker: [fixture('briefly-blocked-worker.mjs')],
        env: options({ thread: true, grace: 5000, exitCode: 9 }),
        subreaper: true,
      }),
      startTree({
        worker: [fixture('briefly-blocked-worker.mjs')],
        env: options({ thread: true, grace: 5000, exitCode: 9, enabled: false }),
        subreaper: true,
      }),
    ]);
    process.kill(tree.middlePid, 'SIGKILL');
    process.kill(control.middlePid, 'SIGKILL');
    const reaped = await waitFor('the reap', () => tree.reaped().find((r) => r.pid === tree.workerPid));
    expect(reaped.code).toBe(9);
    const event = JSON.parse(readFileSync(join(tree.dir, 'hook.json'), 'utf8'));
    expect(event).toMatchObject({ detectedBy: 'thread', cause: 'reparented', originalParentPid: tree.middlePid });
    const lines = tree.stderr().trim().split('\n');
    expect(lines).toHaveLength(1); // exactly one line about the orphaning, written by the thread
    expect(lines[0]).toContain('[watchdog thread]');
    // Control: the same worker, unblocked again, without a watcher: it stays, no hook ran.
    await expectStaysAlive(control.workerPid, 2000);
    expect(existsSync(join(control.dir, 'hook.json'))).toBe(false);
  });

  it('a finished program under programmatic thread mode exits by itself', async () => {
    const { spawnSync } = await import('node:child_process');
    const run = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import { watchParent } from '@lifeline/parent-watch'; const w = watchParent({ thread: true, interval: '1h' }); console.log(w.thread);",
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 20_000 },
    );
    expect(run.error).toBeUndefined();
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe('true');
  });
});

describe('watchdog thread: what it says', () => {
  it('a wrapper in between and the expected parent gone: the thread names the cause as the main loop does', async () => {
    const env = { LIFELINE_PARENT_WATCH_THREAD: '1', LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '100ms' };
    const worker = ['--import', '@lifeline/parent-watch/register', fixture('idle-worker.mjs')];
    // Named by LIFELINE_PARENT_PID, and found by seeing through the wrapper: the thread watches the same target.
    const [named, seen, control] = await Promise.all([
      startTree({ worker, env: { ...env, LIFELINE_PARENT_PID: '$MIDDLE_PID' }, wrapper: true }),
      startTree({ worker, env, wrapper: true }),
      startTree({ worker, env: { ...env, LIFELINE_PARENT_WATCH_WRAPPERS: '0' }, wrapper: true }),
    ]);
    for (const tree of [named, seen, control]) process.kill(tree.middlePid, 'SIGKILL');
    await Promise.all([waitGone(named.workerPid), waitGone(seen.workerPid)]);
    for (const armed of [named, seen]) {
      const line = armed.stderr().trim().split('\n').at(-1);
      // The direct parent (the wrapper) never changed: "reparented to" it would be false.
      expect(line).toBe(
        `lifeline[${armed.workerPid}]: expected parent process ${armed.middlePid} is no longer running (direct parent ${armed.ready.ppid}); ` +
          'exiting with code 1 [watchdog thread]',
      );
    }
    // Control: seeing through switched off and no LIFELINE_PARENT_PID, the wrapper hides the supervisor's death.
    await expectStaysAlive(control.workerPid, 1500);
  });
});

describe.runIf(process.platform === 'linux')('watchdog thread: a tight ulimit -n', () => {
  /** Run the app under `ulimit -n 22` with the preload, thread mode on or off. */
  const run = (thread: '1' | '0') =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(
        'sh',
        [
          '-c',
          'ulimit -n 22 && exec "$0" "$@"',
          process.execPath,
          '--import',
          '@lifeline/parent-watch/register',
          fixture('tight-fd-app.mjs'),
        ],
        {
          cwd: ROOT,
          env: { ...process.env, LIFELINE_PARENT_WATCH_THREAD: thread },
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });

  it('too few free descriptors: one warning and the main-loop watcher; the app runs to its end every time (control: thread mode off)', async () => {
    const RUNS = 4; // before the fix, 0 of 8 thread-mode runs got to their end
    const [threaded, control] = await Promise.all([
      Promise.all(Array.from({ length: RUNS }, () => run('1'))),
      Promise.all(Array.from({ length: RUNS }, () => run('0'))),
    ]);
    expect(threaded.map((r) => r.stdout.trim())).toEqual(Array(RUNS).fill('ran to its end'));
    for (const r of threaded) {
      expect(r.status).toBe(0);
      expect(r.stderr).toMatch(
        /^lifeline\[\d+\]: warning: thread mode needs 16 free file descriptors at start \(the thread keeps 4\) and this process has \d+ under its limit \(ulimit -n\); watching from the main loop\n$/,
      );
    }
    expect(control.map((r) => `${r.status} ${r.stdout.trim()} ${r.stderr}`)).toEqual(
      Array(RUNS).fill('0 ran to its end '),
    );
  });
});
