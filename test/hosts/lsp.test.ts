/**
 * Language servers built on the real vscode-languageserver, under a vscode-languageserver-protocol host.
 * The library already exits when stdin ends (code 1) — but the server's own helper processes stay. With
 * the recipe (LIFELINE_PARENT_WATCH_STDIN and the preload, or `watchParent({ stdin: true })`), stdin's
 * end is the watcher's orphaning: the helpers are taken down too, and the exit code is 0 as announced.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, expectStaysAlive, waitGone } from '../helpers/process-tree.js';
import { echoed, startHost } from './stdio-host.js';

afterEach(cleanup);

const CALLS = 20;

describe.runIf(process.platform === 'linux')('language server under an LSP host', () => {
  for (const mode of ['recipe', 'in-code'] as const) {
    it(`${mode}: every reply arrives; after the host's SIGKILL the server and its helper leave within milliseconds`, async () => {
      const run = await startHost('lsp-host.mjs', mode, CALLS);
      expect(run.replies).toEqual(echoed(CALLS));
      const helper = run.server.helper as number;
      process.kill(run.hostPid, 'SIGKILL');
      const [serverMs, helperMs] = await Promise.all([waitGone(run.serverPid, 5000, 1), waitGone(helper, 5000, 1)]);
      expect(run.stderr()).toMatch(new RegExp(`lifeline\\[${run.serverPid}\\]: stdin closed: .*exiting with code 0`));
      // The library's own process.exit(1) on stdin's end comes during the cleanup: the announced code stands.
      expect(run.stderr()).toMatch(
        /the process was ending with code 1 during the orphan cleanup; exiting with code 0 as announced/,
      );
      console.info(`language server (${mode}) gone ${serverMs} ms, its helper ${helperMs} ms after the host's SIGKILL`);
    });
  }

  it('control: without the recipe the server leaves by itself, but its helper stays', async () => {
    const run = await startHost('lsp-host.mjs', 'plain', CALLS);
    expect(run.replies).toEqual(echoed(CALLS));
    process.kill(run.hostPid, 'SIGKILL');
    await waitGone(run.serverPid, 5000, 1);
    await expectStaysAlive(run.server.helper as number, 1000);
  });
});
