/** The fields of a `/proc/<pid>/stat` line that Lifeline uses. See proc(5). */
export interface ProcStat {
    /** Field 1: the process id. */
    pid: number;
    /** Field 2: the command name, without the parentheses. It may hold spaces and parentheses. */
    comm: string;
    /** Field 3: one letter: R running, S sleeping, D disk sleep, Z zombie, T stopped, t traced, X dead, I idle… */
    state: string;
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
/** A pid: a positive safe integer. */
export declare function isPid(pid: unknown): pid is number;
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
export declare function parseStat(line: string): ProcStat | null;
/** Whether `/proc/<pid>/stat` can be read here (Linux with procfs mounted). Probed once. */
export declare function hasProcfs(): boolean;
/**
 * Read and parse `/proc/<pid>/stat` (Linux). Never reaps.
 *
 * @param pid - the process id.
 * @returns the parsed fields, or `null` when there is no such process, the pid is invalid, or there is
 * no procfs (outside Linux, or /proc not mounted).
 * @example
 * ```ts
 * readStat(process.pid)?.ppid === process.ppid; // true
 * ```
 */
export declare function readStat(pid: number): ProcStat | null;
/**
 * Every process visible in `/proc`, parsed. Processes that vanish while being listed are skipped.
 * Empty without procfs (outside Linux).
 *
 * @example
 * ```ts
 * const zombies = listProcesses().filter((p) => p.state === 'Z');
 * ```
 */
export declare function listProcesses(): ProcStat[];
/**
 * The largest pid this system hands out: `/proc/sys/kernel/pid_max` on Linux (at most 2^22 on 64-bit
 * kernels), 99998 on macOS, and 2^31-1 where it cannot be read. Read once.
 */
export declare function pidMax(): number;
