// The build settings every published package shares (each package's tsup.config.ts spreads them).
import type { Options } from 'tsup';

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
  esbuildOptions(options) {
    // The CJS build reads import.meta.url as empty on purpose (module-url.ts falls back to __filename).
    options.logOverride = { 'empty-import-meta': 'silent' };
  },
};
