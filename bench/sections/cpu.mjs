// Section "cpu": CPU of an idle watched worker at several intervals, minus a bare idle worker.
import { IDLE, NAIVE, QUICK, REGISTER, STEADY_MS, TICK_MS, lifelineEnv, log } from '../lib/config.mjs';
import { nowNs, sleep } from '../lib/tree.mjs';
import { idleWorkers, ticksOf } from '../lib/workers.mjs';

export async function cpuIdle() {
  const k = QUICK ? 3 : 8;
  const windowS = QUICK ? 3 : 12;
  const variants = [
    { key: 'bare', label: 'bare idle node', args: [IDLE], env: {} },
    {
      key: 'main-10',
      label: 'main loop @10 ms',
      interval: 10,
      args: ['--import', REGISTER, IDLE],
      env: lifelineEnv(10),
    },
    {
      key: 'main-100',
      label: 'main loop @100 ms',
      interval: 100,
      args: ['--import', REGISTER, IDLE],
      env: lifelineEnv(100),
    },
    {
      key: 'main-2000',
      label: 'main loop @2 s',
      interval: 2000,
      args: ['--import', REGISTER, IDLE],
      env: lifelineEnv(2000),
    },
    {
      key: 'thread-10',
      label: 'thread @10 ms',
      interval: 10,
      args: ['--import', REGISTER, IDLE],
      env: lifelineEnv(10, { LIFELINE_PARENT_WATCH_THREAD: '1' }),
    },
    {
      key: 'thread-2000',
      label: 'thread @2 s',
      interval: 2000,
      args: ['--import', REGISTER, IDLE],
      env: lifelineEnv(2000, { LIFELINE_PARENT_WATCH_THREAD: '1' }),
    },
    {
      key: 'naive-10',
      label: 'naive kill(ppid, 0) @10 ms',
      interval: 10,
      args: [NAIVE],
      env: { BENCH_NAIVE_INTERVAL: '10' },
    },
  ];
  for (const v of variants) v.group = await idleWorkers(k, v.args, v.env);
  // Steady state only: V8's memory reducer runs a GC burst ~8–12 s after start-up (≈ 15 ms of CPU in a
  // preloaded worker, whose heap grew more while loading); that one-off is start-up cost, not waiting cost.
  await sleep(STEADY_MS);
  const all = variants.flatMap((v) => v.group.pids);
  const before = ticksOf(all);
  const start = nowNs();
  await sleep(windowS * 1000);
  const after = ticksOf(all);
  const seconds = Number(nowNs() - start) / 1e9;
  let offset = 0;
  for (const v of variants) {
    const d = v.group.pids.map((_, i) => after[offset + i] - before[offset + i]);
    offset += v.group.pids.length;
    v.ticks = d.reduce((a, b) => a + b, 0);
    v.msPerS = (v.ticks * TICK_MS) / (k * seconds); // per worker
    v.group.stop();
    delete v.group;
    delete v.env;
  }
  const bare = variants[0].msPerS;
  for (const v of variants) {
    v.addedMsPerS = v.msPerS - bare;
    log(
      `cpu ${v.label.padEnd(28)} ${v.msPerS.toFixed(3)} ms/s per worker (added ${v.addedMsPerS.toFixed(3)}; ${v.ticks} ticks)`,
    );
  }
  return { k, windowS, resolutionMsPerS: TICK_MS / (k * windowS), variants };
}
