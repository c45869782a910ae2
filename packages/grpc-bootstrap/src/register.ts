/**
 * `@lifeline/grpc-bootstrap/register`: a preload that arms every @grpc/grpc-js `Server` of the process
 * on its first successful `bindAsync` — no code change in the worker.
 *
 * ```sh
 * node --import @lifeline/grpc-bootstrap/register worker.mjs   # ESM or CJS app
 * node -r @lifeline/grpc-bootstrap/register worker.js          # CJS app
 * ```
 *
 * It patches `Server.prototype.bindAsync` of every grpc-js copy the process loads through Node's module
 * loader, whatever its version and wherever it sits (nested under a dependency too), the copies loaded
 * before it included. Out of reach: an app that bundles grpc-js into one file (said once on stderr), and
 * under Bun, whose loader bypasses Node's, copies other than the one the app resolves — arm those servers
 * with `armServer`. Servers created with `createServer({ parentWatch: false })` stay unarmed.
 * The watcher reads its settings from the environment, as `@lifeline/parent-watch/register` does.
 * @packageDocumentation
 */
import { claimPerProcessVariables } from '@lifeline/core/config';
import { installRegisterHook } from './server/patch.js';

// The watcher arms when a server binds; what the supervisor addressed to this process leaves its
// environment now, before the application starts children of its own.
claimPerProcessVariables();
installRegisterHook();
