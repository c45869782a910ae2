// In-process checks of the API surface: types of input, idempotence, and the drain's bounds.
// Nothing here orphans the test process: the watcher is armed with enabled: false and stopped.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { HealthImplementation } from 'grpc-health-check';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { armServer, createServer, drainServer } from '@lifeline/grpc-bootstrap';
import { watchParent } from '@lifeline/parent-watch';
import { waitFor } from '../../../test/helpers/process-tree.js';
import { fixtures } from './helpers.js';

const echo = (
  grpc.loadPackageDefinition(
    protoLoader.loadSync(path.join(fixtures, 'echo.proto'), { keepCase: true, defaults: true }),
  ) as unknown as { lifeline: { test: { Echo: grpc.ServiceClientConstructor } } }
).lifeline.test.Echo;

const servers: grpc.Server[] = [];
const clients: grpc.Client[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  for (const s of servers.splice(0)) s.forceShutdown();
  watchParent({ enabled: false }).stop();
});

function bind(server: grpc.Server): Promise<number> {
  servers.push(server);
  return new Promise((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) =>
      error ? reject(error) : resolve(port),
    ),
  );
}

describe('createServer', () => {
  it('returns a real grpc-js Server, passing grpc options through', () => {
    const server = createServer({ 'grpc.max_receive_message_length': 1024, parentWatch: false });
    servers.push(server);
    expect(server).toBeInstanceOf(grpc.Server);
  });

  it('rejects bad options with errors naming them', () => {
    expect(() => createServer(null as never)).toThrow(TypeError);
    expect(() => createServer({ parentWatch: 'yes' as never })).toThrow(
      /createServer: options\.parentWatch must be watchParent options or false, got "yes"/,
    );
    expect(() => createServer({ parentWatch: { interval: 'soon' } })).toThrow(RangeError);
    expect(() => createServer({ parentWatch: { interval: 'soon' } })).toThrow(/parentWatch\.interval/);
    expect(() => createServer({ parentWatch: { interval: 0 } })).toThrow(RangeError);
    expect(() => createServer({ parentWatch: { grace: -1 } })).toThrow(/parentWatch\.grace/);
    expect(() => createServer({ parentWatch: { exitCode: 300 } })).toThrow(RangeError);
    expect(() => createServer({ parentWatch: { enabled: 'no' as never } })).toThrow(/parentWatch\.enabled/);
    expect(() => createServer({ health: {} as never })).toThrow(
      /createServer: options\.health must be a grpc-health-check HealthImplementation/,
    );
  });

  it('adds the health service and arms on a successful bind', async () => {
    const health = new HealthImplementation({ '': 'SERVING' });
    const server = createServer({ health, parentWatch: { enabled: false } });
    // addToServer was called: a second registration fails.
    expect(() => health.addToServer(server)).toThrow();
    await bind(server);
    const watch = watchParent();
    expect(watch.state).toBe('disabled');
    expect(armServer(server)).toBe(watch);
  });

  it('does not arm when the bind fails', async () => {
    const taken = await bind(new grpc.Server());
    const server = createServer({ parentWatch: { enabled: false } });
    servers.push(server);
    const error = await new Promise<Error | null>((resolve) =>
      server.bindAsync(`127.0.0.1:${taken}`, grpc.ServerCredentials.createInsecure(), (e) => resolve(e)),
    );
    expect(error).toBeInstanceOf(Error);
    const record = (server as unknown as Record<symbol, { watch?: unknown }>)[
      Symbol.for('lifeline.grpc-bootstrap.server.v1')
    ];
    expect(record?.watch).toBeUndefined();
  });
});

describe('armServer', () => {
  it('rejects what is not a grpc-js server, and parentWatch: false', () => {
    expect(() => armServer({} as never)).toThrow(TypeError);
    expect(() => armServer({} as never)).toThrow(/armServer: server must be a @grpc\/grpc-js or nice-grpc Server/);
    expect(() => armServer(new grpc.Server(), { parentWatch: false as never })).toThrow(/parentWatch/);
    expect(() => armServer(new grpc.Server(), { parentWatch: { parentPid: -3 } })).toThrow(RangeError);
  });

  it('options: null throws a TypeError with its code, naming the options (issue 16 item 14)', () => {
    expect(() => armServer(new grpc.Server(), null as never)).toThrow(
      expect.objectContaining({
        name: 'TypeError',
        code: 'ERR_INVALID_ARG_TYPE',
        message: 'armServer: options must be an object, got null',
      }),
    );
    expect(() => armServer(new grpc.Server(), { health: null as never })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
    );
  });

  it('is idempotent per server and returns the process watcher', () => {
    const server = new grpc.Server();
    servers.push(server);
    const a = armServer(server, { parentWatch: { enabled: false } });
    const b = armServer(server);
    expect(b).toBe(a);
    expect(watchParent()).toBe(a);
  });
});

describe('drainServer', () => {
  it('drains an idle server gracefully, flipping health first', async () => {
    const health = new HealthImplementation({ '': 'SERVING', 'lifeline.test.Echo': 'SERVING' });
    const server = new grpc.Server();
    health.addToServer(server);
    await bind(server);
    const result = await drainServer(server, { health, grace: 2000 });
    expect(result.outcome).toBe('drained');
    expect(result.notServing).toEqual(['lifeline.test.Echo', '']);
  });

  it('forces a server holding an open stream at the timeout, and never waits longer', async () => {
    const { echoHandlers } = (await import(path.join(fixtures, 'common-handlers.mjs'))) as {
      echoHandlers: grpc.UntypedServiceImplementation;
    };
    const server = new grpc.Server();
    server.addService(echo.service, echoHandlers);
    const port = await bind(server);
    const client = new echo(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    clients.push(client);
    const stream = (client as unknown as { ticks(req: object): grpc.ClientReadableStream<unknown> }).ticks({
      count: 0,
    });
    let received = 0;
    stream.on('data', () => void received++);
    stream.on('error', () => undefined);
    await waitFor('ticks', () => received > 0, 5000);
    const started = Date.now();
    const result = await drainServer(server, { grace: 300 });
    expect(result.outcome).toBe('forced');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('rejects bad input', () => {
    expect(() => drainServer(undefined as never)).toThrow(TypeError);
    expect(() => drainServer(new grpc.Server(), { grace: -1 })).toThrow(
      /options\.grace must be a duration of zero or more/,
    );
    expect(() => drainServer(new grpc.Server(), { grace: true as never })).toThrow(TypeError);
    expect(() => drainServer(new grpc.Server(), { timeout: 300 } as never)).toThrow(/unknown option/);
  });

  it('options: null throws a TypeError with its code, naming the options (issue 16 item 14)', () => {
    expect(() => drainServer(new grpc.Server(), null as never)).toThrow(
      expect.objectContaining({
        name: 'TypeError',
        code: 'ERR_INVALID_ARG_TYPE',
        message: 'drainServer: options must be an object, got null',
      }),
    );
  });
});
