/**
 * `@lifeline/grpc-bootstrap`: @grpc/grpc-js servers that arm the Lifeline parent watcher when they bind,
 * and drain within a bound when their supervisor dies.
 *
 * @example
 * ```ts
 * import { createServer } from '@lifeline/grpc-bootstrap';
 * const server = createServer(); // a grpc-js Server, armed on its first successful bindAsync
 * ```
 * @packageDocumentation
 */
export { createServer } from './server/create.js';
export type { CreateServerOptions } from './server/create.js';
export { armServer } from './server/arm.js';
export type { ArmServerOptions } from './server/arm.js';
export { drainServer } from './server/drain.js';
export type { DrainableServer, DrainOptions, DrainResult } from './server/drain.js';
export type { HealthLike, HealthServingStatus } from './server/health.js';
export type { ParentWatch, WatchParentOptions, OrphanEvent } from '@lifeline/parent-watch';
