/**
 * PM2 (the real package), started from a directory that is not the project's: the preload must be given
 * by absolute path (a bare `@lifeline/parent-watch/register` resolves from the app's working directory and
 * fails). PM2's God daemon is every app's parent; these tests SIGKILL it and see who stays.
 * Each test has its own PM2_HOME (its own daemon) and ends with `pm2 kill`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ROOT,
  cleanup,
  expectStaysAlive,
  fixture,
  readText,
  tempDir,
  trackPid,
  waitFor,
  waitGone,
} from '../helpers/process-tree.js';

const PM2 = join(ROOT, 'node_modules', 'pm2', 'bin', 'pm2');
const REGISTER = fileURLToPath(import.meta.resolve('@lifeline/parent-watch/register'));
const homes: string[] = [];

afterEach(() => {
  for (const home of homes.splice(0))
    spawnSync(process.execPath, [PM2, 'kill'], { env: { ...process.env, PM2_HOME: home }, timeout: 20_000 });
  cleanup();
});

interface App {
  pid: number;
  ppid: number;
  name: string;
  armed: boolean;
}

/** A PM2 of its own, driven from `cwd` (a temp folder outside the repository, with no node_modules). */
function pm2Home() {
  const cwd = tempDir();
  const home = join(tempDir(), 'pm2');
  homes.push(home);
  // A poll of one hour: an app that leaves was told by PM2's IPC channel closing.
  const env = { ...process.env, PM2_HOME: home, FIXTURE_DIR: cwd, LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '1h' };
  const pm2 = (...args: string[]): string => {
    const r = spawnSync(process.execPath, [PM2, ...args], { cwd, env, encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`pm2 ${args.join(' ')}: ${r.status}\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };
  const list = (): Array<{ name: string; pid: number; status: string }> =>
    (JSON.parse(pm2('jlist')) as Array<{ name: string; pid: number; pm2_env: { status: string } }>).map((a) => ({
      name: a.name,
      pid: a.pid,
      status: a.pm2_env.status,
    }));
  const apps = (): App[] =>
    readdirSync(cwd)
      .filter((f) => /^app-\d+\.json$/.test(f))
      .map((f) => JSON.parse(readFileSync(join(cwd, f), 'utf8')) as App);
  /** Wait until `count` instances of `name` are online and have reported. */
  const online = (name: string, count: number) =>
    waitFor(
      `${count} × ${name} online`,
      () => {
        const up = list().filter((a) => a.name === name && a.status === 'online');
        const reported = apps().filter((a) => up.some((u) => u.pid === a.pid));
        return reported.length === count && reported;
      },
      60_000,
      50,
    );
  const god = (): number => {
    const pid = Number(readFileSync(join(home, 'pm2.pid'), 'utf8'));
    trackPid(pid);
    return pid;
  };
  return { cwd, home, pm2, list, online, god };
}

// Each case starts a PM2 daemon and drives it through its CLI (a second or more per command on a busy
// machine): a longer timeout than the suite's default.
describe.runIf(process.platform === 'linux')('PM2', { timeout: 120_000 }, () => {
  it('fork mode, preload by absolute path: online; after the daemon SIGKILL the app leaves within milliseconds, the control stays', async () => {
    const p = pm2Home();
    p.pm2('start', fixture('pm2-app.cjs'), '--name', 'armed', '--no-pmx', '--node-args', `--import ${REGISTER}`);
    p.pm2('start', fixture('pm2-app.cjs'), '--name', 'control', '--no-pmx');
    const [armed] = await p.online('armed', 1);
    const [control] = await p.online('control', 1);
    for (const app of [armed, control]) trackPid(app.pid);
    const god = p.god();
    expect(armed).toMatchObject({ ppid: god, armed: true });
    expect(control).toMatchObject({ ppid: god, armed: false });
    process.kill(god, 'SIGKILL');
    const tookMs = await waitGone(armed.pid, 10_000, 1); // the disconnect hint: the poll is an hour away
    console.info(`PM2 fork-mode app gone ${tookMs} ms after the daemon's SIGKILL`);
    await expectStaysAlive(control.pid, 1000);
  });

  it('fork mode, bare package name from another directory: ERR_MODULE_NOT_FOUND, the app does not come up', async () => {
    const p = pm2Home();
    p.pm2(
      'start',
      fixture('pm2-app.cjs'),
      '--name',
      'bare',
      '--no-autorestart',
      '--node-args',
      '--import @lifeline/parent-watch/register',
    );
    const log = join(p.home, 'logs', 'bare-error.log');
    await waitFor('the error in the app log', () => readText(log).includes('ERR_MODULE_NOT_FOUND'), 60_000, 50);
    await waitFor(
      'the app to be stopped',
      () => p.list().find((a) => a.name === 'bare')?.status === 'stopped',
      60_000,
      50,
    );
    expect(existsSync(p.cwd) && readdirSync(p.cwd).some((f) => f.startsWith('app-'))).toBe(false);
  });

  it('cluster mode, preload by absolute path: every instance online and armed; the daemon SIGKILL takes them down, armed or not (Node cluster)', async () => {
    const p = pm2Home();
    p.pm2(
      'start',
      fixture('pm2-app.cjs'),
      '--name',
      'armed',
      '-i',
      '2',
      '--no-pmx',
      '--node-args',
      `--import ${REGISTER}`,
    );
    p.pm2('start', fixture('pm2-app.cjs'), '--name', 'plain', '-i', '1', '--no-pmx');
    const armed = await p.online('armed', 2);
    const [plain] = await p.online('plain', 1);
    for (const app of [...armed, plain]) trackPid(app.pid);
    const god = p.god();
    for (const app of armed) expect(app).toMatchObject({ ppid: god, armed: true });
    expect(plain).toMatchObject({ ppid: god, armed: false });
    process.kill(god, 'SIGKILL');
    // A cluster worker exits (code 0) when its primary's IPC channel closes: Node's cluster module, not
    // Lifeline, which therefore claims nothing here (the plain instance leaves the same way).
    const times = await Promise.all([...armed, plain].map((app) => waitGone(app.pid, 5000, 1)));
    console.info(
      `PM2 cluster-mode instances gone ${times.join(', ')} ms after the daemon's SIGKILL (armed, armed, plain)`,
    );
  });
});
