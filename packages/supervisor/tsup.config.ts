import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    external: ['@lifeline/parent-watch'],
    noExternal: ['@lifeline/core'],
  },
  {
    entry: ['src/cli.ts'],
    format: ['esm'],
    dts: false,
    target: 'node20',
    platform: 'node',
    splitting: false,
    external: ['@lifeline/parent-watch'],
    noExternal: ['@lifeline/core'],
    banner: { js: '#!/usr/bin/env node' },
  },
]);
