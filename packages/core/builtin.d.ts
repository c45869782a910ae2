/**
 * Load a Node built-in module on first use, synchronously, in every build and bundle: ESM, CJS, and an
 * app bundled into one file (where `import.meta.url` is empty). Built-ins resolve from any base path.
 */
export declare function loadBuiltin<T>(id: `node:${string}`): T;
/**
 * Whether this is the main thread, without loading node:worker_threads in the common case: a worker
 * thread always has it loaded already (Node's own bootstrap requires it), the main thread usually not.
 */
export declare function isMainThread(): boolean;
