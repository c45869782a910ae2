/**
 * Other runtimes: the same real process trees (test → middle (node) → worker) with the worker run by Bun
 * or Deno instead of Node. The middle is SIGKILLed and the worker must leave; each "it leaves" case runs a
 * control beside it — the same worker without the feature — that must still be running when the armed
 * one is long gone. What a runtime cannot do is asserted as it behaves (a documented limitation), not
 * skipped. The binaries come from node_modules/.bin (root devDependencies `bun-runtime` and
 * `deno-runtime`); where one is not installed, its cases are skipped with that reason.
 *
 * The cases of one runtime run concurrently (each kills its own processes when it ends); the runtimes
 * run one after the other.
 */
import { execFile, fork, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import net from 'node:net';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, describe, it, vi } from 'vitest';
import {
  ROOT,
  cleanup,
  exitOf,
  expectStaysAlive,
  fixture,
  gone,
  readText,
  spawnTracked,
  startTree,
  tempDir,
  trackPid,
  waitFor,
  waitForJson,
  waitGone,
  type Tree,
  type TreeOptions,
} from './helpers/process-tree.js';

afterAll(cleanup);
// A few cases of one runtime at once: every case starts two or three runtimes, and Deno resolving npm:
// specifiers on 2 busy cores takes seconds. The safety nets are wide for the same reason.
vi.setConfig({ maxConcurrency: 6, testTimeout: 90_000 });
/** How long a tree's worker may take to write its ready file while the rest of the suite runs beside it. */
const READY_MS = 40_000;

const FAST = { LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '100ms' };
/** How long a control must linger: many intervals past the moment the armed worker was gone. */
const LINGER_MS = 1500;
/** Deno colours its error messages unless told not to. */
const PLAIN = { NO_COLOR: '1' };

type Package = 'parent-watch' | 'grpc-bootstrap';

interface Runtime {
  name: 'bun' | 'deno';
  /** The runtime's own executable, or undefined when it is not installed. */
  bin: string | undefined;
  /** `bun 1.4.5` / `deno 2.9.6`, or why the runtime's cases are skipped. */
  about: string;
  /** node_modules/.bin/<name>: what `npx <name>` and package.json scripts run. */
  shim: string;
  /** Whether the shim is a Node launcher that starts the binary as its child (a process in between). */
  launcher: boolean;
  /** Arguments before the script. */
  run: string[];
  /** The arguments that preload a package's `register` entry. */
  preload(pkg: Package): string[];
}

/**
 * Find a runtime through node_modules/.bin. pnpm writes a shell shim naming its target
 * (`# cmd-shim-target=…`); npm and yarn a symlink. Bun's target is its binary (the shim execs it);
 * Deno's is `bin.cjs`, a Node script that runs the `deno` binary beside it with spawnSync.
 */
function findRuntime(name: Runtime['name']): Pick<Runtime, 'bin' | 'about' | 'shim' | 'launcher'> {
  const shim = join(ROOT, 'node_modules', '.bin', name);
  if (!existsSync(shim))
    return {
      bin: undefined,
      about: `skipped: ${relative(ROOT, shim)} is missing (the optional runtime did not install)`,
      shim,
      launcher: false,
    };
  const target = /^# cmd-shim-target=(.+)$/m.exec(readFileSync(shim, 'latin1'))?.[1];
  const entry = target ? resolve(dirname(shim), target) : realpathSync(shim);
  const launcher = /\.[cm]?js$/.test(entry);
  const bin = launcher ? join(dirname(entry), name) : entry;
  const probe = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 20_000 });
  if (probe.status !== 0) {
    return {
      bin: undefined,
      about: `skipped: ${bin} --version failed (${probe.error?.message ?? probe.stderr.trim()})`,
      shim,
      launcher,
    };
  }
  const version = /\d+\.\d+\.\d+/.exec(probe.stdout)?.[0] ?? probe.stdout.trim();
  return { bin, about: `${name} ${version}`, shim, launcher };
}

const RUNTIMES: Runtime[] = [
  {
    ...findRuntime('bun'),
    name: 'bun',
    run: [],
    // Bun also takes Node's spelling, `--import` and `-r` (the flags case checks all three).
    preload: (pkg) => ['--preload', `@lifeline/${pkg}/register`],
  },
  {
    ...findRuntime('deno'),
    name: 'deno',
    run: ['run', '-A'],
    // A bare name given to --preload is read as a path; `npm:` resolves it from node_modules, which in
    // this pnpm workspace needs --node-modules-dir=manual.
    preload: (pkg) => ['--node-modules-dir=manual', '--preload', `npm:@lifeline/${pkg}/register`],
  },
];

