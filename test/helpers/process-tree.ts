/**
 * The one test helper module for process trees, shared by the root cross-package tests (test/*.test.ts)
 * and by every package's tests (imported by relative path, e.g. ../../../test/helpers/process-tree.js):
 * - waiting on handshakes (waitFor, waitGone, expectStaysAlive, the ready-file reader): ./wait.ts;
 * - one cleanup registry: temp dirs, pids and their process groups, all SIGKILLed by `cleanup()`, which
 *   each test file runs in afterEach, so nothing is left behind even when a test fails;
 * - real trees for end-to-end tests: test → [subreaper →] middle → worker (`startTree`).
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readLines, readText, waitForJson, waitForReady } from './wait.js';

export {
  exitOf,
  expectStaysAlive,
  gone,
  readLines,
  readText,
  waitFor,
  waitForFile,
  waitForJson,
  waitForPid,
  waitForReady,
  waitGone,
  type ReadyOptions,
} from './wait.js';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures');
const pids = new Set<number>();
const dirs: string[] = [];

/** A fresh temp dir, removed by cleanup(). */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-test-'));
  dirs.push(dir);
  return dir;
}

/** Remember a pid to SIGKILL at cleanup, with its process group when it leads one. */
export function trackPid(pid: number | undefined): void {
  if (pid) pids.add(pid);
}

/** Spawn a process (stdio ignored unless given) and track it for cleanup. */
export function spawnTracked(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { stdio: 'ignore', ...options });
  trackPid(child.pid);
  return child;
}

/** SIGKILL every tracked process (and its group when it leads one), remove the temp dirs. Safe to call twice. */
export function cleanup(): void {
  for (const pid of pids) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // already gone, or not a group leader
      }
    }
  }
  pids.clear();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

// The safety net: whatever a test file left tracked (a hook that timed out, a file without
// afterEach(cleanup)) is still killed when its worker process exits.
process.once('exit', cleanup);

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
  /** The folder `command` runs in (a launcher such as `npm run` reads its package.json there). */
  cwd?: string;
  /** How long to wait for the worker's ready file (launchers such as npm take a while to start). @default 10_000 */
  readyTimeoutMs?: number;
  /** A command the middle is started through, which must exec it (e.g. `unshare -m sh -c '… exec "$0" "$@"'`). */
  through?: string[];
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
    cwd: options.cwd ?? null,
    stderrFile: options.subreaper ? null : stderrFile,
    readyFile,
    dir,
  });
  const middleArgs = [join(FIXTURES, 'middle.mjs'), spec];
  const env = { ...process.env, FIXTURE_READY: readyFile, FIXTURE_DIR: dir };
  const child = options.subreaper
    ? spawnTracked(
        'python3',
        [join(FIXTURES, 'subreaper.py'), join(dir, 'reaped.jsonl'), stderrFile, process.execPath, ...middleArgs],
        { cwd: ROOT, env },
      )
    : options.through
      ? spawnTracked(options.through[0] as string, [...options.through.slice(1), process.execPath, ...middleArgs], {
          cwd: ROOT,
          env,
        })
      : spawnTracked(process.execPath, middleArgs, { cwd: ROOT, env });
  const subreaperPid = options.subreaper ? child.pid : undefined;
  const middle = await waitForJson<{ pid: number; child?: number }>(join(dir, 'middle.json'), options.readyTimeoutMs);
  trackPid(middle.pid);
  // A worker the middle started itself (no launcher or wrapper in between) that exits before it is ready
  // fails the wait at once, with its stderr, instead of at the timeout.
  const direct = options.command === undefined && !options.wrapper && !options.subreaper;
  const ready = await waitForReady<Tree['ready']>(readyFile, 'json', {
    timeoutMs: options.readyTimeoutMs,
    ...(direct && middle.child !== undefined ? { writer: middle.child, detail: () => readText(stderrFile) } : {}),
  });
  trackPid(ready.pid);
  // Fixtures that start their own processes report them; controls leave them running on purpose.
  for (const key of ['child', 'grandchild']) if (typeof ready[key] === 'number') trackPid(ready[key]);
  const tree: Tree = {
    dir,
    middlePid: middle.pid,
    workerPid: ready.pid,
    ready,
    stderrFile,
    middle: child,
    stderr: () => readText(stderrFile),
    reaped: () => readLines(join(dir, 'reaped.jsonl')).map((line) => JSON.parse(line) as { pid: number; code: number }),
  };
  if (subreaperPid !== undefined) tree.subreaperPid = subreaperPid;
  return tree;
}

/** A supervisor, its workers' pids, its directory and its stderr file (its workers' stderr too). */
export interface Supervised {
  pid: number;
  workers: number[];
  dir: string;
  stderr: string;
}

/**
 * A Node supervisor (fixtures/pipe-supervisor.mjs) that starts `count` workers `node <worker…>` with
 * spawnWorker and its `options`, `env` added to its environment; resolves once each worker wrote its ready
 * file (FIXTURE_READY = <dir>/worker-<i>.json).
 */
export async function startNodeSupervisor(
  worker: string[],
  options: object = {},
  env: Record<string, string> = {},
  count = 1,
): Promise<Supervised> {
  const dir = tempDir();
  const stderr = join(dir, 'stderr');
  spawnTracked(process.execPath, [fixture('pipe-supervisor.mjs'), ...worker], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...env,
      FIXTURE_DIR: dir,
      FIXTURE_WORKERS: String(count),
      FIXTURE_SPAWN_OPTIONS: JSON.stringify(options),
    },
    stdio: ['ignore', 'ignore', openSync(stderr, 'a')],
  });
  const { pid, workers } = await waitForJson<{ pid: number; workers: number[] }>(join(dir, 'supervisor.json'));
  for (const w of workers) trackPid(w);
  for (let i = 0; i < count; i++) await waitForJson(join(dir, `worker-${i}.json`));
  return { pid, workers, dir, stderr };
}

/** Run a command with /proc unmounted in a private mount namespace (needs root): prefix it with this. */
export const HIDE_PROC = ['unshare', '-m', 'sh', '-c', 'umount -l /proc && exec "$0" "$@"'];
let hideProc: boolean | undefined;
/** Whether HIDE_PROC works here (Linux, as root). */
export function canHideProc(): boolean {
  hideProc ??=
    process.platform === 'linux' &&
    spawnSync(HIDE_PROC[0] as string, [...HIDE_PROC.slice(1), 'test', '!', '-e', '/proc/self/stat']).status === 0;
  return hideProc;
}

/** The node arguments that preload the watcher. */
export const IMPORT_REGISTER = ['--import', '@lifeline/parent-watch/register'];
export const REQUIRE_REGISTER = ['-r', '@lifeline/parent-watch/register'];
export const fixture = (name: string): string => join(FIXTURES, name);
