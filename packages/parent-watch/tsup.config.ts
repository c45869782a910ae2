import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';
import { packageBuild } from '../core/build.js';

/**
 * The register preload loads the full watcher only when needed, through `import('../index.js')`: keep
 * that import out of its bundle, pointing at the built entry of the same format.
 */
function fullWatcherExternal(): Plugin {
  return {
    name: 'lifeline-full-watcher-external',
    setup(build) {
      const format = build.initialOptions.format;
      build.onResolve({ filter: /^\.\.\/index\.js$/ }, (args) =>
        args.kind === 'dynamic-import'
          ? { path: format === 'cjs' ? './index.cjs' : './index.js', external: true }
          : undefined,
      );
    },
  };
}

export default defineConfig([
  {
    ...packageBuild,
    entry: ['src/index.ts', 'src/proc.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    // Not `clean`: its declaration step would delete the other builds' declarations as they land (the
    // package's build script empties dist first).
  },
  {
    // The register preload's ES module build: for bundlers (the `module` condition). Node loads the
    // CommonJS one below for `import` too: its ESM loader costs more to load an ES module as a preload.
    ...packageBuild,
    entry: ['src/register.ts'],
    format: ['esm'],
    esbuildPlugins: [...(packageBuild.esbuildPlugins ?? []), fullWatcherExternal()],
  },
  {
    // The register preload for Node, `-r` and `--import` alike: a one-line entry (src/register.cts) that
    // requires the bundle. `--import` of a CommonJS file makes Node's ESM loader lex it for its exports, in
    // JavaScript: on a bundle, hot enough for V8 to optimise the lexer (tens of milliseconds); on one line,
    // nothing.
    ...packageBuild,
    entry: { register: 'src/register.cts' },
    format: ['cjs'],
    dts: true,
    external: ['./light-watcher.cjs'],
  },
  {
    // The bundle: minified, since start-up pays for every character V8 scans.
    ...packageBuild,
    entry: { 'light-watcher': 'src/watch/light.ts' },
    format: ['cjs'],
    minify: true,
    esbuildPlugins: [...(packageBuild.esbuildPlugins ?? []), fullWatcherExternal()],
  },
  {
    // The watchdog thread's module, started by path from either build (ESM whatever the loader).
    ...packageBuild,
    entry: { watchdog: 'src/watchdog.ts' },
    format: ['esm'],
    outExtension: () => ({ js: '.mjs' }),
    dts: false,
  },
]);
