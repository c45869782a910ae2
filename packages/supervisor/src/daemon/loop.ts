/**
 * The zombie daemon's loop: a scan at start, then one every `everyMs` (fixed rate), never two at once.
 * SIGUSR2 asks for a scan now. SIGTERM/SIGINT stop it: between scans at once; during a scan, once that
 * scan is over (it is bounded by the grace and a short wait after the SIGKILL), so every signal it sent
 * is followed to its outcome and logged. A second SIGTERM/SIGINT cuts the scan: the process leaves
 * without sending anything more.
 */
import { constants } from 'node:os';
import { clampDelay } from '@lifeline/core/timers';
import type { DaemonMetrics } from './metrics.js';
import type { Reporter } from './report.js';
import type { Scanner } from './scan.js';

/** Exit code: stopped by SIGTERM/SIGINT, after the scan in progress (if any) finished. */
export const EXIT_STOPPED = 0;

/** What the loop runs. */
export interface LoopSettings {
  everyMs: number;
  scanner: Scanner;
  report: Reporter;
  metrics?: DaemonMetrics;
}

/** The signals that stop the daemon. */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
/** The signal that asks for a scan now. */
export const SCAN_NOW_SIGNAL: NodeJS.Signals = 'SIGUSR2';

/** Run until stopped; resolves with the exit code (0, or 128 + n when a second signal cut a scan). */
export function runLoop(settings: LoopSettings): Promise<number> {
  const { scanner, report, metrics } = settings;
  let scans = 0;
  let running: number | null = null;
  let stopping: NodeJS.Signals | null = null;
  let finish: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => {
    finish = resolve;
  });

  let ended = false;
  const end = async (code: number, cut: boolean): Promise<void> => {
    if (ended) return;
    ended = true;
    clearInterval(timer);
    // The listeners stay until the process exits: a late SIGTERM or SIGUSR2 must not take the default action.
    report({ event: 'stop', signal: stopping, scans, cut });
    await metrics?.close();
    finish(code);
  };

  function tick(): void {
    if (stopping) return;
    const n = scans + 1;
    if (running !== null) {
      report({ event: 'overlap', scan: n, running });
      metrics?.overlapped();
      return;
    }
    scans = n;
    running = n;
    scanner
      .scan(n)
      .catch((error: unknown) => {
        metrics?.failed();
        report({ event: 'error', scan: n, message: error instanceof Error ? error.message : String(error) });
      })
      .finally(() => {
        running = null;
        if (stopping) void end(EXIT_STOPPED, false);
      });
  }

  function onStop(signal: NodeJS.Signals): void {
    if (stopping) {
      // The second signal: leave now. A process that is gone sends no SIGKILL it had planned.
      void end(128 + (constants.signals[signal] ?? 0), true);
      return;
    }
    stopping = signal;
    if (running === null) void end(EXIT_STOPPED, false);
    else report({ event: 'stopping', signal, running });
  }

  for (const signal of STOP_SIGNALS) process.on(signal, onStop);
  process.on(SCAN_NOW_SIGNAL, tick);
  const timer = setInterval(tick, clampDelay(settings.everyMs));
  tick();
  return done;
}
