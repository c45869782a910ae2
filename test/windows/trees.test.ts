/**
 * Windows, under Wine with the official node.exe 22: one supervisor (windows-supervisor.mjs) starts every
 * worker below, the test SIGKILLs it from Linux, and each armed worker must leave — by the lifeline pipe,
 * the IPC channel, the poll of its parent's liveness, the register preload's light watcher, stdin's end,
 * the watchdog thread; a gRPC server, an app shutting down on a raised SIGTERM, `lifeline run` and its command — beside
 * a control that stays. Times are from the SIGKILL to the worker's Wine process gone.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  ROOT,
  cleanup,
  expectStaysAlive,
  fixture,
  readText,
  tempDir,
  waitFor,
  waitForJson,
  waitForReady,
  waitGone,
} from '../helpers/process-tree.js';
import { linuxPids, probeNode, startNode, type Wine } from './wine.js';

const setup = inject('wine');

const REGISTER = ['--import', '@lifeline/parent-watch/register'];
const IDLE = [...REGISTER, fixture('idle-worker.mjs')];
const HOOKED = [fixture('armed-worker.mjs')];
const RUN = [join(ROOT, 'packages', 'supervisor', 'dist', 'cli.js'), 'run', '--', '$NODE', fixture('idle-worker.mjs')];
const BLOCKED = [fixture('blocked-worker.mjs')];
const BLOCK = { FIXTURE_BLOCK: 'wait' };

interface WorkerSpec {
  name: string;
  args: string[];
  env?: Record<string, string>;
  options?: Record<string, unknown>;
  ipc?: boolean;
  detached?: boolean;
  /** Its stdin a pipe from the supervisor (else ignored). */
  stdin?: boolean;
}

/** Every worker of the tree: the armed ones by path, and the controls that must stay. */
const WORKERS: WorkerSpec[] = [
  { name: 'pipe', args: HOOKED, env: { FIXTURE_HOOKS: 'record' }, options: { interval: '60s' } },
  {
    name: 'ipc',
    args: HOOKED,
    env: { FIXTURE_HOOKS: 'record' },
    options: { interval: '60s', lifelinePipe: false },
    ipc: true,
  },
  { name: 'hintless', args: IDLE, options: { interval: '60s', lifelinePipe: false } },
  { name: 'poll', args: IDLE, options: { interval: '200ms', lifelinePipe: false } },
  { name: 'light', args: IDLE, env: { LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '200ms' }, detached: true },
  // The light preload with a channel: its own IPC hint, a 60 s poll (the full watcher takes over for the verdict: no /proc).
  { name: 'light-ipc', args: IDLE, env: { LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '60s' }, detached: true, ipc: true },
  // stdin mode from the light preload: the supervisor's end of stdin closes with it (a 60 s poll; no /proc:
  // the full watcher takes over for the orphan path). The control reads its stdin the same, without the variable.
  {
    name: 'light-stdin',
    args: [...REGISTER, fixture('stdin-reader.mjs')],
    env: { LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '60s', LIFELINE_PARENT_WATCH_STDIN: '1' },
    detached: true,
    stdin: true,
  },
  {
    name: 'stdin-control',
    args: [...REGISTER, fixture('stdin-reader.mjs')],
    env: { LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '60s' },
    detached: true,
    stdin: true,
  },
  { name: 'unarmed', args: IDLE, options: { enabled: false, lifelinePipe: false } },
  // Grace 200 ms: a blocked main thread never runs the orphan path; the watchdog ends the process at grace + 250 ms.
  {
    name: 'thread-pipe',
    args: BLOCKED,
    env: { ...BLOCK, FIXTURE_OPTIONS: '{"thread":true}' },
    options: { interval: '60s', grace: '200ms' },
  },
  {
    name: 'thread-poll',
    args: BLOCKED,
    env: { ...BLOCK, FIXTURE_OPTIONS: '{"thread":true}' },
    options: { interval: '200ms', grace: '200ms', lifelinePipe: false },
  },
  { name: 'blocked', args: BLOCKED, env: BLOCK, options: { interval: '200ms' } },
  { name: 'children', args: [...REGISTER, fixture('worker-with-node-children.mjs')], options: { interval: '60s' } },
  {
    name: 'grpc',
    args: ['--import', '@lifeline/grpc-bootstrap/register', fixture('grpc-echo-server.mjs')],
    env: { FIXTURE_SERVER: 'plain' },
    options: { interval: '60s' },
  },
  { name: 'grpc-control', args: [fixture('grpc-echo-server.mjs')], env: { FIXTURE_SERVER: 'plain' } },
  // Windows has no catchable SIGTERM: the raise is handed to the app's listeners.
  {
    name: 'raise',
    args: [...REGISTER, fixture('graceful-app.mjs')],
    env: { FIXTURE_APP: 'close-with-grace' },
    options: { interval: '60s', raise: 'SIGTERM' },
  },
  // `lifeline run` and its command carry the same tag: gone means both gone.
  { name: 'run', args: RUN },
  { name: 'run-control', args: RUN, env: { LOCALAI_BACKEND_PARENT_WATCH: 'false' } },
];

