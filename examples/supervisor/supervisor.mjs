// A minimal Node supervisor (think LocalAI) that spawns gRPC backend workers and keeps them.
//
//   node examples/supervisor/supervisor.mjs A B C:unarmed
//
// Each argument is a worker name, `:unarmed` starts examples/grpc-worker/server.mjs --unarmed.
// It reports on stdout, one JSON line per event (the demo reads them):
//   {"event":"spawned","name":"A","pid":123,"port":41234,"armed":true,"line":"worker 123 listening …"}
//   {"event":"ready","pid":100}
// Workers' stderr is this process's stderr. The workers get LIFELINE_PARENT_PID (this pid), as
// @lifeline/supervisor's spawnWorker does, so a worker that starts after this process died leaves at once.
// SIGTERM/SIGINT: stop the workers (SIGTERM, they drain), then exit. SIGKILL: the workers are orphaned —
// which is what the demo does.
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const workerScript = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'grpc-worker', 'server.mjs');
const specs = process.argv.slice(2).map((arg) => {
  const [name, mode] = arg.split(':');
  return { name, armed: mode !== 'unarmed' };
});
if (specs.length === 0) {
  console.error('usage: node examples/supervisor/supervisor.mjs <name>[:unarmed] …');
  process.exit(2);
}

const emit = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);
const workers = [];

for (const spec of specs) {
  const child = spawn(process.execPath, [workerScript, ...(spec.armed ? [] : ['--unarmed'])], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LIFELINE_PARENT_PID: String(process.pid) },
  });
  const worker = { ...spec, child, port: undefined };
  workers.push(worker);
  const lines = readline.createInterface({ input: child.stdout });
  lines.once('line', (line) => {
    const match = /listening on [^\s]*:(\d+)/.exec(line);
    if (!match) {
      emit({ event: 'error', name: spec.name, message: `unexpected first line: ${line}` });
      return;
    }
    worker.port = Number(match[1]);
    emit({ event: 'spawned', name: spec.name, pid: child.pid, port: worker.port, armed: spec.armed, line });
    if (workers.every((w) => w.port !== undefined)) emit({ event: 'ready', pid: process.pid });
  });
  child.on('exit', (code, signal) => {
    emit({ event: 'exit', name: spec.name, pid: child.pid, code, signal });
    if (workers.every((w) => w.child.exitCode !== null || w.child.signalCode !== null)) process.exit(0);
  });
}

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    for (const w of workers) w.child.kill('SIGTERM');
    setTimeout(() => {
      for (const w of workers) w.child.kill('SIGKILL');
      process.exit(1);
    }, 5000).unref();
  });
}
