import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readStat } from '@lifeline/parent-watch/proc';
import { isRunning } from '../src/index.js';
import {
  cleanup,
  exitOf,
  spawnTracked,
  tempDir,
  trackPid,
  waitFor,
  waitForJson,
  waitForPid,
  waitGone,
} from '../../../test/helpers/process-tree.js';
import { CLI, fixture, NODE } from './helpers.js';

afterEach(cleanup);

/** What middle-spawns-backend.mjs writes once it has started the backend. */
type MiddleJson = { middle: number; child: number };

const lifeline = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(NODE, [CLI, ...args], { encoding: 'utf8', env, timeout: 20_000 });

describe.runIf(process.platform === 'linux')('lifeline run: orphan teardown (real SIGKILL of the parent)', () => {
  it('parent SIGKILLed: the shim and its backend are gone; without the shim the backend lingers (control)', async () => {
    const shimDir = tempDir();
    const directDir = tempDir();
    spawnTracked(NODE, [fixture('middle-spawns-backend.mjs'), CLI, shimDir, 'shim']);
    spawnTracked(NODE, [fixture('middle-spawns-backend.mjs'), CLI, directDir, 'direct']);
    const shimBackend = await waitForPid(join(shimDir, 'backend.pid'));
    const directBackend = await waitForPid(join(directDir, 'backend.pid'));
    const shimSide = await waitForJson<MiddleJson>(join(shimDir, 'middle.json'));
    const directSide = await waitForJson<MiddleJson>(join(directDir, 'middle.json'));
    // trackPid takes a pid's process group too: the shim put the backend in its own group.
    for (const pid of [shimBackend, directBackend, shimSide.child, directSide.child]) trackPid(pid);
    // The pid file is written just before `exec sleep`: wait for the exec (a handshake, not a sleep).
    await waitFor('the backend to exec sleep', () => readStat(shimBackend)?.comm === 'sleep');
    expect(readFileSync(`/proc/${shimBackend}/stat`, 'utf8')).toContain('(sleep)'); // exec'd: the backend is sleep

    const killedAt = Date.now();
    process.kill(shimSide.middle, 'SIGKILL');
    process.kill(directSide.middle, 'SIGKILL');
    await waitGone(shimBackend, 15_000);
    const backendGone = Date.now() - killedAt;
    await waitGone(shimSide.child, 15_000);
    const shimGone = Date.now() - killedAt;
    console.log(`after the parent's SIGKILL: backend gone in ${backendGone}ms, shim in ${shimGone}ms (interval 100ms)`);

    // Control: the backend started without the shim was re-parented and is still running.
    await waitFor(
      'the control backend to be re-parented',
      () => (readStat(directBackend)?.ppid ?? directSide.middle) !== directSide.middle,
    );
    expect(isRunning(directBackend)).toBe(true);
    expect(isRunning(shimBackend)).toBe(false);
  });
});

