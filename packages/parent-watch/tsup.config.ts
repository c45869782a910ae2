import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';
import { packageBuild } from '../core/build.js';
import { lightFacts } from './src/watch/light-facts.js';
import { eagerStart } from './build/eager-start.js';

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

/**
 * The start file's rare paths, from the run half's file: each module light-later.ts names becomes, in the
 * start file's bundle, a stub whose listed functions call the run half's (which re-exports them); the
 * module's other exports stay its own code, bundled only if start uses them. Read from that file's
 * `export { … } from '…'` statements: anything else in it fails the build.
 */
const RUN_HALF = 'lifeline:run-half';

function laterFromRunHalf(): Plugin {
  const listFile = fileURLToPath(new URL('./src/watch/light-later.ts', import.meta.url));
  const statement = /export\s*\{([^}]*)\}\s*from\s*'([^']+)';/g;
  const source = readFileSync(listFile, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  const later = [...source.matchAll(statement)].map(([, names, from]) => ({
    from: from!,
    names: names!
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  }));
  if (source.replace(statement, '').trim() !== '' || later.length === 0) {
    throw new Error(`${listFile}: only \`export { … } from '…';\` statements are read`);
  }
  return {
    name: 'lifeline-later-from-run-half',
    setup(build) {
      const stubs = new Map<string, string[]>();
      build.onStart(async () => {
        for (const { from, names } of later) {
          const found = await build.resolve(from, { kind: 'import-statement', resolveDir: dirname(listFile) });
          if (found.errors.length > 0) return { errors: found.errors };
          stubs.set(found.path, names);
        }
        return undefined;
      });
      build.onLoad({ filter: /\.ts$/, namespace: 'file' }, (args) => {
        const names = stubs.get(args.path);
        if (names === undefined) return undefined;
        // The names listed call the run half's; the module's others are its own (kept only if start uses them).
        const contents = [
          `export * from ${JSON.stringify(`${args.path}?own`)};`,
          `import { later } from ${JSON.stringify(RUN_HALF)};`,
          ...names.map((name) => `export function ${name}(...args) { return later().${name}(...args); }`),
        ].join('\n');
        return { contents, loader: 'js', resolveDir: dirname(args.path) };
      });
      // One loader for every stub: the run half's `later` (light-run.ts), required when first called.
      build.onResolve({ filter: new RegExp(`^${RUN_HALF}$`) }, () => ({
        path: RUN_HALF,
        namespace: 'lifeline-run-half',
      }));
      build.onLoad({ filter: /.*/, namespace: 'lifeline-run-half' }, () => ({
        contents: 'let run;\nexport const later = () => (run ??= require("./light-run.cjs").later);',
        loader: 'js',
        resolveDir: dirname(listFile),
      }));
      build.onResolve({ filter: /\.ts\?own$/ }, (args) => ({
        path: args.path.slice(0, -4),
        namespace: 'lifeline-own',
      }));
      build.onLoad({ filter: /.*/, namespace: 'lifeline-own' }, (args) => ({
        contents: readFileSync(args.path, 'utf8'),
        loader: 'ts',
        resolveDir: dirname(args.path),
      }));
    },
  };
}

/**
 * The CommonJS preload's files are loaded by computed paths (`__dirname + …`), never inlined into an
 * application's bundle: the full watcher's loader leaves its dynamic import out of them (full-watcher.ts).
 */
const REQUIRE_ONLY = { 'globalThis.__LIFELINE_REQUIRE_ONLY__': 'true' };

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
    // The register preload's `import` entry for Node (and either flag's, given by path): a one-line entry
    // (src/register.cts) that loads the bundle. `--import` of a CommonJS file makes Node's ESM loader lex it for its exports, in
    // JavaScript: on a bundle, hot enough for V8 to optimise the lexer (tens of milliseconds); on one line,
    // nothing but the `require`. Minified: no comment, no `"use strict"` for the lexer to read.
    ...packageBuild,
    entry: { register: 'src/register.cts' },
    format: ['cjs'],
    dts: true,
    minify: true,
    external: ['./register-light.cjs'],
  },
  {
    // The light watcher's start: loaded by that entry, or the `require` entry itself (armed as it loads). Minified, and apart from its run
    // half (below), since start-up pays for every character V8 scans: what start rarely runs is there too.
    ...packageBuild,
    entry: { 'register-light': 'src/watch/light-preload.cts' },
    format: ['cjs'],
    minify: true,
    external: ['./light-run.cjs'],
    define: REQUIRE_ONLY,
    esbuildPlugins: [
      ...(packageBuild.esbuildPlugins ?? []),
      fullWatcherExternal(),
      lightFactsInlined(),
      laterFromRunHalf(),
    ],
    // What every start calls, compiled with the file rather than again on first call (build/eager-start.ts).
    async onSuccess() {
      eagerStart(fileURLToPath(new URL('./dist/register-light.cjs', import.meta.url)));
    },
  },
  {
    // The light watcher's run half, loaded when first needed (and by the start file's rare paths).
    ...packageBuild,
    entry: { 'light-run': 'src/watch/light-run.ts' },
    format: ['cjs'],
    minify: true,
    define: REQUIRE_ONLY,
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
