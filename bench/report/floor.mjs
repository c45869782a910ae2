// latest.md's "floor" section: every event row beside the same event read by a worker without Lifeline
// (a raw Node reader that calls process.exit, a Python one that os._exits), measured in the same
// round-robin, with the ratio of each row to the Node floor; and the start-up share over the minimal preload.
import { FLOOR_GOAL } from '../lib/floor.mjs';
import { mark, ms } from '../lib/stats.mjs';
import { GOALS } from './goals.mjs';

const x = (v) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : `×${v.toFixed(2)}`);

/** The table rows: [event, row, n, p50, p90, ratio p50, ratio p90, goal, pass]. */
function floorRows(r) {
  const rows = [];
  const add = (event, c, stats = c.stats) => {
    const f = c.floor;
    const goal =
      f && !c.floorKind
        ? `≤ ×${FLOOR_GOAL.p50} / ×${FLOOR_GOAL.p90}`
        : c.floorKind === 'node'
          ? 'the floor'
          : '(reported)';
    rows.push([
      event,
      c.label,
      stats.n,
      ms(stats.p50),
      ms(stats.p90),
      x(f?.p50 ?? (c.floorKind === 'node' ? 1 : null)),
      x(f?.p90 ?? (c.floorKind === 'node' ? 1 : null)),
      goal,
      f && !c.floorKind ? mark(f.pass) : '',
    ]);
  };
  for (const c of r.pipe?.configs ?? [])
    if (c.kind === 'pipe' || c.kind === 'floor')
      add(`lifeline pipe, ${c.supervisor === 'node' ? 'Node' : 'Python'} supervisor`, c);
  for (const c of r.latency ?? []) if (c.floorOf || c.floorKind) add('IPC disconnect', c);
  for (const c of r.stdin?.rows ?? []) add("stdin's end", c);
  for (const c of r.stdio?.configs ?? [])
    if (c.kind === 'stdio' || c.kind === 'floor')
      add(`stdio hang-up, ${c.supervisor === 'node' ? 'Node' : 'Python'} supervisor`, c);
  const s = r.pipeScale;
  if (s?.floor) {
    rows.push([
      `${s.n} piped workers, last gone`,
      s.label,
      s.runs ?? 1,
      ms(s.lastMs),
      '',
      x(s.floor.ratio),
      '',
      `≤ ×${s.floor.goal}`,
      mark(s.floor.pass),
    ]);
    rows.push([
      `${s.n} piped workers, last gone`,
      s.floor.label,
      s.runs ?? 1,
      ms(s.floor.lastMs),
      '',
      '×1.00',
      '',
      'the floor',
      '',
    ]);
  }
  return rows;
}

export function floorSection(r) {
  const rows = floorRows(r);
  const v = Object.fromEntries((r.startup?.variants ?? []).map((s) => [s.key, s]));
  const startup = ['import', 'require'].filter((k) => v[k]?.controlRatio !== undefined);
  if (rows.length === 0 && startup.length === 0) return [];
  const md = ['## The floor: each event row beside a worker without Lifeline', ''];
  if (rows.length) {
    md.push(
      "The same event, the same supervisor, the same batches, in the same round-robin: a raw Node reader (`fixtures/floor-reader.mjs`: the lifeline pipe through a `net.Socket`, the IPC channel's `disconnect`, stdin's `end`, or stdout's and stderr's reader going away through a libuv handle read for it, then `process.exit`) and a Python reader that blocks in `read(2)` (`poll(2)` for the stdio hang-up) and `os._exit`s (`fixtures/floor-reader.py`, the machine's floor); beside thread mode, the raw Node reader with one idle worker thread (`BENCH_FLOOR_THREAD=1`): what a thread alone adds to the exit; beside stdin's end, the raw Node reader leaving by `setImmediate` after `'end'` (`BENCH_FLOOR_DEFER=1`), as a watcher that lets the app's own end-of-input handling run must. Ratios are to the Node floor of the same run (p50 / p90); for many workers, of the last one gone (median of the runs).",
    );
    md.push(
      '',
      '| event | row | n | p50 | p90 | × Node floor, p50 | p90 | goal | |',
      '|---|---|--:|--:|--:|--:|--:|--:|:-:|',
    );
    for (const row of rows) md.push(`| ${row.join(' | ')} |`);
    md.push('');
  }
  if (startup.length) {
    md.push(
      `Start-up over the minimal preload (\`fixtures/minimal-preload.*\`: reads LocalAI's two variables, captures the ppid, arms one unref'd timer), median of the same rounds' ratios: ${startup.map((k) => `\`${k === 'import' ? '--import' : '-r'}\` ${x(v[k].controlRatio)} ${mark(v[k].controlPass)}`).join(', ')} (goal ≤ ×${GOALS.shareMax}).`,
      '',
    );
  }
  return md;
}

/** summary.md's line on the floor: each event row's p50 over the raw Node reader of the same run, or `null`. */
export function floorSummary(r) {
  const P = Object.fromEntries((r.pipe?.configs ?? []).map((c) => [c.key, c]));
  const L = Object.fromEntries((r.latency ?? []).map((c) => [c.key, c]));
  const S = Object.fromEntries((r.stdio?.configs ?? []).map((c) => [c.key, c]));
  // The two rows whose floor beside them carries a cost outside Lifeline's code: said with it.
  const deferred = r.stdin?.rows?.find((row) => row.key === 'floor-node-deferred')?.floor;
  const idleThread = L['ipc-floor-node-thread']?.floor;
  const parts = [
    P['pipe-node']?.floor &&
      `the pipe ${x(P['pipe-node'].floor.p50)} (Node supervisor) / ${x(P['pipe-python']?.floor?.p50)} (Python supervisor)`,
    L['ipc-2000']?.floor && `the IPC hint ${x(L['ipc-2000'].floor.p50)}`,
    L['ipc-thread-2000']?.floor &&
      `in thread mode ${x(L['ipc-thread-2000'].floor.p50)}${idleThread ? ` (a raw reader with one idle worker thread: ${x(idleThread.p50)})` : ''}`,
    r.stdin?.floor &&
      `stdin's end ${x(r.stdin.floor.p50)}${deferred ? ` (a raw reader leaving after Node's own end of stdin, as a watcher must: ${x(deferred.p50)})` : ''}`,
    S['stdio-node']?.floor &&
      `the stdio hang-up ${x(S['stdio-node'].floor.p50)} (Node supervisor) / ${x(S['stdio-python']?.floor?.p50)} (Python supervisor)`,
    r.pipeScale?.floor && `${r.pipeScale.n} piped workers ${x(r.pipeScale.floor.ratio)} (last gone)`,
  ].filter(Boolean);
  return parts.length
    ? `- **At the floor**: against a worker without Lifeline that reads the same event and calls \`process.exit\` (same run, p50): ${parts.join(', ')}.`
    : null;
}
