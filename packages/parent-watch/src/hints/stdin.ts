/**
 * stdin's end (opt-in, `LIFELINE_PARENT_WATCH_STDIN`): a verdict of its own, not a hint — a stdio server's
 * host closes it to tell it to leave, and the host's death closes it too. One implementation for both
 * watchers: the light one (its run half, loaded at start for it) and the full one.
 */
import { warnOnce } from '@lifeline/core/diag';
import { errorText } from '@lifeline/core/errors';

/**
 * Call `onEnd` once stdin has ended and the application's own end-of-input handling has run. Returns how
 * to stop. Never reads stdin: an application that never reads it never sees its end.
 *
 * The listener goes first among stdin's `'end'` listeners, so it must not leave in that tick: `onEnd` runs in the event loop's next check phase (`setImmediate`), after every `'end'`
 * listener (readline's last line and its `'close'` come from one) and all that they queued on the tick and
 * microtask queues (a `for await` over readline's lines ends there). stdin's own `'close'` is not waited
 * for, nor I/O the application starts then. Until then, the application's own `process.exit` (a handler
 * that exits on end-of-input: vscode-languageserver calls `process.exit(1)`) calls `onEnd` first, so that the
 * orphan path's promises (descendants, the announced code) hold. A stdin that had ended before this
 * listened (its one event came first) counts as ended: `onEnd` runs in the check phase.
 *
 * Never throws: a runtime whose `process.stdin` cannot be created is warned about once.
 */
export function watchStdinEnd(onEnd: () => void): () => void {
  let stdin: NodeJS.ReadStream;
  try {
    stdin = process.stdin;
  } catch (error) {
    warnOnce(`stdin cannot be watched (${errorText(error)}); its end is not waited for`);
    return () => {};
  }
  let immediate: ReturnType<typeof setImmediate> | undefined;
  let restoreExit: (() => void) | undefined;
  const stop = (): void => {
    clearImmediate(immediate);
    immediate = undefined;
    restoreExit?.();
    restoreExit = undefined;
  };
  const leave = (): void => {
    stop();
    onEnd();
  };
  const ended = (): void => {
    const exit = process.exit;
    const orphanFirst = ((code?: number | string | null) => {
      leave();
      return exit(code);
    }) as typeof process.exit;
    process.exit = orphanFirst;
    restoreExit = () => {
      if (process.exit === orphanFirst) process.exit = exit;
    };
    immediate = setImmediate(leave);
  };
  if (stdin.readableEnded) ended();
  // First among the listeners, whenever this listens: a watcher that takes over from the preload's (the
  // application calling watchParent() after registering its own end-of-input handler) must guard it too.
  else stdin.prependOnceListener('end', ended);
  return () => {
    stdin.removeListener('end', ended);
    stop();
  };
}
