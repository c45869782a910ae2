import { warnOnce } from '@lifeline/core/diag';
import { DELAY, durationArg, formatMs } from '@lifeline/core/duration';
import { booleanArg, functionArg, invalidArgType, optionsObject, pidArg } from '@lifeline/core/errors';
import { isStillRunning } from '@lifeline/core/proc/state';
import { AFTER_KILL_MS, terminate, type TerminateOutcome } from '@lifeline/core/proc/terminate';
import { readStat } from '@lifeline/core/proc/stat';
import { DEFAULT_STOP_GRACE_MS } from '../spawn/worker.js';
import { ancestryOf } from './ancestry.js';
import { groupZombies, listZombies, zombiesArg, type Zombie } from './zombies.js';

/**
 * Why a zombie's parent was left alone. `'ancestry-unknown'`: this process's ancestors cannot all be read
 * (no /proc, or `hidepid`), so no candidate can be proven not to be one of them.
 */
export type SkipReason = 'pid-1' | 'self' | 'ancestor' | 'protected' | 'invalid' | 'ancestry-unknown';

/**
 * What happened to one zombie parent:
 * - `'skipped'`: never signalled (`reason` says why: PID 1, this process, one of its ancestors, …);
 * - `'planned'`: dry run (`confirm` not set): it would get SIGTERM, then SIGKILL after the grace;
 * - `'terminated'`: it exited after SIGTERM; `'killed'`: it needed SIGKILL;
 * - `'gone'`: it had already exited (or its pid was reused) before it was signalled;
 * - `'failed'`: a signal could not be sent (`error`, e.g. `EPERM`) or it survived SIGKILL.
 */
export type ParentOutcome = 'skipped' | 'planned' | 'terminated' | 'killed' | 'gone' | 'failed';

/** One zombie parent and what was done to it. */
export interface ParentAction {
  /** The parent's pid. */
  pid: number;
  /** The parent's command name. */
  comm: string;
  /** The pids of its zombies. */
  zombies: number[];
  /** What happened. */
  outcome: ParentOutcome;
  /** Set when `outcome` is `'skipped'`. */
  reason?: SkipReason;
  /** Set when `outcome` is `'failed'`: e.g. `"EPERM: operation not permitted (SIGTERM)"`. */
  error?: string;
}

/** Options of {@link killZombieParents}. */
export interface KillZombieParentsOptions {
  /** The zombies whose parents are candidates. @default listZombies() */
  zombies?: readonly Zombie[];
  /** Really send signals. Without it nothing is signalled and every candidate is `'planned'`. @default false */
  confirm?: boolean;
  /** Time between SIGTERM and SIGKILL, in milliseconds or as a duration string. @default 5000 */
  grace?: number | string;
  /**
   * More pids never to signal, besides PID 1, this process and its ancestors: numbers. A numeric string
   * (`'1234'`) throws `ERR_INVALID_ARG_TYPE` (it would protect nothing); convert it with `Number()` first.
   * @default []
   */
  protect?: readonly number[];
  /** Sends a signal; injectable for tests. @default process.kill */
  kill?: (pid: number, signal: NodeJS.Signals) => void;
  /** Whether a pid is running (zombies are not); injectable for tests. @default isRunning */
  isRunning?: (pid: number) => boolean;
  /** Called for each action as it is decided, in order. @default none */
  onAction?: (action: ParentAction) => void;
}

/**
 * The workaround for a parent that never reaps its children (seen on Akash, or with Node as PID 1):
 * end the parent, so its zombies are re-parented to init, which reaps them. Done safely:
 * - PID 1, this process and every ancestor of this process are never signalled (nor pids in `protect`);
 *   where the ancestors cannot all be read (no /proc, as on macOS, or `hidepid`), nothing is signalled;
 * - without `confirm: true` nothing is signalled (a dry run: each candidate is `'planned'`);
 * - SIGTERM first, SIGKILL to those still running after `grace`; a pid whose start time changed
 *   (reused) is not signalled;
 * - every outcome, permission errors included, is reported.
 *
 * Only useful where an init reaps re-parented orphans; if PID 1 itself does not reap (Node as PID 1
 * without `--init`), the zombies remain, now PID 1's.
 *
 * Every option is checked before anything is read or signalled; a mistake rejects and signals nothing.
 *
 * @throws {TypeError} (as a rejection) `ERR_INVALID_ARG_TYPE` when an option has the wrong type (`null`
 *   included): `confirm` not a boolean, `kill`/`isRunning`/`onAction` not functions, `zombies` not an
 *   array of zombies, `protect` not an array of pid numbers (`['1234']` throws); `ERR_INVALID_ARG_VALUE`
 *   for an unknown option key.
 * @throws {RangeError} (as a rejection) `ERR_INVALID_ARG_VALUE` when `grace` is not a duration of zero or
 *   more; `ERR_OUT_OF_RANGE` for a pid that is not a positive integer.
 * @example
 * ```ts
 * const plan = await killZombieParents();                 // dry run
 * const done = await killZombieParents({ confirm: true, grace: '2s' });
 * for (const a of done) console.log(a.pid, a.comm, a.outcome, a.reason ?? a.error ?? '');
 * ```
 */
