import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBuiltin } from '@lifeline/core/builtin';
import { warnOnce } from '@lifeline/core/diag';
import { moduleUrl } from '@lifeline/core/module-url';
import { armingCallback } from './arm.js';
import { debug } from './record.js';

const PATCHED = Symbol.for('lifeline.grpc-bootstrap.bindAsync.v1');

type BindAsync = (
  this: object,
  port: string,
  creds: unknown,
  callback: (error: Error | null, port: number) => void,
) => void;
interface GrpcModule {
  Server?: { prototype: { bindAsync?: BindAsync } & { [PATCHED]?: BindAsync } };
}

/** Where the application's grpc-js is looked up from: its entry script, then the working directory. */
function lookupBases(): string[] {
  const bases: string[] = [];
  const entry = process.argv[1];
  if (entry) bases.push(path.resolve(entry));
  bases.push(path.join(process.cwd(), '__lifeline_register__.js'));
  return bases;
}

function resolveFrom(base: string): string | undefined {
  try {
    return createRequire(base).resolve('@grpc/grpc-js');
  } catch {
    return undefined;
  }
}

/**
 * Patch `Server.prototype.bindAsync` of one grpc-js module so that every server arms on its first
 * successful bind. Idempotent (a marker on the prototype). Returns whether it patched now.
 * @internal
 */
export function patchGrpc(grpc: GrpcModule, origin: string): boolean {
  const proto = grpc.Server?.prototype;
  if (!proto || typeof proto.bindAsync !== 'function') {
    debug('register: %s has no Server.prototype.bindAsync; not patched', origin);
    return false;
  }
  if (proto[PATCHED]) return false;
  const original = proto.bindAsync;
  Object.defineProperty(proto, PATCHED, { value: original, enumerable: false, configurable: true });
  Object.defineProperty(proto, 'bindAsync', {
    configurable: true,
    enumerable: false,
    writable: true,
    value: function bindAsync(
      this: object,
      port: string,
      creds: unknown,
      callback: (error: Error | null, port: number) => void,
    ): void {
      original.call(this, port, creds, armingCallback(this, callback, 'register'));
    },
  });
  debug('register: patched %s', origin);
  return true;
}

/** A grpc-js entry module: `…/@grpc/grpc-js/build/src/index.js` of any copy or version. */
const GRPC_ENTRY = /[\\/]@grpc[\\/]grpc-js[\\/]build[\\/]src[\\/]index\.js$/;
const HOOKED = Symbol.for('lifeline.grpc-bootstrap.load-hook.v1');
/** How long after start-up the preload looks whether the app bundled grpc-js beyond its reach. */
const BUNDLE_CHECK_MS = 1000;

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
type ModuleStatics = { _load: Load; _cache: Record<string, { loaded?: boolean; exports?: unknown } | undefined> } & {
  [HOOKED]?: true;
};

/**
 * Arm every `@grpc/grpc-js` copy the process loads through Node's module loader, whatever its version,
 * wherever it sits (nested under nice-grpc or another dependency) and whoever loads it (CJS `require`, or
 * ESM `import`, which goes through the same loader for a CommonJS package): the copies already loaded are
 * patched now, the later ones as they load. An app bundled into one file is out of reach: that is said
 * once on stderr, with what to do. Returns the copies patched now.
 * @internal
 */
export function installRegisterHook(): string[] {
  const Module = loadBuiltin<ModuleStatics>('node:module');
  const patched: string[] = [];
  for (const [file, entry] of Object.entries(Module._cache)) {
    if (GRPC_ENTRY.test(file) && entry?.loaded && patchGrpc(entry.exports as GrpcModule, file)) patched.push(file);
  }
  if (!Module[HOOKED]) {
    Object.defineProperty(Module, HOOKED, { value: true });
    const load = Module._load;
    Module._load = function lifelineLoad(this: unknown, request: string, parent: unknown, isMain: boolean): unknown {
      const exports = load.call(this, request, parent, isMain);
      // Cheap filter first: the bare name, a deep path, or the resolved file an ESM import passes.
      if (typeof request === 'string' && request.includes('grpc-js') && isGrpcModule(exports))
        patchGrpc(exports, request);
      return exports;
    };
  }
  // The app's copies, resolved once: for the warning when there is none, and for Bun.
  const appCopies = [
    ...new Set(
      lookupBases()
        .map(resolveFrom)
        .filter((file): file is string => file !== undefined),
    ),
  ];
  // Bun's loader does not go through Module._load: patch the app's copy now, which its later import sees.
  if ((process.versions as { bun?: string }).bun !== undefined) {
    for (const resolved of appCopies) {
      if (patchGrpc(createRequire(resolved)(resolved) as GrpcModule, resolved)) patched.push(resolved);
    }
  }
  if (patched.length === 0 && appCopies.length === 0 && resolveFrom(ownLocation()) === undefined) {
    warnOnce('@lifeline/grpc-bootstrap/register: @grpc/grpc-js could not be resolved; no server is armed');
  }
  setTimeout(() => warnIfBundled(Module), BUNDLE_CHECK_MS).unref();
  return patched;
}

function isGrpcModule(exports: unknown): exports is GrpcModule {
  const server: unknown = (exports as GrpcModule | null)?.Server;
  return (
    typeof server === 'function' &&
    typeof (server as { prototype?: { bindAsync?: unknown } }).prototype?.bindAsync === 'function'
  );
}

function ownLocation(): string {
  const url = moduleUrl(import.meta.url);
  return url ? fileURLToPath(url) : path.join(process.cwd(), '__lifeline_register__.js');
}

/**
 * No copy came through the loader: if the entry script carries grpc-js inside it (its user-agent string
 * `grpc-node-js`), the app was bundled with grpc-js and the preload cannot patch it.
 */
function warnIfBundled(Module: ModuleStatics): void {
  if (Object.keys(Module._cache).some((file) => GRPC_ENTRY.test(file))) return;
  const entry = process.argv[1];
  if (!entry) return;
  let text: string;
  try {
    if (statSync(entry).size > 64 * 2 ** 20) return;
    text = readFileSync(entry, 'latin1');
  } catch {
    return;
  }
  if (!text.includes('grpc-node-js')) return;
  warnOnce(
    `@lifeline/grpc-bootstrap/register: ${entry} bundles @grpc/grpc-js into itself, out of the preload's reach: ` +
      'its servers are NOT armed. Arm them in code (createServer() or armServer() from @lifeline/grpc-bootstrap), ' +
      'or keep @grpc/grpc-js external to the bundle',
  );
}
