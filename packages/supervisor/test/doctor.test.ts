import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV } from '@lifeline/core/config';
import { readStat } from '@lifeline/parent-watch/proc';
import { diagnose } from '../src/cli/doctor.js';
import { CLI, fixture, NODE } from './helpers.js';

const doctor = (args: string[], env: NodeJS.ProcessEnv) => {
  const r = spawnSync(NODE, [CLI, 'doctor', ...args], { encoding: 'utf8', env, timeout: 20_000 });
  return r;
};
const cleanEnv = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (/^(LOCALAI_|LIFELINE_)/.test(key)) delete env[key];
  return env;
};

describe('lifeline doctor', () => {
  it('shows every variable of the core\'s ENV as read, set or not: none is "not read by the watcher" (issue 16 item 15)', async () => {
    const names = Object.values(ENV);
    for (const env of [{}, Object.fromEntries(names.map((name) => [name, '7']))]) {
      const report = await diagnose(env, false);
      for (const name of names) {
        const entry = report.env.find((e) => e.name === name);
        expect(entry, name).toBeDefined();
        expect(entry?.used, name).not.toBe('not read by the watcher');
      }
    }
    const text = doctor(['--no-probe'], { ...cleanEnv(), LIFELINE_PARENT_FD: '7', LIFELINE_PARENT_WATCH_STDIN: '1' });
    expect(text.stdout).toMatch(/^ {2}LIFELINE_PARENT_FD="7" -> fd 7 /m);
    expect(text.stdout).toMatch(/^ {2}LIFELINE_PARENT_WATCH_STDIN="1" -> on$/m);
  });

  it("lists the hints this process has: stdout's and stderr's reader when they are sockets or a pipe, none when switched off", () => {
    const hints = (env: NodeJS.ProcessEnv, command = [NODE, CLI, 'doctor', '--json', '--no-probe']): string[] => {
      const r = spawnSync(command[0] as string, command.slice(1), { encoding: 'utf8', env, timeout: 20_000 });
      return (JSON.parse(r.stdout) as { watcher: { hints: string[] } }).watcher.hints;
    };
    // spawnSync's pipes are socket pairs; a shell's `|` is a pipe, and `2>&1` makes one of the two.
    expect(hints(cleanEnv())).toEqual([
      'the poll, every 2s',
      "stdout's reader going away (a socket)",
      "stderr's reader going away (a socket)",
    ]);
    expect(hints(cleanEnv(), ['sh', '-c', `"${NODE}" "${CLI}" doctor --json --no-probe 2>&1 | cat`])).toContain(
      "stdout's reader going away (a pipe)",
    );
    expect(hints({ ...cleanEnv(), [ENV.stdio]: '0' })).toEqual([
      'the poll, every 2s',
      "not stdout's or stderr's reader (LIFELINE_PARENT_WATCH_STDIO is off)",
    ]);
  });

  it('--json: ids, every LOCALAI_*/LIFELINE_* variable with the value used, warnings, would arm', () => {
    const env = {
      ...cleanEnv(),
      LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: 'abc',
      LOCALAI_ADDRESS: ':8080',
      LIFELINE_PARENT_WATCH_GRACE: '1s',
    };
    const r = doctor(['--json', '--no-probe'], env);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.ppid).toBe(process.pid); // spawnSync's child: we are its parent
    expect(report.isPid1).toBe(false);
    if (process.platform === 'linux') {
      expect(report.procfs).toBe(true);
      // spawnSync's child stays in our process group and session. Either id can be 0 when the
      // group/session leader lives outside this PID namespace (CI runners do this), so compare
      // with our own /proc entry rather than assume a positive id.
      const self = readStat(process.pid);
      expect(report.pgid).toBe(self?.pgrp);
      expect(report.sid).toBe(self?.session);
      expect(report.ancestors[0].pid).toBe(process.pid);
    }
    const byName = Object.fromEntries(report.env.map((e: { name: string }) => [e.name, e]));
    expect(byName.LOCALAI_BACKEND_PARENT_WATCH_INTERVAL).toEqual({
      name: 'LOCALAI_BACKEND_PARENT_WATCH_INTERVAL',
      value: 'abc',
      used: '2s',
    });
    expect(byName.LIFELINE_PARENT_WATCH_GRACE.used).toBe('1s');
    expect(byName.LOCALAI_BACKEND_PARENT_WATCH).toEqual({
      name: 'LOCALAI_BACKEND_PARENT_WATCH',
      value: null,
      used: 'on',
    });
    expect(byName.LOCALAI_ADDRESS.used).toBe('not read by the watcher');
    expect(report.warnings.some((w: string) => w.includes('LOCALAI_BACKEND_PARENT_WATCH_INTERVAL'))).toBe(true);
    expect(report.watcher.wouldArm).toBe(true);
    expect(report.orphanReaper).toBeNull(); // --no-probe
  });

  it('says why a watcher would not arm, and reports a LIFELINE_PARENT_PID that is gone', () => {
    const off = JSON.parse(
      doctor(['--json', '--no-probe'], { ...cleanEnv(), LOCALAI_BACKEND_PARENT_WATCH: 'off' }).stdout,
    );
    expect(off.watcher).toMatchObject({ wouldArm: false });
    expect(off.watcher.reason).toMatch(/LOCALAI_BACKEND_PARENT_WATCH="off"/);

    // A pid that ran and was reaped: a real pid of this system, no longer running.
    const dead = spawnSync(NODE, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const gone = JSON.parse(doctor(['--json', '--no-probe'], { ...cleanEnv(), LIFELINE_PARENT_PID: dead }).stdout);
    expect(gone.watcher).toMatchObject({ wouldArm: false, code: 'parent-gone-at-start', parentPid: Number(dead) });
    expect(gone.watcher.reason).toMatch(new RegExp(`LIFELINE_PARENT_PID=${dead} is not running`));

    // 999999999 is above any pid_max: not a pid at all, so it is ignored with a warning (not "gone").
    const invalid = JSON.parse(
      doctor(['--json', '--no-probe'], { ...cleanEnv(), LIFELINE_PARENT_PID: '999999999' }).stdout,
    );
    expect(invalid.watcher).toMatchObject({ wouldArm: true, code: 'watching', parentPid: null });
    expect(invalid.warnings).toEqual([
      expect.stringMatching(
        /^LIFELINE_PARENT_PID="999999999" is above this system's largest pid \(\d+\); it is ignored$/,
      ),
    ]);
  });

  it('text output names the watcher verdict', () => {
    const r = doctor(['--no-probe'], cleanEnv());
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^watcher +would arm \(watching\): watching the parent pid \d+ every 2s$/m);
    expect(r.stdout).toMatch(/LOCALAI_BACKEND_PARENT_WATCH=\(unset\) -> on/);
  });

  it.runIf(process.platform === 'linux')(
    'shows the chain it would watch: through a wrapper (sh -c) up to this test process; switched off, the parent alone (control)',
    () => {
      const command = `${JSON.stringify(NODE)} ${JSON.stringify(CLI)} doctor --no-probe`;
      const run = (extra: NodeJS.ProcessEnv, json: boolean) =>
        spawnSync('sh', ['-c', `${command}${json ? ' --json' : ''}; true`], {
          encoding: 'utf8',
          env: { ...cleanEnv(), ...extra },
          timeout: 20_000,
        });
      const report = JSON.parse(run({}, true).stdout);
      expect(report.chain).toEqual([
        { pid: report.ppid, command: expect.stringMatching(/^sh -c /), wrapper: 'sh -c', watched: false },
        { pid: process.pid, command: expect.any(String), wrapper: null, watched: true },
      ]);
      expect(report.watcher).toMatchObject({ wouldArm: true, code: 'watching-ancestor', watches: process.pid });
      const text = run({}, false).stdout;
      expect(text).toMatch(new RegExp(`^chain +\\d+ "sh -c .*": pass-through wrapper \\(row: sh -c\\)$`, 'm'));
      expect(text).toMatch(new RegExp(`^ +${process.pid} ".*": not a wrapper: watched \\(pid and start time\\)$`, 'm'));

      const off = JSON.parse(run({ LIFELINE_PARENT_WATCH_WRAPPERS: 'off' }, true).stdout);
      expect(off.chain).toBeNull();
      expect(off.watcher).toMatchObject({ wouldArm: true, code: 'watching', watches: null });
      expect(off.env.find((e: { name: string }) => e.name === 'LIFELINE_PARENT_WATCH_WRAPPERS')).toMatchObject({
        value: 'off',
        used: 'off',
      });
    },
  );

  it.runIf(process.platform === 'linux')(
    'the probe finds a subreaper ancestor that does not reap; without it, orphans go to PID 1 (control)',
    () => {
      const under = spawnSync('python3', [fixture('subreaper-runs.py'), NODE, CLI, 'doctor', '--json'], {
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(under.status).toBe(0);
      const report = JSON.parse(under.stdout);
      expect(report.orphanReaper).toMatchObject({ pid: report.ppid, init: false, reaps: false });
      expect(report.notes.join('\n')).toMatch(/adopted by the subreaper/);

      // Control: the same command not under a subreaper: orphans go to PID 1 (as this test's process is no subreaper).
      const plain = JSON.parse(doctor(['--json'], cleanEnv()).stdout);
      expect(plain.orphanReaper).toMatchObject({ pid: 1, init: true });
    },
  );

  // A PID namespace needs root (CI and this project's machines run as root); elsewhere this case is skipped.
  const canUnshare = process.platform === 'linux' && spawnSync('unshare', ['-pf', '--mount-proc', 'true']).status === 0;
  it.runIf(canUnshare)(
    'as PID 1 of a namespace it says init, not subreaper; the same doctor outside says neither (control)',
    () => {
      const r = spawnSync('unshare', ['-pf', '--mount-proc', NODE, CLI, 'doctor', '--json'], {
        encoding: 'utf8',
        env: cleanEnv(),
        timeout: 20_000,
      });
      expect(r.status, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report).toMatchObject({ pid: 1, isPid1: true, orphanReaper: { pid: 1, init: true, reaps: false } });
      const notes = report.notes.join('\n');
      expect(notes).toMatch(/this process is PID 1/);
      expect(notes).not.toMatch(/subreaper/);
      const outside = JSON.parse(doctor(['--json'], cleanEnv()).stdout);
      expect(outside.isPid1).toBe(false);
      expect(outside.notes.join('\n')).not.toMatch(/this process is PID 1|itself a subreaper/);
    },
  );

  it('prints the preload by absolute path, which arms from any directory; the bare name there fails (control)', () => {
    const report = JSON.parse(doctor(['--json', '--no-probe'], cleanEnv()).stdout);
    const dist = realpathSync(join(import.meta.dirname, '..', '..', 'parent-watch', 'dist'));
    expect(report.preload).toEqual({ import: join(dist, 'register.cjs'), require: join(dist, 'register-light.cjs') });
    const text = doctor(['--no-probe'], cleanEnv()).stdout;
    expect(text).toContain(
      `preload      --import ${report.preload.import}   (any working directory)\n             -r ${report.preload.require}\n`,
    );

    const elsewhere = mkdtempSync(join(tmpdir(), 'lifeline-elsewhere-')); // no node_modules up from here
    try {
      const armed = "process.stdout.write(String(globalThis[Symbol.for('lifeline.parent-watch.v1')] !== undefined))";
      // NODE_PATH (which npx and pnpm set) would let -r find it by name from anywhere.
      const env = { ...cleanEnv(), NODE_PATH: '' };
      const run = (preload: string[]) =>
        spawnSync(NODE, [...preload, '-e', armed], { cwd: elsewhere, env, encoding: 'utf8' });
      for (const preload of [
        ['--import', report.preload.import],
        ['-r', report.preload.require],
      ]) {
        const r = run(preload);
        expect(r.status, r.stderr).toBe(0);
        expect(r.stdout).toBe('true'); // the preload ran: the watcher's handle is there
      }
      const bareImport = run(['--import', '@lifeline/parent-watch/register']);
      expect(bareImport.status).not.toBe(0);
      expect(bareImport.stderr).toContain('ERR_MODULE_NOT_FOUND');
      const bareRequire = run(['-r', '@lifeline/parent-watch/register']);
      expect(bareRequire.status).not.toBe(0);
      expect(bareRequire.stderr).toContain("Cannot find module '@lifeline/parent-watch/register'");
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
