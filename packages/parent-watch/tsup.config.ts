import { defineConfig } from 'tsup';

// @lifeline/core is the workspace's private shared code: bundled into every entry, never a dependency.
const shared = {
  target: 'node20',
  platform: 'node',
  splitting: false,
  sourcemap: false,
  noExternal: ['@lifeline/core'],
} as const;

export default defineConfig([
  {
    ...shared,
    entry: ['src/index.ts', 'src/register.ts', 'src/proc.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    // No shims: tsup's would evaluate import.meta.url at load, which is empty in a CJS bundle.
    // core/module-url.ts finds the module's file in every build and bundle.
    shims: false,
    // The CJS build reads import.meta.url as empty on purpose (module-url.ts falls back to __filename).
    esbuildOptions(options) {
      options.logOverride = { 'empty-import-meta': 'silent' };
    },
  },
  {
    // The watchdog thread's module, started by path from either build (ESM whatever the loader).
    ...shared,
    entry: { watchdog: 'src/watchdog.ts' },
    format: ['esm'],
    outExtension: () => ({ js: '.mjs' }),
    dts: false,
  },
]);
