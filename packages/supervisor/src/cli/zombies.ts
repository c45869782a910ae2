import { DELAY, INTERVAL } from '@lifeline/core/duration';
import { hasProcfs } from '@lifeline/core/proc/stat';
import { EXIT_CANNOT_RUN, openMetrics, runZombieDaemon } from '../daemon/daemon.js';
import type { MetricsTarget } from '../daemon/metrics.js';
import { createReporter, describeAction, LOG_FORMATS, type LogFormat } from '../daemon/report.js';
import { createScanner } from '../daemon/scan.js';
import type { ParentAction } from '../liveness/kill-parents.js';
import { DEFAULT_STOP_GRACE_MS } from '../spawn/worker.js';
import { groupZombies } from '../liveness/zombies.js';
import { durationFlag, parseFlags, UsageError, type Parsed } from './args.js';

export const ZOMBIES_HELP = `Usage: lifeline zombies [--json] [--kill-parents [--yes | --dry-run] [--grace D]]
                        [--once | --every D] [--min-age D] [--log text|json]
                        [--metrics-port [HOST:]PORT] [--metrics-file PATH]

List zombie processes (exited, never reaped by their parent), grouped by parent with counts.
Linux only (read from /proc); elsewhere it says so and lists nothing.

  --json          print JSON: { available, zombies: [...], byParent: [...], actions? } (one-shot only)
  --kill-parents  end the parents that do not reap, so init re-parents and reaps their zombies.
                  Without --yes it only prints what it would do. Never signals PID 1, lifeline
                  itself or any of its ancestors. SIGTERM, then SIGKILL after the grace.
  --yes           really send the signals (with --kill-parents)
  --dry-run       only say what would be done (the default without --yes; for switches in manifests)
  --grace D       time between SIGTERM and SIGKILL (default 5s; "500ms", "2s", "1m")
  --once          scan once and exit (the default)
  --every D       run as a daemon: scan at start, then every D ("30s", "5m"); a scan still running
                  when the next is due is not started twice. Acts only on zombies seen in two
                  consecutive scans under the same parent. SIGTERM/SIGINT stop it after the scan in
                  progress (a second one cuts that scan: nothing more is sent); SIGUSR2 scans now
  --min-age D     act only on zombies whose process started at least D ago (the kernel does not
                  record when a process exited, so this bounds its life, not its time as a zombie)
  --log FORMAT    text (default) or json: one JSON object per line on stdout for each event
                  (start, scan, signal, action, overlap, error, stopping, stop)
  --metrics-port [HOST:]PORT
                  serve Prometheus metrics at http://HOST:PORT/metrics (with --every; HOST
                  defaults to 0.0.0.0; port 0 picks a free one, named in the start event)
  --metrics-file PATH
                  write the metrics as a node_exporter textfile after every scan (atomically)
  -h, --help      show this help

Exit codes:
  0  success (also when there are no zombies, or no /proc); a daemon stopped by SIGTERM/SIGINT
  1  one-shot --kill-parents --yes: at least one parent could not be signalled (e.g. permission
     denied) or survived SIGKILL (a daemon reports these in its log and metrics and keeps going)
  2  usage error
  3  cannot run as asked: --every without /proc, or the metrics port or file cannot be used
  128+n  a daemon whose scan in progress was cut by a second signal n (130 SIGINT, 143 SIGTERM)
`;

const FLAGS = {
  json: 'boolean',
  'kill-parents': 'boolean',
  yes: 'boolean',
  'dry-run': 'boolean',
  grace: 'string',
  once: 'boolean',
  every: 'string',
  'min-age': 'string',
  log: 'string',
  'metrics-port': 'string',
  'metrics-file': 'string',
} as const;

/** `lifeline zombies`. Returns the exit code. @internal */
export async function zombiesCli(argv: readonly string[]): Promise<number> {
  const parsed = parseFlags(argv, FLAGS, false);
  if (parsed.flags.has('help')) {
    process.stdout.write(ZOMBIES_HELP);
    return 0;
  }
  const has = (name: keyof typeof FLAGS): boolean => parsed.flags.has(name);
  const killParents = has('kill-parents');
  const yes = has('yes');
  const graceFlag = durationFlag(parsed, 'grace', DELAY);
  const everyMs = durationFlag(parsed, 'every', INTERVAL);
  const minAgeMs = durationFlag(parsed, 'min-age', DELAY);
  const log = logFormat(parsed);
  const metrics = metricsTarget(parsed);
  const json = has('json');
  for (const flag of ['yes', 'dry-run', 'grace'] as const) {
    if (!killParents && has(flag)) throw new UsageError(`--${flag} only makes sense with --kill-parents`);
  }
  if (yes && has('dry-run')) throw new UsageError('--yes and --dry-run contradict each other');
  if (has('once') && everyMs !== undefined) throw new UsageError('--once and --every contradict each other');
  if (json && (everyMs !== undefined || log !== undefined)) {
    throw new UsageError('--json prints one document for a one-shot run; use --log json for a line per event');
  }
  if (metrics?.listen && everyMs === undefined)
    throw new UsageError('--metrics-port needs --every (a one-shot run exits; use --metrics-file)');
  const graceMs = graceFlag ?? DEFAULT_STOP_GRACE_MS;

  if (everyMs !== undefined) {
    return runZombieDaemon({ everyMs, minAgeMs, graceMs, killParents, confirm: yes, log: log ?? 'text', metrics });
  }
  return once({ json, log, killParents, yes, graceMs, minAgeMs, metrics });
}

