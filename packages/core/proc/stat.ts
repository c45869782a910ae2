import { nodeFs } from '../builtin.js';

/** The fields of a `/proc/<pid>/stat` line that Lifeline uses. See proc(5). */
export interface ProcStat {
  /** Field 1: the process id. */
  pid: number;
  /** Field 2: the command name, without the parentheses. It may hold spaces and parentheses. */
  comm: string;
  /**
   * Field 3: one letter: R running, S sleeping, D disk sleep, Z zombie, T stopped, t traced, X dead, I idle…
   * From {@link readStat}, the process's state: when its main thread exited while other threads run on
   * (the leader then shows `Z`), the state of a thread still running, and `leaderExited` is set.
   */
  state: string;
  /** Set by {@link readStat} when the main thread exited and other threads run on: the process is alive. */
  leaderExited?: boolean;
  /** Field 4: the parent's pid (0 for PID 1 and kernel threads, or a parent outside this PID namespace). */
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

const DIGITS = /^\d+$/;
const INT = /^-?\d+$/;

/** Whether a state letter means the process (or thread) is over: `Z` zombie, `X`/`x` dead. */
export function isGoneState(state: string): boolean {
  return state === 'Z' || state === 'X' || state === 'x';
}

/** A pid: a positive safe integer. */
export function isPid(pid: unknown): pid is number {
  return typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 0;
}

/**
 * Parse the first line of `/proc/<pid>/stat`. The command name is everything between the first `(` and
 * the *last* `)`: it may itself hold spaces, parentheses and letters that look like states.
 * Returns `null` for a malformed line (never a guess): a pid that is not a positive integer, a ppid
 * that is negative or not an integer, a state that is not one letter.
 *
 * @param line - the text of `/proc/<pid>/stat`.
 * @returns the parsed fields, or `null` when the line is malformed.
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
  const pid = DIGITS.test(pidText) ? Number(pidText) : Number.NaN;
  if (!isPid(pid)) return null;
  const rest = line
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const [state, ppidText] = rest;
  if (state === undefined || !/^[A-Za-z]$/.test(state)) return null;
  const ppid = ppidText !== undefined && DIGITS.test(ppidText) ? Number(ppidText) : Number.NaN;
  if (!Number.isSafeInteger(ppid)) return null;
  const stat: ProcStat = { pid, comm: line.slice(open + 1, close), state, ppid };
  const field = (n: number): number | undefined => {
    const text = rest[n - 3];
    const value = text !== undefined && INT.test(text) ? Number(text) : Number.NaN;
    return Number.isSafeInteger(value) ? value : undefined;
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
/** Whether `/proc/<pid>/stat` can be read here (Linux with procfs mounted). Probed once. */
export function hasProcfs(): boolean {
  if (procfs === undefined) {
    try {
      procfs = process.platform === 'linux' && parseStat(nodeFs().readFileSync('/proc/self/stat', 'utf8')) !== null;
    } catch {
      procfs = false;
    }
  }
  return procfs;
}

/**
 * Read and parse `/proc/<pid>/stat` (Linux). Never reaps. A leader shown as `Z` whose other threads run
 * on is a live process (its main thread called `pthread_exit`): `state` is then a running thread's and
 * `leaderExited` is set.
 *
 * @param pid - the process id.
 * @returns the parsed fields, or `null` when there is no such process, the pid is invalid, or there is
 * no procfs (outside Linux, or /proc not mounted).
 * @example
 * ```ts
 * readStat(process.pid)?.ppid === process.ppid; // true
 * ```
 */
export function readStat(pid: number): ProcStat | null {
  if (!isPid(pid) || !hasProcfs()) return null;
  let stat: ProcStat | null;
  try {
    stat = parseStat(nodeFs().readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
  if (stat?.state === 'Z') {
    const live = liveThreadState(pid);
    if (live !== undefined) {
      stat.state = live;
      stat.leaderExited = true;
    }
  }
  return stat;
}

/**
 * The state of a thread of `pid` other than its leader that has not exited, if any. A zombie's only
 * task is its leader; a process whose main thread exited keeps its other tasks.
 */
function liveThreadState(pid: number): string | undefined {
  let tids: string[];
  try {
    tids = nodeFs().readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  for (const tid of tids) {
    if (tid === String(pid)) continue;
    try {
      const state = parseStat(nodeFs().readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'))?.state;
      if (state !== undefined && !isGoneState(state)) return state;
    } catch {
      // the thread ended meanwhile
    }
  }
  return undefined;
}

/**
 * Every process visible in `/proc`, parsed. Processes that vanish while being listed are skipped.
 * Empty without procfs (outside Linux).
 *
 * @example
 * ```ts
 * const zombies = listProcesses().filter((p) => p.state === 'Z');
 * ```
 */
export function listProcesses(): ProcStat[] {
  if (!hasProcfs()) return [];
  let names: string[];
  try {
    names = nodeFs().readdirSync('/proc');
  } catch {
    return [];
  }
  const out: ProcStat[] = [];
  for (const name of names) {
    if (name.charCodeAt(0) > 57 || !DIGITS.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat) out.push(stat);
  }
  return out;
}

let maxPid: number | undefined;
/**
 * The largest pid this system hands out: `/proc/sys/kernel/pid_max` on Linux (at most 2^22 on 64-bit
 * kernels), 99998 on macOS, and 2^31-1 where it cannot be read. Read once.
 */
export function pidMax(): number {
  if (maxPid === undefined) {
    maxPid = process.platform === 'darwin' ? 99_998 : 2_147_483_647;
    if (process.platform === 'linux') {
      try {
        const value = Number(nodeFs().readFileSync('/proc/sys/kernel/pid_max', 'utf8').trim());
        maxPid = isPid(value) ? value : 4_194_304;
      } catch {
        maxPid = 4_194_304; // PID_MAX_LIMIT on 64-bit Linux
      }
    }
  }
  return maxPid;
}
