/**
 * The stdio hang-up hint: when stdout or stderr is a pipe or a socket, its reader going away (a dying
 * supervisor's read ends are closed by the kernel) shows on the write end at once, with nothing written.
 * A hint only: a `| tee` that ends, or a supervisor that closes its end on purpose, makes the watcher
 * check the parent again, never leave.
 *
 * A pipe is watched through a descriptor of its own: `/proc/self/fd/N` opened again for writing (a new
 * writer of the same pipe, never a reader, never written to), in a libuv stream handle that waits for it
 * to become readable — a write end never does, but its error (no reader left) wakes the wait. Node's
 * public streams refuse to read a write-only descriptor, so the handle is the TCP wrap, which does not
 * ask. A socket cannot be opened again: the application's own stdout/stderr handle waits for its peer's
 * end (the stream is created if the application has not yet: the watch starts after start-up for that),
 * its read callback only for as long as the hint waits.
 */
import { nodeFs } from '@lifeline/core/builtin';
import { stderrReaderGone } from '@lifeline/core/diag';
import { S_IFIFO, S_IFMT, S_IFSOCK } from './pipe.js';

/** What the hint needs from a libuv stream handle (Node's `TCP` and `Pipe` wraps). */
interface StreamHandle {
  onread: ((buffer?: ArrayBuffer) => void) | undefined;
  readStart(): number;
  readStop(): number;
  hasRef?(): boolean;
  ref(): void;
  unref(): void;
  close(): void;
  reading?: boolean;
}

type TcpWrap = {
  TCP: new (type: number) => StreamHandle & { open(fd: number): number };
  constants: { SOCKET: number };
};

/**
 * Whether a watcher with these settings watches stdout's and stderr's reader: switched on, and not in stdin
 * mode, where the supervisor's death ends stdin too — the request to leave with its own exit code, which
 * must not depend on which of the two is seen first. @internal
 */
export function stdioHintWanted(s: { stdio: boolean; stdin: boolean }): boolean {
  return s.stdio && !s.stdin;
}

/** The descriptors watched: stdout and stderr. */
const STDIO_FDS = [1, 2] as const;

/**
 * Why this runtime cannot watch stdout's and stderr's reader, or `undefined` when it can. Not Bun or Deno
 * (neither exposes a stream handle for a descriptor), not without `/proc` (a pipe is opened again through
 * it). Never throws.
 */
export function stdioHintProblem(): string | undefined {
  const versions = process.versions as Record<string, string | undefined>;
  if (versions.bun !== undefined) return 'Bun has no stream handle to wait on a descriptor';
  if (versions.deno !== undefined) return "Deno's Node layer has no stream handle to wait on a descriptor";
  if (process.platform !== 'linux') return 'Linux only (a pipe is opened again through /proc/self/fd)';
  return undefined;
}

/**
 * Watch stdout and stderr (each pipe or socket once) for their reader's end, and call `onHangUp` each
 * time one ends. From the first turn of the event loop, not at start-up: a process that ends before it
 * pays nothing. Never keeps the process alive, never reads or writes what the application writes, never
 * throws: a descriptor that cannot be watched is left alone. Returns a function that stops watching
 * (closing the descriptors it opened, giving the application's handles back as they were).
 */
export function watchStdio(onHangUp: () => void): () => void {
  if (stdioHintProblem() !== undefined) return () => {};
  let stop: (() => void) | undefined;
  const timer = setTimeout(() => (stop = watchStdioNow(onHangUp)), 0);
  timer.unref();
  return () => {
    clearTimeout(timer);
    stop?.();
  };
}

/**
 * {@link watchStdio} at once: for a caller already past start-up (the light watcher's run half, loaded on
 * the first turn of the event loop).
 */
export function watchStdioNow(onHangUp: () => void): () => void {
  if (stdioHintProblem() !== undefined) return () => {};
  const stops: (() => void)[] = [];
  for (const [fd, type, carriesStderr] of watchable()) {
    try {
      // Asked now, not when the reader goes: the wake-up is on the orphan's way out.
      const stderrPipe = type === 'pipe' && carriesStderr && unnamedPipe(fd);
      stops.push(type === 'pipe' ? watchPipeReader(fd, stderrPipe, onHangUp) : watchSocketPeer(fd, onHangUp));
    } catch {
      // not watchable here: the poll watches alone
    }
  }
  return () => {
    for (const stop of stops.splice(0)) stop();
  };
}

/** Which of stdout and stderr the stdio hint watches in this process. */
export interface StdioHintReport {
  /** Why this runtime cannot watch them, or `undefined` when it can. */
  problem: string | undefined;
  /** The descriptors watched (one per pipe or socket: `2>&1` is one), with what each is. */
  watched: { fd: 1 | 2; type: 'pipe' | 'socket' }[];
}

/**
 * Which of stdout and stderr the stdio hint would watch in this process, and why none where the runtime
 * cannot (what `lifeline doctor` shows). Reads the descriptors' types only; never throws.
 * @example
 * ```ts
 * import { stdioHintReport } from '@lifeline/parent-watch';
 * stdioHintReport(); // { problem: undefined, watched: [{ fd: 1, type: 'pipe' }, { fd: 2, type: 'pipe' }] } under Popen(stdout=PIPE, stderr=PIPE)
 * ```
 */
