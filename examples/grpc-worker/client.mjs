// Calls a worker: node examples/grpc-worker/client.mjs <port> [prompt]
import { connect } from './backend.mjs';

const [port, ...words] = process.argv.slice(2);
if (!port) {
  console.error('usage: node examples/grpc-worker/client.mjs <port> [prompt]');
  process.exit(2);
}
const prompt = words.join(' ') || 'tell me about orphaned processes';
const client = connect(Number(port));

client.predict({ prompt }, (error, reply) => {
  if (error) {
    console.error(`Predict failed: ${error.message}`);
    process.exit(1);
  }
  console.log(`Predict → ${reply.message}`);
  const stream = client.predictStream({ prompt });
  const tokens = [];
  stream.on('data', (reply) => tokens.push(reply.message));
  stream.on('error', (error) => {
    console.error(`PredictStream failed: ${error.message}`);
    process.exit(1);
  });
  stream.on('end', () => {
    console.log(`PredictStream → ${tokens.join(' | ')}`);
    client.close();
  });
});
