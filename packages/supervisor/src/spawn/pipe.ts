import type { ChildProcess, StdioOptions } from 'node:child_process';
import type { Socket } from 'node:net';
import { Stream } from 'node:stream';
import { invalidArgType, invalidArgValue, outOfRange } from '@lifeline/core/errors';

/** What `child_process.spawn` takes as the whole of `stdio`. */
const STDIO_WORDS: readonly string[] = ['pipe', 'overlapped', 'ignore', 'inherit'];
/** What it takes as one entry of a `stdio` array (`'ipc'` only there). */
const ENTRY_WORDS: readonly string[] = [...STDIO_WORDS, 'ipc'];
const EXPECTED = `one of ${STDIO_WORDS.map((w) => `"${w}"`).join(', ')} or an array of them, "ipc", descriptor numbers, streams and null`;

/**
 * The `stdio` option, checked in the forms `child_process.spawn` accepts, before the lifeline pipe is
 * appended to it (a number, object or `true` would otherwise fail as "not iterable", without a code).
 * Throws `ERR_INVALID_ARG_TYPE` for a wrong type (`null` included: only `undefined` means the default),
 * `ERR_INVALID_ARG_VALUE` for an unknown word, `ERR_OUT_OF_RANGE` for a number that is no descriptor.
 * @internal
 */
export function stdioArg(where: string, name: string, value: unknown): StdioOptions | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    if (!STDIO_WORDS.includes(value)) throw invalidArgValue(where, name, EXPECTED, value);
    return value as StdioOptions;
  }
  if (!Array.isArray(value)) throw invalidArgType(where, name, EXPECTED, value);
  value.forEach((entry: unknown, i) => {
    const at = `${name}[${i}]`;
    if (entry === undefined || entry === null) return;
    if (typeof entry === 'string') {
      if (!ENTRY_WORDS.includes(entry)) throw invalidArgValue(where, at, EXPECTED, entry);
    } else if (typeof entry === 'number') {
      if (!Number.isInteger(entry) || entry < 0 || entry > 2_147_483_647)
        throw outOfRange(where, at, 'a file descriptor (an integer of 0 or more)', entry);
    } else if (typeof entry !== 'object' || !isStdioObject(entry)) {
      throw invalidArgType(where, at, EXPECTED, entry);
    }
  });
  return value as StdioOptions;
}

/** A stream, or an object holding a descriptor or a handle, as `child_process.spawn` takes them. */
function isStdioObject(entry: object): boolean {
  return (
    entry instanceof Stream ||
    typeof (entry as { fd?: unknown }).fd === 'number' ||
    '_handle' in entry ||
    'handle' in entry
  );
}

/**
 * The lifeline pipe, supervisor side: one more stdio entry, `'pipe'` (a socket pair whose end in this
 * process is close-on-exec, so no sibling or other child inherits it), appended after whatever `stdio` the
 * caller gave. The worker finds its end's number in `LIFELINE_PARENT_FD`. This process never writes to
 * it; when this process dies, the kernel closes its end and the worker sees end of file at once.
 * @internal
 */
export function withLifelinePipe(stdio: StdioOptions | undefined): { stdio: StdioOptions; fd: number } {
  type Entry = Extract<StdioOptions, readonly unknown[]>[number];
  const entries: Entry[] = stdio === undefined ? [] : typeof stdio === 'string' ? [stdio, stdio, stdio] : [...stdio];
  while (entries.length < 3) entries.push(undefined);
  const fd = entries.length;
  entries.push('pipe');
  return { stdio: entries, fd };
}

/** Keep this process's end of the worker's lifeline pipe open without holding the event loop, until the worker exits. @internal */
export function holdLifelinePipe(child: ChildProcess, fd: number): void {
  const end = child.stdio[fd] as Socket | null | undefined;
  if (!end) return;
  end.on('error', () => undefined); // the worker may close its end first: nothing to report
  end.unref();
  child.once('exit', () => end.destroy());
}
