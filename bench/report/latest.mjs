// latest.md: the machine, every section's tables, and the reading.
import { BATCH, EVENT_SAMPLES, IPC_BATCH, QUICK, SAMPLES } from '../lib/config.mjs';
import { mark, ms, latencyCells } from '../lib/stats.mjs';
import { floorSection } from './floor.mjs';
import { pipeReading, pipeSection } from './pipe.mjs';
import { reading } from './reading.mjs';
import { stdioReading, stdioSection } from './stdio.mjs';
import { GOALS } from './goals.mjs';

function latencyTable(configs) {
  const lines = [
    '| configuration | n | detected | min | p50 | p90 | p99 | max | goal (p99) | |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|:-:|',
  ];
  for (const c of configs) {
    const s = c.stats;
    lines.push(
      `| ${c.label} | ${latencyCells(s)} | ${c.goal === null ? 'baseline' : `≤ ${c.goal} ms`} | ${mark(c.pass)} |`,
    );
  }
  return lines.join('\n');
}

export function report(r, elapsedS) {
  const m = r.machine;
  const md = [];
  md.push(`# Lifeline benchmark results${QUICK ? ' (QUICK smoke run — not representative)' : ''}`);
  md.push('');
  md.push(`Run on **${m.date.slice(0, 10)}** (${m.date}) by \`pnpm bench\` in ${elapsedS.toFixed(0)} s.`);
  md.push('');
  md.push(
    `Machine: **${m.cores} cores**, ${m.model}, ${m.memGiB} GiB RAM, Linux ${m.kernel}, **Node ${m.node}**, CLK_TCK ${m.clkTck}, PID 1 \`${m.pid1}\`, descendants found ${m.procChildren ? 'through /proc/<pid>/task/<tid>/children' : 'by scanning all of /proc (no children lists on this kernel)'}.`,
  );
  md.push('');
  if (m.backgroundBefore !== undefined) {
    md.push(
      `Other work on the machine (a shared development box): ${(m.backgroundBefore * 100).toFixed(0)}% of the ${m.cores} cores busy before the run and ${(m.backgroundAfter * 100).toFixed(0)}% after it, measured over 2 s while the bench was idle; load average ${m.loadavgAtStart} at the start, ${m.loadavgAtEnd} at the end. Whole-machine CPU busy during each section (the bench's own work included): ${Object.entries(
        r.sectionBusy ?? {},
      )
        .map(([k, v]) => `${k} ${(v * 100).toFixed(0)}%`)
        .join(', ')}.`,
    );
    md.push('');
  }
  md.push(
    "Method in short (details in [bench/README.md](../README.md)): each tree is `bench → reaper.py → middle → workers`; `reaper.py` is a child subreaper that takes CLOCK_MONOTONIC right before `kill(middle, SIGKILL)` and records each worker's exit time exactly through a pidfd (no polling). Latency = worker exited − parent SIGKILLed, so it includes the detection, the orphan line, the descendant scan and `process.exit`. Percentiles are linearly interpolated (with n = 40, p99 lies between the two largest samples).",
  );
  md.push('');
  md.push('![latency distributions](latency.svg)');
  md.push('');

  if (r.latency) {
    md.push('## Detection latency: parent SIGKILLed → worker gone');
    md.push('');
    md.push(
      `${SAMPLES} orphanings per poll configuration. Poll configurations: batches of ${BATCH} workers under one middle, killed at once; worker i of a batch is started at a time ≡ i·interval/${BATCH} (mod interval) after the first, so the poll phases at the kill cover the interval evenly and the exits are spread out too. IPC-hint configurations: ${EVENT_SAMPLES} orphanings each (their floors too), in batches of ${IPC_BATCH} (every worker of a batch is woken by the hint at the same moment; 20 at once would measure 20 exits queueing on 2 cores). Every batch waits until all its workers are ready, then 300–500 ms, before the kill. "min" is the worker whose poll fired first: a bound on the fixed cost (kernel teardown and reparenting, the orphan path, exit) that comes on top of the poll phase.`,
    );
    md.push('');
    md.push(latencyTable(r.latency));
    md.push('');
    md.push(
      `Batch medians (spread between runs): ${r.latency.map((c) => `${c.key} ${c.batches.map((b) => ms(b, '')).join('/')}`).join('; ')} (ms).`,
    );
    md.push('');
  }
  if (r.zombie) {
    md.push('## When the dead parent is a zombie');
    md.push('');
    md.push(
      'The middle is SIGKILLed but its own parent (the reaper) does not wait for it until the end, so it stays a zombie. `kill(ppid, 0)` succeeds on a zombie; the worker has however been reparented (to the subreaper), which Lifeline checks.',
    );
    md.push('');
    md.push('| watcher | detected within 10 s | p50 | p99 | max |');
    md.push('|---|--:|--:|--:|--:|');
    for (const z of r.zombie)
      md.push(
        `| ${z.label} | **${z.stats.ok}/${z.stats.n}** | ${ms(z.stats.p50)} | ${ms(z.stats.p99)} | ${ms(z.stats.max)} |`,
      );
    md.push('');
  }
  if (r.startup || r.rss || r.cpu) md.push('## Cost while waiting', '');
  if (r.startup) {
    md.push(
      `### Start-up (${r.startup.runs} runs each${r.startup.goalRuns > r.startup.runs ? `; ${r.startup.goalRuns} for \`node -e 0\`, the two preloads and their controls` : ''}, interleaved, rotated order; wall time of spawnSync)`,
    );
    md.push('');
    md.push(
      '| command | median | p10 | p90 | ratio of medians | paired ratio p10–p90 | share over its control preload (paired p10–p90) | goal | |',
    );
    md.push('|---|--:|--:|--:|--:|--:|--:|--:|:-:|');
    const byKey = Object.fromEntries(r.startup.variants.map((x) => [x.key, x]));
    for (const v of r.startup.variants) {
      const goal = v.key === 'import' || v.key === 'require' ? v.ratio <= GOALS.startupRatio : null;
      const control = v.control ?? { import: 'import-empty', require: 'require-empty', thread: 'import-empty' }[v.key];
      const share = v.share ?? (control ? v.stats.p50 / byKey[control].stats.p50 : null);
      const shareText =
        share === null
          ? ''
          : `×${share.toFixed(3)}${v.shareP10 === undefined ? '' : ` (×${v.shareP10.toFixed(2)}–×${v.shareP90.toFixed(2)})`}`;
      md.push(
        `| \`${v.label}\` | ${ms(v.stats.p50)} | ${ms(v.stats.p10)} | ${ms(v.stats.p90)} | ×${v.ratio.toFixed(3)} | ×${v.ratioP10.toFixed(2)}–×${v.ratioP90.toFixed(2)} | ${shareText} | ${goal === null ? (v.key === 'bare' ? '' : '(reported)') : '≤ ×1.05'} | ${goal === null ? '' : mark(goal)} |`,
      );
    }
    md.push('');
    md.push(
      "The goal column is the first issue's (vs bare `node -e 0`); the share over the control preload (the minimal one: the two variables, the ppid, one timer) is judged in the goals table of the lifeline pipe below.",
    );
    md.push('');
  }
  if (r.rss) {
    md.push(`### Resident memory (VmRSS of an idle worker 2 s after ready; median of ${r.rss.n})`);
    md.push('');
    md.push('| worker | median RSS | min–max | added vs bare | goal | |');
    md.push('|---|--:|--:|--:|--:|:-:|');
    for (const v of r.rss.variants) {
      const goal = v.key === 'main' ? v.addedMiB <= GOALS.rssMiB : null;
      md.push(
        `| ${v.label} | ${v.medianMiB.toFixed(1)} MiB | ${v.spreadMiB[0].toFixed(1)}–${v.spreadMiB[1].toFixed(1)} MiB | ${v.key === 'bare' ? '' : `${v.addedMiB >= 0 ? '+' : ''}${v.addedMiB.toFixed(2)} MiB`} | ${v.key === 'main' ? '≤ 2 MiB' : v.key === 'thread' ? '(reported)' : ''} | ${goal === null ? '' : mark(goal)} |`,
      );
    }
    md.push('');
  }
  if (r.cpu) {
    md.push(
      `### CPU of an idle watched worker (${r.cpu.k} workers per row, utime+stime from /proc/<pid>/stat over ${r.cpu.windowS} s; resolution ${r.cpu.resolutionMsPerS.toFixed(3)} ms/s per worker)`,
    );
    md.push('');
    md.push('| worker | CPU per worker | added vs bare | goal | |');
    md.push('|---|--:|--:|--:|:-:|');
    for (const v of r.cpu.variants) {
      const goal = v.key === 'main-10' ? v.addedMsPerS <= GOALS.cpuAt10MsPerS : null;
      md.push(
        `| ${v.label} | ${v.msPerS.toFixed(3)} ms/s | ${v.key === 'bare' ? '' : `${v.addedMsPerS.toFixed(3)} ms/s`} | ${v.key === 'main-10' ? `≤ ${GOALS.cpuAt10MsPerS} ms/s` : ''} | ${goal === null ? '' : mark(goal)} |`,
      );
    }
    md.push('');
  }
  if (r.scale) {
    md.push('## Scale: workers under one parent SIGKILLed at once (2 cores)');
    md.push('');
    md.push('| configuration | start-up of all | RSS of all | idle CPU of all | p50 | p99 | last gone | goal | |');
    md.push('|---|--:|--:|--:|--:|--:|--:|--:|:-:|');
    for (const s of r.scale)
      md.push(
        `| ${s.label} | ${s.startS.toFixed(1)} s | ${s.rssGiB.toFixed(2)} GiB | ${s.cpuMsPerS.toFixed(1)} ms/s | ${ms(s.stats.p50)} | ${ms(s.stats.p99)} | ${ms(s.lastMs)} (${s.stats.ok}/${s.stats.n}) | ≤ ${s.goal} ms | ${mark(s.pass)} |`,
      );
    md.push('');
  }
  if (r.grpc) {
    md.push('## gRPC worker (`@lifeline/grpc-bootstrap` createServer)');
    md.push('');
    if (r.grpc.skipped) md.push(`Skipped: ${r.grpc.skipped}`);
    else {
      md.push(
        `${r.grpc.samples} orphanings per row, interval ${r.grpc.interval} ms, grace ${r.grpc.grace} ms. "Port free" = the port left LISTEN in /proc/net/tcp (polled every ~1 ms by the bench).`,
      );
      md.push('');
      md.push('| case | port free p50 | port free max | process gone p50 | process gone max |');
      md.push('|---|--:|--:|--:|--:|');
      for (const g of r.grpc.rows)
        md.push(
          `| ${g.label} | ${ms(g.portFree.p50)} | ${ms(g.portFree.max)} | ${ms(g.gone.p50)} | ${ms(g.gone.max)} |`,
        );
    }
    md.push('');
  }
  if (r.supervisor) {
    md.push('## Supervisor (`@lifeline/supervisor`)');
    md.push('');
    if (r.supervisor.skipped) md.push(`Skipped: ${r.supervisor.skipped}`);
    else {
      md.push(
        `Liveness probe of a running process: ${r.supervisor.iterations} calls × ${r.supervisor.rounds} rounds, interleaved.`,
      );
      md.push('');
      md.push('| probe | median per call | min–max of rounds |');
      md.push('|---|--:|--:|');
      for (const p of r.supervisor.probes)
        md.push(
          `| ${p.label} | ${p.medianUs.toFixed(2)} µs | ${p.spreadUs[0].toFixed(2)}–${p.spreadUs[1].toFixed(2)} µs |`,
        );
      md.push('');
      md.push(
        '`stop()` of a process group (SIGTERM to the group, SIGKILL at the grace), from the call until it resolves:',
      );
      md.push('');
      md.push('| group | n | p50 | max |');
      md.push('|---|--:|--:|--:|');
      for (const s of r.supervisor.stops)
        md.push(`| ${s.label} | ${s.stats.n} | ${ms(s.stats.p50)} | ${ms(s.stats.max)} |`);
    }
    md.push('');
  }
  md.push(...pipeSection(r));
  md.push(...stdioSection(r));
  md.push(...floorSection(r));
  md.push('## Reading');
  md.push('');
  md.push(...reading(r), ...pipeReading(r), ...stdioReading(r));
  md.push('');
  return md.join('\n');
}
