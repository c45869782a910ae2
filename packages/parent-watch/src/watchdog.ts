/**
 * The watchdog thread (`LIFELINE_PARENT_WATCH_THREAD=1`, `thread: true`): the same check as the main-loop
 * watcher, from a worker thread, so that a main thread stuck in synchronous code still notices. When it
 * finds the parent gone it writes the one orphan line and tells the main thread; if the main thread has
 * not finished its orphan path a margin after the grace, it SIGKILLs the descendants and the process.
 * Built to `dist/watchdog.mjs` and started by `watch/thread.ts`; not an entry for users. @internal
 * @packageDocumentation
 */
import { parentPort, workerData } from 'node:worker_threads';
import { writeLine } from '@lifeline/core/diag';
import { MAX_TIMER_MS } from '@lifeline/core/duration';
import { watchPipe } from './hints/pipe.js';
import { recheckAfterHint } from './hints/recheck.js';
import { checkParent, lostParent, orphanLine } from './orphan/verdict.js';
import { descendantsOf, signalAll } from './orphan/descendants.js';
import { FLAG, type WatchdogData, type WatchdogMessage } from './watch/thread.js';

/** Extra time the watchdog gives the main thread after the grace, before it SIGKILLs. */
const MARGIN_MS = 250;

const data = workerData as WatchdogData;
const { flags } = data;
let deadline: ReturnType<typeof setTimeout> | undefined;

function armDeadline(detectedAt: number): void {
  if (deadline || !data.exit) return;
  const wait = Math.max(0, detectedAt + data.graceMs + MARGIN_MS - Date.now());
  deadline = setTimeout(
    () => {
      if (Atomics.load(flags, FLAG.done) === 1) return;
      writeLine(
        `the main thread was unresponsive for ${data.graceMs + MARGIN_MS}ms after the orphaning; ` +
          'the watchdog thread kills the process (SIGKILL: no cleanup ran)',
      );
      if (data.killDescendants) signalAll(descendantsOf(data.pid), 'SIGKILL');
      process.kill(data.pid, 'SIGKILL');
    },
    Math.min(wait, MAX_TIMER_MS),
  );
}

function tick(): void {
  if (Atomics.load(flags, FLAG.orphaned) === 1) return;
  const cause = checkParent(data.target);
  if (cause === null || Atomics.compareExchange(flags, FLAG.orphaned, 0, 1) !== 0) return;
  clearInterval(timer);
  const detectedAt = Date.now();
  const currentParentPid = process.ppid;
  const lostPid = lostParent(cause, data.target);
  writeLine(
    orphanLine({
      cause,
      lostPid,
      currentParentPid,
      exit: data.exit,
      exitCode: data.exitCode,
      raise: data.raise,
      thread: true,
    }),
  );
  const message: WatchdogMessage = { type: 'orphan', cause, currentParentPid, detectedAt };
  parentPort?.postMessage(message);
  armDeadline(detectedAt);
}

const timer = setInterval(tick, data.intervalMs);
// The lifeline pipe's end is a hint: check now and shortly after, from this thread too.
// Checked usable by the main thread; should wrapping it fail all the same, the poll watches alone.
if (data.parentFd !== null)
  watchPipe(
    data.parentFd,
    () => recheckAfterHint(tick),
    () => undefined,
  );
parentPort?.on('message', (message: { type: string; detectedAt?: number }) => {
  if (message.type === 'orphaned' && typeof message.detectedAt === 'number') {
    clearInterval(timer);
    armDeadline(message.detectedAt);
  } else if (message.type === 'stop') {
    clearInterval(timer);
    if (deadline) clearTimeout(deadline);
    parentPort?.close();
  }
});
