// The supervisor is SIGKILLed; armed gRPC workers must be gone within interval + grace (+ slack) and
// their port free, whatever is in flight. Each case runs a negative control beside it (a server that
// is not armed) which must still be alive at the same deadline; afterEach kills everything.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { service as healthService } from 'grpc-health-check';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, expectStaysAlive, gone, waitFor } from '../../../test/helpers/process-tree.js';
import {
  GONE_WITHIN_MS,
  GRACE_MS,
  INTERVAL_MS,
  fixtures,
  killParent,
  startTree,
  waitGoneAndFree,
  type Tree,
} from './helpers.js';

const REGISTER = '@lifeline/grpc-bootstrap/register';
type AnyClient = grpc.Client &
  Record<string, (...args: unknown[]) => grpc.ClientReadableStream<{ text?: string; status?: string }>>;

const echoPackage = grpc.loadPackageDefinition(
  protoLoader.loadSync(path.join(fixtures, 'echo.proto'), { keepCase: true, defaults: true }),
) as unknown as { lifeline: { test: { Echo: new (address: string, creds: grpc.ChannelCredentials) => AnyClient } } };
const HealthClient = grpc.makeClientConstructor(healthService as grpc.ServiceDefinition, 'grpc.health.v1.Health');

const clients: grpc.Client[] = [];
function client<T extends grpc.Client>(make: (address: string) => T, port: number): T {
  const c = make(`127.0.0.1:${port}`);
  clients.push(c);
  return c;
}

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  cleanup();
});

/** Assert what every armed worker must show once its parent is SIGKILLed at `killedAt`. */
async function expectGoneAndFree(tree: Tree, killedAt: number): Promise<{ goneMs: number; freeMs: number }> {
  const timing = await waitGoneAndFree(tree.worker.pid, tree.worker.port, killedAt);
  expect(timing.goneMs).toBeLessThanOrEqual(GONE_WITHIN_MS);
  const exits = tree.observations().filter((o) => o.what.startsWith('exit '));
  expect(exits.map((o) => o.what)).toEqual(['exit 1']);
  const lines = tree.stderr().trim().split('\n').filter(Boolean);
  expect(lines.filter((line) => line.includes(`parent process ${tree.worker.ppid}`))).toHaveLength(1);
  console.log(`${tree.label}: gone ${timing.goneMs}ms, port free ${timing.freeMs}ms after the SIGKILL`);
  return timing;
}

/** The negative control must still run when the armed worker's deadline has passed. */
async function expectLingers(control: Tree, killedAt: number): Promise<void> {
  await expectStaysAlive(control.worker.pid, killedAt + GONE_WITHIN_MS - Date.now());
  expect(gone(control.worker.pid), 'the unarmed control should outlive its parent').toBe(false);
}

