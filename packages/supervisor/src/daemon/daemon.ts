/**
 * `lifeline zombies --every D`: start the zombie daemon — check that it can run here, start the metrics,
 * say how it was started, then loop until stopped.
 */
import { writeLine } from '@lifeline/core/diag';
import { hasProcfs } from '@lifeline/core/proc/stat';
import { pidNamespaceView } from '../liveness/pid-namespace.js';
import { runLoop } from './loop.js';
import { startMetrics, type DaemonMetrics, type MetricsTarget } from './metrics.js';
import { createReporter, type LogFormat } from './report.js';
import { createScanner } from './scan.js';

/** Exit code: the daemon cannot run as configured (no /proc, the metrics port or file unusable). Restarting will not help. */
export const EXIT_CANNOT_RUN = 3;

/** How the daemon was asked to run (from the command line). */
export interface DaemonSettings {
  /** `null`: one scan (the one-shot command with `--log json` or `--metrics-file`). */
  everyMs: number | null;
  minAgeMs: number | undefined;
  graceMs: number;
  killParents: boolean;
  confirm: boolean;
  log: LogFormat;
  metrics: MetricsTarget | null;
}

/** Start the metrics, or say why not. @internal */
export async function openMetrics(target: MetricsTarget | null): Promise<DaemonMetrics | undefined | null> {
  if (!target) return undefined;
  try {
    return await startMetrics(target);
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    const where = target.listen ? `port ${target.listen.host}:${target.listen.port}` : '';
    const file = target.file ? `file ${target.file}` : '';
    writeLine(
      `zombies: cannot start the metrics (${[where, file].filter(Boolean).join(', ')}): ${err.code ?? ''} ${err.message}`,
    );
    return null;
  }
}

/** Run the daemon until SIGTERM/SIGINT; resolves with the exit code. @internal */
export async function runZombieDaemon(settings: DaemonSettings & { everyMs: number }): Promise<number> {
  if (!hasProcfs()) {
    writeLine(`zombies: no /proc on this platform (${process.platform}): a zombie daemon has nothing to watch here`);
    return EXIT_CANNOT_RUN;
  }
  const metrics = await openMetrics(settings.metrics);
  if (metrics === null) return EXIT_CANNOT_RUN;
  const report = createReporter(settings.log, settings.graceMs);
  report({
    event: 'start',
    pid: process.pid,
    everyMs: settings.everyMs,
    minAgeMs: settings.minAgeMs ?? null,
    graceMs: settings.graceMs,
    killParents: settings.killParents,
    dryRun: settings.killParents && !settings.confirm,
    hostPidNamespace: pidNamespaceView().host,
    metrics: metrics?.address ?? null,
  });
  // An operator's closed pipe must not end the daemon.
  process.stdout.on('error', () => undefined);
  const { killParents, confirm, graceMs, minAgeMs } = settings;
  const scanner = createScanner({
    killParents,
    confirm,
    graceMs,
    minAgeMs,
    twoScans: true,
    report,
    ...(metrics ? { metrics } : {}),
  });
  return runLoop({ everyMs: settings.everyMs, scanner, report, ...(metrics ? { metrics } : {}) });
}
