// The "Reading" of latest.md: what each section's numbers mean, against the goals.
import { CLK_TCK, INTERVALS, SAMPLES } from '../lib/config.mjs';
import { ms } from '../lib/stats.mjs';
import { GOALS } from './goals.mjs';

export function reading(r) {
  const out = [];
  const L = Object.fromEntries((r.latency ?? []).map((c) => [c.key, c]));
  if (r.latency) {
    const poll = r.latency.filter((c) => c.mode === 'main loop' || c.mode === 'thread');
    const missed = poll.filter((c) => !c.pass);
    const diffs = INTERVALS.map(
      (i) => L[`main-${i}`] && L[`naive-${i}`] && L[`main-${i}`].stats.p50 - L[`naive-${i}`].stats.p50,
    ).filter((x) => x !== undefined);
    out.push(
      `- **Poll mode**: ${poll.length - missed.length}/${poll.length} configurations meet p99 ≤ interval + 10 ms. The latency is the poll phase (uniform in [0, interval]) plus a fixed cost: the kernel tearing the parent down and reparenting (a few ms, also paid by the naive watcher), then Lifeline's orphan path — the stderr line, ${r.machine.procChildren ? 'finding descendants to signal by walking /proc/<pid>/task/<tid>/children down from the worker (this kernel has them)' : 'a scan of every /proc/<pid>/stat for descendants to signal (this kernel has no /proc/<pid>/task/<tid>/children)'}, \`process.exit\`. Lifeline's p50 minus the naive p50 at the same interval: ${diffs.map((d) => ms(d)).join(', ')} (at 500 ms and 2 s this difference is within the sampling noise of the phase).${missed.length ? ` Missed: ${missed.map((c) => `${c.label} (p99 ${ms(c.stats.p99)})`).join(', ')}. With ${SAMPLES} samples the p99 is essentially the maximum, so one worker that ran into busy cores decides it; at 100 ms the phase spread puts a worker's exit every 5 ms, so exits overlap on 2 cores, and other jobs on this shared machine (see the top) add to that.` : ''}`,
    );
    for (const key of ['ipc-2000', 'ipc-thread-2000']) {
      const c = L[key];
      if (c)
        out.push(
          `- **${c.label}**: p50 ${ms(c.stats.p50)}, p99 ${ms(c.stats.p99)} against the goal of ${c.goal} ms: ${c.pass ? 'met' : 'missed'}, ${L['main-2000'] ? `${Math.round(L['main-2000'].stats.p50 / c.stats.p50)}× faster than the 2 s poll at the median.` : ''} The IPC channel closes while the kernel tears the supervisor down, just before it reparents the worker; the watcher checks at once on 'disconnect' and again at short delays after it, then takes the exit path as above.${c.pass ? '' : ' The miss is the exit path of many workers at once on 2 cores.'}`,
        );
    }
    const naive = r.latency.filter((c) => c.naive);
    if (naive.length) {
      out.push(
        `- **Naive baseline** (same intervals): p50 ${naive.map((c) => `${ms(c.stats.p50)} @${c.interval}`).join(', ')}; Lifeline's main loop: ${INTERVALS.map(
          (i) => L[`main-${i}`] && `${ms(L[`main-${i}`].stats.p50)} @${i}`,
        )
          .filter(Boolean)
          .join(
            ', ',
          )}. With a prompt reaper both are bounded by the same interval — the naive watcher is slightly cheaper to exit (no descendant scan, no hooks) — but it is wrong when the parent is a zombie (below) and it leaves descendants behind.`,
      );
    }
  }
  if (r.zombie) {
    const [naive, lifeline] = r.zombie;
    out.push(
      `- **Zombie parent**: naive ${naive.stats.ok}/${naive.stats.n} detected within ${naive.timeoutMs / 1000} s; Lifeline ${lifeline.stats.ok}/${lifeline.stats.n} (p99 ${ms(lifeline.stats.p99)}). A supervisor whose own parent does not reap it (a shell script, a Python launcher, a container without init) keeps naive workers alive forever.`,
    );
  }
  if (r.startup) {
    const v = Object.fromEntries(r.startup.variants.map((x) => [x.key, x]));
    out.push(
      // Lifeline's share is read over the minimal preload given the same way (paired rounds): an empty ES
      // module is no control for a CommonJS preload (it alone pays the ESM loader's module path).
      `- **Start-up**: \`--import\` preload ×${v.import.ratio.toFixed(3)} (+${ms(v.import.stats.p50 - v.bare.stats.p50)}), \`-r\` ×${v.require.ratio.toFixed(3)} (+${ms(v.require.stats.p50 - v.bare.stats.p50)}), thread mode ×${v.thread.ratio.toFixed(3)}; goal ≤ ×${GOALS.startupRatio}: ${v.import.ratio <= GOALS.startupRatio && v.require.ratio <= GOALS.startupRatio ? 'met' : 'missed'}. Lifeline's own share, over the minimal preload given the same way (paired rounds): ${ms(v.import.ownMs)} (\`--import\`) / ${ms(v.require.ownMs)} (\`-r\`); the rest is what Node charges any preload: the minimal one alone costs ×${v['import-minimal'].ratio.toFixed(3)} by \`--import\` (Node's ESM loader, before \`-e\`) and ×${v['require-minimal'].ratio.toFixed(3)} by \`-r\`${v['import-esm'] ? `; the ES module build (bundlers') given to \`--import\` by path costs ${ms(v['import-esm'].ownMs - v.import.ownMs)} more than the CommonJS entry Node resolves \`import\` to` : ''}${v.import.ratio > GOALS.startupRatio ? `. The goal allows ${ms(v.bare.stats.p50 * (GOALS.startupRatio - 1))} on this machine, and \`--import\` of the minimal preload alone takes ${ms(v['import-minimal'].stats.p50 - v.bare.stats.p50)}${v['import-minimal'].ratio > GOALS.startupRatio ? ', more than that' : ' of it'}, so with \`--import\` it cannot be met as worded; \`-r\` comes closest` : ''}.`,
    );
  }
  if (r.rss) {
    const v = Object.fromEntries(r.rss.variants.map((x) => [x.key, x]));
    out.push(
      `- **Memory**: +${v.main.addedMiB.toFixed(2)} MiB in main-loop mode (goal ≤ ${GOALS.rssMiB} MiB: ${v.main.addedMiB <= GOALS.rssMiB ? 'met' : 'missed'}${v.main.addedMiB > GOALS.rssMiB ? `; of it, +${v['import-empty'].addedMiB.toFixed(2)} MiB is Node's ESM loader for any \`--import\` (control row)` : ''}); thread mode +${v.thread.addedMiB.toFixed(2)} MiB — a worker thread is a second V8 isolate, which is its price.`,
    );
  }
  if (r.cpu) {
    const v = Object.fromEntries(r.cpu.variants.map((x) => [x.key, x]));
    out.push(
      `- **Idle CPU**: ${v['main-10'].addedMsPerS.toFixed(2)} ms/s at 10 ms (goal ≤ ${GOALS.cpuAt10MsPerS} ms/s: ${v['main-10'].addedMsPerS <= GOALS.cpuAt10MsPerS ? 'met' : 'missed'}), ${v['main-100'].addedMsPerS.toFixed(3)} ms/s at 100 ms, ${v['main-2000'].addedMsPerS.toFixed(3)} ms/s at 2 s (below the ${r.cpu.resolutionMsPerS.toFixed(3)} ms/s resolution of ${CLK_TCK} Hz ticks over ${r.cpu.k} workers × ${r.cpu.windowS} s: read as "≈ 0"). Thread mode at 10 ms: ${v['thread-10'].addedMsPerS.toFixed(2)} ms/s; the naive \`kill(ppid, 0)\` at 10 ms: ${v['naive-10'].addedMsPerS.toFixed(2)} ms/s. Each check reads \`process.ppid\` (a getppid syscall) — the cost is the timer wake-up itself.`,
    );
  }
  if (r.scale) {
    for (const s of r.scale)
      out.push(
        `- **Scale, ${s.label}**: the last was gone ${ms(s.lastMs)} after the SIGKILL (goal ≤ ${s.goal} ms: ${s.pass ? 'met' : 'missed'}); together they used ${s.cpuMsPerS.toFixed(1)} ms/s of CPU while idle (${(s.cpuMsPerS / s.n).toFixed(3)} ms/s each).`,
      );
  }
  if (r.grpc && !r.grpc.skipped) {
    const [idle, stream] = r.grpc.rows;
    out.push(
      `- **gRPC**: idle, the port is free ${ms(idle.portFree.p50)} (median) after the SIGKILL at a ${r.grpc.interval} ms interval; with an endless open stream the listener closes as quickly (tryShutdown stops accepting at once: ${ms(stream.portFree.p50)}), but the process stays until forceShutdown at the ${r.grpc.grace} ms grace deadline (gone at ${ms(stream.gone.p50)}). The port reading is polled (short timers, slower while workers exit), so when it lags the process exit (idle: gone p50 ${ms(idle.gone.p50)}), the exit is the better bound: the listener is closed by then.`,
    );
  }
  if (r.supervisor && !r.supervisor.skipped) {
    const [a, b] = r.supervisor.probes;
    out.push(
      `- **Supervisor**: \`isRunning\` costs ${a.medianUs.toFixed(1)} µs against ${b.medianUs.toFixed(2)} µs for \`kill(pid, 0)\` (×${(a.medianUs / b.medianUs).toFixed(0)}): it opens and parses /proc/<pid>/stat, which is what makes it see zombies; at one call per worker per second it is negligible. \`stop()\` of a cooperative group resolves in ${ms(r.supervisor.stops[0].stats.p50)}; a group that ignores SIGTERM takes the grace plus the SIGKILL (${ms(r.supervisor.stops[1].stats.p50)}).`,
    );
  }
  return out;
}
