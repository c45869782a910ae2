// What only the gRPC tests need: their tree's settings and observations, their timing bounds and the port
// check. The tree itself (test → middle, the "supervisor" SIGKILLed by the test → worker), waiting and the
// cleanup registry come from the shared ../../../test/helpers/process-tree.ts.
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  readLines,
  startTree as startProcessTree,
  waitFor,
  waitGone,
  type Tree as ProcessTree,
} from '../../../test/helpers/process-tree.js';

export const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** Short settings so the file runs quickly; bounds below are generous on purpose. */
export const INTERVAL_MS = 100;
export const GRACE_MS = 1000;
export const SLACK_MS = 2000;
/** The asserted bound: a worker is gone this long after its parent was SIGKILLed. */
export const GONE_WITHIN_MS = INTERVAL_MS + GRACE_MS + SLACK_MS;

export interface Ready {
  pid: number;
  ppid: number;
  port: number;
  [key: string]: unknown;
}

export interface Tree extends ProcessTree {
  /** The worker's node arguments, for messages. */
  label: string;
  worker: Ready;
  /** Lines of observations.log: `<epoch ms> <what>`. */
  observations(): { at: number; what: string }[];
}

/**
 * Start middle → worker (`node <nodeArgs...>` in the fixtures folder, its files in the tree's directory,
 * FIXTURE_DIR) and wait for the worker's ready.json. Everything started is tracked: the test file's
 * afterEach(cleanup) SIGKILLs it. `env` values of `undefined` remove a variable.
 */
export async function startTree(nodeArgs: string[], env: Record<string, string | undefined> = {}): Promise<Tree> {
  const settings: Record<string, string | undefined> = {
    LOCALAI_BACKEND_PARENT_WATCH: undefined,
    LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: `${INTERVAL_MS}ms`,
    LIFELINE_PARENT_WATCH_GRACE: `${GRACE_MS}ms`,
    LIFELINE_PARENT_PID: undefined,
    LIFELINE_PARENT_WATCH_THREAD: undefined,
    NODE_OPTIONS: undefined,
    ...env,
  };
  const tree = await startProcessTree({
    worker: nodeArgs,
    cwd: fixtures,
    env: Object.fromEntries(Object.entries(settings).map(([key, value]) => [key, value ?? null])),
    readyTimeoutMs: 15_000,
  });
  return {
    ...tree,
    label: nodeArgs.join(' '),
    worker: tree.ready as Ready,
    observations: () =>
      readLines(path.join(tree.dir, 'observations.log')).map((line) => {
        const space = line.indexOf(' ');
        return { at: Number(line.slice(0, space)), what: line.slice(space + 1) };
      }),
  };
}

/** SIGKILL the middle (the worker's parent) and return when it happened. */
export function killParent(tree: Tree): number {
  tree.middle.kill('SIGKILL');
  return Date.now();
}
/** Resolve true when a fresh TCP server can listen on 127.0.0.1:port (then close it). */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host: '127.0.0.1', port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** Wait until `pid` is gone, then until its port is free. Returns both moments. */
export async function waitGoneAndFree(
  pid: number,
  port: number,
  since: number,
): Promise<{ goneMs: number; freeMs: number }> {
  await waitGone(pid, GONE_WITHIN_MS, 5);
  const goneMs = Date.now() - since;
  await waitFor(`port ${port} to be free`, () => portFree(port), 1000, 10);
  return { goneMs, freeMs: Date.now() - since };
}
