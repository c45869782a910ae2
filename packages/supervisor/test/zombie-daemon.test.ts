import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readStat } from '@lifeline/parent-watch/proc';
import { cleanup, exitOf, tempDir, trackPid, waitFor } from '../../../test/helpers/process-tree.js';
import { ageClock } from '../src/daemon/threshold.js';
import { CLI, fixture, NODE } from './helpers.js';
import { canUnshare, fixtureFile, startNamespace, type DaemonEvent, type Namespace } from './pid-namespace.js';

afterEach(cleanup);

const pidIn = (ns: Namespace, i: number, file: string): number =>
  Number(
    readFileSync(fixtureFile(ns, i, file), 'utf8')
      .trim()
      .split(' ')[0],
  );
const scanEvent = (n: number) => (e: DaemonEvent) => e.event === 'scan' && e.scan === n;
const signals = (ns: Namespace) => ns.events.filter((e) => e.event === 'signal').map((e) => [e.pid, e.signal]);
/** Ask the daemon for a scan now (SIGUSR2) and wait for that scan's summary. */
async function scanNow(ns: Namespace, daemonNsPid: number, n: number): Promise<DaemonEvent> {
  process.kill(ns.hostPid(daemonNsPid), 'SIGUSR2');
  return ns.event(`scan ${n}`, scanEvent(n));
}

