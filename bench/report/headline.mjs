// headline.md: the compact tables of the bench report (bench/README.md), and summary.md: the few lines of the
// root README's benchmark section. Both are derived from the run; `pnpm lint` checks the copies in the READMEs.
import { floorSummary } from './floor.mjs';
import { EVENT_SAMPLES, INTERVALS, SAMPLES } from '../lib/config.mjs';
import { mark, ms } from '../lib/stats.mjs';
import { pipeGoalsTable, startupShares } from './pipe-goals.mjs';
import { GOALS } from './goals.mjs';

export function headline(r) {
  const L = Object.fromEntries((r.latency ?? []).map((c) => [c.key, c]));
  const rows = ['| measure | Lifeline | naive `kill(ppid, 0)` | goal | |', '|---|--:|--:|--:|:-:|'];
  for (const i of INTERVALS) {
    const c = L[`main-${i}`];
    const n = L[`naive-${i}`];
    if (c)
      rows.push(
        `| orphan → gone, p50 / p99 @${i >= 1000 ? `${i / 1000} s` : `${i} ms`} | ${ms(c.stats.p50, '')} / ${ms(c.stats.p99)} | ${n ? `${ms(n.stats.p50, '')} / ${ms(n.stats.p99)}` : '—'} | p99 ≤ ${c.goal} ms | ${mark(c.pass)} |`,
      );
  }
  const t = L['thread-2000'];
  if (t) rows.push(`| thread mode, p99 @2 s | ${ms(t.stats.p99)} | — | ≤ ${t.goal} ms | ${mark(t.pass)} |`);
  const ipc = L['ipc-2000'];
  if (ipc)
    rows.push(
      `| IPC 'disconnect' hint, p50 / p99 @2 s | ${ms(ipc.stats.p50, '')} / ${ms(ipc.stats.p99)} | ${L['naive-2000'] ? `${ms(L['naive-2000'].stats.p50, '')} / ${ms(L['naive-2000'].stats.p99)}` : '—'} | p99 ≤ ${ipc.goal} ms | ${mark(ipc.pass)} |`,
    );
  if (r.zombie)
    rows.push(
      `| parent is a zombie: detected within 10 s | ${r.zombie[1].stats.ok}/${r.zombie[1].stats.n} | ${r.zombie[0].stats.ok}/${r.zombie[0].stats.n} | all | ${mark(r.zombie[1].stats.ok === r.zombie[1].stats.n)} |`,
    );
  if (r.startup) {
    const v = Object.fromEntries(r.startup.variants.map((x) => [x.key, x]));
    rows.push(
      `| start-up, \`--import\` preload vs bare \`node -e 0\` | ×${v.import.ratio.toFixed(3)} (${ms(v.import.stats.p50, '')} vs ${ms(v.bare.stats.p50)}) | — | ≤ ×${GOALS.startupRatio} | ${mark(v.import.ratio <= GOALS.startupRatio)} |`,
    );
  }
  if (r.rss) {
    const v = Object.fromEntries(r.rss.variants.map((x) => [x.key, x]));
    rows.push(
      `| resident memory added (thread mode) | +${v.main.addedMiB.toFixed(2)} MiB (+${v.thread.addedMiB.toFixed(1)} MiB) | ${v.naive.addedMiB >= 0 ? '+' : ''}${v.naive.addedMiB.toFixed(2)} MiB | ≤ ${GOALS.rssMiB} MiB | ${mark(v.main.addedMiB <= GOALS.rssMiB)} |`,
    );
  }
  if (r.cpu) {
    const v = Object.fromEntries(r.cpu.variants.map((x) => [x.key, x]));
    rows.push(
      `| idle CPU @10 ms / @2 s | ${v['main-10'].addedMsPerS.toFixed(2)} / ${v['main-2000'].addedMsPerS.toFixed(3)} ms/s | ${v['naive-10'].addedMsPerS.toFixed(2)} ms/s @10 ms | ≤ ${GOALS.cpuAt10MsPerS} ms/s @10 ms | ${mark(v['main-10'].addedMsPerS <= GOALS.cpuAt10MsPerS)} |`,
    );
  }
  if (r.scale) {
    const slow = r.scale.find((x) => x.interval === 2000 && !x.thread);
    const fast = r.scale.find((x) => x.interval === 100 && !x.thread);
    if (slow && fast) {
      rows.push(
        `| ${slow.n} workers killed at once, @2 s / @100 ms: last gone | ${ms(slow.lastMs, '')} / ${ms(fast.lastMs)} | — | ≤ ${slow.goal} / ${fast.goal} ms | ${mark(slow.pass && fast.pass)} |`,
      );
    } else {
      const s = slow ?? fast ?? r.scale[0];
      rows.push(
        `| ${s.n} workers killed at once @${s.interval} ms: last gone | ${ms(s.lastMs)} | — | ≤ ${s.goal} ms | ${mark(s.pass)} |`,
      );
    }
  }
  if (r.grpc && !r.grpc.skipped) {
    const [idle, stream] = r.grpc.rows;
    rows.push(
      `| gRPC orphan → port free, idle / open stream @${r.grpc.interval} ms | ${ms(idle.portFree.p50, '')} / ${ms(stream.portFree.p50)} | — | — | |`,
    );
  }
  const m = r.machine;
  const pipe = pipeGoalsTable(r);
  const pipeText = pipe.length
    ? `**The lifeline pipe and stdin's end** (start-up and memory over the minimal preload):\n\n${pipe.join('\n')}\n\n`
    : '';
  return `${rows.length > 2 ? `${rows.join('\n')}\n\n` : ''}${pipeText}<sub>${m.date.slice(0, 10)}, ${m.cores} cores (${m.model}), Node ${m.node}, Linux ${m.kernel}; medians and p99 over ${SAMPLES} real orphanings per row (${EVENT_SAMPLES} for the lifeline pipe's, the IPC hint's and the stdio hang-up's). Full report: [results/latest.md](results/latest.md), chart: [results/latency.svg](results/latency.svg).</sub>\n`;
}

