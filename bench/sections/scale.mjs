// Section "scale": many preloaded workers under one parent: their idle RSS and CPU, then one SIGKILL of the
// parent and the time until the last one is gone.
import { IDLE, QUICK, REGISTER, STEADY_MS, TICK_MS, lifelineEnv, log } from '../lib/config.mjs';
import { ms, summary } from '../lib/stats.mjs';
import { nowNs, sleep, startTree } from '../lib/tree.mjs';
import { ticksOf, vmRssKiB } from '../lib/workers.mjs';

export async function scale() {
  const n = QUICK ? 20 : 200;
  const windowS = QUICK ? 3 : 8;
  const rows = [];
  for (const [interval, thread] of [
    [2000, false],
    [100, false],
    [2000, true],
  ]) {
    const startedAt = Date.now();
    const tree = await startTree({
      n,
      worker: {
        args: ['--import', REGISTER, IDLE],
        env: lifelineEnv(interval, thread ? { LIFELINE_PARENT_WATCH_THREAD: '1' } : {}),
      },
      concurrency: 2,
      timeoutMs: interval + 10_000,
    });
    const startS = (Date.now() - startedAt) / 1000;
    await sleep(STEADY_MS); // past the start-up GC burst of the last workers (see cpuIdle)
    const before = ticksOf(tree.workers);
    const rssKiB = tree.workers.reduce((a, pid) => a + (vmRssKiB(pid) ?? 0), 0);
    const t = nowNs();
    await sleep(windowS * 1000);
    const after = ticksOf(tree.workers);
    const seconds = Number(nowNs() - t) / 1e9;
    const ticks = after.reduce((a, b, i) => a + b - before[i], 0);
    const { exits } = await tree.kill();
    const lat = exits.map((e) => e.latencyMs);
    const stats = summary(lat);
    const last = lat.includes(null) ? null : stats.max;
    const row = {
      label: `${n} workers, ${thread ? 'thread' : 'main loop'} @${interval} ms`,
      n,
      interval,
      thread,
      startS,
      rssGiB: rssKiB / 2 ** 20,
      cpuMsPerS: (ticks * TICK_MS) / seconds, // all n workers together
      cpuWindowS: windowS,
      stats,
      lastMs: last,
      goal: interval + 1000,
      pass: last !== null && last <= interval + 1000,
      values: lat,
    };
    rows.push(row);
    log(
      `scale ${row.label}: last gone after ${ms(last)} (p50 ${ms(stats.p50)}), idle CPU of all ${n}: ${row.cpuMsPerS.toFixed(1)} ms/s, started in ${startS.toFixed(1)} s`,
    );
    await sleep(1000);
  }
  return rows;
}
