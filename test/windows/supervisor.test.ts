/**
 * The supervisor side on Windows, under Wine with node.exe 22: `stop()` (no process groups, signals
 * emulated by TerminateProcess) and `lifeline doctor` describing a Windows environment, started by a
 * Windows process and from outside Windows.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  ROOT,
  cleanup,
  expectStaysAlive,
  fixture,
  readText,
  tempDir,
  waitForJson,
  waitForReady,
  waitGone,
} from '../helpers/process-tree.js';
import { linuxPids, startNode, type Wine } from './wine.js';

const setup = inject('wine');
const CLI = join(ROOT, 'packages', 'supervisor', 'dist', 'cli.js');
/** Safety net only: Wine starts a process in 1–3 s, far longer on a loaded machine. */
const START_TIMEOUT_MS = 120_000;

interface DoctorReport {
  platform: string;
  procfs: boolean;
  pgid: number | null;
  orphanReaper: unknown;
  watcher: { wouldArm: boolean; code: string; reason: string };
  notes: string[];
}

describe.skipIf(setup.skip !== undefined)(
  `Windows under Wine: the supervisor${setup.skip === undefined ? '' : ` (skipped: ${setup.skip})`}`,
  () => {
    const wine = setup.wine as Wine;
    let dir = '';
    const run = (name: string, args: string[]): number | undefined =>
      startNode(wine, args, { stdout: join(dir, `${name}.stdout`), stderr: join(dir, `${name}.stderr`) }).pid;

    beforeAll(() => {
      if (setup.error !== undefined) throw new Error(setup.error);
      dir = tempDir();
    });
    afterAll(cleanup);

    it(
      'stop(): ends the worker at once with TerminateProcess (no grace to wait); its non-detached child ends with it, a detached one escapes',
      async () => {
        const writer = run('stop', [fixture('windows-stop.mjs'), dir]);
        const detail = (): string => readText(join(dir, 'stop.stderr'));
        const stopped = await waitForReady<{
          exit: { code: number | null; signal: string | null };
          ms: number;
          running: boolean;
        }>(join(dir, 'stopped.json'), 'json', {
          timeoutMs: START_TIMEOUT_MS,
          writer,
          detail,
        });
        // libuv's TerminateProcess exit code; the grace (10 s) was not waited for.
        expect(stopped).toMatchObject({ exit: { code: 1, signal: null }, running: false });
        expect(stopped.ms).toBeLessThan(5000);
        const [attached, detached] = ['attached', 'detached'].map((kind) => linuxPids(`${dir}/stopped-${kind}.tag`));
        expect(detached).toHaveLength(1);
        for (const pid of attached ?? []) await waitGone(pid, 10_000);
        for (const pid of detached ?? []) await expectStaysAlive(pid, 1000);
      },
      START_TIMEOUT_MS + 30_000,
    );

    it(
      'lifeline doctor: win32, no process groups, watching the parent by its liveness; outside Windows (ppid 0) it would not arm',
      async () => {
        const writer = run('doctor-child', [fixture('doctor-child.mjs'), join(dir, 'doctor')]);
        run('doctor-direct', [CLI, 'doctor', '--json', '--no-probe']);
        const text = await waitForReady(join(dir, 'doctor.txt'), 'text', {
          timeoutMs: START_TIMEOUT_MS,
          writer,
          detail: () => readText(join(dir, 'doctor-child.stderr')),
        });
        const report = await waitForJson<DoctorReport>(join(dir, 'doctor.json'));
        expect(report).toMatchObject({
          platform: 'win32',
          procfs: false,
          pgid: null,
          orphanReaper: null,
          watcher: { wouldArm: true, code: 'watching' },
        });
        expect(report.watcher.reason).toMatch(/^watching the parent pid \d+ by its liveness/);
        expect(report.notes.join('\n')).toMatch(/parent pid never changes[\s\S]*TerminateProcess/);
        expect(text).toMatch(/pgid \/ sid {3}none \(Windows has no process groups\)/);

        const direct = await waitForJson<DoctorReport>(join(dir, 'doctor-direct.stdout'), START_TIMEOUT_MS);
        expect(direct.watcher).toMatchObject({ wouldArm: false, code: 'parent-is-init' });
        expect(direct.notes.join('\n')).toMatch(
          /the parent pid is 0: this process was not started by a Windows process/,
        );
      },
      START_TIMEOUT_MS + 30_000,
    );
  },
);
