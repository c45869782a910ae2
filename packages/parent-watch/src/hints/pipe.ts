/**
 * The lifeline pipe: a descriptor whose other end only the supervisor holds, so its end is a hint that
 * the supervisor died. Which descriptors may be watched, and watching one without stealing another's.
 */
import type { Socket } from 'node:net';
import { loadBuiltin, nodeFs } from '@lifeline/core/builtin';
import { processWide } from '@lifeline/core/process-wide';

/**
 * The descriptors a watcher of this process has taken (each copy of the package sees the same set): the
 * watcher closes its descriptor when it stops, and the number may then be the application's.
 */
function takenFds(): Set<number> {
  return processWide('lifeline.pipe-fds-taken.v1', () => new Set<number>());
}

/**
 * Why `fd` cannot be the lifeline pipe, or `undefined` when it can. Never the IPC channel of a `fork()`,
 * never a pipe's write end, never a pipe this process can write to itself — libuv's own wake-up and
 * signal pipes are such pairs, and a pipe whose writer we hold would never end anyway (Linux, from
 * `/proc/self/fd`). Sockets are not told apart: one the event loop already watches is refused when it is
 * wrapped (see {@link watchPipe}). Never throws.
 */
export function pipeProblem(fd: number): string | undefined {
  try {
    if ((process.channel as { fd?: unknown } | undefined)?.fd === fd) return "is this process's IPC channel";
    const stat = nodeFs().fstatSync(fd);
    if (!isPipeOrSocket(stat.mode)) return 'is not a pipe or a socket';
    if ((stat.mode & S_IFMT) === S_IFIFO && process.platform === 'linux') return pipeEndProblem(fd);
    return undefined;
  } catch (error) {
    return `is not an open file descriptor (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
}

/** O_WRONLY and O_RDWR in `/proc/self/fdinfo/<fd>`'s `flags` (octal). */
const ACCESS_MODE = 0o3;
const WRITE_ONLY = 0o1;

/** Linux: why the pipe `fd` is not one this process only reads, from `/proc/self`; `undefined` when it is or cannot be told. */
function pipeEndProblem(fd: number): string | undefined {
  const fs = nodeFs();
  const link = (n: number | string): string | undefined => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${n}`);
    } catch {
      return undefined;
    }
  };
  const access = (n: number | string): number | undefined => {
    try {
      const flags = /^flags:\s*([0-7]+)$/m.exec(fs.readFileSync(`/proc/self/fdinfo/${n}`, 'latin1'))?.[1];
      return flags === undefined ? undefined : Number.parseInt(flags, 8) & ACCESS_MODE;
    } catch {
      return undefined;
    }
  };
  if (access(fd) === WRITE_ONLY) return "is a pipe's write end (the worker reads the lifeline)";
  const pipe = link(fd);
  if (pipe === undefined) return undefined;
  let names: string[];
  try {
    names = fs.readdirSync('/proc/self/fd');
  } catch {
    return undefined;
  }
  for (const name of names) {
    if (name === String(fd) || link(name) !== pipe) continue;
    const mode = access(name);
    if (mode !== undefined && mode !== 0) {
      return `is a pipe this process writes to itself, at descriptor ${name} (one of Node's own, or the supervisor's end leaked here: it would never end)`;
    }
  }
  return undefined;
}

/**
 * Watch the lifeline pipe: read and discard whatever comes, and call `onEnd` once at its end of file or
 * error. Unref'd: it never keeps the process alive. Returns a function that stops watching and closes
 * the descriptor (or, `leaving`, leaves it to the exit: destroying a `net.Socket` creates
 * `process.stderr`, which Node compares it with, and an exiting process has no use for that) — or, when
 * the descriptor cannot be wrapped (libuv refuses one it already watches, `EEXIST`), `undefined` after
 * calling `onFail` with the error: never throws. The number is marked taken either way: no later watcher
 * of this process uses it again.
 */
export function watchPipe(
  fd: number,
  onEnd: () => void,
  onFail: (error: unknown) => void,
): ((leaving?: boolean) => void) | undefined {
  takenFds().add(fd);
  let socket: Socket;
  try {
    const { Socket: NetSocket } = loadBuiltin<typeof import('node:net')>('node:net');
    // Half-open and nominally writable (never written): at the end Node does not destroy the socket on its
    // own, which would build process.stderr (net's destroy compares against it) on the way out.
    socket = new NetSocket({ fd, readable: true, writable: true, allowHalfOpen: true });
  } catch (error) {
    onFail(error);
    return undefined;
  }
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
  return (leaving = false) => {
    ended = true;
    if (!leaving) socket.destroy();
  };
}

/** The file-type bits of a mode, and the types of a pipe and a socket (POSIX values; Windows reports them too). */
export const S_IFMT = 0o170000;
export const S_IFIFO = 0o010000;
export const S_IFSOCK = 0o140000;

/**
 * Whether a descriptor's mode says pipe or socket. Read from the bits: on Windows `fstat` reports an
 * inherited pipe as a FIFO, but `isFIFO()` and `isSocket()` are false there (Node has no such constants).
 */
export function isPipeOrSocket(mode: number): boolean {
  const type = mode & S_IFMT;
  return type === S_IFIFO || type === S_IFSOCK;
}

/** Whether a watcher of this process took `fd` already (it is closed, or watched by the watchdog thread). */
export function pipeTaken(fd: number): boolean {
  return takenFds().has(fd);
}

/** Mark `fd` taken without watching it here (another thread watches it, and closes it when it ends). */
export function takePipe(fd: number): void {
  takenFds().add(fd);
}
