// The doctor's "on a node" section: would a zombie daemon started here see the host's processes, and
// does the PID 1 it would hand orphans to reap them?
import { formatMs } from '@lifeline/core/duration';
import { listProcesses, type ProcStat } from '@lifeline/core/proc/stat';
import { delay } from '@lifeline/core/timers';
import { pidNamespaceView, type PidNamespaceView } from '../liveness/pid-namespace.js';
import type { ReaperProbe } from '../liveness/reaper.js';

/** Programs known to reap every orphan when they run as PID 1. */
const REAPING_INITS: Readonly<Record<string, string>> = {
  systemd: 'systemd',
  init: 'init (sysvinit, busybox)',
  tini: 'tini',
  'docker-init': 'docker --init (tini)',
  'dumb-init': 'dumb-init',
  catatonit: 'catatonit (podman --init)',
  's6-svscan': 's6-svscan',
  runit: 'runit',
  'openrc-init': 'openrc-init',
};

/** How long zombie children of PID 1 must stay to count as not reaped (a reaping init takes microseconds). */
const REAP_WINDOW_MS = 1000;

/** The doctor's findings for a zombie daemon on this node. @internal */
export interface FleetReport {
  pidNamespace: PidNamespaceView;
  /** PID 1 as this /proc shows it (the host's when `pidNamespace.host`). */
  pid1: {
    comm: string | null;
    /** The init it is known as, when its name is one that reaps. */
    knownInit: string | null;
    /** Zombie children of PID 1 that were still there {@link REAP_WINDOW_MS} later. */
    lingeringZombies: number | null;
    /** Whether it reaps orphans: measured by the orphan probe when PID 1 adopted it, else judged from lingering zombies. */
    reaps: boolean | null;
  };
  notes: string[];
}

/** Gather the section. `probe` is the doctor's orphan-reaper probe (or null). @internal */
export async function fleetReport(probe: ReaperProbe | null): Promise<FleetReport> {
  const view = pidNamespaceView();
  const first = listProcesses();
  const comm = first.find((p) => p.pid === 1)?.comm ?? null;
  const key = (p: ProcStat): string => `${p.pid}:${p.startTime ?? '?'}`;
  const zombieChildren = (list: ProcStat[]): Set<string> =>
    new Set(list.filter((p) => p.ppid === 1 && p.state === 'Z').map(key));
  let lingering: number | null = null;
  if (comm !== null) {
    const before = zombieChildren(first);
    lingering = 0;
    if (before.size > 0) {
      await delay(REAP_WINDOW_MS, true);
      lingering = [...zombieChildren(listProcesses())].filter((k) => before.has(k)).length;
    }
  }
  const measured = probe?.init ? probe.reaps : null;
  const reaps = measured ?? (lingering === null ? null : lingering === 0 ? true : false);
  const report: FleetReport = {
    pidNamespace: view,
    pid1: { comm, knownInit: comm === null ? null : (REAPING_INITS[comm] ?? null), lingeringZombies: lingering, reaps },
    notes: [],
  };
  const notes = report.notes;
  if (view.host === true)
    notes.push("a zombie daemon started here sees the host's processes (the initial PID namespace)");
  else if (view.host === false) {
    notes.push(
      'a zombie daemon started here sees only this PID namespace, not the host: run it with hostPID: true ' +
        '(Kubernetes) or --pid=host (docker run) to watch the node',
    );
  } else if (comm !== null)
    notes.push("cannot tell whether /proc shows the host's processes (PID 1's namespace is not readable)");
  const whose = view.host === true ? "the host's PID 1" : 'PID 1 here';
  if (reaps === false) {
    const evidence =
      measured === false
        ? "the doctor's orphan probe stayed its zombie"
        : `${lingering ?? 0} zombie child(ren) stayed ${formatMs(REAP_WINDOW_MS)}`;
    notes.push(`${whose} (${comm}) does NOT reap (${evidence}): ending zombie parents only moves their zombies to it`);
  } else if (reaps === true && report.pid1.knownInit === null) {
    notes.push(`${whose} (${comm}) is not a known init, but no zombie child of it lingered`);
  }
  return report;
}

/** The section's lines in the doctor's text output. @internal */
export function fleetLines(report: FleetReport): string[] {
  const ns = report.pidNamespace;
  const sees =
    ns.host === null ? 'unknown' : ns.host ? "yes (host's PID namespace)" : 'NO (a PID namespace of its own)';
  const { pid1 } = report;
  const reaps =
    pid1.reaps === null ? 'unknown' : pid1.reaps ? 'yes' : `NO (${pid1.lingeringZombies} zombie child(ren) lingered)`;
  return [
    `node         zombie daemon would see the host: ${sees}; pid namespace ${ns.own ?? 'unknown'}; NSpid ${ns.nspid.join(' ') || 'unknown'}`,
    `node         PID 1 ${pid1.comm ?? 'unknown'}${pid1.knownInit ? ` (${pid1.knownInit})` : ''}; reaps orphans: ${reaps}`,
  ];
}
