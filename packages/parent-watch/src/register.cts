/**
 * The register preload's CommonJS entry, what Node loads for `-r` and `--import` alike. One `require`:
 * for `--import`, Node's ESM loader lexes this file for its exports (see tsup.config.ts), and every
 * other word here would cost that lexer time. The watcher arms as the file it requires loads
 * (watch/light-preload.cts).
 * @packageDocumentation
 */
require('./light-watcher.cjs');
