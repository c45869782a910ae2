import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * Load a Node built-in module on first use, synchronously, in every build and bundle: ESM, CJS, and an
 * app bundled into one file (where `import.meta.url` is empty). Built-ins resolve from any base path.
 */
export function loadBuiltin<T>(id: `node:${string}`): T {
  const get = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  if (typeof get === 'function') return get(id) as T;
  return createRequire(join(process.cwd(), 'lifeline-builtin.js'))(id) as T;
}

/**
 * Whether this is the main thread, without loading node:worker_threads in the common case: a worker
 * thread always has it loaded already (Node's own bootstrap requires it), the main thread usually not.
 */
export function isMainThread(): boolean {
  const loaded = (process as { moduleLoadList?: unknown }).moduleLoadList;
  // Node's list is never empty; Bun and Deno expose an empty one, which says nothing.
  if (Array.isArray(loaded) && loaded.length > 0 && !loaded.includes('NativeModule worker_threads')) return true;
  return loadBuiltin<typeof import('node:worker_threads')>('node:worker_threads').isMainThread;
}
