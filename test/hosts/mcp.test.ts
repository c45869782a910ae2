/**
 * MCP stdio servers under the real @modelcontextprotocol/sdk host (Client + StdioClientTransport). The
 * transport passes only HOME/LOGNAME/PATH/SHELL/TERM/USER to the server unless `env` is given: settings in
 * the host's environment never arrive. The recipe (docs/launchers.md): the preload by absolute path in
 * `args` and LIFELINE_PARENT_WATCH_STDIN in `env`, or `watchParent({ stdin: true })` in the server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, expectStaysAlive, waitGone } from '../helpers/process-tree.js';
import { echoed, startHost } from './stdio-host.js';

afterEach(cleanup);

const CALLS = 20;

describe.runIf(process.platform === 'linux')('MCP stdio server under the SDK host', () => {
  for (const mode of ['recipe', 'in-code'] as const) {
    it(`${mode}: every reply arrives, and the server leaves within milliseconds of the host's SIGKILL`, async () => {
      const run = await startHost('mcp-host.mjs', mode, CALLS);
      expect(run.replies).toEqual(echoed(CALLS));
      expect(run.server.ppid).toBe(run.hostPid);
      process.kill(run.hostPid, 'SIGKILL');
      const tookMs = await waitGone(run.serverPid, 5000, 1);
      expect(run.stderr()).toMatch(
        new RegExp(
          `lifeline\\[${run.serverPid}\\]: stdin closed: the host \\(parent ${run.hostPid}\\) is gone .*exiting with code 0`,
        ),
      );
      // The line names stdin's end, not the 2 s poll, as the cause: no threshold on a shared machine's time.
      console.info(`MCP server (${mode}) gone ${tookMs} ms after the host's SIGKILL`);
    });
  }

  it("the host's own client.close() returns as soon as the server has left; control: 2 s, then the SDK's SIGTERM", async () => {
    const [armed, control] = await Promise.all([
      startHost('mcp-host.mjs', 'recipe', CALLS, true),
      startHost('mcp-host.mjs', 'filtered', CALLS, true),
    ]);
    expect(armed.replies).toEqual(echoed(CALLS));
    expect(armed.closeMs).toBeLessThan(1990); // the server left by itself, before the transport's timer
    expect(armed.stderr()).toMatch(/stdin closed: .*exiting with code 0/);
    expect(control.closeMs).toBeGreaterThanOrEqual(1990); // the transport's 2 s wait before it sends SIGTERM
    console.info(
      `MCP client.close(): ${armed.closeMs?.toFixed(1)} ms with the recipe, ${control.closeMs?.toFixed(1)} ms without`,
    );
  });

  it('control: the preload and the variable in the host environment never reach the server, which stays', async () => {
    const run = await startHost('mcp-host.mjs', 'filtered', CALLS);
    expect(run.replies).toEqual(echoed(CALLS));
    expect(run.server.settings).toEqual([]); // filtered out by the transport
    expect(run.server.execArgv).toEqual([]);
    process.kill(run.hostPid, 'SIGKILL');
    await expectStaysAlive(run.serverPid, 1000);
  });
});
