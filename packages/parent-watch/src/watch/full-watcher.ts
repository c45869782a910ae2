/**
 * Loading the full watcher from the register preload's light watcher: when it must arm at start, and when
 * the light one hands over at the orphaning.
 */
import { errorText } from '@lifeline/core/errors';
import { loadBuiltin } from '@lifeline/core/builtin';
import { writeLine } from '@lifeline/core/diag';
import { moduleUrl } from '@lifeline/core/module-url';

type FullWatcher = typeof import('../index.js');

/** This package's name: the full watcher is loaded from beside this file only inside it. */
const PACKAGE_NAME = '@lifeline/parent-watch';

/**
 * How the preload was loaded: the likelier format of the application, in which the full watcher loads.
 * Asked only when it loads (telling costs the preload a deprecated getter: light-preload.cts).
 */
export type LoadedBy = () => 'import' | 'require';

/**
 * Load the full watcher and use it: synchronously from beside this file (loaded by `import`: the ES module
 * build, through require(esm), which is the instance an ESM application imports; else, or without
 * require(esm), the CJS build), or — in an app bundled into one file, where the bundler inlined it —
 * through the dynamic import, a microtask later. @internal
 */
export function withFullWatcher(loadedBy: LoadedBy, use: (full: FullWatcher) => void): void {
  let failure: unknown;
  const full = requireFull(loadedBy(), (error) => (failure = error));
  if (full !== undefined) return use(full);
  // The CommonJS preload's files are loaded by a computed path, never inlined into an application's bundle:
  // what `require` could not load, the dynamic import could not either. Their build sets the flag, and
  // leaves the import out (esbuild would add its unused interop helpers for it to the preload's start).
  const loading = (globalThis as RequireOnly).__LIFELINE_REQUIRE_ONLY__
    ? Promise.reject(failure ?? new Error(`not inside ${PACKAGE_NAME}`))
    : import('../index.js');
  loading.then(use, (error: unknown) => {
    writeLine(`warning: the parent watcher could not load, the parent is not watched: ${errorText(error)}`);
  });
}

/** The build-time flag of the CommonJS preload's files (tsup.config.ts `define`); unset anywhere else. */
interface RequireOnly {
  __LIFELINE_REQUIRE_ONLY__?: boolean;
}

function requireFull(loadedBy: ReturnType<LoadedBy>, failed: (error: unknown) => void): FullWatcher | undefined {
  const base = moduleUrl(import.meta.url);
  if (base === undefined) return undefined;
  try {
    const load = loadBuiltin<typeof import('node:module')>('node:module').createRequire(base);
    // Beside our own package.json only: in an app bundled into one file, "./index.js" is somebody else's.
    if ((load('../package.json') as { name?: unknown }).name !== PACKAGE_NAME) return undefined;
    for (const entry of loadedBy === 'import' ? ['./index.js', './index.cjs'] : ['./index.cjs']) {
      try {
        return load(entry) as FullWatcher;
      } catch (error) {
        failed(error); // require(esm) unavailable (Node < 20.19, or switched off): the CJS build next
      }
    }
  } catch (error) {
    failed(error); // not inside the package (bundled): the dynamic import
  }
  return undefined;
}
