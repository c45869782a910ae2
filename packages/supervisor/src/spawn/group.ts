import { platformFacts } from '@lifeline/core/platform';
import { isGoneState } from '@lifeline/core/proc/state';
import { listProcesses } from '@lifeline/core/proc/stat';

/** `kill()`'s target for the group `pgid`: the group, or — without process groups (Windows) — the leader alone. */
const groupTarget = (pgid: number): number => (platformFacts().processGroups ? -pgid : pgid);

/**
 * Send `signal` to every process of the group `pgid` (`kill(-pgid, signal)`). Returns false when the
 * group no longer exists (`ESRCH`); other errors (`EPERM`) are thrown. On Windows there are no process
 * groups: only `pgid` itself is signalled, and SIGTERM, SIGINT, SIGKILL and SIGQUIT all end it with
 * `TerminateProcess` (other signals throw `ENOSYS`). @internal
 */
export function signalGroup(pgid: number, signal: NodeJS.Signals | number): boolean {
  try {
    process.kill(groupTarget(pgid), signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/**
 * Whether the process group `pgid` still has a member that is not a zombie. `kill(-pgid, 0)` first (no
 * such group: false), then on Linux `/proc` tells zombies apart. Elsewhere, a group holding only
 * zombies counts as alive. @internal
 */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(groupTarget(pgid), 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (process.platform !== 'linux') return true;
  const processes = listProcesses();
  if (processes.length === 0) return true; // no procfs: trust kill(-pgid, 0)
  return processes.some((p) => p.pgrp === pgid && !isGoneState(p.state));
}
