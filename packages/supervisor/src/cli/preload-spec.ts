import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The watcher's preload on this machine, by absolute path. @internal */
export interface PreloadSpec {
  /** What to give `node --import`: the path the `import` condition resolves to (a file URL on Windows, where `--import C:\…` reads as a URL scheme). */
  import: string;
  /** What to give `node -r`: the CommonJS entry's path. */
  require: string;
}

const REGISTER = '@lifeline/parent-watch/register';

/**
 * `--import @lifeline/parent-watch/register` (and `-r`) resolve the bare name from the working directory,
 * so a launcher started elsewhere (PM2, a service manager, an editor) fails with ERR_MODULE_NOT_FOUND; an
 * absolute path works from anywhere. Resolved from this package: the parent-watch the supervisor
 * installed. `null` when it cannot be resolved (a bundled CLI with no package beside it). @internal
 */
export function preloadSpec(): PreloadSpec | null {
  try {
    const esm = fileURLToPath(import.meta.resolve(REGISTER));
    return {
      import: process.platform === 'win32' ? pathToFileURL(esm).href : esm,
      require: createRequire(import.meta.url).resolve(REGISTER),
    };
  } catch {
    return null;
  }
}

/** The doctor's lines for the preload (a section of its own). @internal */
export function preloadLines(spec: PreloadSpec | null): string[] {
  if (spec === null) return [`preload      ${REGISTER} cannot be resolved from this lifeline install`];
  const quote = (path: string): string => (/^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`);
  return [
    `preload      --import ${quote(spec.import)}   (any working directory)`,
    `             -r ${quote(spec.require)}`,
  ];
}
