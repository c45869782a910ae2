// Section "latency": parent SIGKILLed → worker gone, for Lifeline's main loop, thread mode and IPC hint,
// side by side with the naive kill(ppid, 0) watcher at the same intervals.
import { BATCH, IDLE, INTERVALS, IPC_BATCH, NAIVE, REGISTER, SAMPLES, lifelineEnv, log } from '../lib/config.mjs';
import { orphanings } from '../lib/orphanings.mjs';
import { median, ms, summary } from '../lib/stats.mjs';

const COLORS = { 100: '#1f77b4', 500: '#2ca02c', 2000: '#d62728' };

export async function latency() {
  const configs = [];
  for (const interval of INTERVALS) {
    configs.push({ key: `main-${interval}`, label: `Lifeline main loop @${interval} ms`, mode: 'main loop', interval, goal: interval + 10, color: COLORS[interval], dash: '',
      worker: { args: ['--import', REGISTER, IDLE], env: lifelineEnv(interval) } });
    configs.push({ key: `thread-${interval}`, label: `Lifeline thread @${interval} ms`, mode: 'thread', interval, goal: interval + 10, color: COLORS[interval], dash: '2 3',
      worker: { args: ['--import', REGISTER, IDLE], env: lifelineEnv(interval, { LIFELINE_PARENT_WATCH_THREAD: '1' }) } });
    configs.push({ key: `naive-${interval}`, label: `naive kill(ppid, 0) @${interval} ms`, mode: 'naive baseline', interval, goal: null, color: COLORS[interval], dash: '8 4', naive: true,
      worker: { args: [NAIVE], env: { BENCH_NAIVE_INTERVAL: String(interval) } } });
  }
  configs.push({ key: 'ipc-2000', label: 'Lifeline + IPC hint @2000 ms', mode: 'IPC disconnect hint', interval: 2000, goal: 20, color: '#9467bd', dash: '',
    worker: { ipc: true, args: ['--import', REGISTER, IDLE], env: lifelineEnv(2000) } });
  configs.push({ key: 'ipc-thread-2000', label: 'Lifeline thread + IPC hint @2000 ms', mode: 'IPC hint, thread', interval: 2000, goal: 20, color: '#ff7f0e', dash: '2 3',
    worker: { ipc: true, args: ['--import', REGISTER, IDLE], env: lifelineEnv(2000, { LIFELINE_PARENT_WATCH_THREAD: '1' }) } });
  // Round-robin: batch 1 of every configuration, then batch 2…: a drift of the machine's speed (other
  // jobs on a shared machine) hits every configuration alike.
  for (const c of configs) {
    // The IPC hint fires in every worker of a batch at the same moment: small batches, so that what is
    // measured is the hint and not 20 processes exiting at once on 2 cores.
    c.ipc = c.mode.startsWith('IPC');
    c.batch = c.ipc ? IPC_BATCH : BATCH;
    c.values = [];
    c.batches = [];
  }
  const rounds = Math.ceil(SAMPLES / BATCH);
  for (let round = 0; round < rounds; round++) {
    for (const c of configs) {
      const samples = Math.min(BATCH, SAMPLES - round * BATCH);
      const { values, batches } = await orphanings({ worker: c.worker, interval: c.interval, samples, batch: c.batch, settleMs: c.ipc ? 300 : 500, spread: !c.ipc });
      c.values.push(...values);
      c.batches.push(...batches);
      log(`latency round ${round + 1}/${rounds} ${c.label.padEnd(40)} batch p50 ${ms(median(values))}  max ${ms(Math.max(...values.map((v) => v ?? Infinity)))}`);
    }
  }
  for (const c of configs) {
    c.stats = summary(c.values);
    c.pass = c.goal === null ? null : c.stats.ok === c.stats.n && c.stats.p99 <= c.goal;
    log(`latency ${c.label.padEnd(40)} p50 ${ms(c.stats.p50)}  p99 ${ms(c.stats.p99)}  max ${ms(c.stats.max)}  detected ${c.stats.ok}/${c.stats.n}`);
    delete c.worker;
  }
  return configs;
}
