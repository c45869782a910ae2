/**
 * Every process state the liveness code meets, with real processes: zombies, live processes whose main
 * thread exited (the leader shows Z while other threads run), stopped processes, reused pids, PID
 * namespaces and a hidden /proc — for isRunning/processState, the descendant walk, spawnWorker's stop(),
 * listZombies and killZombieParents. "Alive" is judged here from /proc/<pid>/task directly, never by the
 * code under test.
 */
import { spawnSync } from 'node:child_process';
import { openSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isRunning, isStillRunning, processState } from '@lifeline/core/proc/state';
import { readStat } from '@lifeline/core/proc/stat';
import { descendantsOf, signalAll } from '../packages/parent-watch/src/orphan/descendants.js';
import { killZombieParents, listZombies, spawnWorker } from '@lifeline/supervisor';
import {
  HIDE_PROC,
  IMPORT_REGISTER,
  canHideProc,
  ROOT,
  cleanup,
  exitOf,
  expectStaysAlive,
  fixture,
  readText,
  spawnTracked,
  startTree,
  tempDir,
  trackPid,
  waitFor,
  waitForJson,
  waitForPid,
} from './helpers/process-tree.js';

afterEach(cleanup);

const linux = process.platform === 'linux';
const CLI = join(ROOT, 'packages/supervisor/dist/cli.js');
const SUPERVISOR_FIXTURES = join(ROOT, 'packages/supervisor/test/fixtures');

