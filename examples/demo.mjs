// `pnpm demo`: what happens to gRPC workers when their supervisor is SIGKILLed.
//
// A supervisor (examples/supervisor) spawns two armed workers (A, B: createServer from
// @lifeline/grpc-bootstrap) and one unarmed control (C: the same worker with parentWatch: false).
// The demo opens an endless server stream and a health Watch on A, SIGKILLs the supervisor, and prints
// a timeline. It exits 0 when A and B are gone (ports re-bindable) and C lingered; non-zero otherwise.
// Everything it starts is cleaned up, also on failure or Ctrl-C.
import * as grpc from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { isRunning } from '@lifeline/parent-watch/proc';
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { connect } from './grpc-worker/backend.mjs';

const INTERVAL = '250ms';
const GRACE = '1s';
const INTERVAL_MS = 250;
const GRACE_MS = 1000;
/** An armed worker must be gone within interval + grace + this. */
const SLACK_MS = 1000;
const GONE_WITHIN_MS = INTERVAL_MS + GRACE_MS + SLACK_MS;
/** When the control is checked (and then cleaned up): after the armed workers' bound. */
const CONTROL_CHECK_MS = 2500;
const STARTUP_TIMEOUT_MS = 15_000;

const here = path.dirname(fileURLToPath(import.meta.url));
const t0 = Date.now();
const failures = [];
const pids = new Set();
const clients = [];