interface Context {
  onTestFinished(fn: () => void): void;
}

const sigkill = (pid: unknown): void => {
  if (typeof pid !== 'number' || gone(pid)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone meanwhile
  }
};

/** The pid of the middle's direct child (a launcher, when one is in between). */
const middleChild = (tree: Tree): number =>
  (JSON.parse(readFileSync(join(tree.dir, 'middle.json'), 'utf8')) as { child: number }).child;

/** Start trees at once; when the test ends (passed or not) their processes are SIGKILLed. */
async function trees(ctx: Context, ...options: TreeOptions[]): Promise<Tree[]> {
  const started = await Promise.all(options.map((o) => startTree({ readyTimeoutMs: READY_MS, ...o })));
  ctx.onTestFinished(() => {
    for (const t of started) {
      for (const pid of [t.workerPid, t.ready.child, t.ready.grandchild, middleChild(t), t.middlePid, t.subreaperPid])
        sigkill(pid);
    }
  });
  return started;
}

/** SIGKILL the middles: the workers are orphaned. */
function orphan(...ts: Tree[]): void {
  for (const t of ts) process.kill(t.middlePid, 'SIGKILL');
}

/** The exit code the subreaper saw for the worker (-N: killed by signal N). */
async function reapedCode(t: Tree): Promise<number> {
  return (await waitFor(`the subreaper to reap ${t.workerPid}`, () => t.reaped().find((r) => r.pid === t.workerPid)))
    .code;
}

/** Run a short program to its end (async: the concurrent cases keep polling meanwhile). */
function run(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = execFile(
      command,
      args,
      {
        cwd: ROOT,
        env: { ...process.env, ...PLAIN, ...env },
        timeout: 45_000,
        killSignal: 'SIGKILL',
        encoding: 'utf8',
      },
      (_error, stdout, stderr) => done({ status: child.exitCode, stdout, stderr }),
    );
  });
}

/** Whether a fresh TCP server can listen on 127.0.0.1:port (then closes it). */
function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const probe = net.createServer();
    probe.once('error', () => done(false));
    probe.listen({ host: '127.0.0.1', port, exclusive: true }, () => probe.close(() => done(true)));
  });
}

const options = (o: object) => ({ FIXTURE_OPTIONS: JSON.stringify(o) });
const json = (text: string): Record<string, unknown> =>
  JSON.parse(text.trim().split('\n').at(-1) ?? '') as Record<string, unknown>;

