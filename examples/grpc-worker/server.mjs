// A gRPC backend worker started through @lifeline/grpc-bootstrap's createServer.
//
//   node examples/grpc-worker/server.mjs [--port 50051] [--unarmed]
//
// Prints one line with its port. Armed (the default), it leaves on its own when its supervisor dies:
// health NOT_SERVING → tryShutdown → forceShutdown at the grace deadline → exit 1.
// --unarmed passes `parentWatch: false`: the same worker, without the watcher (the demo's control).
// The watcher's settings come from the environment (LOCALAI_BACKEND_PARENT_WATCH_INTERVAL, default 2s;
// LIFELINE_PARENT_WATCH_GRACE, default 3s).
import * as grpc from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { armServer, createServer, drainServer } from '@lifeline/grpc-bootstrap';
import { Backend, SERVICE_NAME } from './backend.mjs';

const args = process.argv.slice(2);
const armed = !args.includes('--unarmed');
const portIndex = args.indexOf('--port');
const port = portIndex >= 0 ? Number(args[portIndex + 1]) : 0;

const health = new HealthImplementation({ '': 'NOT_SERVING', [SERVICE_NAME]: 'NOT_SERVING' });
const server = createServer({ health, parentWatch: armed ? {} : false });

server.addService(Backend.service, {
  predict(call, callback) {
    callback(null, { message: `You said: ${call.request.prompt}` });
  },
  predictStream(call) {
    const words = (call.request.prompt || 'hello from a lifeline worker').split(/\s+/);
    let i = 0;
    const timer = setInterval(() => {
      if (!call.request.endless && i >= words.length) {
        clearInterval(timer);
        call.end();
        return;
      }
      call.write({ message: words[i++ % words.length] });
    }, 100);
    call.on('cancelled', () => clearInterval(timer));
  },
});

server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (error, boundPort) => {
  if (error) {
    console.error(`worker ${process.pid}: cannot bind 127.0.0.1:${port}: ${error.message}`);
    process.exit(2);
  }
  health.setStatus(SERVICE_NAME, 'SERVING');
  health.setStatus('', 'SERVING');
  // Already armed by createServer's bindAsync; armServer returns the same watcher, to print its settings.
  const how = armed
    ? (() => {
        const watch = armServer(server);
        return `armed: parent watch ${watch.state}, every ${watch.intervalMs}ms, grace ${watch.graceMs}ms`;
      })()
    : 'not armed: parentWatch false';
  console.log(`worker ${process.pid} listening on 127.0.0.1:${boundPort} (${how})`);
});

// An orderly stop from the supervisor: the same bounded drain, then exit 0.
process.once('SIGTERM', () => {
  drainServer(server, { health, grace: 2000 }).then(() => process.exit(0));
});
