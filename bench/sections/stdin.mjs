// Section "stdin": a stdio server's stdin ends (its host closed it, or died) → the server gone, with
// LIFELINE_PARENT_WATCH_STDIN=1 (opt-in; 2 s poll interval, which plays no part), beside a control without it.
import { BATCH, QUICK, REGISTER, SAMPLES, STDIN_WORKER, cleanEnv, lifelineEnv, log } from '../lib/config.mjs';
import { ms, summary } from '../lib/stats.mjs';
import { stdinWorkers } from '../lib/stdin.mjs';
import { sleep } from '../lib/tree.mjs';

export const STDIN_GOAL_MS = 10;

export async function stdinBench() {
  const args = ['--import', REGISTER, STDIN_WORKER];
  const gapMs = 100;
  const values = [];
  const codes = [];
  for (let left = SAMPLES; left > 0; left -= BATCH) {
    const group = await stdinWorkers({ n: Math.min(BATCH, left), args, env: { ...cleanEnv(), ...lifelineEnv(2000, { LIFELINE_PARENT_WATCH_STDIN: '1' }) }, gapMs });
    await sleep(500);
    const exits = await group.close();
    values.push(...exits.map((e) => e.latencyMs));
    codes.push(...exits.map((e) => e.code));
    log(`stdin batch of ${exits.length}: ${exits.map((e) => ms(e.latencyMs, '')).join(' ')} ms`);
  }
  const stats = summary(values);
  const exit0 = codes.filter((c) => c === 0).length;
  const pass = stats.ok === stats.n && exit0 === stats.n && stats.p99 <= STDIN_GOAL_MS;
  log(`stdin end → gone: p50 ${ms(stats.p50)}  p99 ${ms(stats.p99)}  max ${ms(stats.max)}  exited ${stats.ok}/${stats.n}, code 0: ${exit0}`);
  // Control: the same server without the variable stays after its stdin ends (today's behaviour).
  const controlN = QUICK ? 2 : 4;
  const controlMs = 1000;
  const control = await stdinWorkers({ n: controlN, args, env: { ...cleanEnv(), ...lifelineEnv(2000) }, gapMs: 0, timeoutMs: controlMs });
  const stayed = (await control.close()).filter((e) => e.latencyMs === null).length;
  log(`stdin control (no LIFELINE_PARENT_WATCH_STDIN): ${stayed}/${controlN} still running ${controlMs} ms after stdin ended`);
  return { gapMs, batch: BATCH, stats, values, exit0, goal: STDIN_GOAL_MS, pass, control: { n: controlN, stayed, waitMs: controlMs } };
}
