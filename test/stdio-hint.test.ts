/**
 * The stdio hang-up hint: a worker whose stdout and stderr are pipes to its supervisor hears of the
 * supervisor's death from them — the kernel closes the dying reader's ends, and the write ends report it
 * with nothing written. The workers are armed only by the register preload at a one-hour poll, so a worker
 * that leaves at all within the safety net was told by the hint. Each "it leaves" case runs a control
 * (the hint switched off) that is still there after 1 s; live readers that go away on purpose kill nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  IMPORT_REGISTER,
  ROOT,
  cleanup,
  expectStaysAlive,
  fixture,
  readText,
  spawnTracked,
  tempDir,
  trackPid,
  waitFor,
  waitForJson,
  waitGone,
} from './helpers/process-tree.js';

afterEach(cleanup);

/** The poll cannot explain a leave within the tests' timeouts: only the hint can. */
const SLOW = { LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '1h' };
const OFF = { ...SLOW, LIFELINE_PARENT_WATCH_STDIO: '0' };
const WORKER = [...IMPORT_REGISTER, fixture('stdio-writer.mjs')];
/** Lines each worker writes to stdout and to stderr before it is ready. */
const LINES = 300;
const WORKERS = 3;

type Kind = 'node' | 'python';

interface StdioSupervised {
  pid: number;
  workers: number[];
  dir: string;
}

/**
 * A supervisor of `kind` (fixtures/stdio-supervisor.*: Node's spawn or Python's Popen with pipes) running
 * `count` workers of `args` (node arguments) in `dir`; resolves once every worker is ready.
 */
async function supervise(
  kind: Kind,
  env: Record<string, string>,
  count = WORKERS,
  args = WORKER,
  dir = tempDir(),
): Promise<StdioSupervised> {
  const command =
    kind === 'node'
      ? [process.execPath, fixture('stdio-supervisor.mjs'), ...args]
      : ['python3', fixture('stdio-supervisor.py'), process.execPath, ...args];
  spawnTracked(command[0] as string, command.slice(1), {
    cwd: ROOT,
    env: { ...process.env, FIXTURE_LINES: String(LINES), FIXTURE_WORKERS: String(count), ...env, FIXTURE_DIR: dir },
  });
  const { pid, workers } = await waitForJson<{ pid: number; workers: number[] }>(join(dir, 'supervisor.json'), 30_000);
  for (const worker of workers) trackPid(worker);
  for (let i = 0; i < count; i++) await waitForJson(join(dir, `worker-${i}.json`), 30_000);
  return { pid, workers, dir };
}

/** Wait until the supervisor has received every line each worker wrote (stdout and stderr). */
async function allLinesArrived(s: StdioSupervised): Promise<void> {
  const expected = String(2 * LINES);
  await waitFor(
    'every line at the supervisor',
    () => s.workers.every((_, i) => readText(join(s.dir, `lines-${i}`)) === expected),
    30_000,
  );
}

