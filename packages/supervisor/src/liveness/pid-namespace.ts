import { readFileSync, readlinkSync } from 'node:fs';
import { pidNamespace } from '@lifeline/core/proc/namespace';
import { hasProcfs } from '@lifeline/core/proc/stat';

/**
 * The inode of the kernel's initial PID namespace (`PROC_PID_INIT_INO`, fixed since Linux 3.8): the
 * namespace of the host's own processes.
 */
export const INITIAL_PID_NAMESPACE = 'pid:[4026531836]';

/** Which processes a `/proc` reader (such as a zombie daemon) sees from here. */
export interface PidNamespaceView {
  /** This process's PID namespace, e.g. `'pid:[4026532201]'`; `null` when it cannot be read (no /proc). */
  own: string | null;
  /** The namespace of the PID 1 that `/proc` shows; `null` when it cannot be read (not allowed to look at PID 1). */
  pid1: string | null;
  /** This process's pid in each namespace from the one `/proc` belongs to down to its own (`NSpid`). */
  nspid: number[];
  /**
   * Whether `/proc` shows the host's processes (the initial PID namespace): `true` on a host, or in a
   * container with `hostPID: true`; `false` in a container of its own; `null` when it cannot be told.
   */
  host: boolean | null;
}

/**
 * Whether a `/proc` reader here sees the host's processes. Compares `/proc/self/ns/pid` and
 * `/proc/1/ns/pid` with the initial PID namespace, and reads `NSpid` from `/proc/self/status` (where
 * `/proc` itself belongs matters, not only this process's namespace). Linux only; elsewhere every field
 * is unknown.
 *
 * @example
 * ```ts
 * const view = pidNamespaceView();
 * if (view.host === false) console.warn('only this container\'s processes are visible');
 * ```
 */
export function pidNamespaceView(): PidNamespaceView {
  const view: PidNamespaceView = { own: null, pid1: null, nspid: [], host: null };
  if (!hasProcfs()) return view;
  view.own = pidNamespace();
  view.pid1 = link('/proc/1/ns/pid');
  try {
    const line = /^NSpid:\s*(.*)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '';
    view.nspid = line.split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // no status file: leave it empty
  }
  if (view.pid1 !== null) view.host = view.pid1 === INITIAL_PID_NAMESPACE;
  // PID 1 not readable (ptrace rules): /proc is this process's own namespace when NSpid has one entry.
  else if (view.own !== null && view.nspid.length === 1) view.host = view.own === INITIAL_PID_NAMESPACE;
  else if (view.own === INITIAL_PID_NAMESPACE) view.host = true;
  return view;
}

function link(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}
