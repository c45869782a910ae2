import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/register.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  splitting: false,
  // register.ts needs its own location (import.meta.url) in the CJS build as well.
  shims: true,
  external: ['@grpc/grpc-js', 'grpc-health-check', '@lifeline/parent-watch'],
  // @lifeline/core is the workspace's private shared code: bundled in, never a dependency.
  noExternal: ['@lifeline/core'],
});
