import type { Worker } from 'node:worker_threads';
import { loadBuiltin, nodeFs, nodeUrl } from '@lifeline/core/builtin';
import { warnOnce } from '@lifeline/core/diag';
import { moduleUrl } from '@lifeline/core/module-url';
import type { OrphanCause, WatchTarget } from '../orphan/verdict.js';
import type { Settings } from './options.js';

/** Slots of the Int32Array shared between the main thread and the watchdog. @internal */
export const FLAG = {
  /** 1 once someone (main or watchdog) has claimed the orphaning: the claimant writes the one stderr line. */
  orphaned: 0,
  /** 1 once the main thread has finished its orphan path and is exiting: the watchdog stands down. */
  done: 1,
} as const;

/** Data handed to the watchdog thread. @internal */
export interface WatchdogData {
  flags: Int32Array;
  pid: number;
  target: WatchTarget;
  intervalMs: number;
  graceMs: number;
  killDescendants: boolean;
  exit: boolean;
  exitCode: number;
  raise: NodeJS.Signals | null;
  /** The lifeline pipe, checked usable by the main thread, which then leaves it to this thread. */
  parentFd: number | null;
}

/** What the watchdog is handed for a watcher's settings, with fresh shared flags. @internal */
export function watchdogData(s: Settings, target: WatchTarget, parentFd: number | null): WatchdogData {
  const { intervalMs, graceMs, killDescendants, exit, exitCode, raise } = s;
  const flags = new Int32Array(new SharedArrayBuffer(8));
  return { flags, pid: process.pid, target, intervalMs, graceMs, killDescendants, exit, exitCode, raise, parentFd };
}

/** Messages from the watchdog to the main thread. @internal */
export interface WatchdogMessage {
  type: 'orphan';
  cause: OrphanCause;
  currentParentPid: number;
  detectedAt: number;
}

/**
 * Tell the watchdog once that the main thread runs the orphan path, so that it arms its deadline (and stops
 * polling): what the path calls before it gives control away. `armed`: the watchdog found the orphaning
 * itself and armed it already. @internal
 */
export function tellWatchdog(worker: Worker | undefined, armed: boolean, detectedAt: number): () => void {
  let told = armed;
  return () => {
    if (told) return;
    told = true;
    worker?.postMessage({ type: 'orphaned', detectedAt });
  };
}

/** Resource limits of the watchdog isolate: it needs almost nothing. @internal */
export const WATCHDOG_LIMITS = { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 1, stackSizeMb: 1 } as const;

/**
 * Free descriptors thread mode wants at start: the thread keeps 4 (its event loop's epoll, eventfd and
 * wake-up pipe) and opens a few more while it loads; the rest stay for the application, which would
 * otherwise meet EMFILE while loading its own modules under a tight `ulimit -n`. @internal
 */
export const THREAD_MIN_FREE_FDS = 16;

/**
 * How many more descriptors this process may open (`Max open files` of /proc/self/limits less those in
 * /proc/self/fd), or `undefined` where that cannot be read (not Linux, no /proc, no limit). @internal
 */
export function freeDescriptors(): number | undefined {
  try {
    const limits = nodeFs().readFileSync('/proc/self/limits', 'utf8');
    const soft = /^Max open files\s+(\d+)/m.exec(limits)?.[1];
    if (soft === undefined) return undefined;
    // The listing itself holds one descriptor while it reads.
    return Number(soft) - (nodeFs().readdirSync('/proc/self/fd').length - 1);
  } catch {
    return undefined;
  }
}

/** The file name of the watchdog module, built beside this package's entries (`dist/watchdog.mjs`). @internal */
export const WATCHDOG_FILE = 'watchdog.mjs';

/**
 * Where the watchdog module is: beside this module. In an app bundled into one file, `import.meta.url`
 * may be empty (CJS bundles) and the module is not beside the bundle unless shipped there.
 */
function watchdogPath(): string | undefined {
  const base = moduleUrl(import.meta.url);
  return base ? nodeUrl().fileURLToPath(new URL(`./${WATCHDOG_FILE}`, base)) : undefined;
}

/**
 * Start the watchdog thread (unref'd: it never keeps the process alive). Returns `undefined`, after one
 * warning saying why, when it cannot start: the caller then watches from the main loop. @internal
 */
export function startWatchdog(
  data: WatchdogData,
  onOrphan: (message: WatchdogMessage) => void,
  onEnd: () => void,
): Worker | undefined {
  const file = watchdogPath();
  if (file === undefined || !nodeFs().existsSync(file)) {
    warnOnce(
      `thread mode is unavailable: the watchdog module ${file ?? WATCHDOG_FILE} is missing (an app bundled into one ` +
        `file? keep @lifeline/parent-watch external, or ship its dist/${WATCHDOG_FILE} beside the bundle); ` +
        'watching from the main loop',
    );
    return undefined;
  }
  const free = freeDescriptors();
  if (free !== undefined && free < THREAD_MIN_FREE_FDS) {
    warnOnce(
      `thread mode needs ${THREAD_MIN_FREE_FDS} free file descriptors at start (the thread keeps 4) and this process has ` +
        `${free} under its limit (ulimit -n); watching from the main loop`,
    );
    return undefined;
  }
  try {
    // Loaded here, not at import: only thread mode pays for node:worker_threads.
    const { Worker: WorkerThread } = loadBuiltin<typeof import('node:worker_threads')>('node:worker_threads');
    const worker = new WorkerThread(file, {
      workerData: data,
      resourceLimits: WATCHDOG_LIMITS,
      stdout: false,
      stderr: false,
      env: {},
      name: 'lifeline-parent-watch',
    });
    worker.on('message', (message: WatchdogMessage) => {
      if (message && message.type === 'orphan') onOrphan(message);
    });
    // The watchdog failed (e.g. out of its tiny heap): the main-loop check is the fallback.
    worker.on('error', () => undefined);
    worker.once('exit', onEnd);
    worker.unref();
    return worker;
  } catch (error) {
    warnOnce(`the watchdog thread could not start (${(error as Error).message}); watching from the main loop`);
    return undefined;
  }
}
