// Orphanings of one configuration in batches of real trees (bench → reaper.py → middle → workers): the
// measurement of the latency and zombie sections.
import { BATCH, SAMPLES } from './config.mjs';
import { median } from './stats.mjs';
import { sleep, startTree } from './tree.mjs';

/** Run `samples` orphanings of one configuration in batches; returns latencies (ms, null = not detected). */
export async function orphanings({ worker, interval, samples = SAMPLES, batch = BATCH, zombieParent = false, timeoutMs, settleMs = 500, spread = true }) {
  const values = [];
  const batches = [];
  for (let left = samples; left > 0; left -= batch) {
    const n = Math.min(batch, left);
    // Worker i starts at ≡ i·interval/n (mod interval): the poll phases at the kill cover the interval evenly.
    const tree = await startTree({ n, worker, periodMs: spread ? interval : 0, concurrency: 2, zombieParent, timeoutMs: timeoutMs ?? interval * 3 + 2000 });
    await sleep(settleMs); // the machine settles: every worker started, nothing else runs
    const { exits } = await tree.kill();
    const lat = exits.map((e) => e.latencyMs);
    values.push(...lat);
    batches.push(median(lat));
  }
  return { values, batches };
}
