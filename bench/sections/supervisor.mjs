// Section "supervisor": `@lifeline/supervisor`'s liveness probe against kill(pid, 0), and stop() of a group.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { QUICK, cleanEnv, log } from '../lib/config.mjs';
import { median, ms, summary } from '../lib/stats.mjs';
import { FIXTURES, ROOT, nowNs, removeDir, sleep, tempDir, trackPid, untrackPid } from '../lib/tree.mjs';

export async function supervisorBench() {
  let sup;
  try {
    sup = await import('@lifeline/supervisor');
  } catch (error) {
    return { skipped: `not available: ${error.message}` };
  }
  const iterations = QUICK ? 5000 : 20000;
  const rounds = QUICK ? 3 : 7;
  const target = spawn(process.execPath, ['-e', 'setInterval(()=>{},1<<30)'], { stdio: 'ignore' });
  trackPid(target.pid);
  await sleep(200);
  const pid = target.pid;
  const probes = [
    { label: 'isRunning(pid) — reads /proc/<pid>/stat, zombie-aware', fn: () => sup.isRunning(pid) },
    {
      label: 'process.kill(pid, 0) — zombies look alive',
      fn: () => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      },
    },
  ];
  for (const p of probes) p.ns = [];
  for (let r = 0; r < rounds; r++) {
    for (const p of probes) {
      const start = nowNs();
      for (let i = 0; i < iterations; i++) p.fn();
      p.ns.push(Number(nowNs() - start) / iterations);
    }
  }
  target.kill('SIGKILL');
  untrackPid(pid);
  for (const p of probes) {
    p.medianUs = median(p.ns) / 1000;
    p.spreadUs = [Math.min(...p.ns) / 1000, Math.max(...p.ns) / 1000];
    delete p.fn;
    log(`supervisor ${p.label}: ${p.medianUs.toFixed(2)} µs/call`);
  }
  const stops = [];
  const samples = QUICK ? 3 : 10;
  for (const c of [
    { label: 'worker + 3 children, exit on SIGTERM', children: 3, ignore: false, grace: 5000 },
    { label: 'worker + 3 children, ignore SIGTERM (grace 500 ms)', children: 3, ignore: true, grace: 500 },
  ]) {
    const times = [];
    for (let i = 0; i < samples; i++) {
      const dir = tempDir();
      const ready = join(dir, 'ready');
      const w = sup.spawnWorker(process.execPath, [join(FIXTURES, 'group-worker.mjs')], {
        cwd: ROOT,
        env: {
          ...cleanEnv(),
          BENCH_READY: ready,
          BENCH_CHILDREN: String(c.children),
          BENCH_IGNORE_TERM: c.ignore ? '1' : '0',
        },
        stdio: 'ignore',
        enabled: false,
      });
      trackPid(-w.pid);
      const deadline = Date.now() + 10_000;
      while (!existsSync(ready) && Date.now() < deadline) await sleep(5);
      await sleep(100);
      const start = nowNs();
      await w.stop({ grace: c.grace });
      times.push(Number(nowNs() - start) / 1e6);
      untrackPid(-w.pid);
      removeDir(dir);
    }
    const row = { ...c, stats: summary(times) };
    stops.push(row);
    log(`supervisor stop() ${c.label}: median ${ms(row.stats.p50)} (max ${ms(row.stats.max)})`);
  }
  return { iterations, rounds, probes, stops };
}
