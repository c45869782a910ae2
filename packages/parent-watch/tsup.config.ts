import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';
import { packageBuild } from '../core/build.js';
import { lightFacts } from './src/watch/light-facts.js';

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

/**
 * The light watcher's bundle gets the settings table's facts as a literal, computed by light-facts.ts's own
 * function now: the preload carries a few names and numbers, not the table and its readers.
 */
function lightFactsInlined(): Plugin {
  return {
    name: 'lifeline-light-facts-inlined',
    setup(build) {
      build.onLoad({ filter: /[\\/]watch[\\/]light-facts\.ts$/ }, () => ({
        contents: `export const LIGHT_FACTS = ${JSON.stringify(lightFacts())};`,
        loader: 'js',
      }));
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
    // nothing but the `require`. Minified: no comment, no `"use strict"` for the lexer to read.
    ...packageBuild,
    entry: { register: 'src/register.cts' },
    format: ['cjs'],
    dts: true,
    minify: true,
    external: ['./light-watcher.cjs'],
  },
  {
    // The light watcher's two bundles: its start (armed as it loads), required by the entry, and its run
    // half, loaded when first needed. Minified and apart, since start-up pays for every character V8 scans.
    ...packageBuild,
    entry: { 'light-watcher': 'src/watch/light-preload.cts', 'light-run': 'src/watch/light-run.ts' },
    format: ['cjs'],
    minify: true,
    external: ['./light-run.cjs'],
    esbuildPlugins: [...(packageBuild.esbuildPlugins ?? []), fullWatcherExternal(), lightFactsInlined()],
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
