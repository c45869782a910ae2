import { defineConfig } from 'tsup';
import { packageBuild } from '../core/build.js';

export default defineConfig({
  ...packageBuild,
  entry: ['src/index.ts', 'src/register.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  external: ['@grpc/grpc-js', 'grpc-health-check', '@lifeline/parent-watch'],
});
