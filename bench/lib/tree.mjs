// Real process trees for the bench: bench → reaper.py (subreaper, own process group) → middle → workers.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const BENCH = resolve(import.meta.dirname, '..');
export const FIXTURES = join(BENCH, 'fixtures');

const groups = new Set();
const dirs = new Set();
const singles = new Set();

/** SIGKILL every process group and process the bench started; remove temp dirs. Synchronous: safe in 'exit'. */
export function cleanupAll() {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {}
  }
  groups.clear();
  for (const pid of singles) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
  singles.clear();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}

export function trackPid(pid) {
  if (pid) singles.add(pid);
}
export function untrackPid(pid) {
  singles.delete(pid);
}
export function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-bench-'));
  dirs.add(dir);
  return dir;
}
export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  dirs.delete(dir);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const nowNs = () => process.hrtime.bigint();

/**
 * Start a tree. `worker`: { command, args, env, ipc, spawnWorker, python, pipe, stdio }; n workers, periodMs (phase
 * spreading), concurrency; zombieParent; timeoutMs. The middle is fixtures/middle.mjs (Node: `spawn`, `fork`
 * with `ipc`, @lifeline/supervisor's `spawnWorker` with `spawnWorker`), or with `python` fixtures/pipe-middle.py
 * (a Python supervisor; `pipe`: a lifeline pipe per worker). `stdio: 'pipe'`: the middle pipes the workers'
 * stdout and stderr (Node's default stdio, socket pairs; Python's `stdout=PIPE, stderr=PIPE`) and reads them.
 * Resolves once every worker is ready, with
 * { middle, workers, kill(): Promise<result> }.
 * result: { killAt (bigint ns), exits: [{ pid, at (bigint|null), latencyMs (number|null) }] }.
 */
export async function startTree({
  n,
  worker,
  periodMs = 0,
  concurrency = 4,
  zombieParent = false,
  timeoutMs = 10_000,
  log,
}) {
  const dir = tempDir();
  const middleSpec = {
    n,
    command: worker.command ?? process.execPath,
    args: worker.args,
    env: worker.env ?? {},
    ipc: !!worker.ipc,
    spawnWorker: !!worker.spawnWorker,
    pipe: !!worker.pipe,
    stdio: worker.stdio ?? null,
    periodMs,
    concurrency,
    dir,
  };
  const middle = worker.python
    ? ['python3', join(FIXTURES, 'pipe-middle.py')]
    : [process.execPath, join(FIXTURES, 'middle.mjs')];
  const spec = {
    middle: [...middle, JSON.stringify(middleSpec)],
    cwd: ROOT,
    zombieParent,
    timeoutMs,
    log: log ?? join(dir, 'stderr.log'),
  };
  const child = spawn('python3', [join(BENCH, 'lib', 'reaper.py'), JSON.stringify(spec)], {
    cwd: ROOT,
    detached: true,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  groups.add(child.pid);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error('reaper.py ended without an answer');
    const msg = JSON.parse(value);
    if (msg.type === 'error') throw new Error(`reaper.py: ${msg.message}`);
    return msg;
  };
  const ready = await next();
  // Workers in process groups of their own (spawnWorker) are out of reach of the group kill: tracked one by one.
  for (const pid of ready.workers) trackPid(pid);
  const untrack = () => {
    for (const pid of ready.workers) untrackPid(pid);
  };
  const done = new Promise((r) => child.once('exit', r));
  return {
    middle: ready.middle,
    workers: ready.workers,
    dir,
    async kill() {
      child.stdin.write('kill\n');
      const msg = await next();
      await done;
      untrack(); // every worker has exited and was reaped (or SIGKILLed) by the reaper
      groups.delete(child.pid);
      removeDir(dir);
      const killAt = BigInt(msg.killAt);
      return {
        killAt,
        exits: msg.exits.map(({ pid, at }) => ({
          pid,
          at: at === null ? null : BigInt(at),
          latencyMs: at === null ? null : Number(BigInt(at) - killAt) / 1e6,
        })),
      };
    },
    abort() {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
      for (const pid of ready.workers) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {}
      }
      untrack();
      groups.delete(child.pid);
      removeDir(dir);
    },
  };
}
