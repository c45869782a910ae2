// Orphanings of one configuration in batches of real trees (bench → reaper.py → middle → workers): the
// measurement of the latency and zombie sections.
import { BATCH, SAMPLES, log } from './config.mjs';
import { median, ms, summary } from './stats.mjs';
import { sleep, startTree } from './tree.mjs';

/** Run `samples` orphanings of one configuration in batches; returns latencies (ms, null = not detected). */
export async function orphanings({
  worker,
  interval,
  samples = SAMPLES,
  batch = BATCH,
  zombieParent = false,
  timeoutMs,
  settleMs = 500,
  spread = true,
}) {
  const values = [];
  const batches = [];
  for (let left = samples; left > 0; left -= batch) {
    const n = Math.min(batch, left);
    // Worker i starts at ≡ i·interval/n (mod interval): the poll phases at the kill cover the interval evenly.
    const tree = await startTree({
      n,
      worker,
      periodMs: spread ? interval : 0,
      concurrency: 2,
      zombieParent,
      timeoutMs: timeoutMs ?? interval * 3 + 2000,
    });
    await sleep(settleMs); // the machine settles: every worker started, nothing else runs
    const { exits } = await tree.kill();
    const lat = exits.map((e) => e.latencyMs);
    values.push(...lat);
    batches.push(median(lat));
  }
  return { values, batches };
}

/**
 * Measure every configuration round-robin — one batch of each in turn, so that a drift of the machine's
 * speed hits them alike (configurations of small batches, such as an event row and its floor, alternate
 * batch by batch); then summarise each (`stats`, `pass` against `goal`). Each configuration carries
 * `worker`, `interval`, `batch`, `settleMs`, `spread`, `label`, `goal`, and `samples` if not `SAMPLES`.
 */
export async function roundRobin(section, configs, labelWidth) {
  const left = new Map();
  for (const c of configs) {
    c.values = [];
    c.batches = [];
    left.set(c, c.samples ?? SAMPLES);
  }
  while (configs.some((c) => left.get(c) > 0)) {
    for (const c of configs) {
      if (left.get(c) <= 0) continue;
      const samples = Math.min(c.batch, left.get(c));
      const { values, batches } = await orphanings({
        worker: c.worker,
        interval: c.interval,
        samples,
        batch: c.batch,
        settleMs: c.settleMs,
        spread: c.spread,
      });
      c.values.push(...values);
      c.batches.push(...batches);
      left.set(c, left.get(c) - samples);
      const total = c.samples ?? SAMPLES;
      const done = total - left.get(c);
      // One line per BATCH samples of each configuration, as many as before the batches alternated.
      if (done % BATCH === 0 || left.get(c) === 0) {
        const recent = c.values.slice(-Math.min(BATCH, c.values.length));
        log(
          `${section} round ${Math.ceil(done / BATCH)}/${Math.ceil(total / BATCH)} ${c.label.padEnd(labelWidth)} batch p50 ${ms(median(recent))}  max ${ms(Math.max(...recent.map((v) => v ?? Infinity)))}`,
        );
      }
    }
  }
  for (const c of configs) {
    c.stats = summary(c.values);
    c.pass = c.goal === null ? null : c.stats.ok === c.stats.n && c.stats.p99 <= c.goal;
    log(
      `${section} ${c.label.padEnd(labelWidth)} p50 ${ms(c.stats.p50)}  p99 ${ms(c.stats.p99)}  max ${ms(c.stats.max)}  detected ${c.stats.ok}/${c.stats.n}`,
    );
    delete c.worker;
  }
  return configs;
}