export function stdioHintReport(): StdioHintReport {
  const problem = stdioHintProblem();
  return { problem, watched: problem === undefined ? watchable().map(([fd, type]) => ({ fd, type })) : [] };
}

/**
 * stdout and stderr when each is a pipe or a socket another process reads: one entry per pipe or socket,
 * and whether it is stderr's (`2>&1`: stdout's entry is).
 */
function watchable(): [fd: 1 | 2, type: 'pipe' | 'socket', carriesStderr: boolean][] {
  const fs = nodeFs();
  const key = (fd: number): string | undefined => {
    try {
      // BigInt: on Node 20 a plain fstatSync before the ESM resolver's first realpath leaves it returning
      // symlinked paths (a module could load twice); the BigInt result lives elsewhere.
      const stat = fs.fstatSync(fd, { bigint: true });
      return `${Number(stat.mode) & S_IFMT}:${stat.dev}:${stat.ino}`;
    } catch {
      return undefined; // closed
    }
  };
  // The same socket as stdin (inetd, socket activation): waiting on it would take the application's input.
  const seen = new Set<string | undefined>([undefined, key(0)]);
  const found: [1 | 2, 'pipe' | 'socket', boolean][] = [];
  const stderrKey = key(2);
  for (const fd of STDIO_FDS) {
    const k = key(fd);
    if (seen.has(k) || (process.channel as { fd?: unknown } | undefined)?.fd === fd) continue;
    seen.add(k); // `2>&1`: one watch is enough
    const type = Number(k?.split(':')[0]);
    if (type === S_IFIFO) found.push([fd, 'pipe', k === stderrKey]);
    else if (type === S_IFSOCK) found.push([fd, 'socket', k === stderrKey]);
  }
  return found;
}

/** Node's TCP wrap, unless `process.binding` is not Node's own (`--pending-deprecation` wraps it to warn). */
function tcpWrap(): TcpWrap | undefined {
  const binding = (process as { binding?: (name: string) => unknown }).binding;
  if (typeof binding !== 'function' || binding.name !== 'binding') return undefined;
  return binding('tcp_wrap') as TcpWrap;
}

/**
 * A pipe: a writer of our own, waited on in a handle of our own. Its wake-up is exact (no reader left),
 * and final for a pipe that has no name (a named one could be opened again by a new reader): when it is
 * that, and stderr's, Lifeline's lines stop there (nothing could read them; the write would raise EPIPE).
 */
function watchPipeReader(fd: number, stderrPipe: boolean, onHangUp: () => void): () => void {
  const wrap = tcpWrap();
  if (wrap === undefined) return () => {};
  const fs = nodeFs();
  const { O_WRONLY, O_NONBLOCK } = fs.constants;
  // A reader already gone (ENXIO) has nothing left to report: the arming's own check sees its parent.
  const copy = fs.openSync(`/proc/self/fd/${fd}`, O_WRONLY | O_NONBLOCK);
  let handle: (StreamHandle & { open(fd: number): number }) | undefined;
  try {
    handle = new wrap.TCP(wrap.constants.SOCKET);
    if (handle.open(copy) !== 0) throw new Error('not opened');
  } catch {
    handle?.close();
    fs.closeSync(copy);
    return () => {};
  }
  let open = true;
  const stop = (): void => {
    if (!open) return;
    open = false;
    handle.close(); // closes the copy
  };
  handle.onread = () => {
    stop();
    if (stderrPipe) stderrReaderGone();
    onHangUp();
  };
  if (handle.readStart() !== 0) {
    stop();
    return () => {};
  }
  handle.unref();
  return stop;
}

/**
 * Whether `fd` is a pipe with no name (`pipe:[…]`): once its readers are gone, a new one comes only by
 * opening `/proc/<pid>/fd/N` (as this hint opens its writer), which no supervisor does. Never throws.
 */
function unnamedPipe(fd: number): boolean {
  try {
    return nodeFs().readlinkSync(`/proc/self/fd/${fd}`).startsWith('pipe:');
  } catch {
    return false;
  }
}

/** A socket: the application's own stream handle (created now if the application has not), given back as it was when stopped. */
function watchSocketPeer(fd: 1 | 2, onHangUp: () => void): () => void {
  const stream = fd === 1 ? process.stdout : process.stderr;
  const handle = (stream as unknown as { _handle?: StreamHandle | null })._handle;
  if (handle == null || typeof handle.readStart !== 'function' || handle.reading === true) return () => {};
  const onread = handle.onread;
  const wasRef = handle.hasRef?.() ?? true;
  let attached = true;
  const restore = (): void => {
    if (!attached) return;
    attached = false;
    handle.readStop();
    handle.onread = onread;
    if (wasRef) handle.ref();
  };
  // Data from the peer is none of the application's (its stdout is not readable); the end is the hint.
  handle.onread = (buffer) => {
    if (buffer !== undefined) return;
    restore();
    onHangUp();
  };
  if (handle.readStart() !== 0) {
    restore();
    return () => {};
  }
  handle.unref();
  return restore;
}
