import { readFileSync, readdirSync } from 'node:fs';

/** The fields of a `/proc/<pid>/stat` line that Lifeline uses. See proc(5). */
export interface ProcStat {
  /** Field 1: the process id. */
  pid: number;
  /** Field 2: the command name, without the parentheses. It may hold spaces and parentheses. */
  comm: string;
  /** Field 3: one letter: R running, S sleeping, D disk sleep, Z zombie, T stopped, t traced, X dead, I idle… */
  state: string;
  /** Field 4: the parent's pid. */
  ppid: number;
  /** Field 5: the process group id, when the line has it. */
  pgrp?: number;
  /** Field 6: the session id, when the line has it. */
  session?: number;
  /** Fields 14 + 15: user + system CPU time in clock ticks, when the line has them. */
  cpuTicks?: number;
  /** Field 22: start time in clock ticks after boot, when the line has it (tells a reused pid apart). */
  startTime?: number;
}

const INT = /^-?\d+$/;

/**
 * Parse the first line of `/proc/<pid>/stat`.
 *
 * The command name is everything between the first `(` and the *last* `)`: it may itself hold spaces,
 * parentheses and letters that look like states, so splitting on spaces is wrong.
 *
 * @param line - the text of `/proc/<pid>/stat`.
 * @returns the parsed fields, or `null` when the line is malformed (never a guess).
 * @example
 * ```ts
 * parseStat('43 (x) Z 1 (y) S 9 43 43 0 -1 …');
 * // { pid: 43, comm: 'x) Z 1 (y', state: 'S', ppid: 9, … }
 * ```
 */
export function parseStat(line: string): ProcStat | null {
  if (typeof line !== 'string') return null;
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 1 || close < open) return null;
  const pidText = line.slice(0, open).trim();
  if (!/^\d+$/.test(pidText)) return null;
  const rest = line.slice(close + 1).trim().split(/\s+/);
  const [state, ppidText] = rest;
  if (state === undefined || !/^[A-Za-z]$/.test(state)) return null;
  if (ppidText === undefined || !INT.test(ppidText)) return null;
  const stat: ProcStat = { pid: Number(pidText), comm: line.slice(open + 1, close), state, ppid: Number(ppidText) };
  const field = (n: number): number | undefined => {
    const text = rest[n - 3];
    return text !== undefined && INT.test(text) ? Number(text) : undefined;
  };
  const pgrp = field(5);
  const session = field(6);
  const utime = field(14);
  const stime = field(15);
  const startTime = field(22);
  if (pgrp !== undefined) stat.pgrp = pgrp;
  if (session !== undefined) stat.session = session;
  if (utime !== undefined && stime !== undefined) stat.cpuTicks = utime + stime;
  if (startTime !== undefined) stat.startTime = startTime;
  return stat;
}

let procfs: boolean | undefined;
/** Whether `/proc/<pid>/stat` can be read here (Linux with procfs mounted). @internal */
export function hasProcfs(): boolean {
  if (procfs === undefined) {
    try {
      procfs = process.platform === 'linux' && parseStat(readFileSync('/proc/self/stat', 'utf8')) !== null;
    } catch {
      procfs = false;
    }
  }
  return procfs;
}

/**
 * Read and parse `/proc/<pid>/stat` (Linux). Never reaps.
 *
 * @param pid - the process id.
 * @returns the parsed fields, or `null` when there is no such process, the pid is invalid, or there is
 * no procfs (outside Linux).
 * @example
 * ```ts
 * readStat(process.pid)?.ppid === process.ppid; // true
 * ```
 */
export function readStat(pid: number): ProcStat | null {
  if (!isPid(pid) || !hasProcfs()) return null;
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Every process visible in `/proc`, parsed. Processes that vanish while being listed are skipped.
 * Empty outside Linux (no procfs).
 *
 * @example
 * ```ts
 * const zombies = listProcesses().filter((p) => p.state === 'Z');
 * ```
 */
export function listProcesses(): ProcStat[] {
  if (!hasProcfs()) return [];
  const out: ProcStat[] = [];
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const name of names) {
    if (name.charCodeAt(0) > 57 || !/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat) out.push(stat);
  }
  return out;
}

/** @internal */
export function isPid(pid: unknown): pid is number {
  return typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 0;
}

/**
 * The scheduler state of a process, without reaping it.
 *
 * On Linux, the state letter from `/proc/<pid>/stat` (`'R'`, `'S'`, `'D'`, `'Z'` zombie, `'T'`, `'X'` dead, …).
 * Elsewhere the state cannot be read: `'?'` when `kill(pid, 0)` says the process exists (zombies included).
 *
 * @param pid - the process id; invalid pids (0, negatives, non-integers) have no state.
 * @returns the state letter, `'?'` outside Linux, or `null` when there is no such process.
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
 * Whether a process is running: it exists and is neither a zombie (`Z`) nor dead (`X`).
 *
 * Never reaps: the exit status of a zombie child stays for its parent's `wait`. `kill(pid, 0)` alone
 * says a zombie is alive; on Linux this reads `/proc/<pid>/stat` instead. Outside Linux it falls back
 * to `kill(pid, 0)` (`EPERM` counts as alive), and **zombies are not detected there**.
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
    return state !== undefined && state !== 'Z' && state !== 'X' && state !== 'x';
  }
  return signalZero(pid);
}

function signalZero(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
