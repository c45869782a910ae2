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
    // import.meta.url in the CJS build too: the watchdog module is found beside the entry.
    shims: true,
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
