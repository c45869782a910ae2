import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';

type Debugger = (format: string, ...args: unknown[]) => void;
let debugImpl: Debugger | undefined;

/**
 * Diagnostics under `DEBUG=lifeline:parent-watch`. The `debug` package (with supports-color and tty)
 * costs a preload ~10 ms and several MiB, so it is loaded only when `DEBUG` is set at the first
 * diagnostic; `debug.enable()` called later from code is not seen. @internal
 */
export function debug(format: string, ...args: unknown[]): void {
  debugImpl ??= loadDebug();
  debugImpl(format, ...args);
}

function loadDebug(): Debugger {
  if (!process.env.DEBUG) return () => {};
  try {
    const createDebug = lazyRequire('debug') as (namespace: string) => Debugger;
    return createDebug('lifeline:parent-watch');
  } catch {
    return () => {};
  }
}

/** `require` for modules loaded only when needed, from ESM and CJS builds alike. @internal */
export function lazyRequire(id: string): unknown {
  return createRequire(import.meta.url)(id);
}

/**
 * Write one line to stderr synchronously. An orphan's stderr may be a closed pipe (EPIPE) or the
 * event loop may be about to stop: a synchronous write that ignores errors is the only safe choice. @internal
 */
export function writeLine(line: string): void {
  try {
    writeSync(2, `${line}\n`);
  } catch {
    // stderr closed: nothing else to tell
  }
}

/** Prefix of every line Lifeline writes: names the process, since orphans' stderr is often shared. @internal */
export function prefix(): string {
  return `lifeline[${process.pid}]:`;
}
