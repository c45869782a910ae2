// Workers whose stdin the bench holds (through lib/stdin-closer.py, their parent): the measurement of the
// stdin section. Closing a worker's stdin is timed against its exit through a pidfd, as in reaper.py.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { BENCH, ROOT, removeDir, tempDir, trackPid, untrackPid } from './tree.mjs';

/**
 * Start n workers (`command ...args`, node by default; env as given: the whole environment) under stdin-closer.py; resolves once
 * all are ready with { workers, close(): Promise<[{ pid, latencyMs (null: still running at timeoutMs), code }]> }.
 */
export async function stdinWorkers({ n, command = process.execPath, args, env, gapMs = 100, timeoutMs = 5000 }) {
  const dir = tempDir();
  const spec = { argv: [command, ...args], env, cwd: ROOT, dir, log: join(dir, 'stderr.log'), n, gapMs, timeoutMs };
  const child = spawn('python3', [join(BENCH, 'lib', 'stdin-closer.py'), JSON.stringify(spec)], {
    cwd: ROOT,
    detached: true, // its own process group: the bench's clean-up SIGKILLs the group
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  trackPid(-child.pid);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error('stdin-closer.py ended without an answer');
    const msg = JSON.parse(value);
    if (msg.type === 'error') throw new Error(`stdin-closer.py: ${msg.message}`);
    return msg;
  };
  const ready = await next();
  const done = new Promise((r) => child.once('exit', r));
  return {
    workers: ready.workers,
    async close() {
      child.stdin.write('close\n');
      const msg = await next();
      await done;
      untrackPid(-child.pid);
      removeDir(dir);
      return msg.exits.map(({ pid, closeAt, at, code }) => ({
        pid,
        code,
        latencyMs: at === null ? null : Number(BigInt(at) - BigInt(closeAt)) / 1e6,
      }));
    },
  };
}
