import type { Worker } from 'node:worker_threads';
import { lazyRequire } from './log.js';
import type { OrphanCause } from './types.js';

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
  capturedPpid: number;
  expectedPid: number | null;
  expectedStartTime: number | null;
  intervalMs: number;
  graceMs: number;
  marginMs: number;
  killDescendants: boolean;
  /** `hasChildrenFiles()`, probed by the main thread: walk the children lists, or scan all of /proc. */
  childrenFiles: boolean;
  exit: boolean;
  exitCode: number;
  linePrefix: string;
}

/** Messages from the watchdog to the main thread. @internal */
export interface WatchdogMessage {
  type: 'orphan';
  cause: OrphanCause;
  currentParentPid: number;
  detectedAt: number;
}

/**
 * The watchdog's code. It runs in a worker thread from its source text, so it must reference nothing
 * outside itself: `req` is the worker's `require`, `data` its workerData.
 */
function watchdog(req: NodeRequire, data: WatchdogData): void {
  const fs = req('node:fs') as typeof import('node:fs');
  const { parentPort } = req('node:worker_threads') as typeof import('node:worker_threads');
  const { flags } = data;
  const write = (line: string): void => {
    try {
      fs.writeSync(2, `${line}\n`);
    } catch {
      // stderr closed
    }
  };
  const stat = (pid: number): { state: string; ppid: number; start: number } | null => {
    try {
      const line = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = line.slice(line.lastIndexOf(')') + 2).split(' ');
      return { state: fields[0] ?? '', ppid: Number(fields[1]), start: Number(fields[19]) };
    } catch {
      return null;
    }
  };
  const expectedRunning = (): boolean => {
    if (data.expectedPid === null) return true;
    const s = stat(data.expectedPid);
    if (s === null) {
      if (process.platform === 'linux') return false;
      try {
        process.kill(data.expectedPid, 0);
        return true;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'EPERM';
      }
    }
    if (s.state === 'Z' || s.state === 'X' || s.state === 'x') return false;
    return data.expectedStartTime === null || s.start === data.expectedStartTime;
  };
  // Same walk as proc/tree.ts (this code cannot import it): the kernel's per-thread children lists when
  // it has them, else every process's stat.
  const childrenOf = (pid: number): number[] => {
    const out: number[] = [];
    let tids: string[] = [];
    try {
      tids = fs.readdirSync(`/proc/${pid}/task`);
    } catch {
      return out;
    }
    for (const tid of tids) {
      try {
        for (const word of fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1').split(' ')) {
          if (/^\d+$/.test(word)) out.push(Number(word));
        }
      } catch {
        // thread gone
      }
    }
    return out;
  };
  const descendants = (): number[] => {
    if (data.childrenFiles) {
      const out: number[] = [];
      const queue = [data.pid];
      for (let i = 0; i < queue.length; i++) {
        const parent = queue[i] as number;
        for (const child of childrenOf(parent)) {
          if (child === data.pid || out.includes(child) || stat(child)?.ppid !== parent) continue;
          out.push(child);
          queue.push(child);
        }
      }
      return out;
    }
    const children = new Map<number, number[]>();
    let names: string[] = [];
    try {
      names = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
    } catch {
      return [];
    }
    for (const name of names) {
      const s = stat(Number(name));
      if (!s) continue;
      const list = children.get(s.ppid) ?? [];
      list.push(Number(name));
      children.set(s.ppid, list);
    }
    const out: number[] = [];
    const queue = [data.pid];
    for (let i = 0; i < queue.length; i++) {
      for (const child of children.get(queue[i] as number) ?? []) {
        if (child !== data.pid && !out.includes(child)) {
          out.push(child);
          queue.push(child);
        }
      }
    }
    return out;
  };

  let deadline: ReturnType<typeof setTimeout> | undefined;
  const armDeadline = (detectedAt: number): void => {
    if (deadline || !data.exit) return;
    const wait = Math.max(0, detectedAt + data.graceMs + data.marginMs - Date.now());
    deadline = setTimeout(() => {
      if (Atomics.load(flags, 1) === 1) return;
      write(
        `${data.linePrefix} the main thread was unresponsive for ${data.graceMs + data.marginMs}ms after the ` +
          `orphaning; the watchdog thread kills the process (SIGKILL: no cleanup ran)`,
      );
      if (data.killDescendants) {
        for (const pid of descendants()) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // gone
          }
        }
      }
      process.kill(data.pid, 'SIGKILL');
    }, Math.min(wait, 2_147_483_647));
  };

  const tick = (): void => {
    if (Atomics.load(flags, 0) === 1) return;
    const ppid = process.ppid;
    let cause: OrphanCause | null = null;
    if (ppid !== data.capturedPpid) cause = 'reparented';
    else if (!expectedRunning()) cause = 'parent-not-running';
    if (cause === null) return;
    if (Atomics.compareExchange(flags, 0, 0, 1) !== 0) return;
    clearInterval(timer);
    const detectedAt = Date.now();
    const lost = cause === 'reparented' ? data.capturedPpid : (data.expectedPid ?? data.capturedPpid);
    write(
      `${data.linePrefix} parent process ${lost} is gone (now reparented to ${ppid}); ` +
        (data.exit ? `exiting with code ${data.exitCode}` : 'notifying (exit: false)') +
        ' [watchdog thread]',
    );
    const message: WatchdogMessage = { type: 'orphan', cause, currentParentPid: ppid, detectedAt };
    parentPort?.postMessage(message);
    armDeadline(detectedAt);
  };
  const timer = setInterval(tick, data.intervalMs);
  parentPort?.on('message', (message: { type: string; detectedAt?: number }) => {
    if (message.type === 'orphaned' && typeof message.detectedAt === 'number') {
      clearInterval(timer);
      armDeadline(message.detectedAt);
    } else if (message.type === 'stop') {
      clearInterval(timer);
      if (deadline) clearTimeout(deadline);
      parentPort.close();
    }
  });
}

/** Resource limits of the watchdog isolate: it needs almost nothing. @internal */
export const WATCHDOG_LIMITS = { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 1, stackSizeMb: 1 } as const;

/** Start the watchdog thread; unref'd, so it never keeps the process alive. @internal */
export function startWatchdog(data: WatchdogData, onOrphan: (message: WatchdogMessage) => void): Worker {
  const source = `(${watchdog.toString()})(require, require('node:worker_threads').workerData);`;
  // Loaded here, not at import: only thread mode pays for node:worker_threads.
  const { Worker: WorkerThread } = lazyRequire('node:worker_threads') as typeof import('node:worker_threads');
  const worker = new WorkerThread(source, {
    eval: true,
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
  worker.on('error', () => {
    // The watchdog failed (e.g. out of its tiny heap): the main-loop check is the fallback.
  });
  worker.unref();
  return worker;
}
