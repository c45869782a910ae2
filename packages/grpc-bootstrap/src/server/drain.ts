import type { Server } from '@grpc/grpc-js';
import { DEFAULT_GRACE_MS } from '@lifeline/core/config';
import { warnOnce } from '@lifeline/core/diag';
import { DELAY, durationArg } from '@lifeline/core/duration';
import { invalidArgType, optionsObject } from '@lifeline/core/errors';
import { assertHealth, setNotServing, type HealthLike } from './health.js';
import { debug } from './record.js';

/** Options of {@link drainServer}. */
export interface DrainOptions {
  /**
   * A health implementation to flip: every service it knows, then `''`, is set to NOT_SERVING first.
   * @default none
   */
  health?: HealthLike;
  /**
   * How long in-flight calls may take to finish (`tryShutdown`) before the server is closed hard
   * (`forceShutdown`): milliseconds or a duration string (`'5s'`). `0` forces at once (after a graceful
   * attempt in the same tick). Throws `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` when it is not a
   * duration of zero or more.
   * @default 3000
   */
  grace?: number | string;
}

/** How a {@link drainServer} call ended. */
export interface DrainResult {
  /** `'drained'`: every call finished in time; `'forced'`: `forceShutdown` closed what was left. */
  outcome: 'drained' | 'forced';
  /** The health service names set to NOT_SERVING (empty without `health`). */
  notServing: string[];
  /** Milliseconds from the call to the end of the drain. */
  elapsedMs: number;
}

/**
 * A server that {@link armServer} and {@link drainServer} can close: a `@grpc/grpc-js` `Server` (any copy
 * or version ≥ 1.8), a nice-grpc `Server` (`shutdown()` / `forceShutdown()`), or any object with one of
 * these pairs of methods.
 *
 * @example
 * ```ts
 * import { createServer } from 'nice-grpc';
 * const server: DrainableServer = createServer(); // armServer(server) after `await server.listen(…)`
 * ```
 */
export type DrainableServer =
  | { tryShutdown(callback: (error?: Error) => void): void; forceShutdown(): void }
  | { shutdown(): Promise<void>; forceShutdown(): void };

/** @internal */
export type Drainable = DrainableServer;

/**
 * Take a grpc-js server out of rotation and close it within a bound:
 * 1. health: every known service and `''` → NOT_SERVING (clients `Watch`ing health are told at once);
 * 2. `tryShutdown`: stop accepting connections and calls, let in-flight calls finish;
 * 3. after `grace`, `forceShutdown`: cancel what is still open (server streams, health `Watch`
 *    calls, half-closed client streams — grpc-js's `tryShutdown` waits for those forever).
 *
 * The promise always settles, at the latest when `grace` passes, and never rejects. This is what an
 * armed server runs when its supervisor dies; it is exported for your own shutdown paths (SIGTERM).
 *
 * @param server - a `@grpc/grpc-js` `Server` (any copy), a nice-grpc `Server`, or any {@link DrainableServer}.
 * @param options - see {@link DrainOptions}.
 * @throws {TypeError} `ERR_INVALID_ARG_TYPE` when `server` is not a grpc-js server or an option has the wrong type.
 * @throws {RangeError} `ERR_INVALID_ARG_VALUE` when `grace` is negative or not a duration, or an option is unknown.
 * @example
 * ```ts
 * process.once('SIGTERM', async () => {
 *   const { outcome } = await drainServer(server, { health, grace: '5s' });
 *   process.exit(outcome === 'drained' ? 0 : 1);
 * });
 * ```
 */
export function drainServer(server: Server | DrainableServer, options: DrainOptions = {}): Promise<DrainResult> {
  assertDrainable(server, 'drainServer');
  const o = optionsObject('drainServer', 'options', options, ['health', 'grace']);
  assertHealth(o.health, 'drainServer');
  const graceMs = durationArg('drainServer', 'options.grace', o.grace, DELAY, DEFAULT_GRACE_MS, warnOnce);
  return drainUntil(server, o.health, Date.now() + graceMs);
}

/** The drain, bounded by an absolute `deadline` (epoch ms). Never rejects. @internal */
export function drainUntil(server: Drainable, health: HealthLike | undefined, deadline: number): Promise<DrainResult> {
  const started = Date.now();
  const notServing = health ? setNotServing(health, (error) => debug('health.setStatus failed: %O', error)) : [];
  if (notServing.length > 0) debug('health NOT_SERVING: %o', notServing);

  return new Promise<DrainResult>((resolve) => {
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (outcome: DrainResult['outcome']): void => {
      if (done) return;
      done = true;
      if (timer !== undefined) clearTimeout(timer);
      const result: DrainResult = { outcome, notServing, elapsedMs: Date.now() - started };
      debug('drain %s after %dms', outcome, result.elapsedMs);
      resolve(result);
    };
    const force = (): void => {
      if (done) return;
      debug('forceShutdown at the deadline');
      try {
        server.forceShutdown();
      } catch (error) {
        debug('forceShutdown failed: %O', error);
      }
      finish('forced');
    };

    // The timer is armed first so that nothing below can leave the drain unbounded. It stays ref'd:
    // it is what keeps a process whose server is closing alive until the deadline, no longer.
    timer = setTimeout(force, Math.max(0, deadline - Date.now()));
    try {
      debug('graceful shutdown');
      if ('tryShutdown' in server) server.tryShutdown(() => finish('drained'));
      else
        server.shutdown().then(
          () => finish('drained'),
          (error: unknown) => debug('shutdown() rejected: %O', error),
        );
    } catch (error) {
      debug('graceful shutdown failed: %O', error);
      force();
    }
  });
}

/** @internal */
export function assertDrainable(server: unknown, where: string): asserts server is Drainable {
  const candidate = server as Partial<Record<'tryShutdown' | 'shutdown' | 'forceShutdown', unknown>> | null;
  const graceful =
    candidate !== null &&
    typeof candidate === 'object' &&
    (typeof candidate.tryShutdown === 'function' || typeof candidate.shutdown === 'function');
  if (!graceful || typeof candidate?.forceShutdown !== 'function') {
    throw invalidArgType(
      where,
      'server',
      'a @grpc/grpc-js or nice-grpc Server (tryShutdown or shutdown, and forceShutdown)',
      server,
    );
  }
}
