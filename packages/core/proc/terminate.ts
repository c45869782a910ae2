/**
 * "SIGTERM, wait the grace, SIGKILL": the one teardown sequence, for a process group (`stop()`), a list
 * of zombie parents (`killZombieParents`) and the descendants of an orphan. Every signal is re-checked
 * first: a target that is gone, or whose pid now names another process, is never signalled.
 */
import { pollUntil } from '../timers.js';
import { isStillRunning } from './state.js';

/** How long to wait for the targets to vanish after SIGKILL before giving up on them. */
export const AFTER_KILL_MS = 2000;

/** What became of one target: see {@link terminate}. */
export type TerminateOutcome = 'unsent' | 'terminated' | 'pending' | 'killed' | 'survived';

/** A process to end: a pid, and its start time where known (the pid-reuse re-check). */
export interface TerminateTarget {
  pid: number;
  startTime?: number | undefined;
}

/** Options of {@link terminate}: each caller's specifics. */
export interface TerminateOptions<T extends TerminateTarget> {
  /** Time between the first signal and SIGKILL, in milliseconds. */
  graceMs: number;
  /** The first signal. @default 'SIGTERM' */
  signal?: NodeJS.Signals;
  /**
   * Whether the target is still there (asked before each signal and while waiting).
   * @default isStillRunning (running, and not a reused pid)
   */
  alive?: (target: T) => boolean;
  /**
   * Send `signal` to the target; false when it was not delivered. A caller that records why (`EPERM`)
   * does it here. @default process.kill(target.pid, signal), false on any error
   */
  send?: (target: T, signal: NodeJS.Signals) => boolean;
  /** How often to look whether the targets are gone. @default 50 */
  every?: number;
  /** Settles when the targets may have gone (an 'exit' event): looked at at once rather than at the next poll. */
  wake?: Promise<unknown>;
  /** Send SIGKILL after the grace. `false`: stop there (the caller kills later, e.g. on 'exit'). @default true */
  kill?: boolean;
  /** How long to wait for them after SIGKILL. @default AFTER_KILL_MS */
  afterKillMs?: number;
  /** Whether the timers keep the event loop alive. @default true */
  ref?: boolean;
}

const sendDefault = (target: TerminateTarget, signal: NodeJS.Signals): boolean => {
  try {
    process.kill(target.pid, signal);
    return true;
  } catch {
    return false; // gone meanwhile, or not ours to signal
  }
};

/**
 * Send `signal` to `target` if it is still that process (running, same start time): one step of
 * {@link terminate} with its defaults, for a caller that must signal synchronously (on 'exit').
 * False when it is gone or the signal could not be sent. @internal
 */
export function signalIfStillRunning(target: TerminateTarget, signal: NodeJS.Signals): boolean {
  return isStillRunning(target) && sendDefault(target, signal);
}

/**
 * Send the targets `signal` (SIGTERM), wait up to `graceMs` for them to go, SIGKILL those still there,
 * and wait up to `afterKillMs` for those. Resolves to each target's outcome, in order: `'unsent'` (gone
 * before the first signal, or it could not be sent), `'pending'` (signalled, with `kill: false`: nothing
 * is looked at after the grace), `'terminated'` (gone within the grace, or before SIGKILL could be
 * sent), `'killed'` (gone
 * after SIGKILL), `'survived'` (still there `afterKillMs` after SIGKILL). The first signals are sent
 * synchronously, before the returned promise is first awaited.
 * @internal
 */
export async function terminate<T extends TerminateTarget>(
  targets: readonly T[],
  options: TerminateOptions<T>,
): Promise<TerminateOutcome[]> {
  const {
    graceMs,
    signal = 'SIGTERM',
    alive = (target: T) => isStillRunning(target),
    send = sendDefault,
    every = 50,
    kill = true,
    ref = true,
  } = options;
  const waitGone = (left: readonly T[], timeoutMs: number): Promise<boolean> =>
    pollUntil(() => !left.some((target) => alive(target)), timeoutMs, every, { ref, wake: options.wake });
  const outcomes: TerminateOutcome[] = targets.map((target) =>
    alive(target) && send(target, signal) ? 'pending' : 'unsent',
  );
  await waitGone(
    targets.filter((_, i) => outcomes[i] === 'pending'),
    graceMs,
  );
  if (!kill) return outcomes;
  for (const [i, target] of targets.entries()) {
    if (outcomes[i] !== 'pending') continue;
    if (!alive(target)) outcomes[i] = 'terminated';
    else outcomes[i] = send(target, 'SIGKILL') ? 'killed' : 'terminated';
  }
  const killed = targets.filter((_, i) => outcomes[i] === 'killed');
  await waitGone(killed, options.afterKillMs ?? AFTER_KILL_MS);
  for (const [i, target] of targets.entries()) if (outcomes[i] === 'killed' && alive(target)) outcomes[i] = 'survived';
  return outcomes;
}
