// What only the supervisor's tests need; every primitive (waitFor, the ready-file reader, the cleanup
// registry, exitOf) comes from the shared ../../../test/helpers/process-tree.ts.
import { fileURLToPath } from 'node:url';

/** The built `lifeline` bin. */
export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
export const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
export const NODE = process.execPath;
