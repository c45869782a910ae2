/**
 * What the zombie daemon tells its operator: one event per line on stdout, as JSON (`--log json`, one
 * object per line with `time` and `event`) or as text. The event shapes are the documented log format.
 */
import { formatMs } from '@lifeline/core/duration';
import type { ParentAction } from '../liveness/kill-parents.js';

/** The daemon's events; each becomes one line. */
export type DaemonEvent =
  | {
      event: 'start';
      pid: number;
      everyMs: number | null;
      minAgeMs: number | null;
      graceMs: number;
      killParents: boolean;
      dryRun: boolean;
      hostPidNamespace: boolean | null;
      metrics: string | null;
    }
  | {
      event: 'scan';
      scan: number;
      zombies: number;
      parents: number;
      confirmed: number;
      pending: number;
      pendingParents: number[];
      durationMs: number;
    }
  | ({ event: 'action'; scan: number; dryRun: boolean } & ParentAction)
  | { event: 'signal'; scan: number; pid: number; signal: NodeJS.Signals }
  | { event: 'overlap'; scan: number; running: number }
  | { event: 'error'; scan: number | null; message: string }
  | { event: 'stopping'; signal: NodeJS.Signals; running: number }
  | { event: 'stop'; signal: NodeJS.Signals | null; scans: number; cut: boolean };

/** Writes events. */
export type Reporter = (event: DaemonEvent) => void;

/** Log formats of `--log`. */
export const LOG_FORMATS = ['text', 'json'] as const;
/** A log format. */
export type LogFormat = (typeof LOG_FORMATS)[number];

/** A reporter writing to stdout in `format`. Write errors (a closed pipe) are ignored: the daemon goes on. */
export function createReporter(
  format: LogFormat,
  graceMs?: number,
  write: (line: string) => void = stdoutLine,
): Reporter {
  if (format === 'json') return (event) => write(JSON.stringify({ time: new Date().toISOString(), ...event }));
  return (event) => {
    const line = textOf(event, graceMs);
    if (line !== null) write(line);
  };
}

function stdoutLine(line: string): void {
  try {
    process.stdout.write(`${line}\n`);
  } catch {
    // stdout closed: the metrics still tell
  }
}

function textOf(e: DaemonEvent, graceMs: number | undefined): string | null {
  switch (e.event) {
    case 'start': {
      const what = e.killParents ? (e.dryRun ? 'plan (dry run) for the parents of' : 'end the parents of') : 'watch';
      const every = e.everyMs === null ? 'once' : `every ${formatMs(e.everyMs)}`;
      const seen = e.hostPidNamespace === false ? '; NOTE: /proc shows only this PID namespace, not the host' : '';
      return `lifeline zombies: ${what} zombies, ${every}${e.minAgeMs === null ? '' : `, min age ${formatMs(e.minAgeMs)}`}${e.metrics ? `; metrics on ${e.metrics}` : ''}${seen}`;
    }
    case 'scan':
      if (e.zombies === 0) return null;
      return `scan ${e.scan}: ${e.zombies} zombie(s) under ${e.parents} parent(s); ${e.confirmed} confirmed, ${e.pending} pending (seen once or too young)`;
    case 'action':
      return `scan ${e.scan}: ${describeAction(e, graceMs)}`;
    case 'signal':
      return null; // the action line says it
    case 'overlap':
      return `scan ${e.scan} not started: scan ${e.running} is still running`;
    case 'error':
      return `error${e.scan === null ? '' : ` in scan ${e.scan}`}: ${e.message}`;
    case 'stopping':
      return `lifeline zombies: ${e.signal}: stopping once scan ${e.running} is over (a second ${e.signal} cuts it)`;
    case 'stop':
      return `lifeline zombies: stopped${e.signal ? ` by ${e.signal}` : ''} after ${e.scans} scan(s)${e.cut ? ' (the scan in progress was cut: no further signals sent)' : ''}`;
  }
}

/** One sentence for an action, as the text output prints it. */
export function describeAction(a: ParentAction, graceMs?: number): string {
  const who = `${a.pid} (${a.comm}, ${a.zombies.length} zombie(s))`;
  const grace = graceMs === undefined ? 'the grace' : formatMs(graceMs);
  switch (a.outcome) {
    case 'skipped': {
      const reasons: Partial<Record<string, string>> = {
        'pid-1': 'PID 1 is never signalled',
        self: 'it is lifeline itself',
        ancestor: 'it is an ancestor of lifeline',
        protected: 'it is protected',
        invalid: 'not a valid pid',
        // issue 16's reason where the ancestors cannot all be read (kept here, the one describeAction)
        'ancestry-unknown':
          "lifeline's ancestors cannot all be read here (no /proc), so it cannot prove this is not one",
      };
      return `skip ${who}: ${reasons[a.reason ?? 'invalid'] ?? a.reason}`;
    }
    case 'planned':
      return `would send SIGTERM to ${who}, then SIGKILL after ${grace} if still running`;
    case 'terminated':
      return `terminated ${who} with SIGTERM`;
    case 'killed':
      return `killed ${who} with SIGKILL (still running after ${grace})`;
    case 'gone':
      return `${who} was already gone`;
    case 'failed':
      return `FAILED ${who}: ${a.error ?? 'unknown error'}`;
  }
}
