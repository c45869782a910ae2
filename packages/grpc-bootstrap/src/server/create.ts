import { Server, type ServerCredentials, type ServerOptions } from '@grpc/grpc-js';
import type { WatchParentOptions } from '@lifeline/parent-watch';
import { armingCallback } from './arm.js';
import { invalidArgType } from '@lifeline/core/errors';
import { assertHealth, type HealthLike } from './health.js';
import { assertWatchOptions } from './options.js';
import { recordOf } from './record.js';

/** Options of {@link createServer}: every grpc-js `ServerOptions`, plus Lifeline's two. */
export interface CreateServerOptions extends ServerOptions {
  /**
   * Options for the process's parent watcher (`watchParent` of `@lifeline/parent-watch`), armed on the
   * first successful `bindAsync`; `false` opts this server out (also under the `register` preload);
   * `true` is the same as `{}`. The watcher is once per process: the options of the first arming win.
   * @default `{}`: the environment (`LOCALAI_BACKEND_PARENT_WATCH_INTERVAL`, `LIFELINE_PARENT_WATCH_GRACE`, …)
   */
  parentWatch?: WatchParentOptions | boolean;
  /**
   * A `grpc-health-check` `HealthImplementation`: `createServer` adds the `grpc.health.v1.Health` service
   * to the server (do not call `addToServer` yourself) and sets every service it knows, then `''`, to
   * NOT_SERVING when the supervisor dies, before the server stops.
   * @default none
   */
  health?: HealthLike;
}

/**
 * Create a `@grpc/grpc-js` `Server` (same options, a real `Server`) that arms the Lifeline parent
 * watcher on its first successful `bindAsync`. When the supervisor dies, the server is taken out of
 * rotation (health NOT_SERVING), drained (`tryShutdown`), closed hard at the grace deadline
 * (`forceShutdown`), and the process exits with code 1 — see {@link armServer} for the bounds.
 *
 * @param options - grpc-js server options plus `parentWatch` and `health`; see {@link CreateServerOptions}.
 * @returns the server; its `bindAsync` arms before calling your callback.
 * @throws {TypeError} `ERR_INVALID_ARG_TYPE` when an option has the wrong type (the message names it).
 * @throws {RangeError} `ERR_INVALID_ARG_VALUE` / `ERR_OUT_OF_RANGE` when an option's value is not usable
 *   (e.g. `parentWatch: { interval: 0 }`).
 * @example
 * ```ts
 * import * as grpc from '@grpc/grpc-js';
 * import { HealthImplementation } from 'grpc-health-check';
 * import { createServer } from '@lifeline/grpc-bootstrap';
 *
 * const health = new HealthImplementation({ '': 'SERVING' });
 * const server = createServer({ health, parentWatch: { grace: '2s' } });
 * server.addService(service, handlers);
 * server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => {
 *   if (error) throw error;
 *   console.log(`listening on ${port}`); // armed by now
 * });
 * ```
 */
export function createServer(options: CreateServerOptions = {}): Server {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw invalidArgType('createServer', 'options', 'an object', options);
  }
  const { parentWatch, health, ...serverOptions } = options;
  assertWatchOptions(parentWatch, 'createServer');
  assertHealth(health, 'createServer');

  const server = new Server(serverOptions);
  if (health && typeof health.addToServer === 'function') health.addToServer(server as never);

  const record = recordOf(server);
  record.parentWatch = parentWatch === true ? undefined : parentWatch;
  record.health = health;
  if (parentWatch === false) return server;

  // An own property wrapping the prototype's method (which the register preload may have wrapped
  // too: both arm through the same per-server record, so the server is armed once).
  const bindAsync = server.bindAsync;
  Object.defineProperty(server, 'bindAsync', {
    configurable: true,
    enumerable: false,
    writable: true,
    value: function bindAsyncArmed(
      this: Server,
      port: string,
      creds: ServerCredentials,
      callback: (error: Error | null, port: number) => void,
    ): void {
      bindAsync.call(this, port, creds, armingCallback(server, callback, 'createServer'));
    },
  });
  return server;
}
