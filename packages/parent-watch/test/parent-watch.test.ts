/**
 * @lifeline/parent-watch end to end: test → middle → worker, the middle is SIGKILLed (or exits), and
 * the armed worker must leave. Each case runs a negative control beside it: the same worker without the
 * feature, which must still be running when the armed one is long gone.
 */
import { fork, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  IMPORT_REGISTER,
  REQUIRE_REGISTER,
  ROOT,
  cleanup,
  exitOf,
  expectStaysAlive,
  fixture,
  readText,
  startTree,
  trackPid,
  waitFor,
  waitGone,
  type TreeOptions,
} from '../../../test/helpers/process-tree.js';

const FAST = { LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '100ms' };
/** How long a control must linger: many intervals past the moment the armed worker was gone. */
const LINGER_MS = 1500;

afterEach(cleanup);

/**
 * Start the armed tree and the control tree, end both middles the same way, and check that the armed
 * worker is gone while the control lingers.
 */
async function armedVersusControl(
  armed: TreeOptions,
  control: TreeOptions,
  end: (middlePid: number) => void = (pid) => process.kill(pid, 'SIGKILL'),
) {
  const [a, c] = await Promise.all([startTree(armed), startTree(control)]);
  end(a.middlePid);
  end(c.middlePid);
  await waitGone(a.workerPid);
  await expectStaysAlive(c.workerPid, LINGER_MS);
  return { armed: a, control: c };
}

describe('preloads', () => {
  it('--import @lifeline/parent-watch/register: the orphan leaves, one stderr line names both parents', async () => {
    const { armed } = await armedVersusControl(
      { worker: [...IMPORT_REGISTER, fixture('idle-worker.mjs')], env: FAST },
      { worker: [fixture('idle-worker.mjs')], env: FAST },
    );
    const lines = armed.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(`parent process ${armed.middlePid} is gone \\(now reparented to \\d+\\); exiting with code 1`),
    );
  });

  it('-r @lifeline/parent-watch/register (CommonJS)', async () => {
    await armedVersusControl(
      { worker: [...REQUIRE_REGISTER, fixture('idle-worker.cjs')], env: FAST },
      { worker: [fixture('idle-worker.cjs')], env: FAST },
    );
  });

  it('LOCALAI_BACKEND_PARENT_WATCH=false switches the preload off (the disabled worker is the one that lingers)', async () => {
    const { control } = await armedVersusControl(
      {
        worker: [...IMPORT_REGISTER, fixture('idle-worker.mjs')],
        env: { ...FAST, LOCALAI_BACKEND_PARENT_WATCH: 'true' },
      },
      {
        worker: [...IMPORT_REGISTER, fixture('idle-worker.mjs')],
        env: { ...FAST, LOCALAI_BACKEND_PARENT_WATCH: ' OFF ' },
      },
    );
    expect(control.stderr()).toBe('');
  });

  it('a finished script under the preload exits by itself, promptly, with its own code (poll and thread mode)', () => {
    for (const thread of ['0', '1']) {
      const run = spawnSync(process.execPath, [...IMPORT_REGISTER, '-e', 'process.exitCode = 3'], {
        cwd: ROOT,
        env: { ...process.env, LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '1h', LIFELINE_PARENT_WATCH_THREAD: thread },
        timeout: 20_000,
        encoding: 'utf8',
      });
      // A ref'd timer or thread would keep it alive until the spawnSync timeout (status null).
      expect(run.error).toBeUndefined();
      expect(run.status).toBe(3);
      expect(run.stderr).toBe('');
    }
  });
});

