// Section "stdin": a stdio server's stdin ends (its host closed it, or died) → the server gone, with
// LIFELINE_PARENT_WATCH_STDIN=1 (opt-in; 2 s poll interval, which plays no part), beside a control without it.
import { QUICK, REGISTER, SAMPLES, STDIN_WORKER, cleanEnv, lifelineEnv, log } from '../lib/config.mjs';
import { addFloorRatios, floorWorkers, ratioText } from '../lib/floor.mjs';
import { ms, summary } from '../lib/stats.mjs';
import { stdinWorkers } from '../lib/stdin.mjs';
import { sleep } from '../lib/tree.mjs';

export const STDIN_GOAL_MS = 10;
/**
 * Workers per batch, each row's batches in turn: small, so that a row and its floors are interleaved finely.
 * In batches of 20 (two per row), one batch's drift moved a floor's p50 by ±15 % between runs.
 */
const STDIN_BATCH = QUICK ? 10 : 5;

export async function stdinBench() {
  const args = ['--import', REGISTER, STDIN_WORKER];
  const gapMs = 100;
  const env = cleanEnv();
  // The floors: stdin's end read without Lifeline (Node: 'end' → process.exit(0); Python: os._exit(0)),
  // batch for batch in turn with the Lifeline rows.
  const floors = floorWorkers('stdin');
  const rows = [
    {
      key: 'stdin',
      label: 'with `LIFELINE_PARENT_WATCH_STDIN=1`',
      args,
      env: { ...env, ...lifelineEnv(2000, { LIFELINE_PARENT_WATCH_STDIN: '1' }) },
      floorOf: 'floor-node',
    },
    {
      key: 'floor-node',
      floorKind: 'node',
      label: "floor: raw Node, stdin 'end' → process.exit(0)",
      args: floors.node.args,
      env: { ...env, ...floors.node.env },
    },
    {
      // What waiting for the app's own end-of-input handling costs any reader: Node finishes the stream's end first.
      key: 'floor-node-deferred',
      floorKind: 'node-deferred',
      label: "floor: raw Node, stdin 'end' → setImmediate → process.exit(0)",
      args: floors.node.args,
      env: { ...env, ...floors.node.env, BENCH_FLOOR_DEFER: '1' },
      floorOf: 'floor-node',
    },
    {
      key: 'floor-python',
      floorKind: 'python',
      label: 'floor: Python reads stdin (os._exit(0))',
      command: floors.python.command,
      args: floors.python.args,
      env: { ...env, ...floors.python.env },
      floorOf: 'floor-node',
    },
  ];
  for (const row of rows) {
    row.values = [];
    row.codes = [];
  }
  for (let left = SAMPLES; left > 0; left -= STDIN_BATCH) {
    for (const row of rows) {
      const group = await stdinWorkers({
        n: Math.min(STDIN_BATCH, left),
        command: row.command,
        args: row.args,
        env: row.env,
        gapMs,
      });
      await sleep(500);
      const exits = await group.close();
      row.values.push(...exits.map((e) => e.latencyMs));
      row.codes.push(...exits.map((e) => e.code));
      log(`stdin batch of ${exits.length}, ${row.label}: ${exits.map((e) => ms(e.latencyMs, '')).join(' ')} ms`);
    }
  }
  for (const row of rows) {
    row.stats = summary(row.values);
    row.exit0 = row.codes.filter((c) => c === 0).length;
    delete row.env;
  }
  addFloorRatios(rows);
  const [lifeline] = rows;
  const { stats, values, exit0 } = lifeline;
  const pass = stats.ok === stats.n && exit0 === stats.n && stats.p99 <= STDIN_GOAL_MS;
  log(
    `stdin end → gone: p50 ${ms(stats.p50)}  p99 ${ms(stats.p99)}  max ${ms(stats.max)}  exited ${stats.ok}/${stats.n}, code 0: ${exit0}`,
  );
  for (const row of rows)
    if (row.floor)
      log(
        `stdin ${row.label}: p50 ${ms(row.stats.p50)}  p90 ${ms(row.stats.p90)}, × the raw Node reader (p50 / p90) ${ratioText(row.floor)}`,
      );
  // Control: the same server without the variable stays after its stdin ends (today's behaviour).
  const controlN = QUICK ? 2 : 4;
  const controlMs = 1000;
  const control = await stdinWorkers({
    n: controlN,
    args,
    env: { ...env, ...lifelineEnv(2000) },
    gapMs: 0,
    timeoutMs: controlMs,
  });
  const stayed = (await control.close()).filter((e) => e.latencyMs === null).length;
  log(
    `stdin control (no LIFELINE_PARENT_WATCH_STDIN): ${stayed}/${controlN} still running ${controlMs} ms after stdin ended`,
  );
  return {
    gapMs,
    batch: STDIN_BATCH,
    stats,
    values,
    exit0,
    goal: STDIN_GOAL_MS,
    pass,
    floor: lifeline.floor,
    rows,
    control: { n: controlN, stayed, waitMs: controlMs },
  };
}
