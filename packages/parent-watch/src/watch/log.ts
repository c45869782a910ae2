import { writeSync } from 'node:fs';
import createDebug from 'debug';

/** Diagnostics under DEBUG=lifeline:parent-watch. @internal */
export const debug = createDebug('lifeline:parent-watch');

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
