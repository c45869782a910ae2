import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { warnOnce } from '@lifeline/core/diag';
import { moduleUrl } from '@lifeline/core/module-url';
import { armingCallback } from './arm.js';
import { debug } from './state.js';

const PATCHED = Symbol.for('lifeline.grpc-bootstrap.bindAsync.v1');

type BindAsync = (this: object, port: string, creds: unknown, callback: (error: Error | null, port: number) => void) => void;
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
    value: function bindAsync(this: object, port: string, creds: unknown, callback: (error: Error | null, port: number) => void): void {
      original.call(this, port, creds, armingCallback(this, callback, 'register'));
    },
  });
  debug('register: patched %s', origin);
  return true;
}

/**
 * Find the grpc-js copies the application uses and patch them. Returns the resolved module paths.
 * @internal
 */
export function installRegisterHook(): string[] {
  const found = new Set<string>();
  for (const base of lookupBases()) {
    const resolved = resolveFrom(base);
    if (resolved) found.add(resolved);
  }
  if (found.size === 0) {
    const own = resolveFrom(ownLocation());
    if (own) found.add(own);
  }
  if (found.size === 0) {
    warnOnce('@lifeline/grpc-bootstrap/register: @grpc/grpc-js could not be resolved; no server is armed');
    return [];
  }
  for (const resolved of found) {
    const require = createRequire(resolved);
    patchGrpc(require(resolved) as GrpcModule, resolved);
  }
  return [...found];
}

function ownLocation(): string {
  const url = moduleUrl(import.meta.url);
  return url ? fileURLToPath(url) : path.join(process.cwd(), '__lifeline_register__.js');
}
