/**
 * The light watcher's run half: what it does once it is armed — the check of each tick, the stdio and IPC
 * hints, stdin's end (opted in), the orphan path with no descendants and the hand-over to the full watcher.
 * Not at start: the preload (light.ts) loads it on the first turn of the event loop when there is a hint to
 * wait for, else at the first tick, so that a process pays at start only for what must happen then (the
 * ppid, the chain, the timer) — except in stdin mode, whose listener must come before the application's.
 * Node's preload loads it as a file of its own (light-preload.cts); the ES module build bundles it.
 */
import { DEFAULT_EXIT_CODE } from '@lifeline/core/config';
import { writeLine } from '@lifeline/core/diag';
import { hasProcfs } from '@lifeline/core/proc/stat';
import {
  checkParent,
  exitCodeFor,
  lostParent,
  orphanLine,
  type OrphanCause,
  type WatchTarget,
} from '../orphan/verdict.js';
import { descendantsOf, hasChildrenFiles } from '../orphan/descendants.js';
import { watchIpc } from '../hints/ipc.js';
import { recheckAfterHint } from '../hints/recheck.js';
import { watchStdinEnd } from '../hints/stdin.js';
import { stdioHintWanted, watchStdioNow } from '../hints/stdio.js';
import { registry, type LightWatch } from './global.js';
import { withFullWatcher, type LoadedBy } from './full-watcher.js';
import * as later from './light-later.js';

/** What the start file calls from here on its rare paths (light-later.ts; tsup.config.ts makes the calls). @internal */
export { later };

/** What the preload armed, handed to the run half. @internal */
export interface LightArmed {
  readonly light: LightWatch;
  readonly target: WatchTarget;
  readonly loadedBy: LoadedBy;
  /** The stdio switch (`LIFELINE_PARENT_WATCH_STDIO`): stdout's and stderr's reader are watched, unless in stdin mode. */
  readonly stdio: boolean;
  /** Whether the IPC channel's `'disconnect'` is listened to (there is a channel). */
  readonly ipc: boolean;
  /** Whether stdin's end makes it leave (`LIFELINE_PARENT_WATCH_STDIN`). */
  readonly stdin: boolean;
  /** What the light watcher's `stop()` undoes besides its timers: filled here. */
  readonly stops: (() => void)[];
}

/** What made the light watcher check: its tick, or a hint. @internal */
export type LightCheckBy = 'poll' | 'stdio' | 'ipc-disconnect';

/**
 * Start the run half of an armed light watcher: the stdio hint (when on), the IPC hint (with a channel),
 * stdin's end (opted in), and the check each tick calls. Returns that check. @internal
 */
export function runLight(armed: LightArmed): (by: LightCheckBy) => void {
  const { light, target, loadedBy } = armed;
  const shared = registry();
  /** The parent is gone (or stdin ended): leave now when nothing is to wait for, else hand over. */
  const orphaned = (cause: OrphanCause, by: LightWatch['detectedBy']): void => {
    light.stop();
    // Nothing to wait for — no hooks (the application never asked for the watcher), no descendants: leave
    // in this tick, as the full watcher would, without loading it (CPU that hundreds of workers orphaned
    // at once on a few cores would queue behind).
    // Asked in this order: the children lists prove /proc is there without parsing /proc/self/stat.
    if ((hasChildrenFiles() || hasProcfs()) && descendantsOf(process.pid).length === 0) {
      const exitCode = exitCodeFor(cause, DEFAULT_EXIT_CODE);
      const lostPid = lostParent(cause, target);
      writeLine(orphanLine({ cause, lostPid, currentParentPid: process.ppid, exit: true, exitCode }));
      process.exit(exitCode);
    }
    light.detectedBy = by;
    withFullWatcher(loadedBy, (full) => void (shared.light === light && full.watchParent()));
  };
  const check = (by: LightCheckBy): void => {
    const cause = shared.light === light ? checkParent(target) : null;
    if (cause !== null) orphaned(cause, by);
  };
  const stdio = stdioHintWanted(armed);
  if (stdio || armed.ipc) {
    const rechecks: ReturnType<typeof setTimeout>[] = [];
    const hint = (by: LightCheckBy) => (): void => void rechecks.push(...recheckAfterHint(() => check(by)));
    if (stdio) armed.stops.push(watchStdioNow(hint('stdio')));
    if (armed.ipc) armed.stops.push(watchIpc(hint('ipc-disconnect')));
    armed.stops.push(() => rechecks.splice(0).forEach(clearTimeout));
  }
  if (armed.stdin)
    armed.stops.push(watchStdinEnd(() => void (shared.light === light && orphaned('stdin-closed', 'stdin'))));
  return check;
}
