// Section "pipescale": 200 preloaded workers with the lifeline pipe under one Node supervisor (spawnWorker),
// at the default 2 s interval; one SIGKILL of the supervisor and the time until the last one is gone.
import { QUICK, STEADY_MS, log } from '../lib/config.mjs';
import { PIPE_INTERVAL, SUPERVISORS, lifelineWorker } from '../lib/pipe.mjs';
import { ms, summary } from '../lib/stats.mjs';
import { sleep, startTree } from '../lib/tree.mjs';

export const PIPE_SCALE_GOAL_MS = 500;

export async function pipeScale() {
  const n = QUICK ? 20 : 200;
  const node = SUPERVISORS.find((s) => s.key === 'node');
  const startedAt = Date.now();
  const tree = await startTree({ n, worker: lifelineWorker(node), concurrency: 2, timeoutMs: PIPE_INTERVAL + 10_000 });
  const startS = (Date.now() - startedAt) / 1000;
  // Past the start-up GC burst of the last workers (see the cpu section): the kill finds them all idle.
  await sleep(STEADY_MS);
  const { exits } = await tree.kill();
  const values = exits.map((e) => e.latencyMs);
  const stats = summary(values);
  const lastMs = values.includes(null) ? null : stats.max;
  const row = {
    label: `${n} workers with the pipe, Node supervisor (spawnWorker) @2 s`,
    n,
    interval: PIPE_INTERVAL,
    startS,
    stats,
    lastMs,
    goal: PIPE_SCALE_GOAL_MS,
    pass: lastMs !== null && lastMs <= PIPE_SCALE_GOAL_MS,
    values,
  };
  log(`pipescale ${row.label}: last gone after ${ms(lastMs)} (p50 ${ms(stats.p50)}, first ${ms(stats.min)}), started in ${startS.toFixed(1)} s`);
  return row;
}