describe('programmatic arming', () => {
  it('watchParent() in code: hooks see the event, the signal aborts', async () => {
    const { armed } = await armedVersusControl(
      { worker: [fixture('armed-worker.mjs')], env: { FIXTURE_OPTIONS: '{"interval":100}', FIXTURE_HOOKS: 'record' } },
      {
        worker: [fixture('armed-worker.mjs')],
        env: { FIXTURE_OPTIONS: '{"interval":100,"enabled":false}', FIXTURE_HOOKS: 'record' },
      },
    );
    expect(armed.ready.state).toBe('watching');
    const event = JSON.parse(readFileSync(join(armed.dir, 'hook.json'), 'utf8'));
    expect(event).toMatchObject({ originalParentPid: armed.middlePid, cause: 'reparented', detectedBy: 'poll' });
    expect(event.currentParentPid).not.toBe(armed.middlePid);
    expect(existsSync(join(armed.dir, 'aborted'))).toBe(true);
  });

  it('ESM and CJS copies loaded in one process arm once and exit once', async () => {
    const { armed } = await armedVersusControl(
      { worker: [fixture('dual-copies.mjs')] },
      { worker: [fixture('idle-worker.mjs')] },
    );
    expect(armed.ready).toMatchObject({ twoCopies: true, sameHandle: true, state: 'watching' });
    expect(armed.stderr().trim().split('\n')).toHaveLength(1);
  });
});

describe('how the parent goes', () => {
  it('parent exits normally (code 0)', async () => {
    await armedVersusControl(
      { worker: [...IMPORT_REGISTER, fixture('idle-worker.mjs')], env: FAST, middle: 'exit0' },
      { worker: [fixture('idle-worker.mjs')], env: FAST, middle: 'exit0' },
      () => {},
    );
  });

  it('parent killed by SIGTERM', async () => {
    await armedVersusControl(
      { worker: [...IMPORT_REGISTER, fixture('idle-worker.mjs')], env: FAST },
      { worker: [fixture('idle-worker.mjs')], env: FAST },
      (pid) => process.kill(pid, 'SIGTERM'),
    );
  });

  it('a subreaper adopts the orphan: still detected, exit code 1 and the stderr line seen by the subreaper', async () => {
    const { armed, control } = await armedVersusControl(
      { worker: [...IMPORT_REGISTER, fixture('idle-worker.mjs')], env: FAST, subreaper: true },
      { worker: [fixture('idle-worker.mjs')], env: FAST, subreaper: true },
    );
    const reaped = await waitFor('the subreaper to reap the worker', () =>
      armed.reaped().find((r) => r.pid === armed.workerPid),
    );
    expect(reaped.code).toBe(1);
    // Reparented to the subreaper, not to PID 1.
    const line = await waitFor('the stderr line', () => armed.stderr().trim());
    expect(line).toContain(`parent process ${armed.middlePid} is gone (now reparented to ${armed.subreaperPid})`);
    expect(control.reaped().some((r) => r.pid === control.workerPid)).toBe(false);
  });
});

