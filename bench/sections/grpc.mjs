// Section "grpc": an orphaned `@lifeline/grpc-bootstrap` server, idle or with an open stream: when its port is
// free and when it is gone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { QUICK, lifelineEnv, log } from '../lib/config.mjs';
import { ms, summary } from '../lib/stats.mjs';
import { FIXTURES, nowNs, sleep, startTree } from '../lib/tree.mjs';

function listeningPorts() {
  const ports = new Set();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] === '0A') ports.add(parseInt(f[1].split(':')[1], 16));
    }
  }
  return ports;
}

export async function grpcBench() {
  let grpc;
  let protoLoader;
  try {
    grpc = await import('@grpc/grpc-js');
    protoLoader = await import('@grpc/proto-loader');
    await import('@lifeline/grpc-bootstrap');
  } catch (error) {
    return { skipped: `not available: ${error.message}` };
  }
  const { lifeline } = grpc.loadPackageDefinition(protoLoader.loadSync(join(FIXTURES, 'bench.proto')));
  const interval = 100;
  const grace = 1000;
  const samples = QUICK ? 3 : 10;
  const batch = QUICK ? 3 : 5;
  const rows = [];
  for (const stream of [false, true]) {
    const portFree = [];
    const gone = [];
    for (let left = samples; left > 0; left -= batch) {
      const n = Math.min(batch, left);
      const tree = await startTree({
        n,
        worker: {
          args: [join(FIXTURES, 'grpc-worker.mjs')],
          env: lifelineEnv(interval, { LIFELINE_PARENT_WATCH_GRACE: `${grace}ms` }),
        },
        periodMs: interval,
        concurrency: 2,
        timeoutMs: interval + grace + 5000,
      });
      const ports = tree.workers.map((_, i) =>
        Number(readFileSync(join(tree.dir, `ready-${tree.middle}-${i}`), 'utf8')),
      );
      const clients = [];
      if (stream) {
        for (const port of ports) {
          const client = new lifeline.bench.Backend(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
          const call = client.endless({});
          await new Promise((resolve, reject) => {
            call.once('data', resolve);
            call.once('error', reject);
          });
          call.on('error', () => {});
          call.on('data', () => {});
          clients.push({ client, call });
        }
      }
      await sleep(500);
      const killing = tree.kill();
      const killIssued = nowNs();
      const freeAt = new Map();
      while (freeAt.size < ports.length && Number(nowNs() - killIssued) / 1e6 < interval + grace + 5000) {
        await sleep(1);
        const listening = listeningPorts();
        for (const port of ports) if (!freeAt.has(port) && !listening.has(port)) freeAt.set(port, nowNs());
      }
      const { killAt, exits } = await killing;
      for (const port of ports) portFree.push(freeAt.has(port) ? Number(freeAt.get(port) - killAt) / 1e6 : null);
      gone.push(...exits.map((e) => e.latencyMs));
      for (const { client, call } of clients) {
        call.cancel();
        client.close();
      }
    }
    const row = {
      label: stream ? 'open endless stream' : 'idle',
      interval,
      grace,
      portFree: summary(portFree),
      gone: summary(gone),
    };
    rows.push(row);
    log(
      `grpc ${row.label}: port free p50 ${ms(row.portFree.p50)} max ${ms(row.portFree.max)}; process gone p50 ${ms(row.gone.p50)} max ${ms(row.gone.max)}`,
    );
  }
  return { rows, interval, grace, samples };
}
