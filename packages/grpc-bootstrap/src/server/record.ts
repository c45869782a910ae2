import type { ParentWatch, WatchParentOptions } from '@lifeline/parent-watch';
import { createLogger } from '@lifeline/core/diag';
import type { HealthLike } from './health.js';

/** `DEBUG=lifeline:grpc-bootstrap` traces arming and draining. @internal */
export const debug = createLogger('grpc-bootstrap');

/**
 * What Lifeline remembers about one grpc-js server. Kept on the server object under a `Symbol.for` key,
 * so that every copy of this package in the process (the ESM `register` preload beside a CJS
 * `createServer`, or two installed versions) sees the same record and a server is never armed twice.
 * @internal
 */
export interface ServerRecord {
  /** Options for `watchParent` given to `createServer`; `false` = opted out. */
  parentWatch: WatchParentOptions | false | undefined;
  /** The health implementation to flip to NOT_SERVING. */
  health: HealthLike | undefined;
  /** The watcher this server is armed with, once armed. */
  watch: ParentWatch | undefined;
  /** Removes this server's onOrphan hook. */
  unsubscribe: (() => void) | undefined;
}

const RECORD = Symbol.for('lifeline.grpc-bootstrap.server.v1');

type WithRecord = object & { [RECORD]?: ServerRecord };

/** The record of `server`, or `undefined`. @internal */
export function peekRecord(server: object): ServerRecord | undefined {
  return (server as WithRecord)[RECORD];
}

/** The record of `server`, created empty when missing. @internal */
export function recordOf(server: object): ServerRecord {
  const holder = server as WithRecord;
  let record = holder[RECORD];
  if (!record) {
    record = { parentWatch: undefined, health: undefined, watch: undefined, unsubscribe: undefined };
    Object.defineProperty(holder, RECORD, { value: record, enumerable: false, configurable: true, writable: false });
  }
  return record;
}
