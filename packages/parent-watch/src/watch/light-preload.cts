/**
 * Node's register preload. Two ways in:
 * - the package's `require` entry (`-r @lifeline/parent-watch/register`, `require(…)`): this file itself,
 *   which arms as it loads — one file for `-r`, not two;
 * - behind `register.cjs` (the `import` entry, and either flag given that file by path), which loads this
 *   file with no parent (`Module._load(file, null)`) and calls it with its own module.
 * Loaded by the ESM loader (`--import`, `import`), Node gives the entry no parent: the application is
 * likelier ESM then, and the full watcher, when needed, is loaded as the very instance it imports.
 */
import { armFromPreload } from './light.js';

function arm(entry: NodeModule): void {
  armFromPreload(entry.parent == null ? 'import' : 'require', () => require('./light-run.cjs'));
}

/** Required as an entry of its own: armed now, and what register.cjs would call (it loads the same file) does nothing. */
function armedAsEntry(): (entry: NodeModule) => void {
  arm(module);
  return () => {};
}

export = module.parent === null ? arm : armedAsEntry();
