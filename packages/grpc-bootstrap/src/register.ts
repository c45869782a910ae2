/**
 * `@lifeline/grpc-bootstrap/register`: a preload that arms every @grpc/grpc-js `Server` of the process
 * on its first successful `bindAsync` — no code change in the worker.
 *
 * ```sh
 * node --import @lifeline/grpc-bootstrap/register worker.mjs   # ESM or CJS app
 * node -r @lifeline/grpc-bootstrap/register worker.js          # CJS app
 * ```
 *
 * It patches `Server.prototype.bindAsync` of the grpc-js copy the application resolves: the one found
 * from the entry script (`process.argv[1]`), and the one found from `process.cwd()` when it differs;
 * the package's own copy only when neither resolves. Limits: a second copy of grpc-js elsewhere in the
 * process (another version nested under a dependency) is not patched — arm those servers with
 * `armServer`. Servers created with `createServer({ parentWatch: false })` stay unarmed.
 * The watcher reads its settings from the environment (`LOCALAI_BACKEND_PARENT_WATCH*`,
 * `LIFELINE_PARENT_WATCH_GRACE`, `LIFELINE_PARENT_PID`).
 * @packageDocumentation
 */
import { claimPerProcessVariables } from '@lifeline/core/config';
import { installRegisterHook } from './server/patch.js';

// The watcher arms when a server binds; what the supervisor addressed to this process leaves its
// environment now, before the application starts children of its own.
claimPerProcessVariables();
installRegisterHook();
