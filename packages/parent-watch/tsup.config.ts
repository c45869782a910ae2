import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/register.ts', 'src/proc.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  splitting: false,
  sourcemap: false,
  // import.meta.url in the CJS build too (lazy require of debug and node:worker_threads).
  shims: true,
});
