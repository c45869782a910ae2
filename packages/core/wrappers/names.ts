/**
 * Whether an argv names a wrapper at all, before the table's rows read it (table.ts, `wrapperNames()`):
 * a row's program name is a piece of one word of every argv it matches (a base name, a script's name, a
 * package's folder), and Node's options name `--watch`. An argv that names none is no wrapper. Apart from
 * the table so that the register preload can ask it at start without the table, which it loads only when
 * the answer is yes (parent-watch's light-later.ts).
 */

/** What may stand before a name in a word: its start, a `/`, a login shell's `-` (first), a process title's space. */
const BEFORE = '/ ';
/** What may stand after a name: the word's end, an extension's `.`, a version's `-`, a `/`, a space. */
const AFTER = '-./ ';

/**
 * Whether a word of `argv` contains one of `names` where a program's name can stand. Plain string search:
 * a regular expression of two dozen names costs V8 more to compile than the table costs to read.
 *
 * @example
 * ```ts
 * namesWrapper(['node', '/usr/lib/node_modules/npm/bin/npm-cli.js', 'run', 'w'], ['npm-cli']); // true
 * namesWrapper(['node', '/srv/app/supervisor.js'], ['npm-cli']);                                // false
 * ```
 */
export function namesWrapper(argv: readonly string[], names: readonly string[]): boolean {
  for (const word of argv) {
    for (const name of names) {
      for (let at = word.indexOf(name); at >= 0; at = word.indexOf(name, at + 1)) {
        const end = at + name.length;
        const before = at === 0 || (at === 1 && word[0] === '-') || BEFORE.includes(word[at - 1] as string);
        if (before && (end === word.length || AFTER.includes(word[end] as string))) return true;
      }
    }
  }
  return false;
}
