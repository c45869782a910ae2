/**
 * The hints of `explainWatch` (what `lifeline doctor` shows): what would tell a watcher started here that
 * its parent may be gone, sooner than its poll — and, where the runtime cannot watch stdout's and stderr's
 * reader, why.
 */
import { hasIpcChannel, ipcHintUsable } from '../hints/ipc.js';
import { stdioHintReport, stdioHintWanted } from '../hints/stdio.js';
import { ENV, type ResolvedConfig } from '@lifeline/core/config';
import { formatMs } from '@lifeline/core/duration';

/** The poll and each hint this process has, as sentences (none when the watcher would not arm). @internal */
export function hintsHere(config: ResolvedConfig, wouldArm: boolean): string[] {
  if (!wouldArm) return [];
  const hints = [`the poll, every ${formatMs(config.intervalMs)}`];
  if (hasIpcChannel())
    hints.push(
      ipcHintUsable()
        ? "the IPC channel's 'disconnect'"
        : "not the IPC channel's 'disconnect' (this runtime keeps a process alive while it is listened to)",
    );
  if (config.parentFd !== null)
    hints.push(`the lifeline pipe's end (fd ${config.parentFd}; honoured when ${ENV.parentPid} names the parent)`);
  if (!config.stdio) hints.push(`not stdout's or stderr's reader (${ENV.stdio} is off)`);
  else if (!stdioHintWanted(config))
    hints.push(`not stdout's or stderr's reader (stdin's end tells, ${ENV.stdin} is on)`);
  else {
    const stdio = stdioHintReport();
    if (stdio.problem !== undefined) hints.push(`not stdout's or stderr's reader: ${stdio.problem}`);
    else if (stdio.watched.length === 0)
      hints.push("not stdout's or stderr's reader (neither is a pipe or a socket here)");
    for (const { fd, type } of stdio.watched)
      hints.push(`${fd === 1 ? 'stdout' : 'stderr'}'s reader going away (a ${type})`);
  }
  if (config.stdin) hints.push("stdin's end (leaves, exit 0)");
  return hints;
}