for (const rt of RUNTIMES) {
  const { name } = rt;
  const bin = rt.bin as string;
  const worker = (
    args: string[],
    env: Record<string, string | null> = {},
    extra: Partial<TreeOptions> = {},
  ): TreeOptions => ({
    command: bin,
    worker: [...rt.run, ...args],
    env: { ...PLAIN, ...env },
    readyTimeoutMs: READY_MS,
    ...extra,
  });

  describe.skipIf(!rt.bin)(`${name} (${rt.about})`, () => {
    it.concurrent(
      'the register preload: the orphan leaves with one stderr line; without it the same worker lingers',
      async (ctx) => {
        const [armed, control] = await trees(
          ctx,
          worker([...rt.preload('parent-watch'), fixture('idle-worker.mjs')], FAST),
          worker([fixture('idle-worker.mjs')], FAST),
        );
        orphan(armed, control);
        await waitGone(armed.workerPid);
        await expectStaysAlive(control.workerPid, LINGER_MS);
        const lines = armed.stderr().trim().split('\n');
        ctx.expect(lines).toHaveLength(1);
        ctx
          .expect(lines[0])
          .toMatch(
            new RegExp(
              `^lifeline\\[${armed.workerPid}\\]: parent process ${armed.middlePid} is gone \\(now reparented to \\d+\\); exiting with code 1$`,
            ),
          );
        ctx.expect(control.stderr()).toBe('');
      },
    );

    it.concurrent(
      'preload flags: which arm, and a finished program still ends by itself with its own code (poll and thread mode)',
      async ({ expect }) => {
        const probe = fixture('preload-probe.mjs');
        const slow = { LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '1h' };
        const flags =
          name === 'bun'
            ? [
                ['--preload', '@lifeline/parent-watch/register'],
                ['--import', '@lifeline/parent-watch/register'],
                ['-r', '@lifeline/parent-watch/register'],
              ]
            : [
                ['--node-modules-dir=manual', '--preload', 'npm:@lifeline/parent-watch/register'],
                ['--node-modules-dir=manual', '--require', 'npm:@lifeline/parent-watch/register'],
                ['--preload', './node_modules/@lifeline/parent-watch/dist/register.js'],
              ];
        const runs = await Promise.all([
          ...flags.map((flag) => run(bin, [...rt.run, ...flag, probe], slow)),
          run(bin, [...rt.run, ...rt.preload('parent-watch'), probe], { ...slow, LIFELINE_PARENT_WATCH_THREAD: '1' }),
          run(bin, [...rt.run, probe], slow),
        ]);
        const control = runs.pop()!;
        const threaded = runs.pop()!;
        for (const r of runs) {
          expect(r.status, r.stderr).toBe(3); // a ref'd timer would hold it until the 45 s timeout (status null)
          expect(r.stderr).toBe('');
          expect(json(r.stdout)).toEqual({ state: 'watching', reasonCode: null, thread: false, light: true }); // the full watcher not loaded
        }
        expect(threaded.status, threaded.stderr).toBe(3);
        expect(json(threaded.stdout)).toEqual({ state: 'watching', reasonCode: null, thread: true, light: false });
        // Control: without a preload nothing is armed.
        expect(control.status).toBe(3);
        expect(json(control.stdout)).toMatchObject({ state: 'none' });
        if (name === 'deno') {
          // Deno reads a bare name given to --preload (or --require) as a path relative to the working directory.
          const bare = await run(bin, [...rt.run, '--preload', '@lifeline/parent-watch/register', probe]);
          expect(bare.status).toBe(1);
          expect(bare.stderr).toContain(`Module not found "file://${ROOT}/@lifeline/parent-watch/register"`);
        }
      },
    );

    it.concurrent(
      'forked by Node with an IPC channel, a finished program still ends by itself: the IPC hint holds nothing open, or is off where listening would hold it (Bun)',
      async ({ expect }) => {
        const child = fork(fixture('forked-hints-probe.mjs'), [], {
          execPath: bin,
          execArgv: [...rt.run, ...rt.preload('parent-watch')],
          cwd: ROOT,
          env: { ...process.env, ...PLAIN },
          stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        });
        trackPid(child.pid);
        let out = '';
        child.stdout!.on('data', (chunk: Buffer) => void (out += chunk.toString()));
        // Before the IPC hint took its channel ref back, both runtimes held this child until its parent went.
        expect(await exitOf(child)).toEqual({ code: 3, signal: null });
        expect(json(out).hints).toContain(
          name === 'bun'
            ? "not the IPC channel's 'disconnect' (this runtime keeps a process alive while it is listened to)"
            : "the IPC channel's 'disconnect'",
        );
      },
    );

    it.concurrent(
      "stdin mode under the preload: a CommonJS server's own process.exit(1) on stdin's end runs the orphan path first (grandchild down, code 0); without the variable it exits 1 and the grandchild stays",
      async ({ expect }) => {
        const server = async (env: Record<string, string>) => {
          const dir = tempDir();
          const ready = join(dir, 'ready.json');
          const child = spawnTracked(
            bin,
            [...rt.run, ...rt.preload('parent-watch'), fixture('stdin-exits-on-end.cjs')],
            {
              cwd: ROOT,
              env: { ...process.env, ...PLAIN, FIXTURE_DIR: dir, FIXTURE_READY: ready, ...env },
              stdio: ['pipe', 'ignore', 'ignore'],
            },
          );
          const { grandchild } = await waitForJson<{ grandchild: number }>(ready, READY_MS);
          trackPid(grandchild);
          return { child, grandchild };
        };
        const [armed, control] = await Promise.all([server({ LIFELINE_PARENT_WATCH_STDIN: '1' }), server({})]);
        armed.child.stdin!.end('line\n');
        control.child.stdin!.end('line\n');
        expect(await exitOf(armed.child)).toEqual({ code: 0, signal: null });
        await waitGone(armed.grandchild);
        expect(await exitOf(control.child)).toEqual({ code: 1, signal: null });
        await expectStaysAlive(control.grandchild, 500);
      },
    );

    it.concurrent(
      'watchParent() imported in code: hooks see the event, the signal aborts; disabled, the same worker lingers',
      async (ctx) => {
        const [armed, control] = await trees(
          ctx,
          worker([fixture('armed-worker.mjs')], { ...options({ interval: 100 }), FIXTURE_HOOKS: 'record' }),
          worker([fixture('armed-worker.mjs')], {
            ...options({ interval: 100, enabled: false }),
            FIXTURE_HOOKS: 'record',
          }),
        );
        ctx.expect(armed.ready.state).toBe('watching');
        orphan(armed, control);
        await waitGone(armed.workerPid);
        await expectStaysAlive(control.workerPid, LINGER_MS);
        const event = JSON.parse(readFileSync(join(armed.dir, 'hook.json'), 'utf8'));
        ctx
          .expect(event)
          .toMatchObject({ originalParentPid: armed.middlePid, cause: 'reparented', detectedBy: 'poll' });
        ctx.expect(event.currentParentPid).not.toBe(armed.middlePid);
        ctx.expect(existsSync(join(armed.dir, 'aborted'))).toBe(true);
        ctx.expect(existsSync(join(control.dir, 'hook.json'))).toBe(false);
      },
    );

    it.concurrent(
      'hooks and grace: a hook that throws and one that never settles; exit code 7 at the grace deadline, seen by a subreaper',
      async (ctx) => {
        const grace = 500;
        const [armed, control] = await trees(
          ctx,
          worker(
            [fixture('armed-worker.mjs')],
            { ...options({ interval: 100, grace, exitCode: 7 }), FIXTURE_HOOKS: 'throw,hang,record' },
            { subreaper: true },
          ),
          worker(
            [fixture('armed-worker.mjs')],
            { ...options({ interval: 100, grace, exitCode: 7, enabled: false }), FIXTURE_HOOKS: 'hang,record' },
            { subreaper: true },
          ),
        );
        orphan(armed, control);
        await waitGone(armed.workerPid);
        const goneAt = Date.now();
        ctx.expect(await reapedCode(armed)).toBe(7);
        const { detectedAt } = JSON.parse(readFileSync(join(armed.dir, 'hook.json'), 'utf8')) as { detectedAt: number };
        // Held by the hook that never settles until the deadline, and not (much) longer: timers and
        // this test's 10 ms polling on a loaded 2-core machine are the slack.
        ctx.expect(goneAt).toBeGreaterThanOrEqual(detectedAt + grace);
        ctx.expect(goneAt).toBeLessThan(detectedAt + grace + 1000);
        const text = await waitFor('the stderr lines', () =>
          armed.stderr().includes('grace deadline') ? armed.stderr() : '',
        );
        ctx.expect(text).toContain('exiting with code 7');
        ctx.expect(text).toContain('an onOrphan hook failed: Error: hook blew up on purpose');
        ctx.expect(text).toContain('1 onOrphan hook(s) still pending at the grace deadline (500ms); exiting anyway');
        // Control: the watcher off, its worker is never reaped and its hook never runs.
        await expectStaysAlive(control.workerPid, LINGER_MS);
        ctx.expect(control.reaped().some((r) => r.pid === control.workerPid)).toBe(false);
        ctx.expect(existsSync(join(control.dir, 'hook.json'))).toBe(false);
      },
    );

    it.concurrent(
      "descendants: the worker's child and grandchild are taken down; killDescendants: false leaves them",
      async (ctx) => {
        const [armed, control] = await trees(
          ctx,
          worker([fixture('worker-with-grandchild.mjs')], options({ interval: 100, grace: 1000 })),
          worker([fixture('worker-with-grandchild.mjs')], options({ interval: 100, killDescendants: false })),
        );
        orphan(armed, control);
        await waitGone(armed.workerPid);
        await waitGone(armed.ready.child as number, 3000);
        await waitGone(armed.ready.grandchild as number, 3000);
        // Control: its worker leaves too, its grandchild stays.
        await waitGone(control.workerPid);
        await expectStaysAlive(control.ready.grandchild as number, LINGER_MS);
      },
    );

    it.concurrent(
      'signals and exit: a SIGTERM during the grace ends the cleanup with the announced code, a SIGTERM-ignoring child is SIGKILLed',
      async (ctx) => {
        const cut = (extra: object): TreeOptions =>
          worker(
            [fixture('cleanup-cut-short.mjs')],
            { FIXTURE_CUT: 'sigterm', ...options({ interval: 50, exitCode: 3, grace: '20s', ...extra }) },
            { subreaper: true },
          );
        const [armed, control] = await trees(ctx, cut({}), cut({ killDescendants: false }));
        orphan(armed, control);
        for (const t of [armed, control]) {
          await waitFor('the hook to start', () => existsSync(join(t.dir, 'hook-started')));
          process.kill(t.workerPid, 'SIGTERM');
        }
        await waitGone(armed.workerPid, 5000); // long before the 20 s grace
        ctx.expect(await reapedCode(armed)).toBe(3);
        ctx.expect(armed.stderr()).toContain('SIGTERM during the orphan cleanup: ending it now');
        await waitGone(armed.ready.child as number, 1000);
        // Control: the same exit, but with killDescendants: false the child that ignores SIGTERM survives.
        await waitGone(control.workerPid, 5000);
        await expectStaysAlive(control.ready.child as number, 500);
      },
    );

    it.concurrent(
      'thread mode: a main thread stuck in for(;;) is SIGKILLed by the watchdog thread; the main-loop watcher cannot (control)',
      async (ctx) => {
        const [threaded, looped] = await trees(
          ctx,
          worker([fixture('blocked-worker.mjs')], options({ interval: 100, grace: 300, thread: true }), {
            subreaper: true,
          }),
          worker([fixture('blocked-worker.mjs')], options({ interval: 100, grace: 300, thread: false })),
        );
        ctx.expect(threaded.ready.thread).toBe(true); // node:worker_threads, SharedArrayBuffer and Atomics are there
        orphan(threaded, looped);
        await waitGone(threaded.workerPid);
        ctx.expect(await reapedCode(threaded)).toBe(-9); // SIGKILL from the thread: no cleanup could run
        const text = await waitFor('the second line', () =>
          threaded.stderr().includes('unresponsive') ? threaded.stderr() : '',
        );
        const lines = text.trim().split('\n');
        ctx.expect(lines).toHaveLength(2);
        ctx.expect(lines[0]).toContain(`parent process ${threaded.middlePid} is gone`);
        ctx.expect(lines[0]).toContain('[watchdog thread]');
        ctx.expect(lines[1]).toContain('the main thread was unresponsive for 550ms');
        ctx.expect(existsSync(join(threaded.dir, 'hook.json'))).toBe(false);
        await expectStaysAlive(looped.workerPid, LINGER_MS);
      },
    );

    it.concurrent(
      'thread mode with a responsive main thread: the thread detects, the main thread runs the hook and exits with the configured code',
      async (ctx) => {
        const [armed, control] = await trees(
          ctx,
          worker(
            [fixture('armed-worker.mjs')],
            { ...options({ interval: 100, thread: true, exitCode: 9 }), FIXTURE_HOOKS: 'record' },
            { subreaper: true },
          ),
          worker([fixture('armed-worker.mjs')], {
            ...options({ interval: 100, thread: true, exitCode: 9, enabled: false }),
            FIXTURE_HOOKS: 'record',
          }),
        );
        orphan(armed, control);
        await waitGone(armed.workerPid);
        ctx.expect(await reapedCode(armed)).toBe(9);
        const event = JSON.parse(readFileSync(join(armed.dir, 'hook.json'), 'utf8'));
        ctx
          .expect(event)
          .toMatchObject({ detectedBy: 'thread', cause: 'reparented', originalParentPid: armed.middlePid });
        const lines = armed.stderr().trim().split('\n');
        ctx.expect(lines).toHaveLength(1);
        ctx.expect(lines[0]).toContain('exiting with code 9 [watchdog thread]');
        await expectStaysAlive(control.workerPid, LINGER_MS);
      },
    );

    it.concurrent(
      '@grpc/grpc-js: a createServer() worker leaves and frees its port; a plain server lingers and holds it',
      async (ctx) => {
        const env = { ...FAST, LIFELINE_PARENT_WATCH_GRACE: '1s' };
        const [armed, control] = await trees(
          ctx,
          worker([fixture('grpc-echo-server.mjs')], { ...env, FIXTURE_SERVER: 'create' }),
          worker([fixture('grpc-echo-server.mjs')], { ...env, FIXTURE_SERVER: 'plain' }),
        );
        // The runtime runs grpc-js both ways: each server answered a call from a grpc-js client before it was ready.
        ctx.expect(armed.ready).toMatchObject({ echo: 'ping', watch: 'watching' });
        ctx.expect(control.ready).toMatchObject({ echo: 'ping', watch: 'none' });
        orphan(armed, control);
        await waitGone(armed.workerPid);
        await waitFor(`port ${armed.ready.port} to be free`, () => portFree(armed.ready.port as number), 2000);
        ctx.expect(armed.stderr()).toContain(`parent process ${armed.middlePid} is gone`);
        await expectStaysAlive(control.workerPid, LINGER_MS);
        ctx.expect(await portFree(control.ready.port as number)).toBe(false);
      },
    );

    {
      // Bun's loader never calls Module._load: the preload patches the app's copy up front there.
      it.concurrent(
        '@grpc/grpc-js: the grpc-bootstrap register preload arms a plain server, which leaves and frees its port; without it, it lingers',
        async (ctx) => {
          const env = { ...FAST, LIFELINE_PARENT_WATCH_GRACE: '1s', FIXTURE_SERVER: 'plain' };
          const [armed, control] = await trees(
            ctx,
            worker([...rt.preload('grpc-bootstrap'), fixture('grpc-echo-server.mjs')], env),
            worker([fixture('grpc-echo-server.mjs')], env),
          );
          ctx.expect(armed.ready).toMatchObject({ echo: 'ping', watch: 'watching' });
          orphan(armed, control);
          await waitGone(armed.workerPid);
          await waitFor(`port ${armed.ready.port} to be free`, () => portFree(armed.ready.port as number), 2000);
          await expectStaysAlive(control.workerPid, LINGER_MS);
          ctx.expect(await portFree(control.ready.port as number)).toBe(false);
        },
      );
    }

    it.concurrent('watchParent() inside a worker thread is disabled, as under Node', async ({ expect }) => {
      const [ours, node] = await Promise.all([
        run(bin, [...rt.run, fixture('worker-thread-arming.mjs')]),
        run(process.execPath, [fixture('worker-thread-arming.mjs')]),
      ]);
      expect(node.status).toBe(0);
      expect(json(node.stdout)).toEqual({ isMainThread: false, state: 'disabled', reasonCode: 'not-main-thread' });
      expect(ours.status, ours.stderr).toBe(0);
      // Bun and Deno expose an empty `process.moduleLoadList`: the probe asks node:worker_threads then.
      expect(json(ours.stdout)).toEqual({ isMainThread: false, state: 'disabled', reasonCode: 'not-main-thread' });
    });

    it.concurrent(
      "the stdio hint is Node's: a worker whose stdout and stderr readers died with its supervisor waits for its poll (an hour here)",
      async (ctx) => {
        const dir = tempDir();
        const command = [
          fixture('stdio-supervisor.py'),
          bin,
          ...rt.run,
          ...rt.preload('parent-watch'),
          fixture('stdio-writer.mjs'),
        ];
        const env = {
          ...process.env,
          ...PLAIN,
          LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '1h',
          FIXTURE_DIR: dir,
          FIXTURE_LINES: '10',
        };
        const supervisor = spawnTracked('python3', command, { cwd: ROOT, env });
        const { workers } = await waitForJson<{ workers: number[] }>(join(dir, 'supervisor.json'), READY_MS);
        const pid = workers[0] as number;
        ctx.onTestFinished(() => sigkill(pid));
        await waitForJson(join(dir, 'worker-0.json'), READY_MS);
        await waitFor('every line at the supervisor', () => readText(join(dir, 'lines-0')) === '20', READY_MS);
        process.kill(supervisor.pid as number, 'SIGKILL');
        await expectStaysAlive(pid, LINGER_MS);
      },
    );

    if (name !== 'deno') return;

    // Only where the .bin entry is Deno's npm launcher (bin.cjs); a direct binary has nothing in between.
    (rt.launcher ? it.concurrent : it.concurrent.skip)(
      'node_modules/.bin/deno is a Node launcher in between: the preload sees through it, as LIFELINE_PARENT_PID does; switched off it never sees the supervisor die',
      async (ctx) => {
        const args = ['run', '-A', ...rt.preload('parent-watch'), fixture('idle-worker.mjs')];
        const [named, seen, control] = await trees(
          ctx,
          { command: rt.shim, worker: args, env: { ...PLAIN, ...FAST, LIFELINE_PARENT_PID: '$MIDDLE_PID' } },
          { command: rt.shim, worker: args, env: { ...PLAIN, ...FAST } },
          { command: rt.shim, worker: args, env: { ...PLAIN, ...FAST, LIFELINE_PARENT_WATCH_WRAPPERS: '0' } },
        );
        for (const t of [named, seen, control]) ctx.expect(t.ready.ppid).toBe(middleChild(t)); // the launcher, not the middle
        orphan(named, seen, control);
        for (const armed of [named, seen]) {
          await waitGone(armed.workerPid);
          await waitGone(middleChild(armed)); // the launcher's spawnSync returns: it follows
          ctx
            .expect(armed.stderr())
            .toContain(
              `expected parent process ${armed.middlePid} is no longer running (direct parent ${armed.ready.ppid})`,
            );
        }
        // Control: its direct parent, the launcher, is alive and was never reparented.
        await expectStaysAlive(control.workerPid, LINGER_MS);
      },
    );

    it.concurrent(
      'permissions: without --allow-env the preload reads every variable as unset and still arms',
      async ({ expect }) => {
        const probe = fixture('preload-probe.mjs');
        const [denied, allowed] = await Promise.all([
          run(bin, ['run', '--no-prompt', ...rt.preload('parent-watch'), probe]),
          run(bin, ['run', '--no-prompt', '--allow-env', ...rt.preload('parent-watch'), probe]),
        ]);
        // A refused read counts as unset: the preload never throws, the program runs, the defaults apply.
        expect(denied.status, denied.stderr).toBe(3);
        expect(denied.stderr).not.toContain('NotCapable');
        expect(json(denied.stdout)).toMatchObject({ state: 'watching' });
        expect(allowed.status, allowed.stderr).toBe(3);
        expect(json(allowed.stdout)).toMatchObject({ state: 'watching' });
      },
    );

    it.concurrent(
      'permissions: LIFELINE_PARENT_PID without --allow-run — a refused kill(pid, 0) does not make a live supervisor gone',
      async ({ expect }) => {
        const probe = fixture('preload-probe.mjs');
        // A live process that is not deno's direct parent (this test process is): vitest's main process.
        const supervisor = process.ppid;
        const env = { LIFELINE_PARENT_PID: String(supervisor), LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '1h' };
        const [denied, allowed] = await Promise.all([
          run(bin, ['run', '--no-prompt', '--allow-env', ...rt.preload('parent-watch'), probe], env),
          run(bin, ['run', '--no-prompt', '--allow-env', '--allow-run', ...rt.preload('parent-watch'), probe], env),
        ]);
        // Without /proc (Deno gates it behind -A) liveness is kill(pid, 0), which Deno refuses without
        // --allow-run (NotCapable): only ESRCH means "no such process", so the supervisor counts as alive.
        expect(denied.status, denied.stderr).toBe(3);
        expect(denied.stderr).toContain(
          `LIFELINE_PARENT_PID=${supervisor} is running but is not this process's parent`,
        );
        // With --allow-run, kill(pid, 0) answers: the live supervisor is watched (not our direct parent here).
        expect(allowed.status, allowed.stderr).toBe(3);
        expect(allowed.stderr).toContain(
          `LIFELINE_PARENT_PID=${supervisor} is running but is not this process's parent`,
        );
        expect(json(allowed.stdout)).toMatchObject({ state: 'watching' });
      },
    );

    it.concurrent(
      'permissions: without -A Deno hides /proc: the worker leaves, but its descendants are not found and linger',
      async (ctx) => {
        const perms = ['run', '--no-prompt', '--allow-env', '--allow-read', '--allow-write', '--allow-run'];
        const [tree] = await trees(ctx, {
          command: bin,
          worker: [...perms, fixture('worker-with-grandchild.mjs')],
          env: { ...PLAIN, ...options({ interval: 100, grace: 1000 }) },
        });
        orphan(tree);
        await waitGone(tree.workerPid); // ppid needs no permission: the orphaning is still seen
        ctx.expect(tree.stderr()).toContain('exiting with code 1');
        ctx.expect(tree.stderr()).toContain('warning: descendants cannot be taken down: /proc cannot be read here');
        // Every named permission, yet /proc reads need --allow-all: the walk finds nobody (compare the -A case above).
        await expectStaysAlive(tree.ready.child as number, LINGER_MS);
        ctx.expect(gone(tree.ready.grandchild as number)).toBe(false);
      },
    );
  });
}
