/**
 * Workers started through launchers — npm run, pnpm run, npx, sh -c, the tsx CLI — see through them:
 * when the supervisor above the launcher is SIGKILLed the launcher lives on (reparented), yet the worker
 * leaves on its own, with its hook run and the exit code announced. Each launcher has a control with
 * LIFELINE_PARENT_WATCH_WRAPPERS=0 that stays. A supervisor that is itself a shell script is never
 * skipped, and neither is one started with nohup from a shell that exits.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readStat } from '@lifeline/parent-watch/proc';
import {
  ROOT,
  cleanup,
  exitOf,
  expectStaysAlive,
  fixture,
  readText,
  startTree,
  tempDir,
  trackPid,
  waitForJson,
  waitGone,
  type Tree,
  type TreeOptions,
} from '../../../test/helpers/process-tree.js';

afterEach(cleanup);

const INTERVAL_MS = 100;
const REGISTER = join(ROOT, 'packages/parent-watch/dist/register.js');
const WORKER = fixture('wrapped-worker.mjs');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
/** The worker's command: the register preload arms first, then the fixture's watchParent() takes over. */
const WORKER_COMMAND = `${JSON.stringify(process.execPath)} --import ${JSON.stringify(REGISTER)} ${JSON.stringify(WORKER)}`;
const ENV = {
  LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: `${INTERVAL_MS}ms`,
  FIXTURE_PARENT_WATCH: join(ROOT, 'packages/parent-watch/dist/index.js'),
};
const OFF = { ...ENV, LIFELINE_PARENT_WATCH_WRAPPERS: '0' };

/** A project folder for the launchers: a `worker` script, and a local package whose bin is the worker. */
function project(): string {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'wrapped', version: '1.0.0', private: true, scripts: { worker: WORKER_COMMAND } }),
  );
  const bin = join(dir, 'node_modules', 'wrapped-bin');
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  mkdirSync(bin);
  writeFileSync(
    join(bin, 'package.json'),
    JSON.stringify({ name: 'wrapped-bin', version: '1.0.0', bin: { 'wrapped-bin': './bin.mjs' } }),
  );
  writeFileSync(
    join(bin, 'bin.mjs'),
    `#!/usr/bin/env node\nawait import(${JSON.stringify(REGISTER)});\nawait import(${JSON.stringify(WORKER)});\n`,
    { mode: 0o755 },
  );
  symlinkSync('../wrapped-bin/bin.mjs', join(dir, 'node_modules', '.bin', 'wrapped-bin'));
  return dir;
}

/** Each launcher as the supervisor (the middle) starts it. */
const LAUNCHERS: Record<string, Pick<TreeOptions, 'command' | 'worker'>> = {
  'npm run worker': { command: 'npm', worker: ['run', 'worker'] },
  'pnpm run worker': { command: 'pnpm', worker: ['run', 'worker'] },
  'npx <local bin>': { command: 'npx', worker: ['wrapped-bin'] },
  // `; true` keeps the shell: with a single command sh would exec the worker and not be there at all.
  'sh -c': { command: 'sh', worker: ['-c', `${WORKER_COMMAND}; true`] },
  // tsx's CLI runs the worker as its child; the fixture arms in code.
  'tsx CLI': { command: TSX, worker: [WORKER] },
};

/** Track every process between the worker and the middle (the launchers), so cleanup ends them too. */
function trackLaunchers(tree: Tree): number[] {
  const pids: number[] = [];
  for (let pid = tree.ready.ppid; pid > 1 && pid !== tree.middlePid; pid = readStat(pid)?.ppid ?? 0) {
    trackPid(pid);
    pids.push(pid);
  }
  return pids;
}

async function launch(name: string, env: Record<string, string>, cwd: string): Promise<Tree> {
  const tree = await startTree({ ...LAUNCHERS[name], cwd, env, readyTimeoutMs: 60_000 } as TreeOptions);
  expect(trackLaunchers(tree).length, `${name}: a launcher between the middle and the worker`).toBeGreaterThan(0);
  return tree;
}

