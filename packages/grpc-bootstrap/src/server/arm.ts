import type { Server } from '@grpc/grpc-js';
import { watchParent, type OrphanEvent, type ParentWatch, type WatchParentOptions } from '@lifeline/parent-watch';
import { drainUntil, assertDrainable, type Drainable, type DrainableServer } from './drain.js';
import { invalidArgType, optionsObject } from '@lifeline/core/errors';
import { warnOnce } from '@lifeline/core/diag';
import { assertHealth, type HealthLike } from './health.js';
import { debug } from './record.js';
import { assertWatchOptions } from './options.js';
import { peekRecord, recordOf, type ServerRecord } from './record.js';

/** Options of {@link armServer}. */
export interface ArmServerOptions {
  /**
   * Options for the process's parent watcher (`watchParent` of `@lifeline/parent-watch`). The watcher is
   * once per process: they only apply when this call arms it first; otherwise the running watcher is used.
   * @default `{}`: the environment (`LOCALAI_BACKEND_PARENT_WATCH_INTERVAL`, `LIFELINE_PARENT_WATCH_GRACE`, …)
   */
  parentWatch?: WatchParentOptions;
  /**
   * A `grpc-health-check` `HealthImplementation` (already added to the server) to flip to NOT_SERVING
   * when the supervisor dies. Given later for an armed server, it replaces the one remembered.
   * @default none
   */
  health?: HealthLike;
}

/** The time left for the watcher to exit after the forced shutdown: 10% of the grace, at least this. @internal */
export const MIN_EXIT_MARGIN_MS = 50;

/**
 * When an armed server is closed hard: a little before the watcher's own deadline
 * (`detectedAt + graceMs`), leaving 10% of the grace (at least 50 ms) for the exit.
 * @internal
 */
export function forceDeadline(event: Pick<OrphanEvent, 'detectedAt'>, graceMs: number): number {
  const margin = Math.max(MIN_EXIT_MARGIN_MS, Math.ceil(graceMs * 0.1));
  return event.detectedAt + Math.max(0, graceMs - margin);
}

/**
 * Arm an existing gRPC server — a grpc-js `Server` of any copy, or a nice-grpc server after `listen()` — when the supervisor (the parent process) dies, the server is taken
 * out of rotation and drained, then the process exits through the watcher.
 *
 * On orphan, bounded by the watcher's grace (`LIFELINE_PARENT_WATCH_GRACE`, default 3 s):
 * 1. `health` (if any): every known service and `''` → NOT_SERVING;
 * 2. `server.tryShutdown()`: no new calls, in-flight calls may finish;
 * 3. at `detectedAt + grace − max(10% of grace, 50 ms)`: `server.forceShutdown()` (open streams and
 *    health `Watch` calls cannot hold the process);
 * 4. the watcher exits (code 1 by default, one line on stderr).
 *
 * Idempotent per server, also across copies of this package: arming an armed server returns the
 * same watcher and registers no second hook. Arm after the server is bound (as `createServer` and
 * the `register` preload do): a server that failed to bind has nothing to drain.
 *
 * @param server - a `@grpc/grpc-js` `Server` (any copy), a nice-grpc `Server`, or any {@link DrainableServer}.
 * @param options - see {@link ArmServerOptions}.
 * @returns the process's parent watcher (its `state` is `'disabled'` when switched off, e.g. by
 *   `LOCALAI_BACKEND_PARENT_WATCH=false`).
 * @throws {TypeError} `ERR_INVALID_ARG_TYPE` when `server` is not a grpc-js server or an option has the wrong type.
 * @throws {RangeError} `ERR_INVALID_ARG_VALUE` / `ERR_OUT_OF_RANGE` when an option's value is not usable
 *   (e.g. `parentWatch.interval: -1`, an unknown option).
 * @example
 * ```ts
 * import * as grpc from '@grpc/grpc-js';
 * import { armServer } from '@lifeline/grpc-bootstrap';
 *
 * const server = new grpc.Server();
 * server.addService(service, handlers);
 * server.bindAsync('0.0.0.0:50051', grpc.ServerCredentials.createInsecure(), (error, port) => {
 *   if (error) throw error;
 *   const watch = armServer(server, { parentWatch: { grace: '5s' } });
 *   console.log(`port ${port}, parent watch ${watch.state}`);
 * });
 * ```
 */
export function armServer(server: Server | DrainableServer, options: ArmServerOptions = {}): ParentWatch {
  assertDrainable(server, 'armServer');
  const o = optionsObject('armServer', 'options', options, ['parentWatch', 'health']);
  if (typeof o.parentWatch === 'boolean') {
    throw invalidArgType(
      'armServer',
      'options.parentWatch',
      'watchParent options (to opt out, do not arm)',
      o.parentWatch,
    );
  }
  assertWatchOptions(o.parentWatch, 'armServer');
  assertHealth(o.health, 'armServer');
  return arm(server, o.parentWatch, o.health);
}

function arm(
  server: Drainable,
  parentWatch: WatchParentOptions | undefined,
  health: HealthLike | undefined,
): ParentWatch {
  const record = recordOf(server);
  if (health) record.health = health;
  if (record.watch && record.watch.state !== 'stopped') {
    debug('server already armed');
    return record.watch;
  }
  const pending = record.parentWatch;
  const watch = watchParent(parentWatch ?? (typeof pending === 'object' ? pending : undefined));
  record.unsubscribe?.();
  record.watch = watch;
  record.unsubscribe = watch.onOrphan((event) => onOrphan(server, record, watch, event));
  debug('server armed: watcher %s (interval %dms, grace %dms)', watch.state, watch.intervalMs, watch.graceMs);
  return watch;
}

async function onOrphan(
  server: Drainable,
  record: ServerRecord,
  watch: ParentWatch,
  event: OrphanEvent,
): Promise<void> {
  const deadline = forceDeadline(event, watch.graceMs);
  debug('orphaned (%s): draining until %d (%dms from now)', event.cause, deadline, deadline - Date.now());
  await drainUntil(server, record.health, deadline);
}

/**
 * Arm `server` after a successful bind, with what `createServer` remembered on it; used by the
 * `createServer` bind wrapper and by the `register` preload. Never throws into grpc-js.
 * @internal
 */
export function armAfterBind(server: object, origin: string): void {
  const record = peekRecord(server);
  if (record?.parentWatch === false) {
    debug('%s: server opted out (parentWatch: false)', origin);
    return;
  }
  if (record?.watch && record.watch.state !== 'stopped') return;
  try {
    arm(server as Drainable, undefined, undefined);
  } catch (error) {
    warnOnce(
      `@lifeline/grpc-bootstrap (${origin}): the server is bound but could not be armed: ${(error as Error).message}`,
    );
  }
}

/**
 * Wrap a `bindAsync` callback so that the server is armed before the callback runs on success.
 * @internal
 */
export function armingCallback<T extends (error: Error | null, port: number) => void>(
  server: object,
  callback: T,
  origin: string,
): T {
  if (typeof callback !== 'function') return callback; // let grpc-js throw its own TypeError
  const wrapped = function (this: unknown, error: Error | null, port: number): void {
    if (!error) armAfterBind(server, origin);
    callback.call(this, error, port);
  };
  return wrapped as T;
}
