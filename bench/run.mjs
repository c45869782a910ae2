// `pnpm bench`: Lifeline's benchmarks, side by side with the naive watcher, in one run.
// Writes bench/results/latest.md, latest.json, latency.svg, headline.md and summary.md. See bench/README.md.
//
//   BENCH_QUICK=1        a fast smoke run (few samples; results go to bench/results/quick/)
//   BENCH_ONLY=a,b       run only these sections: latency, zombie, startup, rss, cpu, scale, grpc, supervisor,
//                        pipe, pipescale, stdin, stdio
//   BENCH_SAMPLES=40     orphanings per latency configuration
//   BENCH_REPORT_ONLY=1  re-render latest.md, headline.md, summary.md and latency.svg from latest.json
//
// BENCH_QUICK and BENCH_SAMPLES are read in lib/config.mjs: the sections and the report need them too.
// Each section is one async function in sections/<name>.mjs; the helpers they share are in lib/, the
// rendering of latest.md, headline.md and latency.svg in report/.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUT, QUICK, log, t0 } from './lib/config.mjs';
import { backgroundLoad, busyBetween, cpuJiffies, machine } from './lib/machine.mjs';
import { ROOT, cleanupAll } from './lib/tree.mjs';
import { chart } from './report/chart.mjs';
import { headline, summary } from './report/headline.mjs';
import { report } from './report/latest.mjs';
import { cpuIdle } from './sections/cpu.mjs';
import { grpcBench } from './sections/grpc.mjs';
import { latency } from './sections/latency.mjs';
import { pipeScale } from './sections/pipe-scale.mjs';
import { pipe } from './sections/pipe.mjs';
import { rss } from './sections/rss.mjs';
import { scale } from './sections/scale.mjs';
import { startup } from './sections/startup.mjs';
import { stdinBench } from './sections/stdin.mjs';
import { stdioBench } from './sections/stdio.mjs';
import { supervisorBench } from './sections/supervisor.mjs';
import { zombie } from './sections/zombie.mjs';

const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : null;

process.on('exit', cleanupAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    cleanupAll();
    process.exit(130);
  });
}
process.on('uncaughtException', (error) => {
  console.error(error);
  cleanupAll();
  process.exit(1);
});
process.on('unhandledRejection', (error) => {
  console.error(error);
  cleanupAll();
  process.exit(1);
});

const want = (section) => !ONLY || ONLY.has(section);

async function main() {
  mkdirSync(OUT, { recursive: true });
  if (process.env.BENCH_REPORT_ONLY === '1') {
    // Re-render the report from the last run's latest.json (after a change to the report's text).
    const r = JSON.parse(readFileSync(join(OUT, 'latest.json'), 'utf8'));
    writeFileSync(join(OUT, 'latest.md'), report(r, r.elapsedS));
    writeFileSync(join(OUT, 'headline.md'), headline(r));
    writeFileSync(join(OUT, 'summary.md'), summary(r));
    if (r.latency || r.zombie || r.pipe || r.stdin || r.stdio) writeFileSync(join(OUT, 'latency.svg'), chart(r));
    log('re-rendered from latest.json');
    return;
  }
  const r = { machine: machine() };
  log(
    `machine: ${r.machine.cores} cores, ${r.machine.model}, node ${r.machine.node}, PID 1 ${r.machine.pid1}${QUICK ? ' — QUICK run' : ''}`,
  );
  if (!existsSync(join(ROOT, 'packages', 'parent-watch', 'dist', 'register.js')))
    throw new Error('run `pnpm run build` first (pnpm bench does)');
  r.machine.backgroundBefore = await backgroundLoad();
  log(
    `background load (the bench idle): ${(r.machine.backgroundBefore * 100).toFixed(0)}% of ${r.machine.cores} cores`,
  );
  r.sectionBusy = {};
  const section = async (name, fn) => {
    if (!want(name)) return undefined;
    const a = cpuJiffies();
    const result = await fn();
    r.sectionBusy[name] = busyBetween(a, cpuJiffies());
    return result;
  };
  r.startup = await section('startup', startup);
  r.rss = await section('rss', rss);
  r.latency = await section('latency', latency);
  r.zombie = await section('zombie', zombie);
  if (r.zombie) r.zombieValues = r.zombie.map((z) => z.values);
  r.cpu = await section('cpu', cpuIdle);
  r.scale = await section('scale', scale);
  r.grpc = await section('grpc', grpcBench);
  r.supervisor = await section('supervisor', supervisorBench);
  r.pipe = await section('pipe', pipe);
  r.pipeScale = await section('pipescale', pipeScale);
  r.stdin = await section('stdin', stdinBench);
  r.stdio = await section('stdio', stdioBench);
  r.machine.backgroundAfter = await backgroundLoad();
  r.machine.loadavgAtEnd = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const elapsedS = (Date.now() - t0) / 1000;
  r.elapsedS = elapsedS;
  writeFileSync(join(OUT, 'latest.json'), JSON.stringify(r, null, 1) + '\n');
  writeFileSync(join(OUT, 'latest.md'), report(r, elapsedS));
  writeFileSync(join(OUT, 'headline.md'), headline(r));
  writeFileSync(join(OUT, 'summary.md'), summary(r));
  if (r.latency || r.zombie || r.pipe || r.stdin || r.stdio) writeFileSync(join(OUT, 'latency.svg'), chart(r));
  log(`done in ${elapsedS.toFixed(0)} s: ${join(OUT, 'latest.md')}`);
  cleanupAll();
}

await main();
