/**
 * Node's register preload, behind its entry (register.cts), which calls this with its own module: arms
 * the light watcher, whose run half (light-run.cjs) is a file of its own, loaded when first needed.
 * Loaded by the ESM loader (`--import`, `import`), Node gives the entry no parent: the application is
 * likelier ESM then, and the full watcher, when needed, is loaded as the very instance it imports.
 */
import { armFromPreload } from './light.js';

export = function arm(entry: NodeModule): void {
  armFromPreload(entry.parent == null ? 'import' : 'require', () => require('./light-run.cjs'));
};
