// The one table of settings (packages/core/settings.ts, its lines for people in settings-docs.ts) and what
// is derived from it: a row added to the table is listed by `lifeline doctor` and the READMEs (else this fails, and so does `pnpm lint`), passed
// on by spawnWorker as its row says, and read back in the worker as the value it was given.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV, PER_PROCESS, resolveConfig } from '@lifeline/core/config';
import { formatMs } from '@lifeline/core/duration';
import { SETTINGS, type Setting } from '@lifeline/core/settings';
import { SETTING_DOCS } from '@lifeline/core/settings-docs';
import { explainWatch } from '@lifeline/parent-watch';
import { diagnose } from '../packages/supervisor/src/cli/doctor.js';
import { workerLaunch } from '../packages/supervisor/src/spawn/launch.js';
import { settingsTables } from '../scripts/settings-tables.mjs';
import { ROOT } from './helpers/process-tree.js';

const CLI = join(ROOT, 'packages', 'supervisor', 'dist', 'cli.js');
const cleanEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(LOCALAI_|LIFELINE_)/.test(name)));

/** The rows with their lines for people, as the READMEs' tables are written from them. */
const DOCUMENTED = SETTINGS.map((row) => ({ ...row, doc: SETTING_DOCS[row.key] }));

/** A row the table might grow by, with its line. */
const NEW_ROW: Setting & { doc: string } = {
  key: 'later',
  variable: 'LIFELINE_PARENT_WATCH_LATER',
  field: 'later',
  option: 'later',
  rule: { kind: 'switch', default: false, otherwise: 'stays off' },
  light: false,
  spawn: 'inherited',
  doc: 'a setting added later',
};

describe('the table of settings', () => {
  it('ENV, the per-process variables and resolveConfig() have one entry for each row', () => {
    expect(Object.values(ENV)).toEqual(SETTINGS.map((s) => s.variable));
    expect(PER_PROCESS).toEqual(SETTINGS.filter((s) => s.spawn === 'per-process').map((s) => s.variable));
    expect(Object.keys(resolveConfig({})).sort()).toEqual([...SETTINGS.map((s) => s.field), 'warnings'].sort());
  });

  it('lifeline doctor lists every variable of the table as read by the installed watcher, set or not', async () => {
    const set = Object.fromEntries(SETTINGS.map((s) => [s.variable, '7']));
    for (const env of [{}, set]) {
      const report = await diagnose(env, false);
      expect(report.env.slice(0, SETTINGS.length).map((e) => e.name)).toEqual(SETTINGS.map((s) => s.variable));
      for (const entry of report.env) expect(entry.used, entry.name).not.toBe('not read by the watcher');
      expect(explainWatch(env).settings.map((s) => s.variable)).toEqual(SETTINGS.map((s) => s.variable));
    }
    const text = spawnSync(process.execPath, [CLI, 'doctor', '--no-probe'], {
      encoding: 'utf8',
      env: { ...cleanEnv(), ...set },
      timeout: 20_000,
    });
    for (const { variable } of SETTINGS)
      expect(text.stdout).toMatch(new RegExp(`^ {2}${variable}="7" -> (?!not read)`, 'm'));
  });

  it('the READMEs list every row (and a row added to the table without them is reported)', () => {
    const now = settingsTables(ROOT, DOCUMENTED, formatMs);
    expect(now.problems).toEqual([]);
    for (const [path, wanted, current] of now.outputs) expect(current, `${path}: run pnpm sync-metadata`).toBe(wanted);

    const grown = settingsTables(ROOT, [...DOCUMENTED, NEW_ROW], formatMs);
    expect(grown.problems.join('\n')).toContain('LIFELINE_PARENT_WATCH_LATER');
    expect(grown.problems.join('\n')).toContain('no row for `later`');
    const [, wanted, current] = grown.outputs[0] as [string, string, string];
    expect(wanted).not.toBe(current);
    expect(wanted).toContain('| `LIFELINE_PARENT_WATCH_LATER` | off | a setting added later |');
  });

  it('spawnWorker: options become their variables, read back as given; what was addressed to this process is never passed on', () => {
    const inherited = Object.fromEntries(SETTINGS.map((s) => [s.variable, 'inherited']));
    const { childEnv, spawnOptions, arm } = workerLaunch('spawnWorker(command, args, options)', {
      env: inherited,
      interval: '750ms',
      grace: 0,
      enabled: true,
      thread: true,
      raise: 'SIGINT',
      lifelinePipe: false,
      arm: true,
      cwd: ROOT,
    });
    expect(spawnOptions).toEqual({ cwd: ROOT });
    expect(arm).toBe(true);
    const config = resolveConfig(childEnv);
    expect(config).toMatchObject({
      enabled: true,
      intervalMs: 750,
      graceMs: 0,
      thread: true,
      raise: 'SIGINT',
      parentFd: null,
    });
    // This process's own pid (read here it is refused as such; the worker reads it as its supervisor's).
    expect(childEnv[ENV.parentPid]).toBe(String(process.pid));
    for (const s of SETTINGS) {
      if (s.spawn === 'per-process') expect(childEnv[s.variable], s.variable).not.toBe('inherited');
      if (s.spawn === 'inherited') expect(childEnv[s.variable], s.variable).toBe('inherited');
    }
    expect(workerLaunch('w', { enabled: false, arm: true, lifelinePipe: false }).arm).toBe(false);
  });
});
