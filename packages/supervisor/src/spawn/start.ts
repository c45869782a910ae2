import { ChildProcess, spawn, type SpawnOptions } from 'node:child_process';
import { EventEmitter } from 'node:events';

/**
 * `child_process.spawn`, with every failure to start reported the same way. Node reports some (ENOENT,
 * EACCES, EAGAIN, EMFILE, ENFILE) as an `'error'` event on a child without a pid, but throws the others
 * (E2BIG, ENAMETOOLONG, EINVAL…) from `spawn` itself: those are turned into the same event, on the next
 * tick, on a child that never started. Argument errors (`ERR_INVALID_ARG_TYPE`…) still throw. @internal
 */
export function startChild(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  try {
    return spawn(command, [...args], options);
  } catch (error) {
    if (!isStartFailure(error)) throw error;
    const child = notStarted(command, args);
    Object.assign(error, { path: command, spawnargs: [...args] });
    process.nextTick(() => child.emit('error', error));
    return child;
  }
}

/** A system error from the spawn itself (an errno, `syscall: 'spawn'`), as opposed to a bad argument. */
function isStartFailure(error: unknown): error is NodeJS.ErrnoException {
  const e = error as NodeJS.ErrnoException | null;
  return (
    e instanceof Error && typeof e.errno === 'number' && typeof e.syscall === 'string' && e.syscall.startsWith('spawn')
  );
}

/**
 * A `ChildProcess` that was never started, as Node leaves one whose start failed: no pid, no stdio, and
 * no process handle, so `kill()` returns false and signals nothing. (`new ChildProcess()` would hold an
 * unstarted handle whose `kill()` signals pid 0: the caller's own process group.)
 */
function notStarted(command: string, args: readonly string[]): ChildProcess {
  const child = Object.create(ChildProcess.prototype) as ChildProcess;
  EventEmitter.call(child);
  const fields = {
    pid: undefined,
    stdin: null,
    stdout: null,
    stderr: null,
    stdio: [null, null, null],
    exitCode: null,
    signalCode: null,
    killed: false,
    connected: false,
    spawnfile: command,
    spawnargs: [command, ...args],
  };
  for (const [key, value] of Object.entries(fields))
    Object.defineProperty(child, key, { value, writable: true, enumerable: true, configurable: true });
  return child;
}
