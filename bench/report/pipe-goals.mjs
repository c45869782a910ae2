// The goals table of the lifeline pipe and stdin's end (in headline.md and latest.md): the pipe and stdin
// rows, and the preload's costs while waiting against their goals. Every number in it comes from the run.
import { mark, ms } from '../lib/stats.mjs';
import { GOALS } from './goals.mjs';

const x = (v, digits = 3) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : `×${v.toFixed(digits)}`);
const both = (a, b) => (a === null || b === null ? null : a && b);

/**
 * Start-up share of the preload over its control preload (the minimal one; older runs: an empty module):
 * the median of the same rounds' ratios, else its control's median plus the
 * median of the same rounds' differences, over that control's median (older runs: the ratio of medians).
 */
export function startupShares(startup) {
  const v = Object.fromEntries(startup.variants.map((s) => [s.key, s]));
  const share = (key, control) =>
    v[key]?.controlRatio ?? v[key]?.share ?? (v[key] && v[control] ? v[key].stats.p50 / v[control].stats.p50 : null);
  return {
    import: share('import', 'import-empty'),
    require: share('require', 'require-empty'),
    importMs: v.import?.ownMs,
    requireMs: v.require?.ownMs,
  };
}

/** The table's rows ([measure, measured, goal, pass]); a row whose section did not run reads "not run". */
export function pipeGoalRows(r) {
  const rows = [];
  const notRun = (measure, goal) => rows.push([measure, 'not run', goal, null]);
  const P = Object.fromEntries((r.pipe?.configs ?? []).map((c) => [c.key, c]));
  for (const [key, who] of [
    ['pipe-node', 'Node supervisor (`spawnWorker`)'],
    ['pipe-python', 'Python supervisor passing the fd'],
  ]) {
    const measure = `orphan → gone with the pipe @2 s, p50 / p99 — ${who}`;
    const c = P[key];
    if (c)
      rows.push([
        measure,
        `${ms(c.stats.p50, '')} / ${ms(c.stats.p99)}${c.stats.ok < c.stats.n ? ` (${c.stats.ok}/${c.stats.n} gone)` : ''}`,
        `p99 ≤ ${c.goal} ms`,
        c.pass,
      ]);
    else notRun(measure, 'p99 ≤ 10 ms');
  }
  const ratioMeasure = 'p50 ratio pipe / LocalAI-style Python poller @2 s — Node / Python supervisor';
  if (r.pipe) {
    const [a, b] = r.pipe.ratios;
    rows.push([ratioMeasure, `${x(a.ratio, 4)} / ${x(b.ratio, 4)}`, `≤ ${a.goal}`, both(a.pass, b.pass)]);
  } else notRun(ratioMeasure, '≤ 0.01');
  const s = r.pipeScale;
  if (s)
    rows.push([
      `${s.n} workers with the pipe under one Node supervisor @2 s: last gone`,
      `${ms(s.lastMs)}${s.stats.ok < s.stats.n ? ` (${s.stats.ok}/${s.stats.n})` : ''}`,
      `≤ ${s.goal} ms`,
      s.pass,
    ]);
  else notRun('200 workers with the pipe under one Node supervisor @2 s: last gone', '≤ 500 ms');
  const st = r.stdin;
  if (st)
    rows.push([
      "stdin's end → gone (opt-in), p50 / p99",
      `${ms(st.stats.p50, '')} / ${ms(st.stats.p99)}${st.exit0 < st.stats.n ? ` (${st.exit0}/${st.stats.n} exit 0)` : ''}`,
      `p99 ≤ ${st.goal} ms`,
      st.pass,
    ]);
  else notRun("stdin's end → gone (opt-in), p50 / p99", 'p99 ≤ 10 ms');
  const startupMeasure = 'start-up over the minimal preload (median of same-round ratios), `--import` / `-r`';
  if (r.startup) {
    const sh = startupShares(r.startup);
    const plus = (msOwn) => (msOwn === undefined ? '' : ` (${msOwn >= 0 ? '+' : ''}${ms(msOwn)})`);
    rows.push([
      startupMeasure,
      `${x(sh.import)}${plus(sh.importMs)} / ${x(sh.require)}${plus(sh.requireMs)}`,
      `≤ ×${GOALS.shareMax} each`,
      sh.import !== null && sh.require !== null && sh.import <= GOALS.shareMax && sh.require <= GOALS.shareMax,
    ]);
  } else notRun(startupMeasure, `≤ ×${GOALS.shareMax} each`);
  const rssMeasure = 'resident memory added (preload, main loop), over the minimal preload given the same way';
  const main = r.rss?.variants.find((v) => v.key === 'main');
  if (main) {
    // Judged, like the start-up share, over the minimal preload given the same way (older runs: over an
    // empty --import); the other controls are shown beside it.
    const own = main.ownMiB ?? main.addedMiB;
    const signed = (v) => `${v >= 0 ? '+' : ''}${v.toFixed(2)} MiB`;
    const overEmpty = main.overEmptyMiB === undefined ? '' : `${signed(main.overEmptyMiB)} over an empty ES module, `;
    rows.push([
      rssMeasure,
      `${signed(own)} (${overEmpty}${signed(main.addedMiB)} over bare node)`,
      `≤ +${GOALS.ownRssMiB} MiB`,
      own <= GOALS.ownRssMiB,
    ]);
  } else notRun(rssMeasure, `≤ +${GOALS.ownRssMiB} MiB`);
  return rows;
}

/** The markdown table, or [] when none of the sections it reads ran. */
export function pipeGoalsTable(r) {
  if (!r.pipe && !r.pipeScale && !r.stdin && !r.startup && !r.rss) return [];
  const lines = ['| measure | measured | goal | |', '|---|--:|--:|:-:|'];
  for (const [measure, measured, goal, pass] of pipeGoalRows(r))
    lines.push(`| ${measure} | ${measured} | ${goal} | ${mark(pass)} |`);
  return lines;
}
