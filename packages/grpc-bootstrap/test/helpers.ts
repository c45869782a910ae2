// Real process trees for the tests: test → middle (the "supervisor", SIGKILLed by the test) → worker.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRunning } from '@lifeline/parent-watch/proc';

export const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** Short settings so the file runs quickly; bounds below are generous on purpose. */
export const INTERVAL_MS = 100;
export const GRACE_MS = 1000;
export const SLACK_MS = 2000;
/** The asserted bound: a worker is gone this long after its parent was SIGKILLed. */
export const GONE_WITHIN_MS = INTERVAL_MS + GRACE_MS + SLACK_MS;

export interface Ready {
  pid: number;
  ppid: number;
  port: number;
  [key: string]: unknown;
}

export interface Tree {
  /** The worker's node arguments, for messages. */
  label: string;
  middle: ChildProcess;
  outDir: string;
  worker: Ready;
  /** Lines of observations.log: `<epoch ms> <what>`. */
  observations(): { at: number; what: string }[];
  stderr(): string;
}

const started: { pids: number[]; dirs: string[] } = { pids: [], dirs: [] };

/** Poll `check` every `everyMs` until it returns a truthy value or `timeoutMs` passes (then throw). */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs: number, everyMs = 10): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Start middle → worker (`node <nodeArgs...>` in the fixtures folder) and wait for the worker's ready.json. */
export async function startTree(nodeArgs: string[], env: Record<string, string | undefined> = {}): Promise<Tree> {
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'lifeline-grpc-'));
  started.dirs.push(outDir);
  const childEnv: Record<string, string | undefined> = {
    ...process.env,
    LOCALAI_BACKEND_PARENT_WATCH: undefined,
    LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: `${INTERVAL_MS}ms`,
    LIFELINE_PARENT_WATCH_GRACE: `${GRACE_MS}ms`,
    LIFELINE_PARENT_PID: undefined,
    LIFELINE_PARENT_WATCH_THREAD: undefined,
    NODE_OPTIONS: undefined,
    ...env,
  };
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key];
  const middle = spawn(process.execPath, [path.join(fixtures, 'middle.mjs'), outDir, ...nodeArgs], {
    cwd: fixtures,
    stdio: 'ignore',
    env: childEnv,
  });
  if (middle.pid === undefined) throw new Error('could not spawn the middle process');
  started.pids.push(middle.pid);
  const workerPid = Number(await waitFor('worker.pid', () => readIf(path.join(outDir, 'worker.pid')), 10_000));
  started.pids.push(workerPid);
  const ready = await waitFor(
    `ready.json of ${nodeArgs.join(' ')}`,
    () => {
      const text = readIf(path.join(outDir, 'ready.json'));
      if (text) return JSON.parse(text) as Ready;
      if (!isRunning(workerPid)) throw new Error(`worker exited before ready: ${readIf(path.join(outDir, 'worker.stderr'))}`);
      return undefined;
    },
    15_000,
  );
  return {
    label: nodeArgs.join(' '),
    middle,
    outDir,
    worker: ready,
    observations: () =>
      (readIf(path.join(outDir, 'observations.log')) ?? '')
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const space = line.indexOf(' ');
          return { at: Number(line.slice(0, space)), what: line.slice(space + 1) };
        }),
    stderr: () => readIf(path.join(outDir, 'worker.stderr')) ?? '',
  };
}

/** SIGKILL the middle (the worker's parent) and return when it happened. */
export function killParent(tree: Tree): number {
  tree.middle.kill('SIGKILL');
  return Date.now();
}

/** Whether the worker is gone (a zombie left unreaped by init counts as gone). */
export function gone(pid: number): boolean {
  return !isRunning(pid);
}

/** Resolve true when a fresh TCP server can listen on 127.0.0.1:port (then close it). */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host: '127.0.0.1', port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** Wait until `pid` is gone, then until its port is free. Returns both moments. */
export async function waitGoneAndFree(pid: number, port: number, since: number): Promise<{ goneMs: number; freeMs: number }> {
  await waitFor(`worker ${pid} to be gone`, () => gone(pid), GONE_WITHIN_MS, 5);
  const goneMs = Date.now() - since;
  await waitFor(`port ${port} to be free`, () => portFree(port), 1000, 10);
  return { goneMs, freeMs: Date.now() - since };
}

/** Sleep until `at` (epoch ms): used only to hold a negative control up to the asserted deadline. */
export async function until(at: number): Promise<void> {
  const wait = at - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

/** SIGKILL everything started, remove the temp folders. Safe to call twice. */
export function cleanup(): void {
  for (const pid of started.pids.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const dir of started.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

function readIf(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  return text === '' ? undefined : text;
}
