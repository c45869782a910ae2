// Section "pipescale": 200 preloaded workers with the lifeline pipe under one Node supervisor (spawnWorker),
// at the default 2 s interval; one SIGKILL of the supervisor and the time until the last one is gone —
// beside as many raw Node readers of the pipe (the floor), runs alternating.
import { QUICK, STEADY_MS, log } from '../lib/config.mjs';
import { FLOOR_SCALE_GOAL } from '../lib/floor.mjs';
import { PIPE_INTERVAL, SUPERVISORS, lifelineWorker, pipeFloorWorkers } from '../lib/pipe.mjs';
import { median, ms, summary } from '../lib/stats.mjs';
import { sleep, startTree } from '../lib/tree.mjs';

export const PIPE_SCALE_GOAL_MS = 500;

/**
 * Runs of each kind, alternating (Lifeline, the raw readers, Lifeline, …): one run is one sample of 200 exits.
 * Three, so that the median is a run, not the mean of two: one disturbed run of two moved the ratio from
 * ×1.05–×1.16 to ×1.30 (the floor's own last one gone 1.7–2.3 s between runs of one bench).
 */
const RUNS = QUICK ? 1 : 3;

/** One tree of `n` workers under one Node supervisor, idle past start-up, then its SIGKILL: every latency. */
async function once(n, worker) {
  const startedAt = Date.now();
  const tree = await startTree({ n, worker, concurrency: 2, timeoutMs: PIPE_INTERVAL + 10_000 });
  const startS = (Date.now() - startedAt) / 1000;
  // Past the start-up GC burst of the last workers (see the cpu section): the kill finds them all idle.
  await sleep(STEADY_MS);
  const { exits } = await tree.kill();
  const values = exits.map((e) => e.latencyMs);
  return { startS, values, lastMs: values.includes(null) ? null : Math.max(...values) };
}

export async function pipeScale() {
  const n = QUICK ? 20 : 200;
  const node = SUPERVISORS.find((s) => s.key === 'node');
  // The floor: as many raw Node readers of the pipe (process.exit at its end) under the same supervisor.
  const kinds = [
    { key: 'lifeline', worker: lifelineWorker(node), runs: [] },
    { key: 'floor', worker: pipeFloorWorkers(node).node, runs: [] },
  ];
  for (let run = 0; run < RUNS; run++) {
    for (const kind of kinds) {
      const result = await once(n, kind.worker);
      kind.runs.push(result);
      log(
        `pipescale run ${run + 1}/${RUNS}, ${kind.key === 'lifeline' ? 'Lifeline' : 'raw Node readers (floor)'}: last gone after ${ms(result.lastMs)} (p50 ${ms(median(result.values))}), started in ${result.startS.toFixed(1)} s`,
      );
    }
  }
  const [lifeline, floor] = kinds.map((kind) => {
    const values = kind.runs.flatMap((r) => r.values);
    const lasts = kind.runs.map((r) => r.lastMs);
    // The last one gone of each run; of several runs, their median.
    return {
      values,
      stats: summary(values),
      lastMs: lasts.includes(null) ? null : median(lasts),
      lasts,
      startS: kind.runs[0].startS,
    };
  });
  const lastMs = lifeline.lastMs;
  const floorRatio = lastMs === null || !floor.lastMs ? null : lastMs / floor.lastMs;
  const row = {
    label: `${n} workers with the pipe, Node supervisor (spawnWorker) @2 s`,
    n,
    interval: PIPE_INTERVAL,
    startS: lifeline.startS,
    stats: lifeline.stats,
    lastMs,
    goal: PIPE_SCALE_GOAL_MS,
    pass: lastMs !== null && lastMs <= PIPE_SCALE_GOAL_MS,
    values: lifeline.values,
    runs: RUNS,
    lasts: lifeline.lasts,
    floor: {
      label: `${n} raw Node pipe readers (process.exit), same supervisor`,
      stats: floor.stats,
      lastMs: floor.lastMs,
      lasts: floor.lasts,
      values: floor.values,
      ratio: floorRatio,
      p50Ratio: lifeline.stats.p50 && floor.stats.p50 ? lifeline.stats.p50 / floor.stats.p50 : null,
      goal: FLOOR_SCALE_GOAL,
      pass: floorRatio !== null && floorRatio <= FLOOR_SCALE_GOAL,
    },
  };
  log(
    `pipescale ${row.label}: last gone after ${ms(lastMs)} (p50 ${ms(row.stats.p50)}, first ${ms(row.stats.min)}); ${n} raw readers: ${ms(floor.lastMs)} (p50 ${ms(floor.stats.p50)}); × the floor, last gone ${floorRatio === null ? '—' : floorRatio.toFixed(2)}`,
  );
  return row;
}
