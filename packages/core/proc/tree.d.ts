import { type ProcStat } from './stat.js';
/**
 * Whether this kernel lists each thread's children in `/proc/<pid>/task/<tid>/children`
 * (CONFIG_PROC_CHILDREN; on in Debian, Ubuntu, Fedora and RHEL kernels). Probed once.
 */
export declare function hasChildrenFiles(): boolean;
/** The pids in `/proc/<pid>/task/<tid>/children` for every thread of `pid` (a child belongs to the thread that forked it). */
export declare function childPids(pid: number): number[];
/**
 * The descendants of `root` found in `/proc`, parents before children; empty without procfs.
 * Where the kernel has the children lists this walks down from `root` (a few reads per descendant);
 * otherwise, or when `processes` is given, it groups every process's stat by parent.
 */
export declare function descendantsOf(root: number, processes?: readonly ProcStat[]): ProcStat[];
/** Send `signal` to each process still running (same start time), ignoring those gone. Returns how many were signalled. */
export declare function signalAll(targets: readonly ProcStat[], signal: NodeJS.Signals): number;
