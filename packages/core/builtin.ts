type GetBuiltin = (id: string) => unknown;

/** `process.getBuiltinModule`: Node.js ≥ 20.16 and ≥ 22.3, Bun, Deno. */
function builtinGetter(): GetBuiltin | undefined {
  const get = (process as { getBuiltinModule?: unknown }).getBuiltinModule;
  return typeof get === 'function' ? (get as GetBuiltin) : undefined;
}

/**
 * Whether built-in modules can be loaded on first use here (`process.getBuiltinModule`). Without it (Node
 * 20 before 20.16) the watcher does not arm, and says so.
 */
export function canLoadBuiltins(): boolean {
  return builtinGetter() !== undefined;
}

/**
 * Load a Node built-in module on first use, synchronously, in every build and bundle: ESM, CJS, and an
 * app bundled into one file. Through `process.getBuiltinModule`, not a static `import … from 'node:module'`:
 * in ESM that import alone costs a preload start-up time (Node builds the module's ESM facade).
 * @throws {Error} when the runtime has no `process.getBuiltinModule` (see {@link canLoadBuiltins}).
 */
export function loadBuiltin<T>(id: `node:${string}`): T {
  const get = builtinGetter();
  if (get === undefined)
    throw new Error(
      `${id} cannot be loaded: this runtime has no process.getBuiltinModule (Node.js ≥ 20.16 or ≥ 22.3 is required)`,
    );
  return get(id) as T;
}

// Built-ins used by the preload's paths, loaded on first use: a static `import … from 'node:…'` of each
// costs a preload its share of start-up, whether or not the path that needs it ever runs. Declarations,
// not arrow functions: the preload's build compiles the ones its start calls with the file (eager-start.ts).
/** `node:fs`, on first use. */
export function nodeFs(): typeof import('node:fs') {
  return loadBuiltin('node:fs');
}
/** `node:util`, on first use. */
export function nodeUtil(): typeof import('node:util') {
  return loadBuiltin('node:util');
}
/** `node:os`, on first use. */
export function nodeOs(): typeof import('node:os') {
  return loadBuiltin('node:os');
}
/** `node:url`, on first use. */
export function nodeUrl(): typeof import('node:url') {
  return loadBuiltin('node:url');
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