/** How long a control must stay after the armed workers of its path are gone. */
const STAYS_MS = 1000;
/** Safety net only: Wine starts a process in 1–3 s, far longer on a loaded machine. */
const START_TIMEOUT_MS = 150_000;
const GONE_TIMEOUT_MS = 20_000;

interface Outcome {
  ms?: number;
  error?: unknown;
}

const portFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

describe.skipIf(setup.skip !== undefined)(
  `Windows under Wine${setup.skip === undefined ? '' : ` (skipped: ${setup.skip})`}`,
  () => {
    const wine = setup.wine as Wine;
    let dir = '';
    let killedAt = 0;
    /** Linux pids of each worker, of the children (`children-attached`, `children-detached`). */
    const pids: Record<string, number[]> = {};
    const ready: Record<string, Record<string, unknown>> = {};
    const outcomes: Record<string, Promise<Outcome>> = {};
    const times: Record<string, number> = {};

    /** Resolve (never reject) when every Linux process of `name` is gone, with the ms since the kill. */
    const watchGone = (name: string): Promise<Outcome> =>
      Promise.all((pids[name] ?? []).map((pid) => waitGone(pid, GONE_TIMEOUT_MS, 2))).then(
        () => ({ ms: Date.now() - killedAt }),
        (error: unknown) => ({ error }),
      );
    const goneWithin = async (name: string): Promise<number> => {
      const outcome = await outcomes[name];
      if (outcome?.ms === undefined)
        throw new Error(
          `${name} did not leave: ${String(outcome.error)}\nstderr: ${readText(join(dir, name, 'stderr'))}`,
        );
      times[name] = outcome.ms;
      return outcome.ms;
    };
    const staysAlive = (name: string): Promise<void[]> =>
      Promise.all((pids[name] ?? []).map((pid) => expectStaysAlive(pid, STAYS_MS)));
    const hookOf = (name: string): { cause?: string; detectedBy?: string } =>
      JSON.parse(readText(join(dir, name, 'hook.json')) || '{}');

    beforeAll(async () => {
      if (setup.error !== undefined) throw new Error(setup.error);
      const probe = await probeNode(wine);
      expect(probe).toMatch(/^v22\.\d+\.\d+ win32$/);
      dir = tempDir();
      const specFile = join(dir, 'spec.json');
      writeFileSync(specFile, JSON.stringify({ dir, workers: WORKERS }));
      const supervisor = startNode(wine, [fixture('windows-supervisor.mjs'), specFile], {
        stdout: join(dir, 'stdout'),
        stderr: join(dir, 'stderr'),
      });
      await waitForReady(join(dir, 'supervisor.json'), 'json', {
        timeoutMs: START_TIMEOUT_MS,
        writer: supervisor.pid,
        detail: () => readText(join(dir, 'stderr')),
      });
      for (const { name } of WORKERS) {
        ready[name] = await waitForJson(join(dir, name, 'ready.json'));
        pids[name] = linuxPids(`${dir}/${name}.tag`);
        expect(pids[name], `the Wine process of ${name}`).not.toHaveLength(0);
      }
      for (const kind of ['attached', 'detached']) pids[`children-${kind}`] = linuxPids(`${dir}/children-${kind}.tag`);
      const supervisors = linuxPids(specFile);
      expect(supervisors).not.toHaveLength(0);
      killedAt = Date.now();
      for (const pid of supervisors) process.kill(pid, 'SIGKILL');
      for (const name of [...WORKERS.map((w) => w.name), 'children-attached']) outcomes[name] = watchGone(name);
    }, START_TIMEOUT_MS + 30_000);

    afterAll(() => {
      if (Object.keys(times).length > 0) {
        console.log(`Windows (Wine) supervisor SIGKILL → worker gone, ms: ${JSON.stringify(times)}`);
      }
      cleanup();
    });

    it('the lifeline pipe: a spawnWorker worker polling every 60 s leaves at once; the same worker without the pipe stays', async () => {
      expect(await goneWithin('pipe')).toBeLessThan(GONE_TIMEOUT_MS);
      expect(hookOf('pipe')).toMatchObject({ cause: 'parent-not-running', detectedBy: 'pipe' });
      times['pipe-detected'] = (hookOf('pipe') as { detectedAt: number }).detectedAt - killedAt;
      expect(readText(join(dir, 'pipe', 'stderr'))).toMatch(
        /parent process \d+ is no longer running; exiting with code 1/,
      );
      await staysAlive('hintless');
    });

    it("the IPC channel's disconnect: a forked-style worker polling every 60 s leaves at once, from the full watcher and from the light preload; without a channel it stays", async () => {
      await goneWithin('ipc');
      expect(hookOf('ipc')).toMatchObject({ cause: 'parent-not-running', detectedBy: 'ipc-disconnect' });
      times['ipc-detected'] = (hookOf('ipc') as { detectedAt: number }).detectedAt - killedAt;
      expect(await goneWithin('light-ipc')).toBeLessThan(GONE_TIMEOUT_MS);
      expect(readText(join(dir, 'light-ipc', 'stderr'))).toMatch(
        /parent process \d+ is no longer running; exiting with code 1/,
      );
      await staysAlive('hintless');
    });

    it("stdin's end: a stdio server under the light preload and LIFELINE_PARENT_WATCH_STDIN leaves when its supervisor's end closes, with code 0; without the variable it stays", async () => {
      expect(await goneWithin('light-stdin')).toBeLessThan(GONE_TIMEOUT_MS);
      expect(readText(join(dir, 'light-stdin', 'stderr'))).toMatch(
        /stdin closed: the host \(parent \d+\) is gone or asked this process to leave; exiting with code 0/,
      );
      // No /proc to prove there are no descendants: the full watcher took over for the orphan path.
      expect(JSON.parse(readText(join(dir, 'light-stdin', 'exit.json')))).toEqual({ code: 0, fullLoaded: true });
      await staysAlive('stdin-control');
    });

    it("the poll of the parent's liveness (200 ms), from the full watcher and from the light preload; a disabled watcher stays", async () => {
      await goneWithin('poll');
      await goneWithin('light');
      for (const name of ['poll', 'light'])
        expect(readText(join(dir, name, 'stderr'))).toMatch(
          /parent process \d+ is no longer running; exiting with code 1/,
        );
      await staysAlive('unarmed');
    });

    it('thread mode: a worker whose main thread never yields leaves by the pipe and by the poll; on the main loop it stays', async () => {
      await goneWithin('thread-pipe');
      await goneWithin('thread-poll');
      expect(readText(join(dir, 'thread-poll', 'stderr'))).toMatch(/no longer running; .*\[watchdog thread\]/);
      await staysAlive('blocked');
    });

    it("descendants: the worker's non-detached Node child ends with it (libuv's job object); a detached child escapes", async () => {
      await goneWithin('children');
      await goneWithin('children-attached');
      await staysAlive('children-detached');
    });

    it("gRPC: an armed server's port is free at once; an unarmed server keeps it", async () => {
      const port = (name: string): number => ready[name]?.port as number;
      expect(ready.grpc).toMatchObject({ echo: 'ping', watch: 'watching' });
      await goneWithin('grpc');
      await waitFor('the armed gRPC port to be free', () => portFree(port('grpc')), 5000);
      await staysAlive('grpc-control');
      expect(await portFree(port('grpc-control'))).toBe(false);
    });

    it("raise: the app's own SIGTERM shutdown runs (handed to its listeners: Windows has no catchable SIGTERM)", async () => {
      await goneWithin('raise');
      expect(JSON.parse(readText(join(dir, 'raise', 'shutdown.json')))).toEqual({
        by: 'close-with-grace',
        signal: 'SIGTERM',
      });
    });

    it('lifeline run: orphaned, it ends its command (TerminateProcess); switched off, both stay', async () => {
      await goneWithin('run');
      expect(readText(join(dir, 'run', 'stderr'))).toMatch(
        /run: orphaned \(parent \d+ gone\): stopping process \d+ \(TerminateProcess/,
      );
      expect(pids['run-control']).toHaveLength(2); // lifeline run and its command
      await staysAlive('run-control');
    });
  },
);
