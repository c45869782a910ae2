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
 *
 * Light at start: with only LocalAI's two variables set and no IPC channel, it arms a timer, and the full
 * watcher loads when the application calls `watchParent()` or the parent goes; any other variable, or an
 * IPC channel, loads it at once.
 * @packageDocumentation
 */
import { armFromPreload } from './watch/light.js';

armFromPreload();
