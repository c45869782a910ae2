// The bench's settings, read from the environment once and shared by run.mjs, the sections and the report;
// the workers' paths and environment; the log.
//
//   BENCH_QUICK=1        a fast smoke run (few samples; results go to bench/results/quick/)
//   BENCH_SAMPLES=40     orphanings per latency configuration
//
// BENCH_ONLY and BENCH_REPORT_ONLY concern only the entry, bench/run.mjs, which reads them.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH, FIXTURES, ROOT } from './tree.mjs';

export const QUICK = process.env.BENCH_QUICK === '1';
export const SAMPLES = Number(process.env.BENCH_SAMPLES ?? (QUICK ? 10 : 40));
export const BATCH = QUICK ? 10 : 20;
/**
 * Orphanings per event row of the lifeline pipe, the IPC hint and the stdio hang-up, and per floor beside
 * it (the two terms of a ratio with a goal): at 40, a floor's p50 moved by ±7 % between runs of the same code.
 */
export const EVENT_SAMPLES = QUICK ? 10 : 80;
export const IPC_BATCH = 2;
/** Workers per supervisor in the lifeline-pipe rows: its end of file wakes every worker of a batch at once. */
export const PIPE_BATCH = 2;
export const STEADY_MS = QUICK ? 2000 : 14_000;
export const OUT = join(BENCH, 'results', ...(QUICK ? ['quick'] : []));
export const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
export const TICK_MS = 1000 / CLK_TCK;
export const REGISTER = '@lifeline/parent-watch/register';
/**
 * The register preload's built files, given by path — as the empty-module controls are — so that a share
 * over a control is Lifeline's own: by package name a preload also pays the resolution of a package
 * specifier (~2 ms and ~0.2 MiB here), which any package's preload pays. `import` and `require`: what
 * Node resolves each condition to (one CommonJS entry); `esm`: the ES module build bundlers get.
 */
export const REGISTER_FILES = (() => {
  const cjs = createRequire(join(ROOT, 'package.json')).resolve(REGISTER);
  return {
    import: fileURLToPath(import.meta.resolve(REGISTER)),
    require: cjs,
    esm: join(dirname(cjs), 'register.js'),
  };
})();
export const IDLE = join(FIXTURES, 'idle-worker.mjs');
export const NAIVE = join(FIXTURES, 'naive-worker.mjs');
export const POLLER = join(FIXTURES, 'localai-poller.py');
export const STDIN_WORKER = join(FIXTURES, 'stdin-worker.mjs');
/** The floors: the same event read with no Lifeline, then `process.exit` (Node) or `os._exit` (Python). */
export const FLOOR_NODE = join(FIXTURES, 'floor-reader.mjs');
export const FLOOR_PYTHON = join(FIXTURES, 'floor-reader.py');

/** The poll intervals of the latency section; the report has a row or a figure for each. */
export const INTERVALS = [100, 500, 2000];

export const t0 = Date.now();
export const log = (...args) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s]`, ...args);
export const cleanEnv = () => {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('LIFELINE_') || key.startsWith('LOCALAI_')) delete env[key];
  delete env.NODE_OPTIONS;
  return env;
};
/** Worker env: a clean env plus the bench's settings (the middle merges these over its own env). */
export const lifelineEnv = (interval, extra = {}) => ({
  LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: `${interval}ms`,
  ...extra,
});
