// Loads backend.proto with @grpc/proto-loader; shared by the worker, the client and the demo.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROTO_PATH = path.join(path.dirname(fileURLToPath(import.meta.url)), 'backend.proto');
export const SERVICE_NAME = 'lifeline.examples.Backend';

const definition = protoLoader.loadSync(PROTO_PATH, { keepCase: true, defaults: true });

/** The generated client constructor; its `service` is the service definition for `addService`. */
export const Backend = grpc.loadPackageDefinition(definition).lifeline.examples.Backend;

/** A client for the worker on 127.0.0.1:<port>. */
export function connect(port) {
  return new Backend(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}
