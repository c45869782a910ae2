// Every copy of @grpc/grpc-js the process loads is armed by the register preload: a copy nested under
// nice-grpc (another version than the app's), a copy loaded before the register entry; armServer takes
// a nice-grpc server; and an app that bundles grpc-js into one file is told, once, that it is out of reach.
// Each "it leaves" case runs beside a control that lingers.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ROOT,
  cleanup,
  expectStaysAlive,
  readText,
  tempDir,
  trackPid,
  waitFor,
  waitForJson,
} from '../../../test/helpers/process-tree.js';
import { GONE_WITHIN_MS, fixtures, killParent, startTree, waitGoneAndFree } from './helpers.js';

const REGISTER = '@lifeline/grpc-bootstrap/register';
afterEach(cleanup);

describe('every copy of grpc-js', () => {
  it('register arms a nice-grpc server whose grpc-js is a nested copy of another version; without it, it lingers', async () => {
    const [armed, control] = await Promise.all([
      startTree(['--import', REGISTER, 'nice-grpc-server.mjs']),
      startTree(['nice-grpc-server.mjs']),
    ]);
    expect(armed.worker.niceGrpcJs).toBe('1.14.3');
    expect(armed.worker.appGrpcJs).toBe('1.14.7'); // two copies in one process
    const killedAt = killParent(armed);
    killParent(control);
    const { goneMs } = await waitGoneAndFree(armed.worker.pid, armed.worker.port, killedAt);
    expect(goneMs).toBeLessThanOrEqual(GONE_WITHIN_MS);
    expect(armed.observations().map((o) => o.what)).toContain('exit 1');
    await expectStaysAlive(control.worker.pid, killedAt + GONE_WITHIN_MS - Date.now());
  });

  it('armServer(niceServer) after listen(): drained through shutdown()/forceShutdown(); the same server unarmed lingers', async () => {
    const [armed, control] = await Promise.all([
      startTree(['nice-grpc-server.mjs', '--arm']),
      startTree(['nice-grpc-server.mjs']),
    ]);
    expect(armed.worker.state).toBe('watching');
    const killedAt = killParent(armed);
    killParent(control);
    await waitGoneAndFree(armed.worker.pid, armed.worker.port, killedAt);
    await expectStaysAlive(control.worker.pid, killedAt + GONE_WITHIN_MS - Date.now());
  });

  it('a copy loaded before the register entry is armed too; a plain server lingers', async () => {
    const [armed, control] = await Promise.all([
      startTree(['grpc-loaded-before-register.mjs']),
      startTree(['plain-server.mjs']),
    ]);
    const killedAt = killParent(armed);
    killParent(control);
    await waitGoneAndFree(armed.worker.pid, armed.worker.port, killedAt);
    expect(armed.observations().map((o) => o.what)).toEqual(['tryShutdown', 'exit 1']);
    await expectStaysAlive(control.worker.pid, killedAt + GONE_WITHIN_MS - Date.now());
  });

  it('an app bundled with grpc-js inside: one warning says it is out of reach and what to do; unbundled, no warning', async () => {
    const dir = tempDir();
    const bundle = join(dir, 'server.mjs');
    await build({
      entryPoints: [join(fixtures, 'bundled-grpc-server.mjs')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: bundle,
      logLevel: 'silent',
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    });
    const run = (file: string, name: string) => {
      const ready = join(dir, `${name}.json`);
      const stderr: string[] = [];
      const child = spawn(process.execPath, ['--import', REGISTER, file], {
        cwd: ROOT,
        env: { ...process.env, FIXTURE_READY: ready },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      trackPid(child.pid);
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
      return { ready, stderr: () => stderr.join('') };
    };
    const bundled = run(bundle, 'bundled');
    const plain = run(join(fixtures, 'bundled-grpc-server.mjs'), 'plain');
    await Promise.all([waitForJson(bundled.ready), waitForJson(plain.ready)]);
    const line = await waitFor(
      'the warning',
      () => bundled.stderr().match(/^lifeline\[\d+\]: warning: .*$/m)?.[0],
      5000,
    );
    expect(line).toContain(
      `${bundle} bundles @grpc/grpc-js into itself, out of the preload's reach: its servers are NOT armed`,
    );
    expect(line).toMatch(/createServer\(\) or armServer\(\)/);
    // The unbundled fixture's grpc-js came through the loader and is armed: nothing to warn about, also
    // past the preload's look at 1 s (polled: fails at the first line written).
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      expect(plain.stderr()).toBe('');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(readText(plain.ready)).toContain('"port"');
  });
});
