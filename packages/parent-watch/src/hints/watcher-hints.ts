import { ENV } from '@lifeline/core/config';
import { warnOnce } from '@lifeline/core/diag';
import { errorText } from '@lifeline/core/errors';
import { watchIpc } from './ipc.js';
import { pipeProblem, pipeTaken, watchPipe } from './pipe.js';
import { recheckAfterHint } from './recheck.js';
import { watchStdinEnd } from './stdin.js';
import { stdioHintWanted, watchStdio } from './stdio.js';
import type { Settings } from '../watch/options.js';
import type { OrphanEvent } from '../watch/types.js';

type HintKind = Extract<OrphanEvent['detectedBy'], 'ipc-disconnect' | 'pipe' | 'stdio'>;

/**
 * What can tell the watcher sooner than its poll: the IPC channel's 'disconnect', the lifeline pipe's
 * end and stdout's or stderr's reader going away (hints: they trigger re-checks), and, opted in, the end of stdin (a verdict of its own). @internal
 */
export class Hints {
  #rechecks: ReturnType<typeof setTimeout>[] = [];
  #stopIpc: (() => void) | undefined;
  #stopPipe: ((leaving?: boolean) => void) | undefined;
  #stopStdio: (() => void) | undefined;
  readonly #check: (by: HintKind) => void;
  readonly #onStdinEnd: () => void;
  readonly #onDisconnect = (): void => this.#hint('ipc-disconnect');
  #stopStdin: (() => void) | undefined;

  constructor(check: (by: HintKind) => void, onStdinEnd: () => void) {
    this.#check = check;
    this.#onStdinEnd = onStdinEnd;
  }

  /**
   * The lifeline pipe's descriptor when it is this process's and usable, else `null`. One from the
   * environment is bound to the process the supervisor started: with `LIFELINE_PARENT_PID` naming this
   * process's parent (`ppid`, captured at start). A child that inherited both from its parent (a `fork()`,
   * a data pipe at the same number) ignores them silently; a descriptor that is not open, not a pipe or
   * socket, or one of this process's own warns once, naming where it came from.
   */
  static pipeFd(s: Settings, ppid: number): number | null {
    const fd = s.parentFd;
    if (fd === null || pipeTaken(fd)) return null;
    if (s.parentFdFrom === ENV.parentFd) {
      if (s.parentFdPid === null) {
        warnOnce(
          `${ENV.parentFd}=${fd} is ignored without ${ENV.parentPid} (the supervisor sets both: its pid binds the descriptor to the process it started)`,
        );
        return null;
      }
      if (s.parentFdPid !== ppid) return null; // inherited from an ancestor: another process's descriptor number
    }
    const problem = pipeProblem(fd);
    if (problem !== undefined) warnOnce(`${s.parentFdFrom}=${fd} ${problem}; it is ignored`);
    return problem === undefined ? fd : null;
  }

  /** Start listening to the IPC channel, stdout's and stderr's readers and (opted in) stdin. */
  start(s: Settings): void {
    this.#stopIpc ??= watchIpc(this.#onDisconnect);
    if (stdioHintWanted(s)) this.#stopStdio ??= watchStdio(() => this.#hint('stdio'));
    if (s.stdin) this.#stopStdin ??= watchStdinEnd(this.#onStdinEnd);
  }

  /** Watch the lifeline pipe from this thread (when the watchdog thread does not watch it itself). */
  pipe(fd: number): void {
    this.#stopPipe ??= watchPipe(
      fd,
      () => this.#hint('pipe'),
      (error) =>
        warnOnce(
          `the lifeline pipe (descriptor ${fd}) cannot be watched (${errorText(error)}); the poll watches alone`,
        ),
    );
  }

  #hint(by: HintKind): void {
    this.#rechecks.push(...recheckAfterHint(() => this.#check(by)));
  }

  /**
   * Stop listening: re-check timers, the IPC listener, the pipe, stdio, stdin. The pipe's descriptor is closed,
   * unless the process is `leaving`: the exit closes it with the rest, sooner.
   */
  stop(leaving = false): void {
    for (const timer of this.#rechecks) clearTimeout(timer);
    this.#rechecks = [];
    this.#stopIpc?.();
    this.#stopIpc = undefined;
    this.#stopPipe?.(leaving);
    this.#stopPipe = undefined;
    this.#stopStdio?.();
    this.#stopStdio = undefined;
    this.#stopStdin?.();
    this.#stopStdin = undefined;
  }
}