describe.each<Kind>(['node', 'python'])("a %s supervisor reading its workers' stdout and stderr", (kind) => {
  it('SIGKILLed: every worker leaves on the hint alone (a one-hour poll), after the supervisor received every line; control: LIFELINE_PARENT_WATCH_STDIO=0 — they stay', async () => {
    const [armed, control] = await Promise.all([supervise(kind, SLOW), supervise(kind, OFF)]);
    await Promise.all([allLinesArrived(armed), allLinesArrived(control)]);
    process.kill(armed.pid, 'SIGKILL');
    process.kill(control.pid, 'SIGKILL');
    await Promise.all(armed.workers.map((pid) => waitGone(pid, 15_000, 2)));
    await Promise.all(control.workers.map((pid) => expectStaysAlive(pid, 1000)));
  });

  it('the full watcher (a variable only it reads) takes the same hint', async () => {
    const s = await supervise(kind, { ...SLOW, LIFELINE_PARENT_WATCH_GRACE: '1s' }, 1);
    await allLinesArrived(s);
    process.kill(s.pid, 'SIGKILL');
    await waitGone(s.workers[0] as number, 15_000, 2);
  });

  it('alive, closing its read ends on purpose: the workers stay (a hint is re-checked, never proof)', async () => {
    const s = await supervise(kind, { ...SLOW, FIXTURE_MODE: 'close' });
    await waitFor(
      'the read ends closed',
      () => s.workers.every((_, i) => existsSync(join(s.dir, `closed-${i}`))),
      30_000,
    );
    await Promise.all(s.workers.map((pid) => expectStaysAlive(pid, 1000)));
  });

  it('an app that writes to stdout after its reader went fails exactly as it does without Lifeline', async () => {
    const run = async (args: string[]): Promise<{ exit: unknown; stderr: string }> => {
      const dir = tempDir();
      const stderr = join(dir, 'app.stderr');
      // The app writes again once the supervisor has closed its read end (stdout only: stderr is a file).
      await supervise(
        kind,
        { ...SLOW, FIXTURE_MODE: 'close', FIXTURE_STDERR: stderr, FIXTURE_WRITE_AFTER: join(dir, 'closed-0') },
        1,
        args,
        dir,
      );
      const exit = await waitForJson(join(dir, 'exit-0.json'), 30_000);
      // Node's own frames of where the 'error' event was emitted follow whatever timers share the loop (the
      // hint's re-checks are some): the error, its code and the app's frames are what must match.
      return { exit, stderr: readText(stderr).replaceAll(/^(out|err) \d+\n|^ +at .*\(node:internal\/.*\n/gm, '') };
    };
    const [withLifeline, without] = await Promise.all([run(WORKER), run([fixture('stdio-writer.mjs')])]);
    expect(withLifeline.exit).toEqual(without.exit);
    expect(withLifeline.stderr).toBe(without.stderr);
    expect(without.exit).toEqual({ code: 1, signal: null });
    expect(without.stderr).toMatch(/EPIPE/);
  });
});

it("a Python supervisor's stderr pipe, SIGKILLed: the orphan line is not written where no one can read it (its EPIPE costs ~0.6 ms); control: with the poll alone, it is, and fails", async () => {
  // stdout to a file: stderr's pipe is the one hint, seen before the check (with both pipes, which end is
  // seen first is the kernel's order; the other one's line is then written, and fails, as before).
  const spied = ['-r', fixture('stderr-spy.cjs'), ...IMPORT_REGISTER, fixture('stdio-writer.mjs')];
  const run = async (env: Record<string, string>) => {
    const dir = tempDir();
    const s = await supervise('python', { ...env, FIXTURE_STDOUT: join(dir, 'stdout') }, 1, spied, dir);
    process.kill(s.pid, 'SIGKILL');
    return waitForJson(join(dir, `spy-${s.workers[0]}.json`), 15_000);
  };
  const [hinted, polled] = await Promise.all([
    run(SLOW),
    run({ LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '200ms', LIFELINE_PARENT_WATCH_STDIO: '0' }),
  ]);
  // Exit code 1: the orphan path ran to its end in both.
  expect(hinted).toEqual({ code: 1, written: 0, failed: 0 });
  expect(polled).toEqual({ code: 1, written: 0, failed: 1 });
});

it('`node worker | cat` under a live shell: cat killed, the worker stays (its reader went, its parent did not)', async () => {
  const dir = tempDir();
  const ready = join(dir, 'worker-0.json');
  const shell = spawnTracked('sh', ['-c', `"$0" "$@" | cat > /dev/null`, process.execPath, ...WORKER], {
    cwd: ROOT,
    env: { ...process.env, ...SLOW, FIXTURE_READY: ready, FIXTURE_LINES: String(LINES) },
  });
  const { pid, ppid } = await waitForJson<{ pid: number; ppid: number }>(ready, 30_000);
  trackPid(pid);
  expect(ppid).toBe(shell.pid);
  const cat = Number(spawnSync('pgrep', ['-P', String(shell.pid), '-x', 'cat'], { encoding: 'utf8' }).stdout.trim());
  expect(cat).toBeGreaterThan(0);
  process.kill(cat, 'SIGKILL');
  await waitGone(cat);
  await expectStaysAlive(pid, 1000);
});