describe('lifeline run: exit codes and signals', () => {
  it('passes exit code 7 through', () => {
    const r = lifeline(['run', '--', 'sh', '-c', 'exit 7']);
    expect(r.status).toBe(7);
  });

  it('--arm starts a Node command with the register preload by absolute path; without it the command runs as given', () => {
    const print = ['-p', 'JSON.stringify(process.execArgv)'];
    const armed = lifeline(['run', '--arm', '--', NODE, ...print]);
    expect(armed.status, armed.stderr).toBe(0);
    expect(JSON.parse(armed.stdout)).toEqual([
      '--require',
      expect.stringMatching(/^\/.*parent-watch\/dist\/register-light\.cjs$/),
      ...print,
    ]);
    const plain = lifeline(['run', '--', NODE, ...print]);
    expect(JSON.parse(plain.stdout)).toEqual(print);
  });

  it('returns 143 when the command dies of SIGTERM (128+15)', () => {
    const r = lifeline(['run', 'sh', '-c', 'kill -TERM $$']);
    expect(r.status).toBe(143);
  });

  it('a command that does not exist: a clear message and 127', () => {
    const r = lifeline(['run', '--', 'lifeline-no-such-command-xyz', 'arg']);
    expect(r.status).toBe(127);
    expect(r.stderr).toMatch(/^lifeline\[\d+\]: run: lifeline-no-such-command-xyz: command not found$/m);
  });

  it('--interval under 10 ms runs the command at 10 ms with a warning, as the API and the environment do', () => {
    for (const value of ['1ns', '0.1ms']) {
      const r = lifeline(['run', '--interval', value, '--', 'sh', '-c', 'exit 4']);
      expect(r.status, r.stderr).toBe(4); // the command ran
      expect(r.stderr).toMatch(
        new RegExp(
          `^lifeline\\[\\d+\\]: warning: --interval="${value}" is outside \\[10ms, 2147483647ms\\]; using 10ms$`,
          'm',
        ),
      );
      expect(r.stderr).not.toMatch(/at .*\(/); // no stack trace
    }
  });

  it('a file that is not executable: 126', () => {
    const r = lifeline(['run', '--', fixture('report-env.mjs')]);
    expect(r.status).toBe(126);
    expect(r.stderr).toMatch(/permission denied/);
  });

  it('a command name too long to execute: one line and 126, no stack trace (issue 16 item 12: it exited 1)', () => {
    const r = lifeline(['run', '--', 'x'.repeat(5000)]);
    expect(r.status, r.stderr).toBe(126);
    expect(r.stderr).toMatch(/^lifeline\[\d+\]: run: "x{80}"… \(5000 characters\): name too long$/m);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\bat .*\(/);
  });

  it('SIGTERM to the shim reaches the backend, which exits 0, and so does the shim; SIGKILL cannot be forwarded (control)', async () => {
    const dir = tempDir();
    const shim = spawnTracked(NODE, [CLI, 'run', '--', NODE, fixture('logs-signals.mjs'), dir]);
    const backend = await waitForPid(join(dir, 'pid'));
    trackPid(backend);
    shim.kill('SIGTERM');
    expect(await exitOf(shim)).toEqual({ code: 0, signal: null });
    expect(readFileSync(join(dir, 'signals'), 'utf8')).toBe('SIGTERM\n');
    await waitGone(backend);

    // Control: SIGKILL to the shim is not forwarded; the backend, in its own group, lingers.
    const controlDir = tempDir();
    const shim2 = spawnTracked(NODE, [CLI, 'run', '--', NODE, fixture('logs-signals.mjs'), controlDir]);
    const backend2 = await waitForPid(join(controlDir, 'pid'));
    trackPid(backend2);
    shim2.kill('SIGKILL');
    expect((await exitOf(shim2)).signal).toBe('SIGKILL');
    expect(isRunning(backend2)).toBe(true);
  });

  it('forwards SIGINT, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2 to the command', async () => {
    const dir = tempDir();
    const shim = spawnTracked(NODE, [CLI, 'run', '--', NODE, fixture('logs-signals.mjs'), dir]);
    const backend = await waitForPid(join(dir, 'pid'));
    trackPid(backend);
    const sent: NodeJS.Signals[] = ['SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];
    for (const [i, signal] of sent.entries()) {
      shim.kill(signal);
      // One at a time, so that the log order is the sending order.
      await waitFor(`${signal} to reach the backend`, () => {
        try {
          return readFileSync(join(dir, 'signals'), 'utf8').split('\n').length - 1 === i + 1;
        } catch {
          return false;
        }
      });
    }
    expect(readFileSync(join(dir, 'signals'), 'utf8')).toBe(sent.map((s) => `${s}\n`).join(''));
    expect(isRunning(shim.pid as number)).toBe(true); // the shim itself survived them all
    shim.kill('SIGTERM');
    expect((await exitOf(shim)).code).toBe(0);
  });
});

describe('lifeline CLI usage', () => {
  it('--help on every command, exit 0', () => {
    for (const args of [['--help'], ['run', '--help'], ['zombies', '--help'], ['doctor', '--help']]) {
      const r = lifeline(args);
      expect(r.status, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/^Usage: lifeline/);
      if (args.length === 2) expect(r.stdout).toMatch(/Exit codes/);
    }
  });

  it('--version prints the package version', () => {
    const r = lifeline(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('bad input: a message naming the flag and exit code 2', () => {
    const cases: [string[], RegExp][] = [
      [['run', '--interval', 'soon', '--', 'true'], /--interval/],
      [['run', '--interval', '0', '--', 'true'], /--interval must be a positive duration, got "0"/],
      [['run', '--grace', '-1s', '--', 'true'], /--grace must be a duration of zero or more/],
      [['run', '--grace'], /--grace needs a value/],
      [['run', '--bogus', 'true'], /unknown flag --bogus/],
      [['run'], /missing command/],
      [['zombies', '--grace', '1s'], /--grace/],
      [['zombies', '--yes'], /--yes/],
      [['zombies', '--kill-parents', '--grace', 'x'], /--grace/],
      [['doctor', 'extra'], /unexpected argument/],
      [['frobnicate'], /unknown command/],
      [[], /Usage/],
    ];
    for (const [args, message] of cases) {
      const r = lifeline(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
  });
});