describe('launchers', () => {
  it('npm run, pnpm run, npx, sh -c, tsx: the worker leaves when the supervisor dies, hook run, exit 1; switched off it stays', async () => {
    const cwd = project();
    const names = Object.keys(LAUNCHERS);
    // Five launchers at a time: npm and pnpm take a while to start on a busy machine.
    const armed = await Promise.all(names.map((name) => launch(name, ENV, cwd)));
    const controls = await Promise.all(names.map((name) => launch(name, OFF, cwd)));
    const killedAt = Date.now();
    for (const tree of [...armed, ...controls]) process.kill(tree.middlePid, 'SIGKILL');
    const [times] = await Promise.all([
      Promise.all(armed.map((tree) => waitGone(tree.workerPid, 10_000, 5).then(() => Date.now() - killedAt))),
      Promise.all(controls.map((tree) => expectStaysAlive(tree.workerPid, 1000))),
    ]);
    names.forEach((name, i) => {
      const tree = armed[i] as Tree;
      const hook = JSON.parse(readText(join(tree.dir, 'hook.json')) || 'null');
      expect(hook, `${name}: the onOrphan hook ran`).toMatchObject({
        originalParentPid: tree.middlePid,
        cause: 'parent-not-running',
        detectedBy: 'poll',
      });
      expect(JSON.parse(readText(join(tree.dir, 'exit.json'))), `${name}: the exit code`).toEqual({ code: 1 });
      expect(tree.stderr()).toContain(
        `lifeline[${tree.workerPid}]: expected parent process ${tree.middlePid} is no longer running`,
      );
      expect(tree.stderr()).toContain('exiting with code 1');
      expect(tree.stderr()).not.toContain('warning');
      // Within the interval plus a little (a generous bound: the machine is shared).
      expect(times[i], `${name}: time to leave`).toBeLessThan(INTERVAL_MS + 2000);
    });
    const detected = armed.map(
      (tree) => (JSON.parse(readText(join(tree.dir, 'hook.json'))) as { detectedAt: number }).detectedAt - killedAt,
    );
    console.log(
      `SIGKILL → detected / gone at ${INTERVAL_MS} ms: ${names.map((name, i) => `${name} ${detected[i]} / ${times[i]} ms`).join(', ')}`,
    );
  }, 180_000);
});

describe('real supervisors are never skipped', () => {
  it('a shell script supervisor (`sh script` starting its worker, then `wait`) keeps its worker while it lives', async () => {
    const cwd = project();
    const script = fixture('shell-script-supervisor.sh');
    // Directly, and through npm run under the script: worker <- sh -c <- npm <- sh script <- middle.
    const [direct, wrapped] = await Promise.all([
      startTree({ command: 'sh', worker: [script, process.execPath, '--import', REGISTER, WORKER], env: ENV, cwd }),
      startTree({ command: 'sh', worker: [script, 'npm', 'run', 'worker'], env: ENV, cwd, readyTimeoutMs: 30_000 }),
    ]);
    trackLaunchers(wrapped);
    const scripts = await Promise.all(
      [direct, wrapped].map((tree) => waitForJson<{ child: number }>(join(tree.dir, 'middle.json'))),
    );
    for (const { child } of scripts) trackPid(child);
    // The script's own parent dies: the script lives on, and so do its workers.
    process.kill(direct.middlePid, 'SIGKILL');
    process.kill(wrapped.middlePid, 'SIGKILL');
    await Promise.all([expectStaysAlive(direct.workerPid, 1000), expectStaysAlive(wrapped.workerPid, 1000)]);
    // The script dies: both leave (so both were watching it).
    for (const { child } of scripts) process.kill(child, 'SIGKILL');
    await Promise.all([waitGone(direct.workerPid), waitGone(wrapped.workerPid)]);
    expect(direct.stderr()).toContain(`parent process ${scripts[0]?.child} is gone`);
    expect(wrapped.stderr()).toContain(`expected parent process ${scripts[1]?.child} is no longer running`);
  }, 60_000);

  it('`nohup supervisor &` from a shell that then exits: nothing is killed', async () => {
    const dir = project();
    const ready = join(dir, 'ready.json');
    const launcher = `nohup sh ${JSON.stringify(fixture('shell-script-supervisor.sh'))} npm run worker >/dev/null 2>&1 & echo $! > supervisor.pid`;
    const shell = spawn('sh', ['-c', launcher], {
      cwd: dir,
      stdio: 'ignore',
      env: { ...process.env, ...ENV, FIXTURE_READY: ready, FIXTURE_DIR: dir },
    });
    // The launching shell exits at once; the supervisor runs on under nohup.
    expect(await exitOf(shell)).toEqual({ code: 0, signal: null });
    const supervisor = Number(readText(join(dir, 'supervisor.pid')).trim());
    trackPid(supervisor);
    const worker = await waitForJson<{ pid: number; ppid: number }>(ready, 30_000);
    trackPid(worker.pid);
    await expectStaysAlive(worker.pid, 1000);
    expect(readText(join(dir, 'hook.json'))).toBe('');
    // Control: the supervisor dies, the worker leaves (it was watching the supervisor all along).
    process.kill(supervisor, 'SIGKILL');
    await waitGone(worker.pid);
    expect(JSON.parse(readText(join(dir, 'hook.json')))).toMatchObject({
      originalParentPid: supervisor,
      cause: 'parent-not-running',
    });
  }, 60_000);
});
