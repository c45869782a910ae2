import { defineConfig } from 'tsup';
import { packageBuild } from '../core/build.js';

const external = ['@lifeline/parent-watch'];

export default defineConfig([
  { ...packageBuild, entry: ['src/index.ts'], format: ['esm', 'cjs'], dts: true, clean: true, external },
  {
    ...packageBuild,
    entry: ['src/cli.ts'],
    format: ['esm'],
    dts: false,
    external,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