describe('an armed gRPC worker whose supervisor is SIGKILLed', () => {
  it('idle createServer server: gone within interval + grace, port free, exit 1; a plain server lingers', async () => {
    const [armed, control] = await Promise.all([startTree(['idle-server.mjs']), startTree(['plain-server.mjs'])]);
    expect(armed.worker).toMatchObject({ state: 'watching', intervalMs: INTERVAL_MS, graceMs: GRACE_MS });

    const killedAt = killParent(armed);
    killParent(control);
    await expectGoneAndFree(armed, killedAt);
    // Nothing in flight: the graceful shutdown completed, no force needed.
    expect(armed.observations().map((o) => o.what)).toEqual(['tryShutdown', 'exit 1']);
    await expectLingers(control, killedAt);
  });

  it('open server stream: forced at the grace deadline, the stream does not hold the process', async () => {
    const [armed, control] = await Promise.all([
      startTree(['open-stream-server.mjs']),
      startTree(['plain-server.mjs']),
    ]);
    const echo = client(
      (a) => new echoPackage.lifeline.test.Echo(a, grpc.credentials.createInsecure()),
      armed.worker.port,
    );
    const stream = echo.ticks({ count: 0 });
    let received = 0;
    let ended: grpc.ServiceError | 'end' | undefined;
    stream.on('data', () => void received++);
    stream.on('error', (error: grpc.ServiceError) => (ended ??= error));
    stream.on('end', () => (ended ??= 'end'));
    await waitFor('the first ticks', () => received >= 2, 5000);

    const killedAt = killParent(armed);
    killParent(control);
    await expectGoneAndFree(armed, killedAt);
    const what = armed.observations().map((o) => o.what);
    expect(what).toEqual(['tryShutdown', 'forceShutdown', 'exit 1']);
    await waitFor('the client stream to end', () => ended, 2000);
    expect(ended).not.toBe('end'); // cancelled or unavailable, never a clean end
    await expectLingers(control, killedAt);
  });

  it('client stream answered early and never ended by the client (grpc-node#1664): gone, port free', async () => {
    const [armed, control] = await Promise.all([
      startTree(['unended-client-stream-server.mjs']),
      startTree(['plain-server.mjs']),
    ]);
    const echo = client(
      (a) => new echoPackage.lifeline.test.Echo(a, grpc.credentials.createInsecure()),
      armed.worker.port,
    );
    let reply: { text?: string } | undefined;
    const call = (
      echo.collect as unknown as (
        cb: (e: Error | null, r: { text?: string }) => void,
      ) => grpc.ClientWritableStream<{ text: string }>
    )((error, r) => void (reply = error ? { text: `error ${error.message}` } : r));
    call.write({ text: 'one' });
    await waitFor('the early answer', () => reply, 5000);
    expect(reply!.text).toBe('first: one'); // the client never calls call.end()

    const killedAt = killParent(armed);
    killParent(control);
    await expectGoneAndFree(armed, killedAt);
    // grpc-js 1.14 completes this drain (older versions hung in tryShutdown; then the force applies).
    const what = armed.observations().map((o) => o.what);
    expect(what[0]).toBe('tryShutdown');
    expect(what.at(-1)).toBe('exit 1');
    expect(what.filter((w) => w === 'tryShutdown')).toHaveLength(1);
    await expectLingers(control, killedAt);
  });

  it('open health Watch: NOT_SERVING reaches the client before the server stops; gone, port free', async () => {
    const [armed, control] = await Promise.all([
      startTree(['health-watch-server.mjs']),
      startTree(['plain-server.mjs']),
    ]);
    const health = client(
      (a) => new HealthClient(a, grpc.credentials.createInsecure()) as unknown as AnyClient,
      armed.worker.port,
    );
    const seen: { at: number; status: string }[] = [];
    let endedAt: number | undefined;
    const watch = health.watch({ service: '' });
    watch.on('data', (reply: { status?: string }) => seen.push({ at: Date.now(), status: String(reply.status) }));
    watch.on('error', () => (endedAt ??= Date.now()));
    watch.on('end', () => (endedAt ??= Date.now()));
    await waitFor('SERVING', () => seen.some((s) => s.status === 'SERVING'), 5000);

    const killedAt = killParent(armed);
    killParent(control);
    await expectGoneAndFree(armed, killedAt);
    await waitFor('the Watch call to end', () => endedAt, 2000);

    // Client side: NOT_SERVING arrived, before the call was cut.
    const notServing = seen.find((s) => s.status === 'NOT_SERVING');
    expect(notServing, `statuses seen: ${JSON.stringify(seen)}`).toBeDefined();
    expect(notServing!.at).toBeLessThanOrEqual(endedAt!);
    // Server side: every service, then '', NOT_SERVING; then tryShutdown; then the forced close.
    const what = armed.observations().map((o) => o.what);
    expect(what).toEqual([
      "setStatus 'lifeline.test.Echo' NOT_SERVING",
      "setStatus '' NOT_SERVING",
      'tryShutdown',
      'forceShutdown',
      'exit 1',
    ]);
    await expectLingers(control, killedAt);
  });

  it('register preload arms a plain new grpc.Server() (ESM --import and CJS -r); without it, it lingers', async () => {
    const [esm, cjs, control] = await Promise.all([
      startTree(['--import', REGISTER, 'plain-server-under-register.mjs']),
      startTree(['-r', REGISTER, 'plain-server-under-register.cjs']),
      startTree(['plain-server-under-register.mjs']),
    ]);
    const killedAt = killParent(esm);
    killParent(cjs);
    killParent(control);
    await Promise.all([expectGoneAndFree(esm, killedAt), expectGoneAndFree(cjs, killedAt)]);
    expect(esm.observations().map((o) => o.what)).toEqual(['tryShutdown', 'exit 1']);
    expect(cjs.observations().map((o) => o.what)).toEqual(['tryShutdown', 'exit 1']);
    await expectLingers(control, killedAt);
  });

  it('armed twice (register + createServer + armServer) arms once, with createServer options; opted out lingers', async () => {
    const env = { LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: undefined, LIFELINE_PARENT_WATCH_GRACE: undefined };
    const [armed, control] = await Promise.all([
      startTree(['--import', REGISTER, 'double-armed-server.mjs'], env),
      startTree(['--import', REGISTER, 'opted-out-server-under-register.mjs'], env),
    ]);
    // The preload's bind wrapper runs first, yet createServer's options were used (not the 2 s default).
    expect(armed.worker).toMatchObject({ intervalMs: 100, graceMs: 1000, sameHandle: true });

    const killedAt = killParent(armed);
    killParent(control);
    await expectGoneAndFree(armed, killedAt);
    expect(armed.observations().map((o) => o.what)).toEqual(['tryShutdown', 'exit 1']); // one hook, not two
    await expectLingers(control, killedAt);
  });
});
