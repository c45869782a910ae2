import type { ChildProcess, StdioOptions } from 'node:child_process';
import type { Socket } from 'node:net';

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
