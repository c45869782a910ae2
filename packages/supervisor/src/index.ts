/**
 * `@lifeline/supervisor`: the parent's side of Lifeline — zombie-aware liveness that never reaps,
 * process-group spawn and teardown, restarts, and the `lifeline` CLI.
 *
 * @example
 * ```ts
 * import { spawnWorker, supervise, isRunning, listZombies } from '@lifeline/supervisor';
 * const worker = spawnWorker('python3', ['backend.py'], { interval: '1s' });
 * await worker.stop({ grace: '5s' });
 * ```
 * @packageDocumentation
 */
export { isRunning, processState } from '@lifeline/core/proc/state';
export { listZombies, groupZombies } from './liveness/zombies.js';
export type { Zombie, ZombieGroup } from './liveness/zombies.js';
export { ancestorsOf } from './liveness/ancestry.js';
export type { Ancestor } from './liveness/ancestry.js';
export { killZombieParents } from './liveness/kill-parents.js';
export type { KillZombieParentsOptions, ParentAction, ParentOutcome, SkipReason } from './liveness/kill-parents.js';
export { probeOrphanReaper } from './liveness/reaper.js';
export type { ReaperProbe } from './liveness/reaper.js';
export { spawnWorker, DEFAULT_STOP_GRACE_MS } from './spawn/worker.js';
export type { SpawnWorkerOptions, StopOptions, WorkerProcess, WorkerExit } from './spawn/worker.js';
export { supervise } from './spawn/supervise.js';
export type {
  RestartPolicy,
  Supervisor,
  SupervisorEvents,
  SupervisorExitEvent,
  SupervisorGiveUpEvent,
  SupervisorRestartEvent,
  SupervisorState,
  SuperviseOptions,
  WorkerSpec,
} from './spawn/supervisor-types.js';
