// Section "rss": resident memory of an idle worker, bare, preloaded (main loop, thread) and naive.
import { join } from 'node:path';
import { IDLE, NAIVE, QUICK, REGISTER, REGISTER_FILES, log } from '../lib/config.mjs';
import { median } from '../lib/stats.mjs';
import { FIXTURES, sleep } from '../lib/tree.mjs';
import { idleWorkers, vmRssKiB } from '../lib/workers.mjs';

export async function rss() {
  const n = QUICK ? 3 : 7;
  const variants = [
    { key: 'bare', label: 'bare idle node', args: [IDLE], env: {} },
    {
      key: 'import-empty',
      label: '--import <empty module> (control)',
      args: ['--import', join(FIXTURES, 'empty.mjs'), IDLE],
      env: {},
    },
    // The control of the preload, as for start-up: the minimal preload given the same way. A CommonJS file
    // given to --import costs Node's CommonJS lexer beside its ESM loader; the empty module above does not.
    // Its default interval is 2 s: it reads the variable as a number of milliseconds, no Go durations.
    {
      key: 'import-minimal',
      label: '--import <minimal preload> (control)',
      args: ['--import', join(FIXTURES, 'minimal-preload.cjs'), IDLE],
      env: {},
    },
    {
      key: 'main',
      label: 'preload, main loop (2 s)',
      args: ['--import', REGISTER_FILES.import, IDLE],
      env: { LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '2s' },
    },
    {
      key: 'main-name',
      label: 'same, by package name',
      args: ['--import', REGISTER, IDLE],
      env: { LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '2s' },
    },
    {
      key: 'main-esm',
      label: 'same, the ES module build by path',
      args: ['--import', REGISTER_FILES.esm, IDLE],
      env: { LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '2s' },
    },
    {
      key: 'thread',
      label: 'preload, thread mode (2 s)',
      args: ['--import', REGISTER_FILES.import, IDLE],
      env: { LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '2s', LIFELINE_PARENT_WATCH_THREAD: '1' },
    },
    { key: 'naive', label: 'naive watcher (2 s)', args: [NAIVE], env: { BENCH_NAIVE_INTERVAL: '2000' } },
  ];
  const groups = [];
  // Interleave: worker k of every variant, then worker k+1…
  for (const v of variants) v.pids = [];
  for (let i = 0; i < n; i++) {
    for (const v of variants) {
      const g = await idleWorkers(1, v.args, v.env);
      groups.push(g);
      v.pids.push(g.pids[0]);
    }
  }
  await sleep(2000);
  for (const v of variants) v.kib = v.pids.map(vmRssKiB);
  for (const g of groups) g.stop();
  const bare = median(variants[0].kib);
  const emptyPreload = median(variants.find((v) => v.key === 'import-empty').kib);
  const minimalPreload = median(variants.find((v) => v.key === 'import-minimal').kib);
  for (const v of variants) {
    v.medianMiB = median(v.kib) / 1024;
    v.addedMiB = (median(v.kib) - bare) / 1024;
    // Lifeline's own share: over the minimal preload given the same way (what any such preload costs), and
    // over an empty ES module (what --import costs by itself).
    if (v.args[0] === '--import' && !v.key.startsWith('import-')) {
      v.ownMiB = (median(v.kib) - minimalPreload) / 1024;
      v.overEmptyMiB = (median(v.kib) - emptyPreload) / 1024;
    }
    v.spreadMiB = [Math.min(...v.kib) / 1024, Math.max(...v.kib) / 1024];
    delete v.pids;
    delete v.env;
    log(
      `rss ${v.label.padEnd(34)} median ${v.medianMiB.toFixed(1)} MiB, added ${v.addedMiB.toFixed(2)} MiB${v.ownMiB === undefined ? '' : `, over the minimal preload ${v.ownMiB.toFixed(2)} MiB, over an empty module ${v.overEmptyMiB.toFixed(2)} MiB`}`,
    );
  }
  return { n, variants };
}
