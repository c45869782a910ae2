/**
 * The register preload's `import` entry for Node (the `require` entry is the start file itself, one file
 * for `-r`); given by path, it serves `-r` as well. As little as can
 * be: for `--import`, Node's ESM loader lexes this file for its exports, and every word here costs that
 * lexer time. It loads the watcher's start (watch/light-preload.cts) through Node's loader without a
 * parent module, and hands it this module: a `require` from here would first look this package up in its
 * own package.json (a self-reference), which under `--import` is Node's CommonJS resolver compiled and run
 * for nothing. `require` where the runtime has no `Module._load`.
 * @packageDocumentation
 */
type Load = (request: string, parent: null, isMain: boolean) => (entry: NodeModule) => void;

((module.constructor as unknown as { _load?: Load })._load || (require as unknown as Load))(
  __dirname + '/register-light.cjs',
  null,
  false,
)(module);
