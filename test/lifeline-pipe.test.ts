/**
 * The lifeline pipe (LIFELINE_PARENT_FD): a descriptor whose other end only the supervisor holds. The
 * kernel closes a dying supervisor's descriptors before it reparents the children, so the worker's
 * watcher hears of it at once. The poll interval here is an hour, so a worker that leaves at all within the
 * test's safety timeout was told by the pipe: no assertion depends on how fast a loaded machine runs. Every
 * "it leaves" case runs beside a control without the pipe, still there after 1 s.
 */
import { openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  IMPORT_REGISTER,
  ROOT,
  cleanup,
  expectStaysAlive,
  fixture,
  gone,
  readText,
  spawnTracked,
  startNodeSupervisor,
  tempDir,
  type Supervised,
  trackPid,
  waitFor,
  waitForJson,
  waitGone,
} from './helpers/process-tree.js';

afterEach(cleanup);

/** The poll cannot explain a leave within the tests' timeouts: only the pipe can. */
const SLOW = { LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '1h' };
const WORKER = [...IMPORT_REGISTER, fixture('idle-worker.mjs')];

/** Wait for a line in a worker's stderr: warnings come from the full watcher, which the light preload loads asynchronously, after the worker is ready. */
const stderrMatching = (file: string, pattern: RegExp): Promise<string> =>
  waitFor(`${file} to match ${pattern}`, () => (pattern.test(readText(file)) ? readText(file) : ''));

/** A Node supervisor (spawnWorker) with `count` workers; `options` are spawnWorker's. */
const nodeSupervisor = (
  count: number,
  options: object = {},
  worker = WORKER,
  env: Record<string, string> = SLOW,
): Promise<Supervised> => startNodeSupervisor(worker, options, env, count);

/** The Python supervisor in `mode` (pass / none / close) running `command`. */
async function pythonSupervisor(
  mode: 'pass' | 'none' | 'close',
  command: string[],
  env: Record<string, string> = SLOW,
): Promise<Supervised> {
  const dir = tempDir();
  const stderr = join(dir, 'stderr');
  spawnTracked('python3', [fixture('pipe-supervisor.py'), mode, dir, ...command], {
    cwd: ROOT,
    env: { ...process.env, ...env, FIXTURE_DIR: dir },
    stdio: ['ignore', 'ignore', openSync(stderr, 'a')],
  });
  const { pid, worker } = await waitForJson<{ pid: number; worker: number }>(join(dir, 'supervisor.json'));
  trackPid(worker);
  await waitForJson(join(dir, 'worker-0.json'));
  return { pid, workers: [worker], dir, stderr };
}

async function killAndWaitGone(supervisor: Supervised, pid = supervisor.workers[0] as number): Promise<void> {
  process.kill(supervisor.pid, 'SIGKILL');
  await waitGone(pid, 5000, 2);
}

