import { constants } from 'node:os';
import { getSystemErrorMap } from 'node:util';
import { watchParent } from '@lifeline/parent-watch';
import { createLogger, writeLine } from '@lifeline/core/diag';
import { platformFacts } from '@lifeline/core/platform';
import { DELAY, INTERVAL, formatMs } from '@lifeline/core/duration';
import { MAX_QUOTED_CHARS, describe } from '@lifeline/core/errors';
import { spawnWorker, type WorkerProcess, type WorkerExit } from '../spawn/worker.js';
import { durationFlag, parseFlags, UsageError } from './args.js';

const debug = createLogger('supervisor');

/** Signals `lifeline run` passes on to the command. */
export const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = [
  'SIGTERM',
  'SIGINT',
  'SIGHUP',
  'SIGQUIT',
  'SIGUSR1',
  'SIGUSR2',
];

/** Exit code when the command was not found (as shells do). */
export const EXIT_NOT_FOUND = 127;
/** Exit code when the command was found but could not be executed (permission, format), as shells do. */
export const EXIT_CANNOT_EXECUTE = 126;

export const RUN_HELP = `Usage: lifeline run [--interval D] [--grace D] [--arm] [--] command [args…]

Run a command in its own process group and take that group down when lifeline itself is orphaned
(its parent died: it was reparented to init or a subreaper). A shim for backends that have no
parent watcher of their own.

  --interval D  how often to check the parent (default: LOCALAI_BACKEND_PARENT_WATCH_INTERVAL, else 2s)
  --grace D     time between SIGTERM and SIGKILL to the command's group when orphaned
                (default: LIFELINE_PARENT_WATCH_GRACE, else 3s)
  --arm         start a Node.js command with --require <path of
                @lifeline/parent-watch/register>, so that it leaves by itself, hooks and
                all, even when this shim is SIGKILLed (for a command that does not arm in code)
  -h, --help    show this help

Durations: "500ms", "2s", "1m30s", "2" (seconds), "2 seconds".
LOCALAI_BACKEND_PARENT_WATCH=false switches the watch off (the shim then only forwards signals).
SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2 are forwarded to the command (its pid, not
its whole group). Processes of the command that call setsid() leave the group and escape the teardown.
Windows: lifeline notices its parent's death by the parent's liveness; there are no process groups and
no catchable SIGTERM, so the command alone is ended at once with TerminateProcess (no grace; its
non-detached Node children end with it) and a forwarded signal ends it the same way.

Exit codes:
  the command's exit code, or 128+n when it died of signal n (143 for SIGTERM, 137 for SIGKILL)
  2    usage error (bad flag or missing command)
  126  the command could not be executed (permission denied, not a program)
  127  the command was not found
`;

/**
 * `lifeline run`: returns the exit code to leave with, once the command has exited. @internal
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const parsed = parseFlags(argv, { interval: 'string', grace: 'string', arm: 'boolean' }, true);
  if (parsed.flags.has('help')) {
    process.stdout.write(RUN_HELP);
    return 0;
  }
  const intervalMs = durationFlag(parsed, 'interval', INTERVAL);
  const graceFlag = durationFlag(parsed, 'grace', DELAY);
  const [command, ...args] = parsed.rest;
  if (command === undefined || command === '')
    throw new UsageError('missing command (lifeline run [--interval D] [--grace D] [--arm] -- command [args…])');

  // An orphan's stdout/stderr may be closed pipes: never let an EPIPE kill the shim before the teardown.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);

  // Arm first: the parent pid is captured now, before anything else can delay it. A late onOrphan
  // subscription (below) is still told about an orphaning that happened meanwhile.
  const watch = watchParent({
    exit: false,
    killDescendants: false,
    ...(intervalMs !== undefined ? { interval: intervalMs } : {}),
    ...(graceFlag !== undefined ? { grace: graceFlag } : {}),
  });
  const graceMs = graceFlag ?? watch.graceMs;
  if (process.pid === 1) {
    writeLine(
      'run: running as PID 1: orphans re-parented to it will not be reaped; use an init (docker run --init, tini)',
    );
  }
  if (watch.state === 'disabled') {
    debug('parent watch not armed: %s', watch.reason);
    // Switched off on purpose: nothing to say. Any other reason is news to whoever reads stderr.
    if (watch.reasonCode !== 'disabled-by-env' && watch.reasonCode !== 'disabled-by-option') {
      writeLine(`run: not watching the parent: ${watch.reason ?? 'disabled'}; only forwarding signals`);
    }
  }

  // Listen before spawning: a signal that arrives meanwhile is queued and passed on once the command runs.
  let worker: WorkerProcess | undefined;
  const early: NodeJS.Signals[] = [];
  const forward = (signal: NodeJS.Signals): void => {
    if (worker === undefined) {
      early.push(signal);
      return;
    }
    debug('forwarding %s to %s', signal, worker.pid);
    try {
      if (worker.pid !== undefined && worker.exitStatus === undefined) process.kill(worker.pid, signal);
    } catch {
      // already gone
    }
  };
  const listeners = FORWARDED_SIGNALS.map((signal) => {
    const listener = (): void => forward(signal);
    process.on(signal, listener);
    return [signal, listener] as const;
  });
  const unlisten = (): void => {
    for (const [signal, listener] of listeners) process.removeListener(signal, listener);
  };

  worker = spawnWorker(command, args, { stdio: 'inherit', arm: parsed.flags.has('arm') });
  for (const signal of early.splice(0)) forward(signal);
  if (worker.pid === undefined) {
    watch.stop();
    unlisten();
    const exit = await worker.exited;
    return cannotStart(command, exit);
  }
  const pid = worker.pid;
  const started = worker;

  const how = platformFacts().processGroups
    ? `process group ${pid} (SIGTERM, SIGKILL after ${formatMs(graceMs)})`
    : `process ${pid} (TerminateProcess: no process groups or catchable SIGTERM on Windows)`;
  watch.onOrphan((event) => {
    writeLine(`run: orphaned (parent ${event.originalParentPid} gone): stopping ${how}`);
    void started.stop({ grace: graceMs });
  });

  const exit = await started.exited;
  watch.stop();
  unlisten();
  const code = exitCodeOf(exit);
  debug('command exited (%o): leaving with %d', exit, code);
  return code;
}

/** The shell convention: the exit code, or 128+n for a death by signal n. @internal */
export function exitCodeOf(exit: WorkerExit): number {
  if (exit.code !== null) return exit.code;
  if (exit.signal !== null) return 128 + (constants.signals[exit.signal] ?? 0);
  return 1;
}

function cannotStart(command: string, exit: WorkerExit): number {
  const error = exit.error as NodeJS.ErrnoException | undefined;
  // A hostile or mistaken command may be kilobytes long: the line quotes it cut short.
  const shown = command.length > MAX_QUOTED_CHARS ? describe(command) : command;
  if (error?.code === 'ENOENT') {
    writeLine(`run: ${shown}: command not found`);
    return EXIT_NOT_FOUND;
  }
  const system = typeof error?.errno === 'number' ? getSystemErrorMap().get(error.errno)?.[1] : undefined;
  writeLine(`run: ${shown}: ${system ?? error?.message ?? 'could not be started'}`);
  return EXIT_CANNOT_EXECUTE;
}
