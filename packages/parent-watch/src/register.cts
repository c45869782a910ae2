/**
 * The register preload's CommonJS entry, what Node loads for `-r` and `--import` alike: one line, so that
 * Node's ESM loader lexes nothing for `--import` (see tsup.config.ts); the watcher is the bundle beside it.
 * Loaded by the ESM loader (`--import`, `import`), Node gives it no `module.parent`: the application is
 * likelier ESM then, and the full watcher, when needed, is loaded as the very instance it imports.
 * @packageDocumentation
 */
const light: typeof import('./watch/light.js') = require('./light-watcher.cjs');

light.armFromPreload(module.parent === undefined ? 'import' : 'require');