describe('LIFELINE_PARENT_PID', () => {
  it('startup race: the expected parent is already dead at arming → exit 1 at once', () => {
    const dead = spawnSync('true').pid as number;
    const run = spawnSync(process.execPath, [...IMPORT_REGISTER, fixture('idle-worker.mjs')], {
      cwd: ROOT,
      env: {
        ...process.env,
        LIFELINE_PARENT_PID: String(dead),
        FIXTURE_READY: '/dev/null',
        LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '1h',
      },
      timeout: 20_000,
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`expected parent process ${dead} was already gone when the watcher armed`);
    // Control: the same worker with a live expected parent arms normally and ends by itself.
    const control = spawnSync(process.execPath, [...IMPORT_REGISTER, '-e', 'setTimeout(() => {}, 300)'], {
      cwd: ROOT,
      env: { ...process.env, LIFELINE_PARENT_PID: String(process.pid), LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '1h' },
      timeout: 20_000,
      encoding: 'utf8',
    });
    expect(control.status).toBe(0);
  });

  it('a wrapper between supervisor and worker: the supervisor behind it is watched, with or without LIFELINE_PARENT_PID', async () => {
    const worker = [...IMPORT_REGISTER, fixture('idle-worker.mjs')];
    const [seen, named, control] = await Promise.all([
      startTree({ worker, env: FAST, wrapper: true }),
      startTree({ worker, env: { ...FAST, LIFELINE_PARENT_PID: '$MIDDLE_PID' }, wrapper: true }),
      // Control: seeing through switched off, the wrapper hides the supervisor's death.
      startTree({ worker, env: { ...FAST, LIFELINE_PARENT_WATCH_WRAPPERS: '0' }, wrapper: true }),
    ]);
    for (const tree of [seen, named, control]) process.kill(tree.middlePid, 'SIGKILL');
    await Promise.all([waitGone(seen.workerPid), waitGone(named.workerPid)]);
    for (const tree of [seen, named]) {
      // The light watcher's own orphan line (no hooks, no descendants): the direct parent never changed.
      expect(tree.stderr().trim()).toBe(
        `lifeline[${tree.workerPid}]: expected parent process ${tree.middlePid} is no longer running (direct parent ${tree.ready.ppid}); exiting with code 1`,
      );
    }
    await expectStaysAlive(control.workerPid, LINGER_MS);
    expect(control.ready.ppid).not.toBe(control.middlePid);
  });

  it('an inherited LIFELINE_PARENT_PID that is neither the parent nor behind wrappers is ignored silently; switched off it is honoured with a warning', async () => {
    // The test process is the middle's parent: an ancestor, but behind a real supervisor (the middle).
    const env = { ...FAST, LIFELINE_PARENT_PID: String(process.pid) };
    const [ignored, honoured] = await Promise.all([
      startTree({ worker: [...IMPORT_REGISTER, fixture('idle-worker.mjs')], env }),
      startTree({
        worker: [...IMPORT_REGISTER, fixture('idle-worker.mjs')],
        env: { ...env, LIFELINE_PARENT_WATCH_WRAPPERS: 'off' },
      }),
    ]);
    process.kill(ignored.middlePid, 'SIGKILL');
    process.kill(honoured.middlePid, 'SIGKILL');
    await Promise.all([waitGone(ignored.workerPid), waitGone(honoured.workerPid)]);
    expect(ignored.stderr()).not.toContain('warning');
    expect(ignored.stderr()).toMatch(
      new RegExp(`parent process ${ignored.middlePid} is gone \\(now reparented to \\d+\\); exiting with code 1`),
    );
    expect(honoured.stderr()).toContain(
      `warning: LIFELINE_PARENT_PID=${process.pid} is running but is not this process's parent`,
    );
  });
});

describe('cleanup on the way out', () => {
  it('hooks that throw and hooks that never settle: the exit still happens at the grace deadline', async () => {
    const options = JSON.stringify({ interval: 100, grace: 500 });
    const { armed } = await armedVersusControl(
      { worker: [fixture('armed-worker.mjs')], env: { FIXTURE_OPTIONS: options, FIXTURE_HOOKS: 'throw,hang,record' } },
      {
        worker: [fixture('armed-worker.mjs')],
        env: { FIXTURE_OPTIONS: JSON.stringify({ enabled: false }), FIXTURE_HOOKS: 'hang' },
      },
    );
    const text = armed.stderr();
    expect(text).toContain('an onOrphan hook failed: Error: hook blew up on purpose');
    expect(text).toContain('1 onOrphan hook(s) still pending at the grace deadline (500ms); exiting anyway');
    expect(existsSync(join(armed.dir, 'hook.json'))).toBe(true);
  });

  it('exits with the configured code after async hooks settle (subreaper observes it)', async () => {
    const [tree, control] = await Promise.all([
      startTree({
        worker: [fixture('armed-worker.mjs')],
        env: { FIXTURE_OPTIONS: JSON.stringify({ interval: 100, exitCode: 7 }), FIXTURE_HOOKS: 'slow,record' },
        subreaper: true,
      }),
      startTree({
        worker: [fixture('armed-worker.mjs')],
        env: {
          FIXTURE_OPTIONS: JSON.stringify({ interval: 100, exitCode: 7, enabled: false }),
          FIXTURE_HOOKS: 'slow,record',
        },
        subreaper: true,
      }),
    ]);
    process.kill(tree.middlePid, 'SIGKILL');
    process.kill(control.middlePid, 'SIGKILL');
    const reaped = await waitFor('the worker to be reaped', () => tree.reaped().find((r) => r.pid === tree.workerPid));
    expect(reaped.code).toBe(7);
    expect(existsSync(join(tree.dir, 'hook.json'))).toBe(true);
    // Control: the same worker with the watcher off is never reaped, and its hook never runs.
    await expectStaysAlive(control.workerPid, LINGER_MS);
    expect(control.reaped().some((r) => r.pid === control.workerPid)).toBe(false);
    expect(existsSync(join(control.dir, 'hook.json'))).toBe(false);
  });

  it("the worker's child and grandchild are taken down", async () => {
    const [armed, control] = await Promise.all([
      startTree({
        worker: [fixture('worker-with-grandchild.mjs')],
        env: { FIXTURE_OPTIONS: '{"interval":100,"grace":1000}' },
      }),
      startTree({
        worker: [fixture('worker-with-grandchild.mjs')],
        env: { FIXTURE_OPTIONS: '{"interval":100,"killDescendants":false}' },
      }),
    ]);
    process.kill(armed.middlePid, 'SIGKILL');
    process.kill(control.middlePid, 'SIGKILL');
    await waitGone(armed.workerPid);
    await waitGone(armed.ready.child as number);
    await waitGone(armed.ready.grandchild as number);
    // Control: its worker left too, but with killDescendants: false its grandchild lingers.
    await waitGone(control.workerPid);
    await expectStaysAlive(control.ready.grandchild as number, LINGER_MS);
  });
});

describe('IPC disconnect hint', () => {
  /** Fork the done worker (the test is its parent, alive) and time its exit. */
  async function forkDone(execArgv: string[], env: Record<string, string> = {}) {
    const child = fork(fixture('done-worker.mjs'), [], {
      cwd: ROOT,
      execArgv,
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    trackPid(child.pid);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    const startedAt = Date.now();
    const exit = await exitOf(child);
    return { ...exit, ms: Date.now() - startedAt, stderr };
  }

  it.runIf(process.platform !== 'win32')(
    "listening holds nothing open: a forked worker whose work is done leaves by itself, armed or not; the app's own 'message' listener still holds it, as without Lifeline",
    async () => {
      // Node refs the channel for each 'disconnect' listener: before the fix, each armed worker here stayed until its parent went.
      for (const execArgv of [[], IMPORT_REGISTER, REQUIRE_REGISTER]) {
        for (const env of [{}, { FIXTURE_WATCH: '1' }] as Record<string, string>[]) {
          const run = await forkDone(execArgv, env);
          expect(run, JSON.stringify({ execArgv, env })).toMatchObject({ code: 0, signal: null, stderr: '' });
        }
      }
      const held = { FIXTURE_MESSAGE_MS: '1000' };
      const [armed, bare] = await Promise.all([forkDone(IMPORT_REGISTER, held), forkDone([], held)]);
      for (const run of [armed, bare]) {
        expect(run).toMatchObject({ code: 0, signal: null });
        expect(run.ms).toBeGreaterThanOrEqual(1000);
      }
    },
  );

  it('a live parent that disconnects the IPC channel does not kill the worker; its death does, long before the interval', async () => {
    const slow = { LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '1h' };
    const [hinted, unhinted] = await Promise.all([
      startTree({
        worker: [...IMPORT_REGISTER, fixture('idle-worker.mjs')],
        env: slow,
        ipc: true,
        middle: 'disconnect',
      }),
      startTree({ worker: [...IMPORT_REGISTER, fixture('idle-worker.mjs')], env: slow }),
    ]);
    await waitFor('the disconnect', () => existsSync(join(hinted.dir, 'disconnected')));
    // Past every re-check the hint schedules (up to 1 s): a deliberate disconnect is not proof.
    await expectStaysAlive(hinted.workerPid, 1500);
    expect(readText(hinted.stderrFile)).toBe('');

    // A forked worker whose parent dies: the channel closes and the re-checks catch the reparenting.
    const forked = await startTree({ worker: [...IMPORT_REGISTER, fixture('idle-worker.mjs')], env: slow, ipc: true });
    process.kill(forked.middlePid, 'SIGKILL');
    process.kill(unhinted.middlePid, 'SIGKILL');
    await waitGone(forked.workerPid, 5000);
    // Control: same 1 h interval without a channel: nothing notices.
    await expectStaysAlive(unhinted.workerPid, LINGER_MS);
  });
});
