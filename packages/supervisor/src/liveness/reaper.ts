import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { MAX_TIMER_MS } from '@lifeline/core/duration';
import { integerArg } from '@lifeline/core/errors';
import { platformFacts } from '@lifeline/core/platform';
import { hasProcfs, readStat } from '@lifeline/core/proc/stat';
import { pollUntil } from '@lifeline/core/timers';

/** Who adopts this process's orphans, as measured by {@link probeOrphanReaper}. */
export interface ReaperProbe {
  /** The pid the orphaned probe was re-parented to (as seen from this PID namespace; 0 = outside it). */
  pid: number;
  /** Its command name, or `'?'`. */
  comm: string;
  /** Whether it is PID 1 (init of this namespace); otherwise it is a subreaper (or this namespace's parent side). */
  init: boolean;
  /** Whether it reaped the probe once it exited: `false` means orphans pile up as zombies; `null` if unknown (no /proc). */
  reaps: boolean | null;
}

// The middle process: starts the grandchild, then exits at once so that the grandchild is orphaned.
const MIDDLE = `const {spawn}=require('child_process');const g=spawn(process.execPath,['-e',process.argv[1],String(process.pid)],{stdio:['ignore','inherit','ignore']});g.on('spawn',()=>process.exit(0));g.on('error',()=>process.exit(1));`;
// The grandchild: waits until its parent (the middle) is gone, then reports who adopted it.
const ORPHAN = `const m=Number(process.argv[1]);const end=Date.now()+3000;(function t(){const p=process.ppid;if(p!==m||Date.now()>end){process.stdout.write(JSON.stringify({pid:process.pid,reaper:p===m?null:p}));return;}setTimeout(t,5);})();`;

/**
 * Measure who adopts this process's orphans: start a child that starts a grandchild and exits; the
 * grandchild reports its new parent pid. That pid is PID 1 or the nearest subreaper ancestor
 * (`PR_SET_CHILD_SUBREAPER` is not visible in `/proc`, so this is the only reliable way to see it).
 * Then, on Linux, whether that reaper actually reaps (a Node process as PID 1 does not).
 * Runs two short-lived `node` processes, so it is not for a hot path.
 *
 * @param timeoutMs - give up after this long, in milliseconds. @default 4000
 * @throws {TypeError} (as a rejection) `ERR_INVALID_ARG_TYPE` when `timeoutMs` is not a number;
 *   {RangeError} `ERR_OUT_OF_RANGE` when it is not an integer within 0..2147483647.
 * @returns the reaper, or `null` when the probe could not run or timed out (e.g. Windows).
 * @example
 * ```ts
 * const reaper = await probeOrphanReaper();
 * if (reaper && !reaper.reaps) console.warn(`orphans become zombies of ${reaper.pid} (${reaper.comm})`);
 * ```
 */
export async function probeOrphanReaper(timeoutMs = 4000): Promise<ReaperProbe | null> {
  integerArg('probeOrphanReaper', 'timeoutMs', timeoutMs, 0, MAX_TIMER_MS);
  if (platformFacts().parentDeath !== 'reparenting') return null; // Windows: orphans are adopted by nobody
  const output = await new Promise<string | null>((resolve) => {
    let text = '';
    let child;
    try {
      child = spawn(process.execPath, ['-e', MIDDLE, ORPHAN], { stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      resolve(null);
      return;
    }
    const timer = setTimeout(() => {
      child.stdout?.destroy();
      resolve(null);
    }, timeoutMs);
    timer.unref();
    child.on('error', () => {
      clearTimeout(timer);
      resolve(null);
    });
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      text += chunk;
    });
    child.stdout?.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
  });
  if (!output) return null;
  let report: { pid?: unknown; reaper?: unknown };
  try {
    report = JSON.parse(output) as { pid?: unknown; reaper?: unknown };
  } catch {
    return null;
  }
  if (typeof report.pid !== 'number' || typeof report.reaper !== 'number') return null;
  const orphan = report.pid;
  const reaper = report.reaper;
  let reaps: boolean | null = null;
  if (hasProcfs()) {
    await pollUntil(() => readStat(orphan) === null, 1000, 20);
    const left = readStat(orphan);
    reaps = left === null ? true : left.state === 'Z' ? false : null;
  }
  return { pid: reaper, comm: readStat(reaper)?.comm ?? '?', init: reaper === 1, reaps };
}

/**
 * Whether a process is a well-known subreaper, judged from its name and command line (Linux does not
 * expose `PR_SET_CHILD_SUBREAPER` in `/proc`). Returns a short explanation, or `undefined`. @internal
 */
export function knownSubreaper(pid: number): string | undefined {
  if (pid <= 1) return undefined;
  const comm = readStat(pid)?.comm ?? '';
  let argv: string[] = [];
  try {
    argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    // not readable
  }
  const args = argv.slice(1);
  if (comm === 'systemd') return 'systemd (not PID 1: a user manager) is a subreaper';
  if (/^(tini|docker-init)$/.test(comm)) {
    return args.includes('-s') ? `${comm} -s is a subreaper` : `${comm} (a subreaper only with -s or TINI_SUBREAPER)`;
  }
  if (comm.startsWith('containerd-shim')) return `${comm} is a subreaper`;
  if (comm === 'conmon') return 'conmon (podman) is a subreaper';
  return undefined;
}