interface OnceSettings {
  json: boolean;
  log: LogFormat | undefined;
  killParents: boolean;
  yes: boolean;
  graceMs: number;
  minAgeMs: number | undefined;
  metrics: MetricsTarget | null;
}

async function once(s: OnceSettings): Promise<number> {
  const metrics = await openMetrics(s.metrics);
  if (metrics === null) return EXIT_CANNOT_RUN;
  const text = !s.json && s.log === undefined;
  const write = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  // The human output keeps its own shape; --log json gives the daemon's event lines.
  const report = createReporter(s.log ?? 'json', s.graceMs, s.log === 'json' ? write : () => undefined);
  const scanner = createScanner({
    killParents: s.killParents,
    confirm: s.yes,
    graceMs: s.graceMs,
    twoScans: false,
    minAgeMs: s.minAgeMs,
    report,
    ...(metrics ? { metrics } : {}),
    ...(text ? { onAction: (a: ParentAction) => write(describeAction(a, s.graceMs)) } : {}),
  });

  const available = hasProcfs();
  if (text && !available)
    write(`lifeline zombies: no /proc on this platform (${process.platform}): zombies cannot be listed here`);
  // The table comes before the actions: print it from a scan that has not acted yet.
  let tablePrinted = false;
  const printTable = (zombies: readonly { pid: number; ppid: number; comm: string; parentComm: string }[]): void => {
    if (!text || !available || tablePrinted) return;
    tablePrinted = true;
    const byParent = groupZombies(zombies);
    if (zombies.length === 0) return write('no zombies');
    write(`${zombies.length} zombie(s) under ${byParent.length} parent(s):`);
    write(pad(['PARENT', 'COMM', 'ZOMBIES', 'ZOMBIE PIDS']));
    for (const g of byParent) write(pad([String(g.ppid), g.parentComm, String(g.count), g.pids.join(' ')]));
  };
  const result = await scanner.scan(1, printTable);
  printTable(result.zombies);
  await metrics?.close();

  const actions = s.killParents ? result.actions : undefined;
  if (text && !s.yes && actions?.some((a) => a.outcome === 'planned'))
    write('dry run: nothing was signalled; add --yes to do it');
  if (s.json) {
    const zombies = result.zombies.map(({ pid, ppid, comm, parentComm }) => ({ pid, ppid, comm, parentComm }));
    const pending = s.minAgeMs === undefined ? {} : { pending: result.pending.map((z) => z.pid) };
    const acted = actions ? { actions, dryRun: !s.yes } : {};
    process.stdout.write(
      `${JSON.stringify({ available, zombies, byParent: groupZombies(zombies), ...pending, ...acted }, null, 2)}\n`,
    );
  }
  return actions?.some((a) => a.outcome === 'failed') ? 1 : 0;
}

function logFormat(parsed: Parsed): LogFormat | undefined {
  const raw = parsed.flags.get('log');
  if (raw === undefined || raw === true) return undefined;
  if (!(LOG_FORMATS as readonly string[]).includes(raw))
    throw new UsageError(`--log must be text or json, got ${JSON.stringify(raw)}`);
  return raw as LogFormat;
}

function metricsTarget(parsed: Parsed): MetricsTarget | null {
  const port = parsed.flags.get('metrics-port');
  const file = parsed.flags.get('metrics-file');
  const target: MetricsTarget = {};
  if (typeof port === 'string') {
    const match = /^(?:(\[[^\]]+\]|[^:]+):)?(\d{1,5})$/.exec(port);
    const number = Number(match?.[2]);
    if (!match || number > 65535)
      throw new UsageError(`--metrics-port must be [HOST:]PORT with a port in 0..65535, got ${JSON.stringify(port)}`);
    target.listen = { host: (match[1] ?? '0.0.0.0').replace(/^\[|\]$/g, ''), port: number };
  }
  if (typeof file === 'string') target.file = file;
  return target.listen || target.file ? target : null;
}

function pad(cols: string[]): string {
  const widths = [8, 16, 8];
  return cols.map((c, i) => (i < widths.length ? c.padEnd(widths[i] as number) : c)).join(' ');
}
