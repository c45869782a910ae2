import { spawnSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, spawnTracked, tempDir, trackPid, waitFor, waitForFile } from '../../../test/helpers/process-tree.js';
import { CLI, fixture, NODE } from './helpers.js';
import { canUnshare, PYTHON, TINI } from './pid-namespace.js';

afterEach(cleanup);

const INITIAL = 'pid:[4026531836]';
const doctorJson = (prefix: string[] = []) => {
  const r = spawnSync(
    prefix[0] ?? NODE,
    [...prefix.slice(1), ...(prefix.length ? [NODE] : []), CLI, 'doctor', '--json', '--no-probe'],
    { encoding: 'utf8', timeout: 20_000 },
  );
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as {
    fleet: {
      pidNamespace: { host: boolean | null; own: string; nspid: number[] };
      pid1: { comm: string; reaps: boolean | null; knownInit: string | null };
      notes: string[];
    };
  };
};

describe.runIf(process.platform === 'linux')(
  'lifeline doctor on a node: would a zombie daemon see the host, does PID 1 reap',
  () => {
    it('here: the PID namespace as /proc/self/ns/pid and /proc/1/ns/pid say', () => {
      const { fleet } = doctorJson();
      expect(fleet.pidNamespace.own).toBe(readlinkSync('/proc/self/ns/pid'));
      let pid1: string | null = null;
      try {
        pid1 = readlinkSync('/proc/1/ns/pid');
      } catch {
        // ptrace rules may hide PID 1's namespace: then this process's own decides (NSpid has one entry here)
      }
      expect(fleet.pidNamespace.host).toBe((pid1 ?? fleet.pidNamespace.own) === INITIAL);
    });

    it.runIf(canUnshare)('in a PID namespace under tini: not the host; PID 1 reaps', () => {
      const { fleet } = doctorJson(['unshare', '-pf', '--kill-child', '--mount-proc', TINI as string, '--']);
      expect(fleet.pidNamespace).toMatchObject({ host: false, nspid: [expect.any(Number)] });
      expect(fleet.pid1).toMatchObject({ comm: 'tini', knownInit: 'tini', reaps: true });
      expect(fleet.notes.join('\n')).toMatch(/sees only this PID namespace, not the host: run it with hostPID: true/);
    });

    it.runIf(canUnshare)(
      'in a PID namespace whose PID 1 never reaps: PID 1 does NOT reap (its zombie children linger)',
      async () => {
        const dir = tempDir();
        const ns = spawnTracked('unshare', [
          '-pf',
          '--kill-child',
          '--mount-proc',
          PYTHON,
          fixture('never-reaps.py'),
          dir,
          '2',
        ]);
        await waitForFile(join(dir, 'zombies'));
        const init = await waitFor('PID 1 of the namespace', () =>
          Number(spawnSync('cat', [`/proc/${ns.pid}/task/${ns.pid}/children`], { encoding: 'utf8' }).stdout.trim()),
        );
        trackPid(init);
        const { fleet } = doctorJson(['nsenter', '-t', String(init), '-p', '-m']);
        expect(fleet.pidNamespace.host).toBe(false);
        expect(fleet.pid1).toMatchObject({ comm: 'python3', knownInit: null, reaps: false });
        expect(fleet.notes.join('\n')).toMatch(
          /PID 1 here \(python3\) does NOT reap \(2 zombie child\(ren\) stayed 1s\)/,
        );
      },
    );
  },
);
