// The recipes of docs/fleet, checked as written: the systemd unit by systemd-analyze and by running the
// daemon with the unit's capabilities; the DaemonSet against the Kubernetes schema (kubernetes-models,
// offline); the image's entrypoint run as on a node: PID 1 tini, a real non-reaping parent and its
// zombies, strace watching every kill(2) the daemon makes.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readStat } from '@lifeline/parent-watch/proc';
import { cleanup, exitOf, ROOT, tempDir, waitFor } from '../../../test/helpers/process-tree.js';
import { CLI, NODE } from './helpers.js';
import { canUnshare, fixtureFile, startNamespace, TINI, type DaemonEvent } from './pid-namespace.js';

afterEach(cleanup);

const FLEET = join(ROOT, 'docs', 'fleet');
const UNIT = readFileSync(join(FLEET, 'lifeline-zombies.service'), 'utf8');
const DOCKERFILE = readFileSync(join(FLEET, 'Dockerfile'), 'utf8');
const MANIFEST = parse(readFileSync(join(FLEET, 'daemonset.yaml'), 'utf8')) as Record<string, unknown>;
const has = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

/** `Key=value` lines of the unit's [Service] section. */
function unitService(): Map<string, string> {
  const section = UNIT.split(/^\[Service\]$/m)[1]?.split(/^\[/m)[0] ?? '';
  return new Map(
    section
      .split('\n')
      .filter((l) => /^\w+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}
/** The DaemonSet's one container. */
const container = (): {
  args: string[];
  env: { name: string; value: string }[];
  securityContext: Record<string, unknown>;
} => (MANIFEST as { spec: { template: { spec: { containers: never[] } } } }).spec.template.spec.containers[0];
/** The JSON-form ENTRYPOINT and CMD of the Dockerfile. */
const dockerArray = (instruction: string): string[] =>
  JSON.parse(new RegExp(`^${instruction} (\\[.*\\])$`, 'm').exec(DOCKERFILE)?.[1] ?? '[]') as string[];

describe('docs/fleet/lifeline-zombies.service', () => {
  it.runIf(has('systemd-analyze'))('passes systemd-analyze verify without a warning', () => {
    const dir = tempDir();
    const r = spawnSync('systemd-analyze', ['verify', join(FLEET, 'lifeline-zombies.service')], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('runs the daemon with --every, keeps CAP_KILL only, and never hides /proc', () => {
    const service = unitService();
    expect(service.get('Type')).toBe('simple');
    expect(service.get('ExecStart')).toMatch(/^\/usr\/bin\/env lifeline zombies --kill-parents --yes --every \S+ /);
    expect(service.get('AmbientCapabilities')).toBe('CAP_KILL');
    expect(service.get('CapabilityBoundingSet')).toBe('CAP_KILL');
    expect(service.get('RestartPreventExitStatus')).toBe('2 3');
    for (const hides of ['ProtectProc', 'ProcSubset', 'PrivateUsers', 'PrivatePIDs'])
      expect(service.has(hides)).toBe(false);
  });

  it.runIf(canUnshare && has('setpriv'))(
    "with the unit's capabilities, an unprivileged user ends another user's non-reaping parent",
    async () => {
      const service = unitService();
      const cap = (service.get('AmbientCapabilities') ?? '').replace(/^CAP_/, '').toLowerCase();
      const args = (service.get('ExecStart') ?? '')
        .split(' ')
        .slice(3)
        .filter((a) => !a.startsWith('127.0.0.1:') && a !== '--metrics-port');
      const every = args.indexOf('--every');
      args.splice(every, 2, '--every', '1h'); // scans on demand (SIGUSR2) instead of every 5 minutes
      const setpriv = [
        'setpriv',
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        `--inh-caps=-all,+${cap}`,
        `--ambient-caps=-all,+${cap}`,
        `--bounding-set=-all,+${cap}`,
        '--no-new-privs',
      ];
      const ns = startNamespace([{ name: 'never-reaps.py', args: ['1'], ready: 'zombies' }], args, setpriv);
      const start = await ns.event('start', (e) => e.event === 'start');
      await ns.event('scan 1', (e) => e.event === 'scan' && e.scan === 1);
      process.kill(ns.hostPid(start.pid as number), 'SIGUSR2');
      const parent = Number(readFileSync(fixtureFile(ns, 0, 'parent.pid'), 'utf8'));
      expect(await ns.event('the action', (e) => e.event === 'action')).toMatchObject({
        pid: parent,
        outcome: 'terminated',
      });
      // Control: the same user without the capability is refused (EPERM), and says so.
      const denied = startNamespace([{ name: 'never-reaps.py', args: ['1'], ready: 'zombies' }], args, [
        'setpriv',
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        '--inh-caps=-all',
        '--bounding-set=-all',
        '--no-new-privs',
      ]);
      const deniedStart = await denied.event('start', (e) => e.event === 'start');
      await denied.event('scan 1', (e) => e.event === 'scan' && e.scan === 1);
      process.kill(denied.hostPid(deniedStart.pid as number), 'SIGUSR2');
      expect(await denied.event('the action', (e) => e.event === 'action')).toMatchObject({
        outcome: 'failed',
        error: expect.stringMatching(/^EPERM/),
      });
    },
  );
});

describe('docs/fleet/daemonset.yaml and Dockerfile', () => {
  it('is a valid apps/v1 DaemonSet by the Kubernetes schema (kubernetes-models)', () => {
    expect(() => new DaemonSet(MANIFEST as ConstructorParameters<typeof DaemonSet>[0]).validate()).not.toThrow();
    // The validator is real: the same manifest with a wrong type is refused.
    const broken = structuredClone(MANIFEST) as { spec: { template: { spec: { hostPID: unknown } } } };
    broken.spec.template.spec.hostPID = 'yes';
    expect(() => new DaemonSet(broken as ConstructorParameters<typeof DaemonSet>[0]).validate()).toThrow(
      /hostPID must be boolean/,
    );
  });

  it('hostPID, KILL as the only capability, limits, the metrics port and a dryRun switch that starts as a dry run', () => {
    const spec = (MANIFEST as { spec: { template: { spec: Record<string, unknown> } } }).spec.template.spec;
    expect(spec.hostPID).toBe(true);
    const c = container() as ReturnType<typeof container> & {
      resources: { limits: Record<string, string> };
      ports: { containerPort: number }[];
    };
    expect(c.securityContext).toMatchObject({
      capabilities: { drop: ['ALL'], add: ['KILL'] },
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
    });
    expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'memory']);
    const port = c.args[c.args.indexOf('--metrics-port') + 1];
    expect(c.ports).toContainEqual(expect.objectContaining({ name: 'metrics', containerPort: Number(port) }));
    expect(c.args).toContain('$(MODE)');
    expect(c.env).toContainEqual({ name: 'MODE', value: '--dry-run' });
  });

  it('the image: a Node base, tini as PID 1 in front of lifeline zombies', () => {
    expect(DOCKERFILE).toMatch(/^FROM node:\d+[-\w.]*$/m);
    expect(DOCKERFILE).toMatch(/apt-get install -y --no-install-recommends tini/);
    expect(dockerArray('ENTRYPOINT')).toEqual(['/usr/bin/tini', '--', 'lifeline', 'zombies']);
    expect(dockerArray('CMD')).toContain('--dry-run');
  });

  it.runIf(canUnshare && has('strace') && TINI !== null)(
    'the entrypoint as on a node: the non-reaping parent is ended, tini reaps its zombies, and only it is ever signalled',
    async () => {
      // ENTRYPOINT + the DaemonSet's args with MODE=--yes; lifeline = the built bin; scans on demand; any free port.
      const args = container().args.map((a) => (a === '$(MODE)' ? '--yes' : a));
      args.splice(args.indexOf('--every'), 2, '--every', '1h');
      args.splice(args.indexOf('--metrics-port'), 2, '--metrics-port', '127.0.0.1:0');
      const [tini, separator, lifeline, command] = dockerArray('ENTRYPOINT');
      expect([separator, lifeline, command]).toEqual(['--', 'lifeline', 'zombies']);
      const ns = startNamespace(
        [
          { name: 'never-reaps.py', args: ['3'], ready: 'zombies' },
          { name: 'reaps-between-scans.py', ready: 'generation' },
        ],
        args,
        [],
        [existsSync(tini as string) ? (tini as string) : (TINI as string), '--'],
      );
      const start = await ns.event('start', (e) => e.event === 'start');
      const daemon = ns.hostPid(start.pid as number);
      expect(readStat(ns.hostPid(1))?.comm).toBe('tini');
      expect(readStat(daemon)?.ppid).toBe(ns.hostPid(1)); // tini → lifeline, as in the image
      const trace = join(ns.dir, 'kill.strace');
      const strace = spawn(
        'strace',
        ['-f', '-qq', '-e', 'trace=kill,tkill,tgkill', '-o', trace, '-p', String(daemon)],
        { stdio: 'ignore' },
      );
      await waitFor('strace to attach', () =>
        /^TracerPid:\s*[1-9]/m.test(readFileSync(`/proc/${daemon}/status`, 'utf8')),
      );
      await ns.event('scan 1', (e) => e.event === 'scan' && e.scan === 1);
      const parent = Number(readFileSync(fixtureFile(ns, 0, 'parent.pid'), 'utf8'));
      const control = Number(readFileSync(fixtureFile(ns, 1, 'parent.pid'), 'utf8'));
      const zombies = readFileSync(fixtureFile(ns, 0, 'zombies'), 'utf8')
        .trim()
        .split(' ')
        .map((z) => ns.hostPid(Number(z)));
      process.kill(ns.hostPid(control), 'SIGUSR1'); // the control reaps and leaves a new zombie
      await waitFor('generation 2', () => readFileSync(fixtureFile(ns, 1, 'generation'), 'utf8').startsWith('2 '));
      process.kill(daemon, 'SIGUSR2');
      const scan2 = await ns.event('scan 2', (e) => e.event === 'scan' && e.scan === 2);
      expect(scan2).toMatchObject({ confirmed: 3, pendingParents: [control] });
      expect(ns.events.filter((e) => e.event === 'action')).toEqual([
        expect.objectContaining({ pid: parent, outcome: 'terminated', dryRun: false }),
      ]);
      await waitFor('tini to reap the zombies', () => zombies.every((z) => readStat(z) === null));
      // The kubelet's SIGTERM goes to PID 1: tini passes it on, the daemon stops, the container exits 0.
      process.kill(ns.hostPid(1), 'SIGTERM');
      expect(await exitOf(ns.child)).toEqual({ code: 0, signal: null });
      await exitOf(strace);
      const kills = readFileSync(trace, 'utf8')
        .split('\n')
        .filter((l) => /\b(kill|tkill|tgkill)\(/.test(l))
        .map((l) => /\b\w*kill\(([^)]*)\)/.exec(l)?.[1]);
      expect(kills).toEqual([`${parent}, SIGTERM`]);
      const signalled = ns.events.filter((e: DaemonEvent) => e.event === 'signal').map((e) => e.pid);
      expect(signalled).toEqual([parent]);
      expect(signalled).not.toContain(1);
      expect(signalled).not.toContain(start.pid);
    },
  );
});
