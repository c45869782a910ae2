import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';
import { packageBuild } from '../core/build.js';

/**
 * The register preload loads the full watcher only when needed, through `import('../index.js')`: keep
 * that import out of its bundle, pointing at the built entry of the same format.
 */
function fullWatcherExternal(): Plugin {
  return {
    name: 'lifeline-full-watcher-external',
    setup(build) {
      const format = build.initialOptions.format;
      build.onResolve({ filter: /^\.\.\/index\.js$/ }, (args) =>
        args.kind === 'dynamic-import'
          ? { path: format === 'cjs' ? './index.cjs' : './index.js', external: true }
          : undefined,
      );
    },
  };
}

export default defineConfig([
  {
    ...packageBuild,
    entry: ['src/index.ts', 'src/register.ts', 'src/proc.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    esbuildPlugins: [fullWatcherExternal()],
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
