// Idle workers started directly by the bench (its children: no reaper, no middle), and what /proc says about
// a worker: resident memory, CPU ticks. Used by the rss, cpu and scale sections.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readStat } from '@lifeline/parent-watch/proc';
import { cleanEnv } from './config.mjs';
import { ROOT, removeDir, sleep, tempDir, trackPid, untrackPid } from './tree.mjs';

/** Start `n` idle workers directly (children of the bench), resolve with their pids once all are ready. */
export async function idleWorkers(n, args, env) {
  const dir = tempDir();
  const pids = [];
  const files = [];
  for (let i = 0; i < n; i++) {
    const file = join(dir, `ready-${i}`);
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...cleanEnv(), ...env, BENCH_READY: file },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    trackPid(child.pid);
    pids.push(child.pid);
    files.push(file);
    while (!existsSync(file)) await sleep(5); // one at a time: start-up does not overlap the others
  }
  return {
    pids,
    stop() {
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {}
        untrackPid(pid);
      }
      removeDir(dir);
    },
  };
}

export function vmRssKiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : null;
}

export function ticksOf(pids) {
  return pids.map((pid) => readStat(pid)?.cpuTicks ?? 0);
}