/** summary.md: the root README's few lines, every number from the run. */
export function summary(r) {
  const L = Object.fromEntries((r.latency ?? []).map((c) => [c.key, c]));
  const P = Object.fromEntries((r.pipe?.configs ?? []).map((c) => [c.key, c]));
  const S = Object.fromEntries((r.stdio?.configs ?? []).map((c) => [c.key, c]));
  const lines = [];
  const poll = INTERVALS.map((i) => L[`main-${i}`]).filter(Boolean);
  if (poll.length)
    lines.push(
      `- **Poll mode**: gone within one interval plus a few milliseconds (p50 / p99 ${poll.map((c) => `${ms(c.stats.p50, '')} / ${ms(c.stats.p99)} @${c.interval >= 1000 ? `${c.interval / 1000} s` : `${c.interval} ms`}`).join(', ')}), the naive \`kill(ppid, 0)\` watcher's bound${r.zombie ? ` — which never notices a parent that died as a zombie (${r.zombie[0].stats.ok}/${r.zombie[0].stats.n}; Lifeline ${r.zombie[1].stats.ok}/${r.zombie[1].stats.n})` : ''}.`,
    );
  const fast = [
    L['ipc-2000'] && `the IPC hint ${ms(L['ipc-2000'].stats.p50)}`,
    P['pipe-node'] && `the lifeline pipe ${ms(P['pipe-node'].stats.p50)}`,
    r.stdin && `stdin's end ${ms(r.stdin.stats.p50)}`,
    S['stdio-node'] &&
      `stdout's and stderr's reader (no pipe, no IPC) ${ms(S['stdio-node'].stats.p50)} (Node supervisor) / ${ms(S['stdio-python']?.stats.p50)} (Python supervisor)`,
  ].filter(Boolean);
  if (fast.length) lines.push(`- **Hints**, whatever the interval (p50 at 2 s): ${fast.join(', ')}.`);
  if (r.startup && r.rss) {
    const sh = startupShares(r.startup);
    const main = r.rss.variants.find((v) => v.key === 'main');
    const plus = (v) => `${v >= 0 ? '+' : ''}${ms(v)}`;
    if (sh.importMs !== undefined && main)
      lines.push(
        `- **Cost while waiting**: the preload adds ${plus(sh.importMs)} (\`--import\`) / ${plus(sh.requireMs)} (\`-r\`) of start-up over a minimal preload (the two variables, the ppid, one timer) and +${(main.ownMiB ?? main.addedMiB).toFixed(2)} MiB of resident memory; one timer tick per interval.`,
      );
  }
  const floor = floorSummary(r);
  if (floor) lines.push(floor);
  const m = r.machine;
  lines.push(
    '',
    `<sub>${m.date.slice(0, 10)}, ${m.cores} cores (${m.model}), Node ${m.node}; medians over ${SAMPLES} real orphanings per row (${EVENT_SAMPLES} for the pipe's, the IPC hint's and the stdio hang-up's).</sub>`,
  );
  return `${lines.join('\n')}\n`;
}