describe.runIf(process.platform === 'linux')('the lifeline pipe', () => {
  it('spawnWorker: three workers of one supervisor leave at a one-hour interval; lifelinePipe: false lingers', async () => {
    const [piped, control] = await Promise.all([nodeSupervisor(3), nodeSupervisor(1, { lifelinePipe: false })]);
    process.kill(piped.pid, 'SIGKILL');
    process.kill(control.pid, 'SIGKILL');
    // The supervisor's end is close-on-exec: had a sibling inherited it, that worker's pipe would stay open.
    await Promise.all(piped.workers.map((w) => waitGone(w, 5000, 2)));
    expect(readText(piped.stderr)).toMatch(/parent process \d+ is gone/);
    await expectStaysAlive(control.workers[0] as number, 1000);
  });

  it('spawnWorker({ arm: true }) arms a Node worker that loads no watcher itself: it leaves at a one-hour interval; without it, it lingers', async () => {
    const bare = [fixture('idle-worker.mjs')];
    const [armed, control] = await Promise.all([nodeSupervisor(1, { arm: true }, bare), nodeSupervisor(1, {}, bare)]);
    process.kill(control.pid, 'SIGKILL');
    await killAndWaitGone(armed);
    expect(readText(armed.stderr)).toMatch(/parent process \d+ is gone/);
    await expectStaysAlive(control.workers[0] as number, 1000);
  });

  it('a Python supervisor passing a pipe (os.pipe, pass_fds): the worker leaves at a one-hour interval; without it, it lingers', async () => {
    const [piped, control] = await Promise.all([
      pythonSupervisor('pass', [process.execPath, ...WORKER]),
      pythonSupervisor('none', [process.execPath, ...WORKER]),
    ]);
    process.kill(control.pid, 'SIGKILL');
    await killAndWaitGone(piped);
    await expectStaysAlive(control.workers[0] as number, 1000);
  });

  it("the pipe's faster path keeps the orphan path's promises: hooks run, a SIGTERM-ignoring child is SIGKILLed, the line announces the code; without the pipe it lingers, with killDescendants: false the child survives", async () => {
    const worker = [process.execPath, fixture('cleanup-cut-short.mjs')];
    // An abort listener that throws and a hook that finishes after 100 ms (fixtures/cleanup-cut-short.mjs).
    const env = (options: object): Record<string, string> => ({
      ...SLOW,
      FIXTURE_CUT: 'abort-listener-throws',
      FIXTURE_OPTIONS: JSON.stringify({ interval: '1h', grace: '1s', exitCode: 7, ...options }),
    });
    const [piped, keepsChild, control] = await Promise.all([
      pythonSupervisor('pass', worker, env({})),
      pythonSupervisor('pass', worker, env({ killDescendants: false })),
      pythonSupervisor('none', worker, env({})),
    ]);
    const childOf = (s: Supervised): number =>
      (JSON.parse(readText(join(s.dir, 'worker-0.json'))) as { child: number }).child;
    for (const s of [piped, keepsChild]) trackPid(childOf(s));
    trackPid(childOf(control));
    process.kill(control.pid, 'SIGKILL');
    process.kill(keepsChild.pid, 'SIGKILL');
    // The child ignores SIGTERM: the worker holds on for the 1 s grace, then SIGKILLs it on the way out.
    process.kill(piped.pid, 'SIGKILL');
    await waitGone(piped.workers[0] as number, 10_000, 2);
    expect(readText(join(piped.dir, 'hook-done'))).toBe('1');
    expect(readText(piped.stderr)).toMatch(/parent process \d+ is gone \(now reparented to \d+\); exiting with code 7/);
    await waitGone(childOf(piped), 3000, 2);
    await waitGone(keepsChild.workers[0] as number, 10_000, 2);
    await expectStaysAlive(childOf(keepsChild), 500);
    await expectStaysAlive(control.workers[0] as number, 1000);
  });

  it("the pipe's path out creates no stdio stream it does not use (Node builds process.stdin and stderr on first ask); the control, stdin mode, does use stdin", async () => {
    const trapped = [process.execPath, '--import', fixture('stdio-trap.mjs'), ...WORKER];
    const [piped, control] = await Promise.all([
      pythonSupervisor('pass', trapped),
      pythonSupervisor('pass', trapped, { ...SLOW, LIFELINE_PARENT_WATCH_STDIN: '1' }),
    ]);
    await killAndWaitGone(piped);
    expect(readText(piped.stderr)).toMatch(/parent process \d+ is gone/);
    // Neither stream it never uses (the stack of whoever asked is in the file).
    expect(readText(join(piped.dir, 'stdio-touched'))).not.toMatch(/^(stdin|stderr)$/m);
    await stderrMatching(join(control.dir, 'stdio-touched'), /^stdin$/m);
  });

  it('a live supervisor that closes its end on purpose: a hint, not proof — the worker stays', async () => {
    const closing = await pythonSupervisor('close', [process.execPath, ...WORKER], {
      LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '100ms',
    });
    await waitForJson(join(closing.dir, 'closed'));
    await expectStaysAlive(closing.workers[0] as number, 1000); // ten polls and every re-check after the hint
    expect(readText(closing.stderr)).toBe('');
    // And it still leaves when the supervisor does die (the poll, as the pipe is spent).
    process.kill(closing.pid, 'SIGKILL');
    await waitGone(closing.workers[0] as number, 3000);
  });

  it('lifeline run under a supervisor that passed a pipe: the shim leaves at a one-hour interval and takes its command down', async () => {
    const cli = join(ROOT, 'packages/supervisor/dist/cli.js');
    const backend = [
      'sh',
      '-c',
      'echo "{\\"pid\\": $$}" > "$FIXTURE_READY.tmp" && mv "$FIXTURE_READY.tmp" "$FIXTURE_READY" && exec sleep 1000',
    ];
    const [piped, control] = await Promise.all([
      pythonSupervisor('pass', [process.execPath, cli, 'run', '--', ...backend]),
      pythonSupervisor('none', [process.execPath, cli, 'run', '--', ...backend]),
    ]);
    const sleeps = [piped, control].map((s) => JSON.parse(readText(join(s.dir, 'worker-0.json'))).pid as number);
    for (const pid of sleeps) trackPid(pid);
    process.kill(control.pid, 'SIGKILL');
    await killAndWaitGone(piped);
    await waitGone(sleeps[0] as number, 3000); // the command's group, after the shim's SIGTERM
    await expectStaysAlive(control.workers[0] as number, 1000);
    expect(gone(sleeps[1] as number)).toBe(false);
  });

  it('thread mode with a blocked main thread: the watchdog reads the pipe; without a pipe it waits for its poll', async () => {
    const worker = [fixture('blocked-worker.mjs')];
    const env = { FIXTURE_OPTIONS: JSON.stringify({ thread: true, interval: '1h', grace: 200 }) };
    const [piped, control] = await Promise.all([
      nodeSupervisor(1, {}, worker, env),
      nodeSupervisor(1, { lifelinePipe: false }, worker, env),
    ]);
    process.kill(piped.pid, 'SIGKILL');
    process.kill(control.pid, 'SIGKILL');
    // Told by the pipe, then the grace (200 ms) and the watchdog's margin (250 ms): SIGKILL.
    await waitGone(piped.workers[0] as number, 5000, 2);
    expect(readText(piped.stderr)).toMatch(/\[watchdog thread\]/);
    await expectStaysAlive(control.workers[0] as number, 1000);
  });

  it.each([
    ['abc', /is not a file descriptor of 3 or more/],
    ['1', /is not a file descriptor of 3 or more/],
    ['99', /is not an open file descriptor \(EBADF\)/],
  ])('LIFELINE_PARENT_FD=%s warns once, naming the variable, and the worker still arms', async (value, why) => {
    const dir = tempDir();
    const ready = join(dir, 'ready.json');
    const stderr = join(dir, 'stderr');
    spawnTracked(process.execPath, WORKER, {
      cwd: ROOT,
      env: {
        ...process.env,
        LIFELINE_PARENT_FD: value,
        LIFELINE_PARENT_PID: String(process.pid),
        FIXTURE_READY: ready,
      },
      stdio: ['ignore', 'ignore', openSync(stderr, 'a')],
    });
    await waitForJson(ready);
    await stderrMatching(
      stderr,
      new RegExp(
        `^lifeline\\[\\d+\\]: warning: LIFELINE_PARENT_FD=${value === 'abc' ? '"abc"' : value === '1' ? '"1"' : value} ${why.source}`,
        'm',
      ),
    );
  });

  it('LIFELINE_PARENT_FD naming a regular file warns and is ignored', async () => {
    const dir = tempDir();
    const file = join(dir, 'not-a-pipe');
    writeFileSync(file, 'x');
    const ready = join(dir, 'ready.json');
    const stderr = join(dir, 'stderr');
    const fd = openSync(file, 'r');
    spawnTracked(process.execPath, WORKER, {
      cwd: ROOT,
      env: { ...process.env, LIFELINE_PARENT_FD: '3', LIFELINE_PARENT_PID: String(process.pid), FIXTURE_READY: ready },
      stdio: ['ignore', 'ignore', openSync(stderr, 'a'), fd],
    });
    await waitForJson(ready);
    await stderrMatching(stderr, /warning: LIFELINE_PARENT_FD=3 is not a pipe or a socket; it is ignored/);
  });

  it('LIFELINE_PARENT_FD without LIFELINE_PARENT_PID warns and is ignored: the pid binds the descriptor to the process it was passed to', async () => {
    const dir = tempDir();
    const ready = join(dir, 'ready.json');
    const stderr = join(dir, 'stderr');
    const env: NodeJS.ProcessEnv = { ...process.env, LIFELINE_PARENT_FD: '3', FIXTURE_READY: ready };
    delete env.LIFELINE_PARENT_PID;
    spawnTracked(process.execPath, WORKER, {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'ignore', openSync(stderr, 'a'), 'pipe'],
    });
    await waitForJson(ready);
    await stderrMatching(stderr, /warning: LIFELINE_PARENT_FD=3 is ignored without LIFELINE_PARENT_PID/);
  });
});
