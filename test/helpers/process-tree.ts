/**
 * Real process trees for end-to-end tests: test → [subreaper →] middle → worker.
 * Every process started here is remembered and SIGKILLed by `cleanup()`, even when a test fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isRunning } from '@lifeline/parent-watch/proc';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures');
const started = new Set<number>();
const dirs: string[] = [];

/** A fresh temp dir, removed by cleanup(). */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-test-'));
  dirs.push(dir);
  return dir;
}

/** Remember a pid to SIGKILL at cleanup. */
export function track(pid: number | undefined): void {
  if (pid) started.add(pid);
}

/** SIGKILL every process the test started (and their groups when they lead one), remove temp dirs. */
export function cleanup(): void {
  for (const pid of started) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // already gone, or not a group leader
      }
    }
  }
  started.clear();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Poll `probe` until it returns a truthy value; throw with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Read a JSON file once it exists and parses. */
export function waitForJson<T>(file: string, timeoutMs = 10_000): Promise<T> {
  return waitFor(`${file} to be written`, () => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as T;
    } catch {
      return undefined;
    }
  }, timeoutMs);
}

/** Wait until `pid` is not running (gone, or a zombie waiting for its reaper). Returns the ms it took. */
export async function waitGone(pid: number, timeoutMs = 10_000): Promise<number> {
  const start = Date.now();
  await waitFor(`process ${pid} to be gone`, () => !isRunning(pid), timeoutMs);
  return Date.now() - start;
}

/**
 * Assert `pid` keeps running for `ms` (polled). This is how a negative control shows that the same
 * worker without the feature lingers: it is bounded by the time in which the armed worker left.
 */
export async function expectStaysAlive(pid: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isRunning(pid)) throw new Error(`process ${pid} was expected to linger, but it is gone`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function readText(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

export interface TreeOptions {
  /** Node arguments of the worker (e.g. ['--import', '@lifeline/parent-watch/register', fixture]). */
  worker: string[];
  /** Extra environment of the worker: null removes a variable, "$MIDDLE_PID" is the middle's pid. */
  env?: Record<string, string | null>;
  /** How the middle behaves once the worker is ready. @default 'stay' */
  middle?: 'stay' | 'exit0' | 'disconnect';
  /** Fork the worker with an IPC channel. @default false */
  ipc?: boolean;
  /** Run the middle under a python subreaper that reaps and records exit codes. @default false */
  subreaper?: boolean;
  /** Put a wrapper shell (`sh -c 'worker; true'`) between the middle and the worker. */
  wrapper?: boolean;
  /** Command to run instead of node (argv[0]); `worker` are then its arguments. */
  command?: string;
}

export interface Tree {
  dir: string;
  middlePid: number;
  workerPid: number;
  /** What the worker wrote in its ready file (pid, ppid, and fixture-specific fields). */
  ready: Record<string, unknown> & { pid: number; ppid: number };
  subreaperPid?: number;
  stderrFile: string;
  /** The subreaper's reaped children: { pid, code } (code = -signal when killed). */
  reaped(): Array<{ pid: number; code: number }>;
  stderr(): string;
  middle: ChildProcess;
}

/** Start test → [subreaper →] middle → [wrapper →] worker and wait for the worker's ready file. */
export async function startTree(options: TreeOptions): Promise<Tree> {
  const dir = tempDir();
  const stderrFile = join(dir, 'worker.stderr');
  const readyFile = join(dir, 'ready.json');
  const spec = JSON.stringify({
    command: options.command ?? process.execPath,
    args: options.worker,
    env: options.env ?? {},
    mode: options.middle ?? 'stay',
    ipc: options.ipc ?? false,
    wrapper: options.wrapper ?? false,
    stderrFile: options.subreaper ? null : stderrFile,
    readyFile,
    dir,
  });
  const middleArgs = [join(FIXTURES, 'middle.mjs'), spec];
  const env = { ...process.env, FIXTURE_READY: readyFile, FIXTURE_DIR: dir };
  let child: ChildProcess;
  let subreaperPid: number | undefined;
  if (options.subreaper) {
    child = spawn('python3', [join(FIXTURES, 'subreaper.py'), join(dir, 'reaped.jsonl'), stderrFile, process.execPath, ...middleArgs], {
      cwd: ROOT,
      env,
      stdio: 'ignore',
    });
    subreaperPid = child.pid;
    track(subreaperPid);
  } else {
    child = spawn(process.execPath, middleArgs, { cwd: ROOT, env, stdio: 'ignore' });
    track(child.pid);
  }
  const middle = await waitForJson<{ pid: number }>(join(dir, 'middle.json'));
  track(middle.pid);
  const ready = await waitForJson<Tree['ready']>(readyFile);
  track(ready.pid);
  // Fixtures that start their own processes report them; controls leave them running on purpose.
  for (const key of ['child', 'grandchild']) if (typeof ready[key] === 'number') track(ready[key]);
  const tree: Tree = {
    dir,
    middlePid: middle.pid,
    workerPid: ready.pid,
    ready,
    stderrFile,
    middle: child,
    stderr: () => readText(stderrFile),
    reaped: () =>
      readText(join(dir, 'reaped.jsonl'))
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { pid: number; code: number }),
  };
  if (subreaperPid !== undefined) tree.subreaperPid = subreaperPid;
  return tree;
}

/** The node arguments that preload the watcher. */
export const IMPORT_REGISTER = ['--import', '@lifeline/parent-watch/register'];
export const REQUIRE_REGISTER = ['-r', '@lifeline/parent-watch/register'];
export const fixture = (name: string): string => join(FIXTURES, name);
