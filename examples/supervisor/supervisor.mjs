// A minimal Node supervisor (think LocalAI) that spawns gRPC backend workers and keeps them, built on
// @lifeline/supervisor as an application would use it.
//
//   node examples/supervisor/supervisor.mjs A B C:unarmed
//
// Each argument is a worker name, `:unarmed` starts examples/grpc-worker/server.mjs --unarmed.
// It reports on stdout, one JSON line per event (the demo reads them):
//   {"event":"spawned","name":"A","pid":123,"port":41234,"armed":true,"line":"worker 123 listening …"}
//   {"event":"ready","pid":100}
//   {"event":"exit","name":"A","pid":123,"code":1,"signal":null}
// Workers' stderr is this process's stderr. `supervise` restarts a worker that fails (up to 3 times a
// minute); `spawnWorker` underneath gives each its own process group and LIFELINE_PARENT_PID (this pid),
// so a worker that starts after this process died leaves at once.
// SIGTERM/SIGINT: stop the workers (SIGTERM to each group, SIGKILL after 5 s), then exit. SIGKILL: the
// workers are orphaned — which is what the demo does.
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { supervise } from '@lifeline/supervisor';

const workerScript = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'grpc-worker', 'server.mjs');
const specs = process.argv.slice(2).map((arg) => {
  const [name, mode] = arg.split(':');
  return { name, armed: mode !== 'unarmed' };
});
if (specs.length === 0) {
  process.stderr.write('usage: node examples/supervisor/supervisor.mjs <name>[:unarmed] …\n');
  process.exit(2);
}

const emit = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);
const ports = new Map();

const supervisors = specs.map((spec) => {
  const supervisor = supervise(
    {
      command: process.execPath,
      args: [workerScript, ...(spec.armed ? [] : ['--unarmed'])],
      options: { stdio: ['ignore', 'pipe', 'inherit'] },
    },
    { restart: 'on-failure', maxRestarts: 3, grace: '5s' },
  );
  supervisor.on('spawn', (worker) => {
    readline.createInterface({ input: worker.child.stdout }).once('line', (line) => {
      const match = /listening on [^\s]*:(\d+)/.exec(line);
      if (!match) return emit({ event: 'error', name: spec.name, message: `unexpected first line: ${line}` });
      ports.set(spec.name, Number(match[1]));
      emit({ event: 'spawned', name: spec.name, pid: worker.pid, port: Number(match[1]), armed: spec.armed, line });
      if (ports.size === specs.length) emit({ event: 'ready', pid: process.pid });
    });
  });
  supervisor.on('exit', ({ worker, code, signal }) =>
    emit({ event: 'exit', name: spec.name, pid: worker.pid, code, signal }),
  );
  return supervisor;
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, async () => {
    await Promise.all(supervisors.map((s) => s.stop()));
    process.exit(0);
  });
}
