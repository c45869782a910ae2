/**
 * test → host → stdio server, for the recipes of real hosts (MCP, LSP): start a host fixture, wait for
 * its report (every reply it got, the server's pid), SIGKILL it, and time the server's exit.
 */
import { openSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, fixture, readText, spawnTracked, tempDir, trackPid, waitForJson } from '../helpers/process-tree.js';

export interface HostRun {
  dir: string;
  hostPid: number;
  serverPid: number;
  /** The replies the host received, in order. */
  replies: string[];
  /** What the server wrote once it was up. */
  server: Record<string, unknown> & { pid: number; ppid: number };
  /** The server's stderr (the host hands its own stderr file on). */
  stderr(): string;
  /** How long the host's `client.close()` took (MCP host with `close`). */
  closeMs?: number;
}

/** Start `hostFixture` in `mode`, have it make `calls` calls (then close, if asked), and return once it reported. */
export async function startHost(hostFixture: string, mode: string, calls: number, close = false): Promise<HostRun> {
  const dir = tempDir();
  const stderrFile = join(dir, 'stderr');
  const host = spawnTracked(process.execPath, [fixture(hostFixture), JSON.stringify({ mode, dir, calls, close })], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', openSync(stderrFile, 'a')],
  });
  const report = await waitForJson<{ pid: number; serverPid: number; replies: string[]; closeMs?: number }>(
    join(dir, 'host.json'),
    20_000,
  );
  trackPid(report.serverPid);
  const server = await waitForJson<HostRun['server']>(join(dir, 'server.json'));
  if (typeof server.helper === 'number') trackPid(server.helper);
  const run: HostRun = {
    dir,
    hostPid: host.pid as number,
    serverPid: report.serverPid,
    replies: report.replies,
    server,
    stderr: () => readText(stderrFile),
  };
  if (report.closeMs !== undefined) run.closeMs = report.closeMs;
  return run;
}

/** The replies a host must have received for `calls` echo calls. */
export const echoed = (calls: number): string[] => Array.from({ length: calls }, (_, i) => `message ${i}`);
