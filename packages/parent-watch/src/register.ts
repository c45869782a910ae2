/**
 * `@lifeline/parent-watch/register`: arm the watcher from the environment, as a side effect.
 *
 * ```sh
 * node --import @lifeline/parent-watch/register app.js   # ESM preload
 * node -r @lifeline/parent-watch/register app.js         # CommonJS preload
 * ```
 * or `import '@lifeline/parent-watch/register'` first thing in the program.
 *
 * Reads `LOCALAI_BACKEND_PARENT_WATCH`, `LOCALAI_BACKEND_PARENT_WATCH_INTERVAL`, `LIFELINE_PARENT_PID`,
 * `LIFELINE_PARENT_WATCH_GRACE` and `LIFELINE_PARENT_WATCH_THREAD`. Never throws: unusable values warn once
 * on stderr and fall back to their defaults.
 * @packageDocumentation
 */
import { watchParent } from './watch/registry.js';

watchParent();
