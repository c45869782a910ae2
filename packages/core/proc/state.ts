/**
 * Process state and liveness: the one place that says which states are not running, and how to tell
 * without /proc. Never reaps: a zombie's exit status stays for its parent's `wait`.
 */
import { hasProcfs, isGoneState, isPid, readStat, type ProcStat } from './stat.js';

export { isGoneState };

/**
 * `kill(pid, 0)`: the process exists (zombies included). Only `ESRCH` means it does not: `EPERM` (not ours)
 * and a runtime's refusal to signal (Deno without `--allow-run`) cannot say it is gone.
 */
export function signalZero(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * The scheduler state of a process, without reaping it: the letter of `/proc/<pid>/stat` on Linux
 * (`'R'`, `'S'`, `'D'`, `'Z'` zombie, `'T'`, `'X'` dead, …) — for a process whose main thread exited
 * while other threads run on (its leader shows `Z`), a running thread's letter; `'?'` without procfs when `kill(pid, 0)`
 * says the process exists (zombies included); `null` when there is no such process.
 *
 * @param pid - the process id; invalid pids (0, negatives, non-integers) have no state.
 * @example
 * ```ts
 * processState(process.pid); // 'R'
 * processState(999999999);   // null
 * ```
 */
export function processState(pid: number): string | null {
  if (!isPid(pid)) return null;
  if (hasProcfs()) return readStat(pid)?.state ?? null;
  return signalZero(pid) ? '?' : null;
}

/**
 * Whether a process is running: it exists and is neither a zombie (`Z`) nor dead (`X`). A process whose
 * main thread exited while other threads run on is running (`/proc/<pid>/task` shows them).
 *
 * Never reaps: the exit status of a zombie child stays for its parent's `wait`. `kill(pid, 0)` alone
 * says a zombie is alive; on Linux this reads `/proc/<pid>/stat` instead. Without procfs (macOS) it
 * falls back to `kill(pid, 0)` (`EPERM` counts as alive), and **zombies are not detected there**.
 *
 * @param pid - the process id; invalid pids (0, negatives, non-integers) are not running.
 * @example
 * ```ts
 * if (!isRunning(worker.pid)) restart();
 * ```
 */
export function isRunning(pid: number): boolean {
  if (!isPid(pid)) return false;
  if (hasProcfs()) {
    const state = readStat(pid)?.state;
    return state !== undefined && !isGoneState(state);
  }
  return signalZero(pid);
}

/**
 * Whether a process seen earlier is still that process and running: not exited, not a zombie, and —
 * where its start time is known — not a new process that reused the pid. Without procfs, `kill(pid, 0)`.
 * `running` replaces the liveness test (an injected one, in tests); the start time is still compared.
 */
export function isStillRunning(
  seen: Pick<ProcStat, 'pid'> & { startTime?: number | undefined },
  running?: (pid: number) => boolean,
): boolean {
  if (running !== undefined && !running(seen.pid)) return false;
  if (!hasProcfs()) return running !== undefined || isRunning(seen.pid);
  const now = readStat(seen.pid);
  if (!now) return running !== undefined; // nothing to compare: the injected test decides
  if (running === undefined && isGoneState(now.state)) return false;
  return seen.startTime === undefined || now.startTime === seen.startTime;
}
