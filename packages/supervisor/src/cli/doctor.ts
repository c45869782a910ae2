import { explainWatch, type ArmingCode } from '@lifeline/parent-watch';
import { ENV, type EnvLike } from '@lifeline/core/config';
import { describe } from '@lifeline/core/errors';
import { platformFacts } from '@lifeline/core/platform';
import { hasProcfs, readStat } from '@lifeline/core/proc/stat';
import { ancestorsOf } from '../liveness/ancestry.js';
import { knownSubreaper, probeOrphanReaper, type ReaperProbe } from '../liveness/reaper.js';
import { listZombies } from '../liveness/zombies.js';
import { parseFlags } from './args.js';
import { fleetLines, fleetReport, type FleetReport } from './doctor-fleet.js';
import { envReport, type EnvReport } from './doctor-env.js';
import { preloadLines, preloadSpec, type PreloadSpec } from './preload-spec.js';

export const DOCTOR_HELP = `Usage: lifeline doctor [--json] [--no-probe]

Explain this process environment as a parent-death watcher sees it: pid, ppid, process group,
session; whether this runs as PID 1 (then orphans are not reaped without an init such as
docker run --init); who adopts orphans (measured with a short-lived probe process) and well-known
subreapers among the ancestors; each LOCALAI_* / LIFELINE_* variable with the value the watcher
would use and every warning; whether a watcher started here would arm, and if not, why; the chain it
would watch: each ancestor from the parent up, whether it is a pass-through wrapper (and which row of the
table matched), up to the first one that is not; what would tell it sooner than its poll (the IPC
channel, the lifeline pipe, stdout's and stderr's reader or why this runtime cannot watch them,
stdin); the watcher's preload by absolute path (for launchers
started from another directory, such as PM2); on a node, whether a zombie daemon here would see the host's
processes and whether PID 1 reaps.

  --json      print the report as JSON
  --no-probe  do not start the probe that measures who adopts orphans (two short-lived node
              processes; where that reaper does not reap, the probe itself stays as one zombie)
  -h, --help  show this help

Exit codes:
  0  the report was printed (whatever it says)
  2  usage error
`;

/** What `doctor` says on Windows, where a parent's death shows only by its liveness. */
const WINDOWS_NOTES: readonly string[] = [
  "Windows: a process's parent pid never changes when the parent dies; the watcher checks that the parent " +
    `(or ${ENV.parentPid}) still runs, once gone it stays gone; the lifeline pipe and the IPC channel tell within milliseconds`,
  'Windows: no process groups, zombies or orphan adoption; spawnWorker().stop() and lifeline run end the worker alone ' +
    "with TerminateProcess (no handler runs, no grace); the worker's non-detached children end with it (Node's job object), detached ones do not",
];

/** The doctor's findings. @internal */
export interface DoctorReport {
  platform: NodeJS.Platform;
  procfs: boolean;
  pid: number;
  ppid: number;
  /** Process group id from /proc; 0 when the group leader is outside this PID namespace; null without /proc. */
  pgid: number | null;
  /** Session id from /proc; 0 when the session leader is outside this PID namespace; null without /proc. */
  sid: number | null;
  isPid1: boolean;
  ancestors: { pid: number; comm: string; subreaper?: string }[];
  /**
   * The chain a watcher started here would walk: from the parent up through pass-through wrappers to the
   * first ancestor that is not one; `null` when wrappers are not seen through (switched off, or no /proc).
   */
  chain: { pid: number; command: string | null; wrapper: string | null; watched: boolean }[] | null;
  orphanReaper: ReaperProbe | null;
  zombies: number | null;
  env: EnvReport[];
  warnings: string[];
  /** The arming decision a watcher started here would take, as the installed `@lifeline/parent-watch` explains it. */
  watcher: {
    wouldArm: boolean;
    code: ArmingCode;
    reason: string;
    intervalMs: number;
    graceMs: number;
    parentPid: number | null;
    /** The process watched besides the parent pid (the expected parent, or the ancestor behind wrappers). */
    watches: number | null;
    /** What would tell it sooner than its poll: the IPC channel, the lifeline pipe, stdout's and stderr's reader, stdin. */
    hints: string[];
  };
  /** For a zombie daemon on this node: does /proc show the host, does PID 1 reap (Linux). */
  fleet: FleetReport | null;
  notes: string[];
  /** The watcher's preload by absolute path on this machine (for launchers started from another directory). */
  preload: PreloadSpec | null;
}