function log(message) {
  const ms = `+${Date.now() - t0}ms`.padStart(8);
  console.log(`${ms}  ${message}`);
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const alive = (pid) => isRunning(pid);
function portFree(port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host: '127.0.0.1', port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

function cleanup() {
  for (const client of clients.splice(0)) client.close();
  for (const pid of pids) {
    if (!alive(pid)) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}
process.once('SIGINT', () => {
  cleanup();
  process.exit(130);
});

async function main() {
  console.log('Lifeline demo: a supervisor is SIGKILLed. What happens to the gRPC workers it spawned?');
  console.log(
    `Watcher settings for this demo: LOCALAI_BACKEND_PARENT_WATCH_INTERVAL=${INTERVAL}, ` +
      `LIFELINE_PARENT_WATCH_GRACE=${GRACE} (defaults: 2s and 3s).`,
  );
  console.log('Workers A and B are armed (createServer); C is the control (parentWatch: false).\n');

  const env = { ...process.env, LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: INTERVAL, LIFELINE_PARENT_WATCH_GRACE: GRACE };
  delete env.LOCALAI_BACKEND_PARENT_WATCH;
  delete env.LIFELINE_PARENT_PID;
  const supervisor = spawn(process.execPath, [path.join(here, 'supervisor', 'supervisor.mjs'), 'A', 'B', 'C:unarmed'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  pids.add(supervisor.pid);
  log(`started the supervisor (pid ${supervisor.pid})`);

  const workers = new Map(); // name → { pid, port, armed }
  const byPid = new Map();
  // The workers' stderr is the supervisor's: this pipe outlives the supervisor.
  readline.createInterface({ input: supervisor.stderr }).on('line', (line) => {
    const pid = Number(/\[(\d+)\]/.exec(line)?.[1]);
    const name = byPid.get(pid);
    log(`${name ? `worker ${name}` : 'stderr'} says: ${line}`);
  });
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`workers not ready within ${STARTUP_TIMEOUT_MS}ms`)),
      STARTUP_TIMEOUT_MS,
    );
    supervisor.once('exit', (code, signal) => reject(new Error(`the supervisor exited early (${code ?? signal})`)));
    readline.createInterface({ input: supervisor.stdout }).on('line', (line) => {
      let event;
      try {
        event = JSON.parse(line);
      } catch {
        return;
      }
      if (event.event === 'spawned') {
        workers.set(event.name, event);
        byPid.set(event.pid, event.name);
        pids.add(event.pid);
        const what = event.armed ? 'armed' : 'control, NOT armed';
        log(
          `supervisor pid ${supervisor.pid} spawned worker ${event.name} (${what}, pid ${event.pid}, port ${event.port})`,
        );
      } else if (event.event === 'ready') {
        clearTimeout(timer);
        resolve();
      } else if (event.event === 'error' || event.event === 'exit') {
        reject(new Error(`worker ${event.name}: ${event.message ?? `exited (${event.code ?? event.signal})`}`));
      }
    });
  });
  await ready;
  supervisor.removeAllListeners('exit');
  const [A, B, C] = ['A', 'B', 'C'].map((name) => workers.get(name));

  // An endless server stream and a health Watch on A: neither may keep A alive.
  const backend = connect(A.port);
  const HealthClient = grpc.makeClientConstructor(healthService, 'grpc.health.v1.Health');
  const health = new HealthClient(`127.0.0.1:${A.port}`, grpc.credentials.createInsecure());
  clients.push(backend, health);
  let killedAt;
  const since = () => `${Date.now() - killedAt}ms after the kill`;

  const firstToken = new Promise((resolve, reject) => {
    const stream = backend.predictStream({ prompt: 'an endless generation', endless: true });
    stream.once('data', (reply) => resolve(reply.message));
    stream.on('error', (error) => {
      if (killedAt === undefined) return reject(error);
      log(
        `worker A: the endless stream was cut (${grpc.status[error.code] ?? error.code}) ${since()} — it did not hold the process`,
      );
    });
  });
  const serving = new Promise((resolve, reject) => {
    const watch = health.watch({ service: '' });
    watch.on('data', (reply) => {
      if (killedAt === undefined) return resolve(reply.status);
      log(`worker A: health Watch says ${reply.status} ${since()} — out of rotation before it stops`);
    });
    watch.on('error', (error) => {
      if (killedAt === undefined) reject(error);
    });
  });
  const [token, status] = await Promise.all([firstToken, serving]);
  log(`demo opened an endless PredictStream on worker A (first token "${token}") and a health Watch (${status})`);

  supervisor.kill('SIGKILL');
  killedAt = Date.now();
  log(`demo SIGKILLed the supervisor (pid ${supervisor.pid}): A, B and C are orphans now`);

  // Watch the armed workers go, and their ports come free.
  const armedResults = await Promise.all(
    [A, B].map(async (w) => {
      while (alive(w.pid) && Date.now() - killedAt < GONE_WITHIN_MS) await sleep(5);
      if (alive(w.pid)) {
        failures.push(
          `worker ${w.name} (pid ${w.pid}) still runs ${GONE_WITHIN_MS}ms after its supervisor died: its watcher did not fire (rerun with DEBUG=lifeline:* to see why)`,
        );
        log(`worker ${w.name} STILL RUNNING ${since()} (expected gone within ${GONE_WITHIN_MS}ms)`);
        return undefined;
      }
      const goneMs = Date.now() - killedAt;
      let free = await portFree(w.port);
      while (!free && Date.now() - killedAt < goneMs + 1000) {
        await sleep(10);
        free = await portFree(w.port);
      }
      if (!free) failures.push(`worker ${w.name} is gone but port ${w.port} is still taken`);
      log(
        `worker ${w.name} gone ${goneMs}ms after the kill (exit 1 after orphaning), port ${w.port} ${free ? 're-bindable' : 'NOT re-bindable'}`,
      );
      return goneMs;
    }),
  );

  // The control has no watcher: it should still be there after the armed workers' bound.
  const wait = killedAt + CONTROL_CHECK_MS - Date.now();
  if (wait > 0) await sleep(wait);
  if (alive(C.pid)) {
    log(`control worker C still alive ${since()} (expected: it has no watcher) — cleaning it up`);
    process.kill(C.pid, 'SIGTERM'); // it drains and exits on SIGTERM
    const deadline = Date.now() + 3000;
    while (alive(C.pid) && Date.now() < deadline) await sleep(10);
    if (alive(C.pid)) process.kill(C.pid, 'SIGKILL');
    log(`control worker C stopped by the demo (SIGTERM)`);
  } else {
    failures.push(
      'control worker C died although it has no watcher: something else killed the orphans ' +
        '(a process-group signal, PR_SET_PDEATHSIG?), so this run shows nothing about Lifeline',
    );
    log(`control worker C is gone — unexpected`);
  }

  console.log('');
  if (failures.length === 0) {
    const [a, b] = armedResults;
    console.log(
      `PASS: the armed workers left on their own (A in ${a}ms, holding an open stream: forced at the grace ` +
        `deadline; B in ${b}ms, idle: drained at once) and freed their ports; the unarmed control lingered.`,
    );
  } else {
    console.log('FAIL:');
    for (const failure of failures) console.log(`  - ${failure}`);
  }
}

main()
  .catch((error) => {
    failures.push(error.message);
    console.log(`\nFAIL: ${error.message}`);
  })
  .finally(() => {
    cleanup();
    process.exit(failures.length === 0 ? 0 : 1);
  });