/** Whether any thread of `pid` has not exited, read straight from /proc (independent of the code under test). */
function threadsAlive(pid: number): boolean {
  try {
    return readdirSync(`/proc/${pid}/task`).some((tid) => {
      try {
        return !/^[ZXx]$/.test(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ').pop()?.[0] ?? 'Z');
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

/** A safety net for Python fixtures' start on a loaded machine: readiness still decides. */
const START_MS = 30_000;

const waitDead = (pid: number, timeoutMs = 5000): Promise<true> =>
  waitFor(`every thread of ${pid} to end`, () => !threadsAlive(pid), timeoutMs);

/** A live process whose main thread exited, started through `sh` (its healthy parent). */
async function leaderExited(options: { ignoreTerm?: boolean } = {}): Promise<{ pid: number; parent: number }> {
  const dir = tempDir();
  const sh = spawnTracked('sh', [
    '-c',
    'python3 "$@" & wait',
    'sh',
    fixture('leader-exits.py'),
    dir,
    ...(options.ignoreTerm ? ['--ignore-term'] : []),
  ]);
  const pid = await waitForPid(join(dir, 'ready'), START_MS);
  trackPid(pid);
  return { pid, parent: sh.pid as number };
}

/** A parent that does not reap: its child is a real zombie. */
async function zombie(): Promise<{ pid: number; parent: number }> {
  const dir = tempDir();
  spawnTracked('python3', [join(SUPERVISOR_FIXTURES, 'make-zombie.py'), dir]);
  const parent = await waitForPid(join(dir, 'parent.pid'), START_MS);
  trackPid(parent);
  const pid = await waitForPid(join(dir, 'child.pid'), START_MS);
  await waitFor('the zombie', () => readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z '));
  return { pid, parent };
}

/** A stopped process (SIGSTOP): alive, state T. */
async function stopped(): Promise<{ pid: number; parent: number }> {
  const child = spawnTracked('sleep', ['1000']);
  const pid = child.pid as number;
  process.kill(pid, 'SIGSTOP');
  await waitFor('the stop', () => readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') T '));
  return { pid, parent: process.pid };
}

describe.runIf(linux)('process states: isRunning, processState, listZombies', () => {
  const cases = [
    { name: 'a zombie', make: zombie, running: false, state: /^Z$/, zombie: true },
    {
      name: 'a live process whose main thread exited (leader shows Z)',
      make: () => leaderExited(),
      running: true,
      state: /^[RSD]$/,
      zombie: false,
    },
    { name: 'a stopped process (T)', make: stopped, running: true, state: /^T$/, zombie: false },
  ];
  it.each(cases)('$name', async ({ make, running, state, zombie: listed }) => {
    const { pid } = await make();
    expect(isRunning(pid)).toBe(running);
    expect(processState(pid)).toMatch(state);
    expect(listZombies().some((z) => z.pid === pid)).toBe(listed);
  });

  it('a reused pid: the process seen earlier is not the one running now, and is not signalled', async () => {
    const child = spawnTracked('sleep', ['1000']);
    const pid = child.pid as number;
    const now = readStat(pid);
    expect(now?.startTime).toBeTypeOf('number');
    const earlier = { pid, ppid: process.pid, comm: 'sleep', state: 'S', startTime: (now?.startTime as number) - 1 };
    expect(isStillRunning(now as NonNullable<typeof now>)).toBe(true);
    expect(isStillRunning(earlier)).toBe(false);
    expect(signalAll([earlier], 'SIGKILL')).toBe(0);
    expect(threadsAlive(pid)).toBe(true);
  });
});

describe.runIf(linux)('a live process whose main thread exited', () => {
  it('is found by the descendant walk', async () => {
    const { pid, parent } = await leaderExited();
    expect(descendantsOf(parent).map((p) => p.pid)).toContain(pid);
    expect(descendantsOf(parent).find((p) => p.pid === pid)).toMatchObject({ leaderExited: true });
  });

  it("the orphan path takes it down as a descendant of the worker (control: an unarmed worker's stays)", async () => {
    const env = { LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '50ms' };
    const worker = [...IMPORT_REGISTER, fixture('worker-with-leader-exited-child.mjs')];
    const [armed, control] = await Promise.all([
      startTree({ worker, env }),
      startTree({ worker, env: { ...env, LOCALAI_BACKEND_PARENT_WATCH: 'false' } }),
    ]);
    const child = armed.ready['child'] as number;
    const controlChild = control.ready['child'] as number;
    process.kill(armed.middlePid, 'SIGKILL');
    process.kill(control.middlePid, 'SIGKILL');
    await waitDead(armed.workerPid);
    await waitDead(child);
    expect(threadsAlive(controlChild)).toBe(true);
  });

  it('stop() waits for a SIGTERM-ignoring member of the group and SIGKILLs it after the grace', async () => {
    const dir = tempDir();
    const worker = spawnWorker(
      'sh',
      ['-c', 'python3 "$@" & wait', 'sh', fixture('leader-exits.py'), dir, '--ignore-term'],
      { lifelinePipe: false },
    );
    trackPid(worker.pid);
    const member = await waitForPid(join(dir, 'ready'), START_MS);
    trackPid(member);
    const exit = await worker.stop({ grace: 300 });
    expect(exit).toEqual({ code: null, signal: 'SIGTERM' }); // sh itself left on SIGTERM
    // stop() resolved only once the group was empty: the member is dead already (not merely signalled).
    expect(threadsAlive(member)).toBe(false);
  });

  it('is not a zombie: killZombieParents and `lifeline zombies --kill-parents` leave its parent alone', async () => {
    const { pid, parent } = await leaderExited();
    const plan = await killZombieParents();
    expect(plan.some((a) => a.pid === parent || a.zombies.includes(pid))).toBe(false);
    const r = spawnSync(process.execPath, [CLI, 'zombies', '--kill-parents', '--json'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { actions: { pid: number }[] };
    expect(report.actions.some((a) => a.pid === parent)).toBe(false);
    expect(threadsAlive(pid) && threadsAlive(parent)).toBe(true);
  });
});

describe.runIf(canHideProc())('/proc hidden', () => {
  it('a zombie looks alive (documented); killZombieParents signals nobody, since ancestors cannot be known', async () => {
    const { pid, parent } = await zombie();
    const probe = spawnSync(
      HIDE_PROC[0] as string,
      [
        ...HIDE_PROC.slice(1),
        process.execPath,
        fixture('no-procfs-probe.mjs'),
        JSON.stringify({ zombie: pid, zombieParent: parent, grandparent: process.ppid }),
      ],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    expect(probe.stderr).toBe('');
    const report = JSON.parse(probe.stdout) as {
      procfs: boolean;
      zombieRunning: boolean;
      zombieState: string;
      actions: { pid: number; outcome: string; reason?: string }[];
      sent: unknown[];
    };
    expect(report).toMatchObject({ procfs: false, zombieRunning: true, zombieState: '?' });
    // The probe's grandparent (this test's parent) is an ancestor it cannot see: never signalled, and
    // neither is the real zombie's parent, which it cannot tell from an ancestor either.
    expect(report.actions.sort((a, b) => a.pid - b.pid)).toEqual(
      [parent, process.ppid]
        .sort((a, b) => a - b)
        .map((pid) => ({ pid, outcome: 'skipped', reason: 'ancestry-unknown' })),
    );
    expect(report.sent).toEqual([]);
  });
});

const UNSHARE_PID = ['unshare', '-pf', '--mount-proc'];
const canUnshare = linux && spawnSync(UNSHARE_PID[0] as string, [...UNSHARE_PID.slice(1), 'true']).status === 0;

/** A spawnWorker supervisor (Node) whose worker runs through `through`; resolves once the worker is ready. */
async function supervisorThrough(through: string[]): Promise<{ supervisor: number; worker: number; stderr: string }> {
  const dir = tempDir();
  const stderr = join(dir, 'stderr');
  spawnTracked(process.execPath, [fixture('pipe-supervisor.mjs'), ...IMPORT_REGISTER, fixture('idle-worker.mjs')], {
    cwd: ROOT,
    env: {
      ...process.env,
      LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '50ms',
      FIXTURE_DIR: dir,
      FIXTURE_THROUGH: JSON.stringify(through),
    },
    stdio: ['ignore', 'ignore', openSync(stderr, 'a')],
  });
  const { pid, workers } = await waitForJson<{ pid: number; workers: number[] }>(join(dir, 'supervisor.json'));
  trackPid(workers[0]);
  await waitForJson(join(dir, 'worker-0.json'));
  return { supervisor: pid, worker: workers[0] as number, stderr };
}

describe.runIf(canUnshare)('PID namespaces: a live supervisor outside keeps its worker', () => {
  it.each([
    {
      name: 'the worker is PID 1 of its namespace (unshare -pf --mount-proc node …): its ppid is 0',
      through: UNSHARE_PID,
      ppid: 0,
    },
    {
      name: 'an init in between (unshare -pf --mount-proc sh -c …, as bubblewrap or a container with tini): LIFELINE_PARENT_PID_NS tells',
      through: [...UNSHARE_PID, 'sh', '-c', '"$0" "$@"; true'],
      ppid: 1,
    },
  ])('$name', async ({ through, ppid }) => {
    const { worker, stderr } = await supervisorThrough(through);
    // It used to leave within ~80 ms: "expected parent … was already gone".
    await expectStaysAlive(worker, 1000);
    expect(readText(stderr)).not.toMatch(/already gone/);
    expect(readText(stderr)).toMatch(
      new RegExp(
        `warning: LIFELINE_PARENT_PID=\\d+ names a process of another PID namespace .*the parent pid here is ${ppid}: nothing to watch`,
      ),
    );
  });
});

describe.runIf(linux)('LIFELINE_PARENT_PID_NS', () => {
  /** A preloaded idle worker told that its expected parent is a pid that is gone, of namespace `ns`. */
  async function goneParent(ns: string): Promise<{
    exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
    pid: number;
    stderr: () => string;
  }> {
    const dir = tempDir();
    const gone = spawnSync('true').pid as number; // exited and reaped: a pid that names nobody now
    let stderr = '';
    const child = spawnTracked(process.execPath, [...IMPORT_REGISTER, fixture('idle-worker.mjs')], {
      cwd: ROOT,
      env: {
        ...process.env,
        FIXTURE_READY: join(dir, 'ready.json'),
        LIFELINE_PARENT_PID: String(gone),
        LIFELINE_PARENT_PID_NS: ns,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return { exit: exitOf(child), pid: child.pid as number, stderr: () => stderr };
  }

  it("the supervisor's own namespace: a gone expected parent still makes the worker leave at once (control: another namespace's pid is not judged)", async () => {
    const [same, other] = await Promise.all([goneParent(readlinkSync('/proc/self/ns/pid')), goneParent('pid:[1]')]);
    expect(await same.exit).toEqual({ code: 1, signal: null });
    expect(same.stderr()).toMatch(/was already gone when the watcher armed/);
    await expectStaysAlive(other.pid, 1000);
    expect(other.stderr()).toMatch(/names a process of another PID namespace .*; watching the parent pid \d+ every/);
  });
});