/** Gather the report. @internal */
export async function diagnose(env: EnvLike = process.env, probe = true): Promise<DoctorReport> {
  const procfs = hasProcfs();
  const self = readStat(process.pid);
  // Asked of the installed watcher, so that the report is its decision and its reading of each variable.
  const explained = explainWatch(env);
  const config = explained.config;
  const notes: string[] = [];
  const ancestors = ancestorsOf(process.pid).map((a) => {
    const subreaper = procfs ? knownSubreaper(a.pid) : undefined;
    return subreaper ? { ...a, subreaper } : a;
  });
  const isPid1 = process.pid === 1;
  const facts = platformFacts();
  if (facts.parentDeath === 'liveness') notes.push(...WINDOWS_NOTES);
  else if (!procfs)
    notes.push(`no /proc on this platform (${process.platform}): zombies, process groups and ancestors cannot be read`);
  if (isPid1) {
    notes.push(
      'this process is PID 1: orphans re-parented to it will NOT be reaped (Node only reaps its own children); ' +
        'run under an init (docker run --init, tini, dumb-init)',
    );
  }
  if (process.ppid === 0 && !isPid1) {
    notes.push(
      facts.parentDeath === 'liveness'
        ? `the parent pid is 0: this process was not started by a Windows process (set ${ENV.parentPid} to watch a supervisor)`
        : 'the parent pid is 0: the parent is outside this PID namespace (e.g. docker exec)',
    );
  }

  const orphanReaper = probe ? await probeOrphanReaper() : null;
  if (orphanReaper) {
    const who = `${orphanReaper.pid} (${orphanReaper.comm})`;
    if (orphanReaper.init) notes.push(`orphans of this process are adopted by PID 1 (${orphanReaper.comm})`);
    else if (orphanReaper.pid === process.pid)
      notes.push('this process is itself a subreaper (set before exec) and, being Node, does not reap adopted orphans');
    else if (orphanReaper.pid === 0)
      notes.push('orphans of this process are adopted by a process outside this PID namespace');
    else notes.push(`orphans of this process are adopted by the subreaper ${who}, not PID 1`);
    if (orphanReaper.reaps === false)
      notes.push(`${who} does not reap adopted orphans: they stay zombies (use an init such as docker run --init)`);
  } else if (probe && process.platform !== 'win32') {
    notes.push('could not measure who adopts orphans (the probe process did not report)');
  }

  return {
    platform: process.platform,
    procfs,
    pid: process.pid,
    ppid: process.ppid,
    pgid: self?.pgrp ?? null,
    sid: self?.session ?? null,
    isPid1,
    ancestors,
    chain:
      explained.chain?.map((link) => ({
        pid: link.pid,
        command: link.argv === null ? null : link.argv.join(' '),
        wrapper: link.wrapper,
        watched: link.wrapper === null,
      })) ?? null,
    orphanReaper,
    zombies: procfs ? listZombies().length : null,
    env: envReport(env, explained.settings),
    warnings: config.warnings,
    watcher: {
      wouldArm: explained.wouldArm,
      code: explained.code,
      reason: explained.reason,
      intervalMs: config.intervalMs,
      graceMs: config.graceMs,
      parentPid: config.parentPid,
      watches: explained.watches,
      hints: explained.hints,
    },
    fleet: procfs ? await fleetReport(orphanReaper) : null,
    notes,
    preload: preloadSpec(),
  };
}

/** `lifeline doctor`. Returns the exit code. @internal */
export async function doctorCli(argv: readonly string[]): Promise<number> {
  const parsed = parseFlags(argv, { json: 'boolean', 'no-probe': 'boolean' }, false);
  if (parsed.flags.has('help')) {
    process.stdout.write(DOCTOR_HELP);
    return 0;
  }
  const report = await diagnose(process.env, !parsed.flags.has('no-probe'));
  if (parsed.flags.has('json')) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  const unknown = (v: number | null): string => (v === null ? 'unknown' : String(v));
  const outside = report.pgid === 0 || report.sid === 0 ? ' (0: the leader is outside this PID namespace)' : '';
  const groups = platformFacts(report.platform).processGroups
    ? `${unknown(report.pgid)} / ${unknown(report.sid)}${outside}`
    : 'none (Windows has no process groups)';
  const lines = [
    `platform     ${report.platform}${report.procfs ? '' : ' (no /proc)'}`,
    `pid          ${report.pid}${report.isPid1 ? ' (PID 1!)' : ''}`,
    `ppid         ${report.ppid}`,
    `pgid / sid   ${groups}`,
    `ancestors    ${report.ancestors.map((a) => `${a.pid} (${a.comm})`).join(' <- ') || 'unknown'}`,
  ];
  for (const a of report.ancestors) if (a.subreaper) lines.push(`subreaper    ${a.pid}: ${a.subreaper}`);
  if (report.orphanReaper) {
    const r = report.orphanReaper;
    lines.push(
      `orphans go   to ${r.pid} (${r.comm})${r.init ? ' = PID 1' : ' = a subreaper'}; reaped: ${r.reaps === null ? 'unknown' : r.reaps ? 'yes' : 'NO'}`,
    );
  }
  if (report.zombies !== null)
    lines.push(`zombies      ${report.zombies} on this system (lifeline zombies for details)`);
  lines.push('environment');
  for (const e of report.env)
    lines.push(`  ${e.name}=${e.value === null ? '(unset)' : describe(e.value)} -> ${e.used}`);
  for (const w of report.warnings) lines.push(`warning      ${w}`);
  if (report.chain === null) {
    lines.push(
      `chain        not seen through (${report.procfs ? `${ENV.wrappers} is off` : 'no /proc to read command lines from'}): the parent pid is watched`,
    );
  }
  report.chain?.forEach((link, i) => {
    const command =
      link.command === null
        ? '(command line unreadable)'
        : JSON.stringify(link.command.length > 60 ? `${link.command.slice(0, 59)}…` : link.command);
    const verdict =
      link.wrapper !== null
        ? `pass-through wrapper (row: ${link.wrapper})`
        : i === 0
          ? 'not a wrapper: the parent, watched by its pid'
          : 'not a wrapper: watched (pid and start time)';
    lines.push(`${i === 0 ? 'chain       ' : '            '} ${link.pid} ${command}: ${verdict}`);
  });
  lines.push(
    `watcher      ${report.watcher.wouldArm ? 'would arm' : 'would NOT arm'} (${report.watcher.code}): ${report.watcher.reason}`,
  );
  report.watcher.hints.forEach((hint, i) => lines.push(`${i === 0 ? 'told by     ' : '            '} ${hint}`));
  lines.push(...preloadLines(report.preload));
  if (report.fleet) lines.push(...fleetLines(report.fleet));
  for (const n of [...report.notes, ...(report.fleet?.notes ?? [])]) lines.push(`note         ${n}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