describe.runIf(canUnshare)('lifeline zombies --every (a daemon in a PID namespace of its own, real zombies)', () => {
  it('a live child whose main thread exited (its leader shows Z) is not a zombie: its parent is never signalled', async () => {
    const ns = startNamespace(
      [
        { name: 'waits-for-leader-exited-child.py', ready: 'ready' },
        { name: 'never-reaps.py', args: ['1'], ready: 'zombies' },
      ],
      ['--kill-parents', '--yes', '--every', '1h', '--log', 'json'],
    );
    const daemon = (await ns.event('start', (e) => e.event === 'start')).pid as number;
    const healthy = pidIn(ns, 0, 'parent.pid');
    await ns.event('scan 1', scanEvent(1));
    await scanNow(ns, daemon, 2);
    // Control: the real zombie's parent, in the same scans, is ended.
    expect(signals(ns)).toEqual([[pidIn(ns, 1, 'parent.pid'), 'SIGTERM']]);
    expect(readStat(ns.hostPid(healthy))?.state).toMatch(/^[RS]$/);
  });

  it('acts only on zombies seen in two consecutive scans: a parent that reaps between scans is never signalled', async () => {
    const ns = startNamespace(
      [
        { name: 'never-reaps.py', args: ['2'], ready: 'zombies' },
        { name: 'reaps-between-scans.py', ready: 'generation' },
      ],
      ['--kill-parents', '--yes', '--every', '1h', '--grace', '5s', '--log', 'json'],
    );
    const start = await ns.event('start', (e) => e.event === 'start');
    const daemon = start.pid as number;
    const [parent, control] = [pidIn(ns, 0, 'parent.pid'), pidIn(ns, 1, 'parent.pid')];
    const zombies = readFileSync(fixtureFile(ns, 0, 'zombies'), 'utf8')
      .trim()
      .split(' ')
      .map(Number);
    const zombieHostPids = zombies.map((z) => ns.hostPid(z));

    // Scan 1 sees both parents' zombies for the first time: nothing is done.
    const first = await ns.event('scan 1', scanEvent(1));
    expect(first).toMatchObject({
      zombies: 3,
      confirmed: 0,
      pending: 3,
      pendingParents: [parent, control].sort((a, b) => a - b),
    });
    // The control reaps its zombie and leaves a new one before scan 2.
    process.kill(ns.hostPid(control), 'SIGUSR1');
    await waitFor('generation 2', () => readFileSync(fixtureFile(ns, 1, 'generation'), 'utf8').startsWith('2 '));
    const second = await scanNow(ns, daemon, 2);
    expect(second).toMatchObject({ zombies: 3, confirmed: 2, pending: 1, pendingParents: [control] });
    expect(ns.events.find((e) => e.event === 'action' && e.scan === 2)).toMatchObject({
      pid: parent,
      outcome: 'terminated',
      zombies,
      dryRun: false,
    });
    expect(signals(ns)).toEqual([[parent, 'SIGTERM']]);
    // The parent's zombies went to tini (PID 1 here), which reaped them.
    await waitFor('the zombies to be reaped by PID 1', () => zombieHostPids.every((pid) => readStat(pid) === null));

    process.kill(ns.hostPid(control), 'SIGUSR1');
    await waitFor('generation 3', () => readFileSync(fixtureFile(ns, 1, 'generation'), 'utf8').startsWith('3 '));
    expect(await scanNow(ns, daemon, 3)).toMatchObject({
      zombies: 1,
      confirmed: 0,
      pending: 1,
      pendingParents: [control],
    });
    expect(signals(ns)).toEqual([[parent, 'SIGTERM']]);
    expect(readStat(ns.hostPid(control))?.state).not.toBe('Z');

    // Control: without the two-scan rule (a one-shot run in the same namespace), the same parent is ended.
    const once = spawnSync(
      'nsenter',
      [
        '-t',
        String(ns.hostPid(1)),
        '-p',
        '-m',
        NODE,
        CLI,
        'zombies',
        '--kill-parents',
        '--yes',
        '--log',
        'json',
        '--grace',
        '5s',
      ],
      { encoding: 'utf8' },
    );
    const actions = once.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as DaemonEvent)
      .filter((e) => e.event === 'action');
    expect(actions).toContainEqual(expect.objectContaining({ pid: control, outcome: 'terminated' }));
  });

  it('never starts a scan while one runs; SIGTERM stops it after the scan in progress, exit 0', async () => {
    const ns = startNamespace(
      [{ name: 'never-reaps.py', args: ['1', 'ignore-term'], ready: 'zombies' }],
      ['--kill-parents', '--yes', '--every', '100ms', '--grace', '1s', '--log', 'json'],
    );
    await ns.event('start', (e) => e.event === 'start'); // the fixtures are ready before the daemon starts
    const parent = pidIn(ns, 0, 'parent.pid');
    const term = await ns.event('SIGTERM to the parent', (e) => e.event === 'signal' && e.signal === 'SIGTERM');
    const overlap = await ns.event('a tick while the scan runs', (e) => e.event === 'overlap');
    expect(overlap).toMatchObject({ running: term.scan, scan: (term.scan as number) + 1 });
    const daemon = ns.events.find((e) => e.event === 'start')?.pid as number;
    process.kill(ns.hostPid(daemon), 'SIGTERM'); // while the parent ignores SIGTERM and the grace runs
    expect(await ns.exitCode()).toBe(0);
    const order = ns.events.map(
      (e) => `${e.event}${e.signal ? `:${e.signal}` : ''}${e.outcome ? `:${e.outcome}` : ''}`,
    );
    const from = order.indexOf('signal:SIGTERM');
    const rest = order.slice(from).filter((e) => e !== 'overlap');
    expect(rest).toEqual([
      'signal:SIGTERM',
      'stopping:SIGTERM',
      'signal:SIGKILL',
      'action:killed',
      'scan',
      'stop:SIGTERM',
    ]);
    expect(ns.events.at(-1)).toMatchObject({ event: 'stop', cut: false });
    expect(signals(ns)).toEqual([
      [parent, 'SIGTERM'],
      [parent, 'SIGKILL'],
    ]);
    // Scans strictly one after the other: each scan number is started once, in order.
    const scans = ns.events.filter((e) => e.event === 'scan').map((e) => e.scan);
    expect(scans).toEqual(scans.map((_, i) => i + 1));
  });

  it('a second SIGTERM cuts the scan in progress: exit 143, and the planned SIGKILL is never sent', async () => {
    const ns = startNamespace(
      [{ name: 'never-reaps.py', args: ['1', 'ignore-term'], ready: 'zombies' }],
      ['--kill-parents', '--yes', '--every', '100ms', '--grace', '30s', '--log', 'json'],
    );
    await ns.event('start', (e) => e.event === 'start');
    const parent = pidIn(ns, 0, 'parent.pid');
    await ns.event('SIGTERM to the parent', (e) => e.event === 'signal' && e.signal === 'SIGTERM');
    const daemon = ns.hostPid(ns.events.find((e) => e.event === 'start')?.pid as number);
    process.kill(daemon, 'SIGTERM');
    await ns.event('stopping', (e) => e.event === 'stopping');
    process.kill(daemon, 'SIGTERM');
    expect(await ns.exitCode()).toBe(143);
    expect(ns.events.at(-1)).toMatchObject({ event: 'stop', signal: 'SIGTERM', cut: true });
    expect(signals(ns)).toEqual([[parent, 'SIGTERM']]);
    expect(readStat(ns.hostPid(parent))?.state).toMatch(/^[RS]$/); // it ignored SIGTERM and got nothing else
  });

  it('text log: the start line, a scan line with zombies, and the plan of a dry run', async () => {
    const ns = startNamespace(
      [{ name: 'never-reaps.py', args: ['2'], ready: 'zombies' }],
      ['--kill-parents', '--every', '1h', '--grace', '2s'],
    );
    await waitFor('the start line', () => ns.lines.length > 0);
    expect(ns.lines[0]).toBe(
      'lifeline zombies: plan (dry run) for the parents of zombies, every 1h; NOTE: /proc shows only this PID namespace, not the host',
    );
    await waitFor('scan 1', () => ns.lines.some((l) => l.startsWith('scan 1:')));
    const parent = pidIn(ns, 0, 'parent.pid');
    process.kill(ns.hostPidOf('node'), 'SIGUSR2');
    await waitFor('the plan', () => ns.lines.some((l) => l.startsWith('scan 2: would send')));
    expect(ns.lines).toContain(
      'scan 1: 2 zombie(s) under 1 parent(s); 0 confirmed, 2 pending (seen once or too young)',
    );
    expect(ns.lines).toContain(
      `scan 2: would send SIGTERM to ${parent} (python3, 2 zombie(s)), then SIGKILL after 2s if still running`,
    );
  });

  it('--min-age: zombies younger than it stay pending, even in consecutive scans', async () => {
    const ns = startNamespace(
      [{ name: 'never-reaps.py', args: ['1'], ready: 'zombies' }],
      ['--kill-parents', '--yes', '--every', '1h', '--min-age', '1h', '--log', 'json'],
    );
    const daemon = (await ns.event('start', (e) => e.event === 'start')).pid as number;
    await ns.event('scan 1', scanEvent(1));
    expect(await scanNow(ns, daemon, 2)).toMatchObject({ zombies: 1, confirmed: 0, pending: 1 });
    expect(signals(ns)).toEqual([]);
  });

  it('--min-age: once the zombie is that old (and seen twice), its parent is ended', async () => {
    const ns = startNamespace(
      [{ name: 'never-reaps.py', args: ['1'], ready: 'zombies' }],
      ['--kill-parents', '--yes', '--every', '1h', '--min-age', '300ms', '--log', 'json'],
    );
    const daemon = (await ns.event('start', (e) => e.event === 'start')).pid as number;
    const zombie = ns.hostPid(Number(readFileSync(fixtureFile(ns, 0, 'zombies'), 'utf8').trim()));
    const age = ageClock(readStat(process.pid));
    await ns.event('scan 1', scanEvent(1));
    await waitFor(
      'the zombie to be past 300 ms (a 10 ms clock tick of margin, and more)',
      () => (age(readStat(zombie)?.startTime) ?? 0) >= 400,
    );
    expect(await scanNow(ns, daemon, 2)).toMatchObject({ zombies: 1, confirmed: 1, pending: 0 });
    expect(ns.events.find((e) => e.event === 'action')).toMatchObject({
      pid: pidIn(ns, 0, 'parent.pid'),
      outcome: 'terminated',
    });
  });

  it('metrics: /metrics over 127.0.0.1 and the textfile (written by rename) count zombies, actions and scans; a dry run signals nothing', async () => {
    const metricsDir = tempDir();
    const file = `${metricsDir}/lifeline.prom`;
    const ns = startNamespace(
      [{ name: 'never-reaps.py', args: ['2'], ready: 'zombies' }],
      [
        '--kill-parents',
        '--dry-run',
        '--every',
        '1h',
        '--log',
        'json',
        '--metrics-port',
        '127.0.0.1:0',
        '--metrics-file',
        file,
      ],
    );
    const start = await ns.event('start', (e) => e.event === 'start');
    expect(start).toMatchObject({
      dryRun: true,
      killParents: true,
      metrics: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
    });
    await ns.event('scan 1', scanEvent(1));
    await scanNow(ns, start.pid as number, 2);
    const parent = pidIn(ns, 0, 'parent.pid');
    expect(ns.events.find((e) => e.event === 'action')).toMatchObject({
      pid: parent,
      outcome: 'planned',
      dryRun: true,
    });
    const response = await fetch(`http://${start.metrics as string}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const scraped = await response.text();
    for (const text of [scraped, readFileSync(file, 'utf8')]) {
      expect(text).toContain('lifeline_zombies{state="confirmed"} 2');
      expect(text).toContain('lifeline_zombies{state="pending"} 0');
      expect(text).toContain('lifeline_zombie_parent_actions_total{outcome="planned"} 1');
      expect(text).toContain('lifeline_zombie_parent_actions_total{outcome="failed"} 0');
      expect(text).toContain('lifeline_zombie_scans_total 2');
      expect(text).toContain('lifeline_zombie_scan_errors_total 0');
    }
    expect(readdirSync(metricsDir)).toEqual(['lifeline.prom']); // no temporary file left behind
    expect(signals(ns)).toEqual([]);
    expect(readStat(ns.hostPid(parent))?.state).toMatch(/^[RS]$/);
    expect((await fetch(`http://${start.metrics as string}/other`)).status).toBe(404);
  });
});

