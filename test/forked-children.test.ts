/**
 * What a supervisor passes to its worker — LIFELINE_PARENT_FD (fd 3) and LIFELINE_PARENT_PID — stays with
 * that worker. Its own Node children (child_process.fork(): fd 3 is their IPC channel; cluster.fork();
 * a spawn whose fd 3 is a data pipe) run with the register preload: no crash, no warning, every byte of
 * the data pipe reaches the child, and they leave when the supervisor is SIGKILLed. Real trees:
 * test → supervisor (spawnWorker) → worker → children.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  IMPORT_REGISTER,
  ROOT,
  cleanup,
  expectStaysAlive,
  fixture,
  readText,
  startNodeSupervisor,
  trackPid,
  waitGone,
  type Supervised,
} from './helpers/process-tree.js';

afterEach(cleanup);

const WORKER = [fixture('forking-worker.cjs')];

interface Family {
  supervisor: Supervised;
  worker: number;
  /** The LIFELINE_PARENT_FD the worker's own code still sees (its children inherit it), or null. */
  workerFd: string | null;
  fork: number;
  cluster: number;
  sent: { count: number; sha256: string };
  read: { count: number; sha256: string; error: string | null };
}

/** The supervisor, its worker (spawnWorker `options`) and the worker's children (preloaded when `preload`). */
async function family(options: object, preload: boolean): Promise<Family> {
  const supervisor = await startNodeSupervisor(WORKER, options, {
    FIXTURE_CHILD_PRELOAD: preload ? '1' : '0',
    FIXTURE_DATA_BYTES: String(1 << 20),
  });
  const ready = JSON.parse(readText(join(supervisor.dir, 'worker-0.json'))) as {
    pid: number;
    fd: string | null;
    fork: number;
    cluster: number;
    data: number;
    sent: Family['sent'];
  };
  for (const pid of [ready.fork, ready.cluster, ready.data]) trackPid(pid);
  const read = JSON.parse(readText(join(supervisor.dir, 'data.json'))) as Family['read'];
  return {
    supervisor,
    worker: ready.pid,
    workerFd: ready.fd,
    fork: ready.fork,
    cluster: ready.cluster,
    sent: ready.sent,
    read,
  };
}

describe.runIf(process.platform === 'linux')("a worker's own children", () => {
  it('fork(), cluster.fork() and a data pipe under an armed worker: the preloaded children run without a warning, read every byte, and leave with it when the supervisor is SIGKILLed; unarmed, they linger', async () => {
    // The worker loads no watcher itself: spawnWorker arms it (arm: true). The control: not armed, no preloads.
    const [armed, control] = await Promise.all([family({ arm: true }, true), family({}, false)]);
    expect(armed.read).toMatchObject({ count: armed.sent.count, sha256: armed.sent.sha256, error: null });
    expect(armed.workerFd).toBeNull(); // the preload took the variables: its children never see them
    expect(readText(armed.supervisor.stderr)).toBe('');

    process.kill(armed.supervisor.pid, 'SIGKILL');
    process.kill(control.supervisor.pid, 'SIGKILL');
    await Promise.all([armed.worker, armed.fork, armed.cluster].map((pid) => waitGone(pid, 5000)));
    await Promise.all([control.worker, control.fork, control.cluster].map((pid) => expectStaysAlive(pid, 1000)));
    // The worker's one orphan line; nothing from its children (no warning, no EEXIST).
    expect(readText(armed.supervisor.stderr).trim()).toMatch(
      new RegExp(`^lifeline\\[${armed.worker}\\]: parent process \\d+ is gone[^\\n]*$`),
    );
  });

  it('under a worker that is not armed (it keeps the variables, its children inherit them): the preloaded children still run, and the data pipe at fd 3 is left to its reader', async () => {
    const unarmed = await family({}, true);
    expect(unarmed.workerFd).toBe('3');
    expect(unarmed.read).toMatchObject({ count: unarmed.sent.count, sha256: unarmed.sent.sha256, error: null });
    const stderr = readText(unarmed.supervisor.stderr);
    expect(stderr).not.toMatch(/LIFELINE_PARENT_FD|EEXIST|Error/);
  });

  it('the preload takes them out of process.env; resolveConfig() and a watcher armed again after stop() still read them', () => {
    const script = `
      import { resolveConfig, watchParent } from '@lifeline/parent-watch';
      const first = resolveConfig();
      watchParent().stop();
      const again = watchParent();
      console.log(JSON.stringify({ env: process.env.LIFELINE_PARENT_PID ?? null, fd: process.env.LIFELINE_PARENT_FD ?? null, pid: first.parentPid, state: again.state, reason: again.reasonCode ?? null }));`;
    // The expected parent is gone: the stored LIFELINE_PARENT_PID makes the second watcher orphaned at once.
    const dead = spawnSync('true').pid as number;
    const r = spawnSync(process.execPath, [...IMPORT_REGISTER, '--input-type=module', '-e', script], {
      cwd: ROOT,
      env: {
        ...process.env,
        LIFELINE_PARENT_PID: String(dead),
        LIFELINE_PARENT_FD: '99',
        LOCALAI_BACKEND_PARENT_WATCH: '1',
      },
      encoding: 'utf8',
      timeout: 20_000,
    });
    const seen = JSON.parse(r.stdout.split('\n')[0] as string) as Record<string, unknown>;
    expect(seen).toEqual({ env: null, fd: null, pid: dead, state: 'watching', reason: null });
    expect(r.stderr).toMatch(new RegExp(`expected parent process ${dead} was already gone when the watcher armed`));
    expect(r.status).toBe(1);
    // LIFELINE_PARENT_FD came with a pid that is not this process's parent: not its descriptor, silently.
    expect(r.stderr).not.toMatch(/LIFELINE_PARENT_FD/);
  });
});
