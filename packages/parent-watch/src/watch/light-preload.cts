/**
 * Node's register preload. Two ways in:
 * - the package's `require` entry (`-r @lifeline/parent-watch/register`, `require(…)`): this file itself;
 * - behind `register.cjs` (the `import` entry, and either flag given that file by path), which loads this
 *   file with no parent (`Module._load(file, null)`) and calls it with its own module.
 * Either way it arms as it loads — one file for `-r`, not two.
 * Loaded by the ESM loader (`--import`, `import`), Node gives the entry no parent: the application is
 * likelier ESM then, and the full watcher, when needed, is loaded as the very instance it imports.
 */
import { armFromPreload } from './light.js';

/**
 * The module that loaded the preload: this file as an entry, or register.cjs, which hands over its own
 * once this file has loaded (until then, found in Node's cache). Its `parent` tells how — none under the
 * ESM loader — and is read only when the full watcher loads: the getter is a deprecated one, whose
 * machinery would otherwise run at every start.
 */
let entry: NodeModule | undefined;
armFromPreload(
  () => {
    // A key of Node's cache: the file's path as the platform writes it.
    const registerFile = `${__dirname}${process.platform === 'win32' ? '\\' : '/'}register.cjs`;
    const from = entry ?? (module.parent === null ? require.cache[registerFile] : undefined) ?? module;
    return from.parent == null ? 'import' : 'require';
  },
  () => require('./light-run.cjs'),
);

/** What register.cjs calls with its module: armed already, as this file loaded. */
export = (from: NodeModule): void => {
  entry = from;
};