describe.runIf(process.platform === 'linux')('lifeline zombies: daemon flags and exit codes', () => {
  const run = (args: string[]) => spawnSync(NODE, [CLI, 'zombies', ...args], { encoding: 'utf8', timeout: 20_000 });

  it.each([
    [['--every', '1m', '--json'], /--json prints one document/],
    [['--once', '--every', '1m'], /--once and --every contradict/],
    [['--kill-parents', '--yes', '--dry-run'], /--yes and --dry-run contradict/],
    [['--dry-run'], /--dry-run only makes sense with --kill-parents/],
    [['--metrics-port', '9464'], /--metrics-port needs --every/],
    [['--every', '1m', '--metrics-port', 'localhost:99999'], /--metrics-port must be \[HOST:\]PORT/],
    [['--every', '1m', '--log', 'xml'], /--log must be text or json/],
    [['--every', 'soon'], /--every must be a duration/],
    [['--min-age', '-1s'], /--min-age must be a duration of zero or more/],
  ])('usage error, exit 2: %j', (args, message) => {
    const r = run(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('prom-client is loaded only when metrics are asked for (not by a plain scan, nor by lifeline run)', () => {
    const probe = (args: string[]) =>
      spawnSync(NODE, ['-r', fixture('reports-metrics-library.cjs'), CLI, ...args], {
        encoding: 'utf8',
        timeout: 20_000,
      }).stderr;
    expect(probe(['zombies'])).toContain('prom-client loaded: false');
    expect(probe(['run', '--', NODE, '-e', '0'])).toContain('prom-client loaded: false');
    expect(probe(['zombies', '--metrics-file', `${tempDir()}/x.prom`])).toContain('prom-client loaded: true'); // control
  });

  it('zombie ages: /proc start time against /proc/uptime agrees with process.uptime()', () => {
    const self = readStat(process.pid);
    const age = ageClock(self)(self?.startTime);
    expect(age).not.toBeNull();
    expect(Math.abs((age as number) - process.uptime() * 1000)).toBeLessThan(1000);
    expect(ageClock(self)(undefined)).toBeNull();
  });

  it('exit 3 when the metrics port is taken or the metrics file cannot be written', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const child = spawn(NODE, [CLI, 'zombies', '--every', '1m', '--metrics-port', `127.0.0.1:${port}`], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      trackPid(child.pid);
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      expect(await exitOf(child)).toEqual({ code: 3, signal: null });
      expect(stderr).toMatch(/cannot start the metrics \(port 127\.0\.0\.1:\d+\): EADDRINUSE/);
    } finally {
      server.close();
    }
    const r = run(['--metrics-file', `${tempDir()}/missing/dir/x.prom`]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/cannot start the metrics \(file .*x\.prom\): ENOENT/);
  });
});
