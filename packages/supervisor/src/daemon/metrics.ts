/**
 * Prometheus metrics of the zombie daemon, through prom-client (loaded only when `--metrics-port` or
 * `--metrics-file` asks for it, so `lifeline run` and the library never load it): served over HTTP at
 * `/metrics`, and/or written as a node_exporter textfile (atomically: a temporary file renamed over it).
 */
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ParentOutcome } from '../liveness/kill-parents.js';

/** Every outcome, so that each series exists (at 0) before the first action: alerts need it. */
const OUTCOMES: readonly ParentOutcome[] = ['skipped', 'planned', 'terminated', 'killed', 'gone', 'failed'];

/** Where to serve and write the metrics. */
export interface MetricsTarget {
  /** Serve `/metrics` on this address (port 0: any free port). */
  listen?: { host: string; port: number };
  /** Write the textfile here after every scan. */
  file?: string;
}

/** The counters the daemon updates, and where they go. */
export interface DaemonMetrics {
  /** The address served, `host:port`, or `null`. */
  address: string | null;
  scanned(scan: { confirmed: number; pending: number; parents: number; durationMs: number }): void;
  acted(outcome: ParentOutcome): void;
  overlapped(): void;
  failed(): void;
  /** Write the textfile (if any). Throws when it cannot be written. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Start the metrics: load prom-client, register the series, bind the port, write the first textfile. */
export async function startMetrics(target: MetricsTarget): Promise<DaemonMetrics> {
  const { Registry, Counter, Gauge } = await import('prom-client');
  const registry = new Registry();
  const registers = [registry];
  const zombies = new Gauge({
    name: 'lifeline_zombies',
    help: 'Zombie processes seen in the last scan, by whether they may be acted on (confirmed) or not yet (pending).',
    labelNames: ['state'],
    registers,
  });
  const parents = new Gauge({
    name: 'lifeline_zombie_parents',
    help: 'Parents of the zombies seen in the last scan.',
    registers,
  });
  const actions = new Counter({
    name: 'lifeline_zombie_parent_actions_total',
    help: 'Zombie parents handled, by outcome (planned = dry run; failed = not signalled or survived SIGKILL).',
    labelNames: ['outcome'],
    registers,
  });
  const scans = new Counter({ name: 'lifeline_zombie_scans_total', help: 'Scans completed.', registers });
  const overlaps = new Counter({
    name: 'lifeline_zombie_scans_skipped_total',
    help: 'Scans not started because the previous one was still running.',
    registers,
  });
  const errors = new Counter({
    name: 'lifeline_zombie_scan_errors_total',
    help: 'Errors (a scan that threw, a textfile that could not be written).',
    registers,
  });
  const last = new Gauge({
    name: 'lifeline_zombie_last_scan_timestamp_seconds',
    help: 'When the last scan completed (Unix time).',
    registers,
  });
  const duration = new Gauge({
    name: 'lifeline_zombie_last_scan_duration_seconds',
    help: 'How long the last scan took, the grace included.',
    registers,
  });
  for (const state of ['confirmed', 'pending']) zombies.set({ state }, 0);
  for (const outcome of OUTCOMES) actions.inc({ outcome }, 0);

  let server: Server | undefined;
  let address: string | null = null;
  if (target.listen) {
    const { host, port } = target.listen;
    server = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404).end('not found: try /metrics\n');
        return;
      }
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
    });
    const bound = server;
    await new Promise<void>((resolve, reject) => {
      bound.once('error', reject);
      bound.listen(port, host, () => {
        bound.off('error', reject);
        resolve();
      });
    });
    const info = bound.address() as AddressInfo;
    address = `${info.family === 'IPv6' ? `[${info.address}]` : info.address}:${info.port}`;
  }

  const flush = async (): Promise<void> => {
    if (!target.file) return;
    const temp = `${target.file}.${process.pid}.tmp`;
    try {
      writeFileSync(temp, await registry.metrics());
      renameSync(temp, target.file);
    } catch (error) {
      try {
        unlinkSync(temp);
      } catch {
        // never written
      }
      throw error;
    }
  };
  try {
    await flush();
  } catch (error) {
    server?.close();
    throw error;
  }

  return {
    address,
    scanned(scan) {
      zombies.set({ state: 'confirmed' }, scan.confirmed);
      zombies.set({ state: 'pending' }, scan.pending);
      parents.set(scan.parents);
      scans.inc();
      last.set(Date.now() / 1000);
      duration.set(scan.durationMs / 1000);
    },
    acted: (outcome) => actions.inc({ outcome }),
    overlapped: () => overlaps.inc(),
    failed: () => errors.inc(),
    flush,
    close: () =>
      new Promise<void>((resolve) => {
        if (!server) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
