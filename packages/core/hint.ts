/**
 * Hints: events that say the parent may just have died — the IPC channel's 'disconnect', the end of the
 * lifeline pipe. The kernel closes a dying process's descriptors before it reparents its children, so a
 * hint is never proof: it only makes the watcher check again, now and at short delays after it.
 */
import type { Socket } from 'node:net';
import { loadBuiltin, nodeFs } from './builtin.js';

/** After a hint, check the parent at once, then at these delays (ms). */
export const HINT_RECHECKS_MS: readonly number[] = [1, 2, 5, 10, 20, 50, 100, 250, 500, 1000];

/**
 * Check now (the reparenting often happened already: it follows the descriptors' closing within tens of
 * microseconds), then at the delays after it; the timers are unref'd. Returns them, for `clearTimeout`.
 */
export function recheckAfterHint(check: () => void): ReturnType<typeof setTimeout>[] {
  check();
  return HINT_RECHECKS_MS.map((delay) => {
    const timer = setTimeout(check, delay);
    timer.unref();
    return timer;
  });
}

/** Why `fd` cannot be the lifeline pipe (not open, not a pipe or socket), or `undefined` when it can. */
export function pipeProblem(fd: number): string | undefined {
  try {
    const stat = nodeFs().fstatSync(fd);
    return isPipeOrSocket(stat.mode) ? undefined : 'is not a pipe or a socket';
  } catch (error) {
    return `is not an open file descriptor (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
}

/**
 * Watch the lifeline pipe: read and discard whatever comes, and call `onEnd` once at its end of file or
 * error. Unref'd: it never keeps the process alive. Returns a function that stops watching and closes
 * the descriptor.
 */
export function watchPipe(fd: number, onEnd: () => void): () => void {
  const { Socket: NetSocket } = loadBuiltin<typeof import('node:net')>('node:net');
  const socket: Socket = new NetSocket({ fd, readable: true, writable: false });
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    onEnd();
  };
  socket.on('end', end);
  socket.on('close', end);
  socket.on('error', end);
  socket.resume(); // flowing: the data is discarded, the end is seen
  socket.unref();
  return () => {
    ended = true;
    socket.destroy();
  };
}

/** The file-type bits of a mode, and the types of a pipe and a socket (POSIX values; Windows reports them too). */
const S_IFMT = 0o170000;
const S_IFIFO = 0o010000;
const S_IFSOCK = 0o140000;

/**
 * Whether a descriptor's mode says pipe or socket. Read from the bits: on Windows `fstat` reports an
 * inherited pipe as a FIFO, but `isFIFO()` and `isSocket()` are false there (Node has no such constants).
 */
export function isPipeOrSocket(mode: number): boolean {
  const type = mode & S_IFMT;
  return type === S_IFIFO || type === S_IFSOCK;
}
