/**
 * The part of the arming decision (arming.ts) for a supervisor named by pid. A module of its own: the
 * register preload never names one, and its start file leaves this to its run half (light-later.ts).
 */
import { onChain, type WatchChain } from '@lifeline/core/wrappers/chain';
import type { ArmingCode, ArmingInput, ArmingVerdict, ArmingWhy } from './arming.js';

/** A verdict's arguments (see `verdictOf`). */
export type VerdictArgs = [
  code: ArmingCode,
  watch: boolean,
  expected?: ArmingVerdict['expected'],
  why?: ArmingWhy,
  warn?: boolean,
];

/**
 * The verdict on a supervisor named by pid (`LIFELINE_PARENT_PID`, the `parentPid` option), or `'ignored'`
 * (inherited from further up: as if unset). @internal
 */
export function namedParentVerdict(
  input: ArmingInput,
  parentPid: number,
  byLiveness: boolean,
  chainOnce: () => WatchChain | null,
): VerdictArgs | 'ignored' {
  // A pid from another PID namespace names nothing (or someone else) here: judging it would kill a
  // worker whose supervisor is alive. Our ppid is 0 when our parent is outside our namespace.
  if (input.parentPidFrom === 'env' && ((!byLiveness && input.ppid === 0) || input.parentElsewhere?.() === true)) {
    return input.ppid <= 1
      ? ['parent-is-init', false, null, 'elsewhere-init', true]
      : ['watching', true, null, 'elsewhere', true];
  }
  if (!input.parentRunning()) return ['parent-gone-at-start', false];
  if (parentPid === input.ppid) return ['watching', true, null, 'expected-is-parent'];
  const chain = chainOnce();
  const link = chain === null ? undefined : onChain(chain, parentPid);
  if (link !== undefined) return ['watching-expected', true, { pid: link.pid, startTime: link.startTime }];
  if (chain === null || input.parentPidFrom === 'option') {
    // No chain to judge it by (no /proc, or wrappers not seen through), or the application named it: honoured.
    return ['watching-expected', true, { pid: parentPid }, 'expected-not-parent', true];
  }
  // Inherited from further up (a worker's own child): not this process's supervisor.
  return 'ignored';
}
