import { nodeUrl } from './builtin.js';

/**
 * The URL of the calling module's file, given its `import.meta.url`: that value in ESM; in a CJS build
 * or an app bundled into one CJS file `import.meta` is empty, and the file is `__filename` (the bundle's,
 * for a bundle). `undefined` when neither is known.
 */
export function moduleUrl(importMetaUrl: string | undefined): string | undefined {
  if (importMetaUrl) return importMetaUrl;
  return typeof __filename === 'string' ? nodeUrl().pathToFileURL(__filename).href : undefined;
}