export async function killZombieParents(options?: KillZombieParentsOptions): Promise<ParentAction[]> {
  const where = 'killZombieParents';
  const o = optionsObject<KillZombieParentsOptions>(where, 'options', options, [
    'zombies',
    'confirm',
    'grace',
    'protect',
    'kill',
    'isRunning',
    'onAction',
  ]);
  const graceMs = durationArg(where, 'options.grace', o.grace, DELAY, DEFAULT_STOP_GRACE_MS, warnOnce);
  // Only `true` signals: anything else that is not a boolean (`'yes'`) throws rather than run dry in silence.
  const confirm = booleanArg(where, 'options.confirm', o.confirm) ?? false;
  const zombies = o.zombies === undefined ? listZombies() : zombiesArg(where, 'options.zombies', o.zombies);
  const protect = o.protect === undefined ? [] : protectArg(where, o.protect);
  const kill = functionArg<Kill>(where, 'options.kill', o.kill) ?? ((pid, signal) => process.kill(pid, signal));
  const running = functionArg<(pid: number) => boolean>(where, 'options.isRunning', o.isRunning);
  const onAction =
    functionArg<(action: ParentAction) => void>(where, 'options.onAction', o.onAction) ?? (() => undefined);
  const ancestry = ancestryOf(process.pid);
  const ancestors = new Set(ancestry.ancestors.map((a) => a.pid));
  if (process.ppid > 0) ancestors.add(process.ppid);

  const actions: ParentAction[] = [];
  const candidates: { pid: number; startTime: number | undefined; action: ParentAction }[] = [];
  for (const group of groupZombies(zombies)) {
    const action: ParentAction = { pid: group.ppid, comm: group.parentComm, zombies: group.pids, outcome: 'planned' };
    const reason = skipReason(group.ppid, ancestors, protect) ?? (ancestry.complete ? undefined : 'ancestry-unknown');
    if (reason) {
      action.outcome = 'skipped';
      action.reason = reason;
      onAction(action);
    } else if (!confirm) {
      onAction(action);
    } else {
      candidates.push({ pid: group.ppid, startTime: readStat(group.ppid)?.startTime, action });
    }
    actions.push(action);
  }
  if (candidates.length === 0) return actions;

  // The one teardown sequence; each signal is re-checked against the start time read above (pid reuse).
  const outcomes = await terminate(candidates, {
    graceMs,
    every: 100,
    alive: (entry) => isStillRunning(entry, running),
    send: (entry, signal) => {
      try {
        kill(entry.pid, signal);
        return true;
      } catch (error) {
        const err = error as NodeJS.ErrnoException;
        if (err.code !== 'ESRCH') {
          entry.action.outcome = 'failed';
          entry.action.error = `${err.code ?? 'error'}: ${err.message} (${signal})`;
        }
        return false;
      }
    },
  });
  for (const [i, entry] of candidates.entries()) {
    if (entry.action.outcome === 'failed') continue; // a signal could not be sent: said by `send`
    const outcome = outcomes[i] ?? 'terminated';
    entry.action.outcome = AS_ACTION[outcome];
    if (outcome === 'survived') entry.action.error = `still running ${formatMs(AFTER_KILL_MS)} after SIGKILL`;
  }
  for (const entry of candidates) onAction(entry.action);
  return actions;
}

type Kill = (pid: number, signal: NodeJS.Signals) => void;

/** What the teardown's outcome means for a zombie parent (`'pending'` cannot happen: SIGKILL is sent). */
const AS_ACTION: Readonly<Record<TerminateOutcome, ParentOutcome>> = {
  unsent: 'gone',
  pending: 'terminated',
  terminated: 'terminated',
  killed: 'killed',
  survived: 'failed',
};

/** `options.protect`: an array of pids (numbers; a numeric string would protect nothing, so it throws). */
function protectArg(where: string, value: unknown): readonly number[] {
  if (!Array.isArray(value)) throw invalidArgType(where, 'options.protect', 'an array of pids', value);
  return value.map((pid: unknown, i) => pidArg(where, `options.protect[${i}]`, pid));
}

function skipReason(pid: number, ancestors: ReadonlySet<number>, protect: readonly number[]): SkipReason | undefined {
  if (!Number.isSafeInteger(pid) || pid <= 0) return 'invalid';
  if (pid === 1) return 'pid-1';
  if (pid === process.pid) return 'self';
  if (ancestors.has(pid)) return 'ancestor';
  if (protect.includes(pid)) return 'protected';
  return undefined;
}
