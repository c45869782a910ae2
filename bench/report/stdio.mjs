// latest.md's section on the stdio hang-up hint (its table), its line in the Reading, and its lines in
// latency.svg. Its ratios to the floor are in the floor section (report/floor.mjs).
import { ms, latencyCells } from '../lib/stats.mjs';
import { ratioText } from '../lib/floor.mjs';

export function stdioSection(r) {
  const st = r.stdio;
  if (!st) return [];
  const md = ["## Parent SIGKILLed → worker gone by stdout's and stderr's reader (the stdio hang-up hint, @2 s)", ''];
  md.push(
    `The zero-config case: workers armed only by \`--import @lifeline/parent-watch/register\` at the 2 s default, with no lifeline pipe and no IPC channel, whose stdout and stderr the supervisor reads: \`fixtures/middle.mjs\` starting each with a plain \`spawn\` (Node's default stdio: socket pairs), or \`fixtures/pipe-middle.py\` with \`Popen(stdout=PIPE, stderr=PIPE)\` (pipes). Event and floor rows: batches of ${st.batch} workers per supervisor (the hang-up wakes every worker of a tree at once), no phase spreading. Control: the same workers with \`LIFELINE_PARENT_WATCH_STDIO=0\` (the poll alone), batches of ${st.controlBatch} with the phases spread over the interval.`,
  );
  md.push('');
  md.push('| configuration | n | gone | min | p50 | p90 | p99 | max | × Node floor, p50 / p90 |');
  md.push('|---|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const c of st.configs) {
    const s = c.stats;
    md.push(
      `| ${c.label} | ${latencyCells(s)} | ${c.floor ? ratioText(c.floor) : c.floorKind === 'node' ? 'the floor' : ''} |`,
    );
  }
  md.push('');
  md.push(
    `Batch medians: ${st.configs.map((c) => `${c.key} ${c.batches.map((b) => ms(b, '')).join('/')}`).join('; ')} (ms).`,
  );
  md.push('');
  return md;
}

export function stdioReading(r) {
  const st = r.stdio;
  if (!st) return [];
  const C = Object.fromEntries(st.configs.map((c) => [c.key, c]));
  const rows = ['node', 'python'].map((k) => C[`stdio-${k}`]).filter(Boolean);
  return [
    `- **stdout's and stderr's reader** (no pipe, no IPC, nothing the supervisor does for Lifeline): ${rows.map((c) => `${c.label}: p50 ${ms(c.stats.p50)}, p90 ${ms(c.stats.p90)}, × the raw Node reader ${ratioText(c.floor)}${c.floor ? ` (goal ×${c.floor.goal.p50} / ×${c.floor.goal.p90}: ${c.floor.pass ? 'met' : 'missed'})` : ''}`).join('; ')}; switched off, the poll alone: p50 ${[
      'node',
      'python',
    ]
      .map((k) => C[`stdio-off-${k}`] && ms(C[`stdio-off-${k}`].stats.p50))
      .filter(Boolean)
      .join(
        ' / ',
      )}. The kernel closes the dead supervisor's read ends just before it reparents the worker; the write end reports it at once, and the watcher checks its ppid then and at short delays after it.`,
  ];
}

/** latency.svg lines: the stdio hint's rows, their floors and the control. */
export function stdioSeries(r) {
  return (r.stdio?.configs ?? []).map((c) => ({
    label: `${c.label} (p99 ${ms(c.stats.p99)})`,
    color: c.color,
    dash: c.dash,
    values: c.values,
  }));
}
