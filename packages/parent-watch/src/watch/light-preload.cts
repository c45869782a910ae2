/**
 * Node's register preload, behind its one-line entry (register.cts): arms the light watcher, whose run
 * half (light-run.cjs) is a file of its own, loaded when first needed. The entry is this module's
 * parent; loaded by the ESM loader (`--import`, `import`), Node gives the entry no parent of its own: the
 * application is likelier ESM then, and the full watcher, when needed, is loaded as the very instance it
 * imports.
 */
import { armFromPreload } from './light.js';

armFromPreload(module.parent?.parent == null ? 'import' : 'require', () => require('./light-run.cjs'));
