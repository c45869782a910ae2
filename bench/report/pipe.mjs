// latest.md's section on the lifeline pipe and stdin's end (the goals table, then each measurement's
// table), its lines in the Reading, and its lines in latency.svg.
import { mark, ms, latencyCells } from '../lib/stats.mjs';
import { pipeGoalsTable } from './pipe-goals.mjs';

export function pipeSection(r) {
  const goals = pipeGoalsTable(r);
  if (goals.length === 0) return [];
  const md = ["## The lifeline pipe and stdin's end: goals", ''];
  md.push(
    "The start-up share is the preload's median over the median of the same preload of an empty module (`--import` / `-r` cost something by themselves), not over bare `node`. Latencies from the SIGKILL of the supervisor (or the close of stdin) to the exit, through pidfds.",
  );
  md.push('', ...goals, '');
  if (r.pipe) {
    const p = r.pipe;
    md.push('### Parent SIGKILLed → worker gone, with the lifeline pipe (@2 s, the default interval)', '');
    md.push(
      `Every tree is \`bench → reaper.py → supervisor → workers\`; the supervisor is \`fixtures/middle.mjs\` starting each worker with \`spawnWorker\` (its default lifeline pipe: a socket pair), or \`fixtures/pipe-middle.py\` (\`os.pipe()\`, \`pass_fds\`, \`LIFELINE_PARENT_FD\`, keeps the write end). Lifeline rows: batches of ${p.batch} workers per supervisor (the pipe's end of file wakes every worker of a tree at once), no phase spreading. Poller rows: \`fixtures/localai-poller.py\` (a thread: \`sleep(2)\`, exit if \`os.getppid()\` changed) in the same trees, batches of ${p.pollerBatch} with the phases spread over the interval.`,
    );
    md.push('');
    md.push('| configuration | n | gone | min | p50 | p90 | p99 | max | goal (p99) | |');
    md.push('|---|--:|--:|--:|--:|--:|--:|--:|--:|:-:|');
    for (const c of p.configs) {
      const s = c.stats;
      md.push(
        `| ${c.label} | ${latencyCells(s)} | ${c.goal === null ? 'baseline' : `≤ ${c.goal} ms`} | ${mark(c.pass)} |`,
      );
    }
    md.push('');
    md.push(
      `Ratio of medians, Lifeline with the pipe / poller: ${p.ratios.map((x) => `${x.label} ${x.ratio === null ? '—' : `×${x.ratio.toFixed(4)}`} ${mark(x.pass)}`).join('; ')} (goal ≤ ${p.ratios[0].goal}).`,
    );
    md.push('');
    md.push(
      `Batch medians: ${p.configs.map((c) => `${c.key} ${c.batches.map((b) => ms(b, '')).join('/')}`).join('; ')} (ms).`,
    );
    md.push('');
  }
  if (r.pipeScale) {
    const s = r.pipeScale;
    md.push('### Many workers with the pipe under one supervisor, SIGKILLed at once (2 cores)', '');
    md.push('| configuration | start-up of all | first gone | p50 | p99 | last gone | goal | |');
    md.push('|---|--:|--:|--:|--:|--:|--:|:-:|');
    md.push(
      `| ${s.label} | ${s.startS.toFixed(1)} s | ${ms(s.stats.min)} | ${ms(s.stats.p50)} | ${ms(s.stats.p99)} | ${ms(s.lastMs)} (${s.stats.ok}/${s.stats.n}) | ≤ ${s.goal} ms | ${mark(s.pass)} |`,
    );
    md.push('');
  }
  if (r.stdin) {
    const st = r.stdin;
    md.push("### stdin's end → worker gone (`LIFELINE_PARENT_WATCH_STDIN=1`, interval 2 s)", '');
    md.push(
      `\`fixtures/stdin-worker.mjs\` (reads its stdin, stays on its own) under the preload; its parent, \`lib/stdin-closer.py\`, holds the write end of each worker's stdin and closes them one at a time, ${st.gapMs} ms apart (batches of ${st.batch} workers), timing close(2) → exit through a pidfd.`,
    );
    md.push('');
    md.push('| case | n | gone | exit code 0 | min | p50 | p90 | p99 | max | goal (p99) | |');
    md.push('|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|:-:|');
    const s = st.stats;
    md.push(
      `| with \`LIFELINE_PARENT_WATCH_STDIN=1\` | ${s.n} | ${s.ok}/${s.n} | ${st.exit0}/${s.n} | ${ms(s.min)} | ${ms(s.p50)} | ${ms(s.p90)} | ${ms(s.p99)} | ${ms(s.max)} | ≤ ${st.goal} ms | ${mark(st.pass)} |`,
    );
    md.push(
      `| control, without it | ${st.control.n} | ${st.control.n - st.control.stayed}/${st.control.n} within ${st.control.waitMs} ms (still running: ${st.control.stayed}) | | | | | | | | |`,
    );
    md.push('');
  }
  return md;
}

export function pipeReading(r) {
  const out = [];
  if (r.pipe) {
    const P = Object.fromEntries(r.pipe.configs.map((c) => [c.key, c]));
    const rows = ['node', 'python'].map((k) => P[`pipe-${k}`]).filter(Boolean);
    const missed = rows.filter((c) => !c.pass);
    out.push(
      `- **Lifeline pipe**: ${rows.map((c) => `${c.label}: p50 ${ms(c.stats.p50)}, p99 ${ms(c.stats.p99)}`).join('; ')} — against ${r.pipe.ratios.map((x) => `${ms(P[`poller-${x.supervisor}`].stats.p50)} (${x.short})`).join(' and ')} for LocalAI's poller at the same 2 s. The pipe's end of file reaches the worker when the kernel closes the dead supervisor's descriptors, just before it reparents the worker; the watcher checks its ppid at once and again at short delays after it. What follows is the orphan path (the stderr line, the descendant walk) and Node's own exit.${missed.length ? ` Goal missed: ${missed.map((c) => `${c.label} (p99 ${ms(c.stats.p99)})`).join(', ')}.` : ''}`,
    );
  }
  if (r.pipeScale) {
    const s = r.pipeScale;
    out.push(
      `- **${s.n} workers with the pipe**: all woken at the same instant, the first gone after ${ms(s.stats.min)}, the last after ${ms(s.lastMs)} (goal ≤ ${s.goal} ms: ${s.pass ? 'met' : 'missed'}) — what remains is ${s.n} orphan paths and exits sharing ${r.machine.cores} cores, not the detection.`,
    );
  }
  if (r.stdin) {
    const st = r.stdin;
    out.push(
      `- **stdin's end**: p50 ${ms(st.stats.p50)}, p99 ${ms(st.stats.p99)} from close(2) in the parent to the exit (goal ≤ ${st.goal} ms: ${st.pass ? 'met' : 'missed'}); ${st.exit0}/${st.stats.n} exited with code 0. Without the variable, ${st.control.stayed}/${st.control.n} were still running ${st.control.waitMs} ms after their stdin ended.`,
    );
  }
  return out;
}

/** latency.svg lines: the pipe rows, the pollers beside them, stdin's end. */
export function pipeSeries(r) {
  const series = [];
  for (const c of r.pipe?.configs ?? [])
    series.push({ label: `${c.label} (p99 ${ms(c.stats.p99)})`, color: c.color, dash: c.dash, values: c.values });
  if (r.stdin)
    series.push({
      label: `stdin's end → gone, opt-in (p99 ${ms(r.stdin.stats.p99)})`,
      color: '#e377c2',
      dash: '',
      values: r.stdin.values,
    });
  return series;
}
