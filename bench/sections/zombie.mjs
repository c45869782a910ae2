// Section "zombie": the killed parent stays a zombie; the naive watcher against Lifeline.
import { IDLE, NAIVE, QUICK, REGISTER, lifelineEnv, log } from '../lib/config.mjs';
import { orphanings } from '../lib/orphanings.mjs';
import { ms, summary } from '../lib/stats.mjs';

export async function zombie() {
  // The parent is killed but stays a zombie (the reaper does not wait for it until the end): the naive
  // kill(ppid, 0) still succeeds; Lifeline sees its ppid change (it was reparented to the subreaper).
  const interval = 100;
  const n = QUICK ? 10 : 30;
  const timeoutMs = 10_000;
  const rows = [];
  for (const [label, worker] of [
    ['naive kill(ppid, 0) @100 ms', { args: [NAIVE], env: { BENCH_NAIVE_INTERVAL: String(interval) } }],
    ['Lifeline main loop @100 ms', { args: ['--import', REGISTER, IDLE], env: lifelineEnv(interval) }],
  ]) {
    const { values } = await orphanings({ worker, interval, samples: n, batch: n, zombieParent: true, timeoutMs });
    const stats = summary(values);
    rows.push({ label, interval, timeoutMs, stats, values });
    log(`zombie parent: ${label}: detected ${stats.ok}/${stats.n} within ${timeoutMs / 1000} s, p99 ${ms(stats.p99)}`);
  }
  return rows;
}
