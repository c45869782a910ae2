// The build settings every published package shares (each package's tsup.config.ts spreads them).
import type { Plugin } from 'esbuild';
import type { Options } from 'tsup';

/**
 * `ms` defines one function and has no side effects, but its package does not say so: told, esbuild drops
 * it from a bundle that never reads a long form (the register preload's light watcher).
 */
function msIsPure(): Plugin {
  return {
    name: 'lifeline-ms-is-pure',
    setup(build) {
      build.onResolve({ filter: /^ms$/ }, async (args) => {
        if (args.pluginData === 'ms-is-pure') return undefined;
        const { path, errors } = await build.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: 'ms-is-pure',
        });
        return errors.length > 0 ? undefined : { path, sideEffects: false };
      });
    },
  };
}

/** Node 20, ESM + CJS from the same source, the private core bundled in. */
export const packageBuild: Options = {
  target: 'node20',
  platform: 'node',
  splitting: false,
  sourcemap: false,
  // @lifeline/core is the workspace's private shared code, and `ms` the duration parser it uses: bundled
  // into every entry, never a dependency (loaded with the file that uses it; no package for a bundler to find).
  noExternal: ['@lifeline/core', 'ms'],
  // No shims: tsup's would evaluate import.meta.url at load, which is empty in a CJS bundle;
  // core/module-url.ts finds a module's file in every build and bundle instead.
  shims: false,
  esbuildPlugins: [msIsPure()],
  esbuildOptions(options) {
    // The CJS build reads import.meta.url as empty on purpose (module-url.ts falls back to __filename).
    options.logOverride = { 'empty-import-meta': 'silent' };
  },
};
