/**
 * One scan: read the process table, keep the zombies that pass the threshold, hand their parents to
 * `killZombieParents`, and report each signal and each action as it happens. The one-shot command and
 * the daemon both scan through here.
 */
import { performance } from 'node:perf_hooks';
import { listProcesses, readStat } from '@lifeline/core/proc/stat';
import { killZombieParents, type ParentAction } from '../liveness/kill-parents.js';
import { groupZombies, listZombies } from '../liveness/zombies.js';
import type { DaemonMetrics } from './metrics.js';
import type { Reporter } from './report.js';
import { ageClock, trackZombies, ZombieThreshold, type AgeClock, type TrackedZombie } from './threshold.js';

/** What a scan needs; built once, used by every scan. */
export interface Scanner {
  /** Run scan number `n`; `seen` is told the zombies before anything is done to their parents. */
  scan(n: number, seen?: (zombies: readonly TrackedZombie[]) => void): Promise<ScanResult>;
}

/** What a scan saw and did. */
export interface ScanResult {
  zombies: TrackedZombie[];
  pending: TrackedZombie[];
  actions: ParentAction[];
}

/** How scans act. */
export interface ScannerSettings {
  /** End the confirmed zombies' parents (else only list them). */
  killParents: boolean;
  /** Really signal (else a dry run: every candidate is `'planned'`). */
  confirm: boolean;
  graceMs: number;
  /** Require two consecutive scans (the daemon; a one-shot run has no previous scan). */
  twoScans: boolean;
  minAgeMs: number | undefined;
  report: Reporter;
  metrics?: DaemonMetrics;
  /** Where actions also go as they are decided (the one-shot text output). */
  onAction?: (action: ParentAction) => void;
}

/** A scanner with its own memory of the previous scan. */
export function createScanner(settings: ScannerSettings): Scanner {
  const threshold = new ZombieThreshold(settings.twoScans, settings.minAgeMs);
  const clock: AgeClock = ageClock(readStat(process.pid));
  const { report, metrics } = settings;
  return {
    async scan(n, seen) {
      const started = performance.now();
      const processes = listProcesses();
      const zombies = trackZombies(listZombies(processes), processes, clock);
      const { confirmed, pending } = threshold.select(zombies);
      seen?.(zombies);
      let actions: ParentAction[] = [];
      if (settings.killParents && confirmed.length > 0) {
        actions = await killZombieParents({
          zombies: confirmed,
          confirm: settings.confirm,
          grace: settings.graceMs,
          // Said before it is sent: the log is the audit of every signal this process sends.
          kill: (pid, signal) => {
            report({ event: 'signal', scan: n, pid, signal });
            process.kill(pid, signal);
          },
          onAction: (action) => {
            report({ event: 'action', scan: n, dryRun: !settings.confirm, ...action });
            metrics?.acted(action.outcome);
            settings.onAction?.(action);
          },
        });
      }
      const durationMs = Math.round(performance.now() - started);
      const summary = {
        confirmed: confirmed.length,
        pending: pending.length,
        parents: groupZombies(zombies).length,
        durationMs,
      };
      const pendingParents = [...new Set(pending.map((z) => z.ppid))].sort((a, b) => a - b);
      report({ event: 'scan', scan: n, zombies: zombies.length, ...summary, pendingParents });
      if (metrics) {
        metrics.scanned(summary);
        try {
          await metrics.flush();
        } catch (error) {
          metrics.failed();
          report({ event: 'error', scan: n, message: `metrics file: ${(error as Error).message}` });
        }
      }
      return { zombies, pending, actions };
    },
  };
}
