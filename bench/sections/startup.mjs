// Section "startup": wall time of `node -e 0` with and without the preload (and empty-module controls).
// The preload is given by path, as its controls are (REGISTER_FILES); by package name, shown apart, it
// also pays the resolution of a package specifier. The environment is minimal:
// NODE_EXTRA_CA_CERTS (set on some machines) makes every start read a certificate bundle, tens of
// milliseconds of noise under the few that are measured here.
import { spawnSync } from 'node:child_process';
import { basename, join } from 'node:path';
import { QUICK, REGISTER, REGISTER_FILES, cleanEnv, log } from '../lib/config.mjs';
import { median, ms, percentile, summary } from '../lib/stats.mjs';
import { GOALS } from '../report/goals.mjs';
import { FIXTURES, ROOT, nowNs } from '../lib/tree.mjs';

/** An application that waits one timer: the preload's first-turn work runs before it ends. */
const ONE_TURN = 'setTimeout(() => {}, 1)';

function timedRun(args, env) {
  const start = nowNs();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, env, stdio: 'ignore' });
  const elapsed = Number(nowNs() - start) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${r.status}`);
  return elapsed;
}

export async function startup() {
  const runs = QUICK ? 8 : 100;
  // The goal's two ratios (each preload over the minimal one given the same way) get more rounds: their
  // median moved by ±0.01 between runs of the same code at 100, which is a third of what they measure.
  const goalRuns = QUICK ? 8 : 300;
  const env = cleanEnv();
  delete env.NODE_EXTRA_CA_CERTS;
  const { import: imported, require: required, esm } = REGISTER_FILES;
  const variants = [
    { key: 'bare', label: 'node -e 0', args: ['-e', '0'], env },
    {
      key: 'import-empty',
      label: 'node --import <empty module> -e 0 (control)',
      args: ['--import', join(FIXTURES, 'empty.mjs'), '-e', '0'],
      env,
    },
    // The control of the preload: a minimal one that reads LocalAI's two variables, captures the ppid and
    // arms one unref'd timer (fixtures/minimal-preload.cjs) — the least any poll watcher does at start.
    {
      key: 'import-minimal',
      label: 'node --import <minimal preload> -e 0 (control)',
      args: ['--import', join(FIXTURES, 'minimal-preload.cjs'), '-e', '0'],
      env,
    },
    {
      key: 'import',
      label: 'node --import <register.cjs> -e 0',
      args: ['--import', imported, '-e', '0'],
      env,
      control: 'import-minimal',
    },
    // The ES module build (what bundlers get), by path: why Node is given the CommonJS entry for `import`.
    {
      key: 'import-esm',
      label: 'node --import <register.js, the ES module build> -e 0',
      args: ['--import', esm, '-e', '0'],
      env,
      control: 'import-minimal',
    },
    {
      key: 'import-name',
      label: `node --import ${REGISTER} -e 0`,
      args: ['--import', REGISTER, '-e', '0'],
      env,
      control: 'import-minimal',
    },
    {
      key: 'require-empty',
      label: 'node -r <empty module> -e 0 (control)',
      args: ['-r', join(FIXTURES, 'empty.cjs'), '-e', '0'],
      env,
    },
    {
      key: 'require-minimal',
      label: 'node -r <minimal preload> -e 0 (control)',
      args: ['-r', join(FIXTURES, 'minimal-preload.cjs'), '-e', '0'],
      env,
    },
    {
      key: 'require',
      label: `node -r <${basename(required)}> -e 0`,
      args: ['-r', required, '-e', '0'],
      env,
      control: 'require-minimal',
    },
    // An application that lives through the first turn of the event loop, where the preload loads what it
    // does after start (its run half, and the stdio hint's wait): the cost moved there, not gone.
    {
      key: 'turn-minimal',
      label: 'node --import <minimal preload> -e <one turn> (control)',
      args: ['--import', join(FIXTURES, 'minimal-preload.cjs'), '-e', ONE_TURN],
      env,
    },
    {
      key: 'turn',
      label: 'node --import <register.cjs> -e <one turn>',
      args: ['--import', imported, '-e', ONE_TURN],
      env,
      control: 'turn-minimal',
    },
    {
      key: 'thread',
      label: `… --import, LIFELINE_PARENT_WATCH_THREAD=1`,
      args: ['--import', imported, '-e', '0'],
      env: { ...env, LIFELINE_PARENT_WATCH_THREAD: '1' },
      control: 'import-minimal',
    },
  ];
  for (const v of variants) v.times = [];
  for (let i = 0; i < 3; i++) for (const v of variants) timedRun(v.args, v.env); // warm the page cache
  for (let i = 0; i < runs; i++) {
    // Interleaved, with the order rotated each round: drift hits every variant alike.
    for (let j = 0; j < variants.length; j++) {
      const v = variants[(i + j) % variants.length];
      v.times.push(timedRun(v.args, v.env));
    }
  }
  // The extra rounds: the goal's pairs and the bare start, same rotation; appended, so that every other
  // variant's first rounds still pair with theirs.
  const goal = variants.filter((v) =>
    ['bare', 'import-minimal', 'import', 'require-minimal', 'require'].includes(v.key),
  );
  for (let i = runs; i < goalRuns; i++) {
    for (let j = 0; j < goal.length; j++) {
      const v = goal[(i + j) % goal.length];
      v.times.push(timedRun(v.args, v.env));
    }
  }
  const bare = median(variants[0].times);
  for (const v of variants) {
    v.stats = summary(v.times);
    v.ratio = v.stats.p50 / bare;
    // Paired ratios (same round): a spread for the ratio itself.
    const pairs = v.times.map((t, i) => t / variants[0].times[i]);
    v.ratioP10 = percentile(pairs, 0.1);
    v.ratioP90 = percentile(pairs, 0.9);
    if (v.control) {
      // Lifeline's share: over the minimal preload, the same way (--import / -r).
      // The median of the same round's differences: the machine's drift between rounds (which moves the
      // medians of whole variants by more than the ~1 ms measured here) cancels out.
      const control = variants.find((x) => x.key === v.control);
      const controlMs = median(control.times);
      const diffs = v.times.map((t, i) => t - control.times[i]);
      v.ownMs = median(diffs);
      v.share = (controlMs + v.ownMs) / controlMs;
      v.shareP10 = (controlMs + percentile(diffs, 0.1)) / controlMs;
      v.shareP90 = (controlMs + percentile(diffs, 0.9)) / controlMs;
      // The goal's measure: the median of the same rounds' ratios over the control.
      v.controlRatio = median(v.times.map((t, i) => t / control.times[i]));
      v.controlPass = v.controlRatio <= GOALS.shareMax;
    }
    delete v.env;
    log(
      `startup ${v.label.padEnd(52)} median ${ms(v.stats.p50)} (p10 ${ms(v.stats.p10)}, p90 ${ms(v.stats.p90)})  ×${v.ratio.toFixed(3)}${v.control ? `, over ${v.control} ${v.ownMs >= 0 ? '+' : ''}${ms(v.ownMs)} ×${v.share.toFixed(3)}, paired ratio median ×${v.controlRatio.toFixed(3)} (goal ≤ ×${GOALS.shareMax})` : ''}`,
    );
  }
  return { runs, goalRuns, variants };
}
