import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/register.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  splitting: false,
  // No shims: tsup's would evaluate import.meta.url at load, which is empty in a CJS bundle.
  shims: false,
  // The CJS build reads import.meta.url as empty on purpose (module-url.ts falls back to __filename).
  esbuildOptions(options) {
    options.logOverride = { 'empty-import-meta': 'silent' };
  },
  external: ['@grpc/grpc-js', 'grpc-health-check', '@lifeline/parent-watch'],
  // @lifeline/core is the workspace's private shared code: bundled in, never a dependency.
  noExternal: ['@lifeline/core'],
});
