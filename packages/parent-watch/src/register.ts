/**
 * `@lifeline/parent-watch/register`: arm the watcher from the environment, as a side effect.
 *
 * ```sh
 * node --import @lifeline/parent-watch/register app.js
 * node -r @lifeline/parent-watch/register app.js
 * ```
 * or `import '@lifeline/parent-watch/register'` first thing in the program. This file is the ES module
 * build, for bundlers; Node loads the CommonJS entry (register.cts) for `import` and `require` alike.
 *
 * Reads every setting of the watcher from the environment. Never throws: unusable values warn once on
 * stderr and fall back to their defaults.
 *
 * Light at start: with only the settings the light watcher handles (LocalAI's) and no IPC channel, it
 * arms a timer, and the full watcher loads when the application calls `watchParent()` or the parent goes
 * with descendants to take down; any other setting, or an IPC channel, loads it at once.
 * @packageDocumentation
 */
import { armFromPreload } from './watch/light.js';
import * as run from './watch/light-run.js';

armFromPreload(
  () => 'import',
  () => run,
);
