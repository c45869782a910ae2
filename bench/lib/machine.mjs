// The machine: how busy all of it is (CPU jiffies of every process, the bench's and everyone else's), and
// its description at the top of the report.
import { existsSync, readFileSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';
import { readStat } from '@lifeline/parent-watch/proc';
import { CLK_TCK, QUICK } from './config.mjs';
import { sleep } from './tree.mjs';

/** Aggregate CPU jiffies of the whole machine (all processes, not only the bench's). */
export function cpuJiffies() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + (f[4] ?? 0);
  const total = f.reduce((a, b) => a + b, 0);
  return { idle, total };
}
/** Fraction of all cores busy between two cpuJiffies() readings. */
export const busyBetween = (a, b) => 1 - (b.idle - a.idle) / Math.max(1, b.total - a.total);
/** Background load: how busy the machine is while the bench itself does nothing. */
export async function backgroundLoad(ms = 2000) {
  const a = cpuJiffies();
  await sleep(ms);
  return busyBetween(a, cpuJiffies());
}
export function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const loadavg = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const reaper = readStat(1)?.comm ?? '?';
  return {
    date: new Date().toISOString(),
    cores: cpus().length,
    model,
    memGiB: (totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    kernel: release(),
    clkTck: CLK_TCK,
    pid1: reaper,
    // How the orphan path finds descendants: the per-thread children lists, or a scan of all of /proc.
    procChildren: existsSync(`/proc/self/task/${process.pid}/children`),
    loadavgAtStart: loadavg,
    quick: QUICK,
  };
}
