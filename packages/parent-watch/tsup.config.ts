import { defineConfig } from 'tsup';
import { packageBuild } from '../core/build.js';

export default defineConfig([
  {
    ...packageBuild,
    entry: ['src/index.ts', 'src/register.ts', 'src/proc.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
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
