/**
 * Every README code block runs as written. Each JavaScript/TypeScript block of the root README and of the
 * package READMEs carries a marker on the line above its fence, `<!-- readme-test: <name> -->` (or
 * `<!-- readme-test: <name> after <other> -->` for a block that continues another); the test extracts it,
 * writes it to a file (TypeScript through esbuild's type stripping, as a user's toolchain would), puts the
 * files it names beside it (worker.js, backend.py, …) and runs the scenario of that name. Shell blocks with
 * a marker are run too, line by line. A block without a marker, a marker without a scenario, or a scenario
 * without its block fails the first test. Shell blocks left unmarked: install commands, output listings,
 * and the Bun/Deno lines (test/runtimes.test.ts runs those forms;
 * `pnpm test:consumer` runs the README's Deno line against the installed tarballs).
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, get, type Server } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { delimiter, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { transformSync } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ROOT,
  cleanup,
  exitOf,
  expectStaysAlive,
  readLines,
  readText,
  trackPid,
  waitFor,
  waitForJson,
  waitGone,
} from './helpers/process-tree.js';

const READMES = [
  'README.md',
  'packages/parent-watch/README.md',
  'packages/grpc-bootstrap/README.md',
  'packages/supervisor/README.md',
];
const RUNNABLE = /^(js|javascript|mjs|ts|typescript)$/;

interface Block {
  where: string;
  lang: string;
  code: string;
  name: string | null;
  after: string | null;
}

function extract(file: string): Block[] {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,}|~{3,})\s*(\S*)/.exec(lines[i] as string);
    if (!open) continue;
    const end = lines.findIndex((line, j) => j > i && line.startsWith(open[1] as string));
    const marker = /^<!-- readme-test: (\S+)(?: after (\S+))? -->$/.exec(lines[i - 1] ?? '');
    blocks.push({
      where: `${file}:${i + 1}`,
      lang: open[2] as string,
      code: lines.slice(i + 1, end).join('\n'),
      name: marker?.[1] ?? null,
      after: marker?.[2] ?? null,
    });
    i = end;
  }
  return blocks;
}

const BLOCKS = READMES.flatMap(extract);
const named = new Map(BLOCKS.filter((b) => b.name).map((b) => [b.name as string, b]));

/** A block as a program: the block it continues first, TypeScript stripped of its types. */
function program(name: string): string {
  const block = named.get(name);
  if (!block) throw new Error(`no README block named ${name}`);
  const code = `${block.after ? `${program(block.after)}\n` : ''}${block.code}\n`;
  return /^t/.test(block.lang) ? transformSync(code, { loader: 'ts', format: 'esm' }).code : code;
}

/** Shell lines of a block, without comments; `# or: <command>` is a line of its own. */
function shellLines(name: string): string[] {
  return (named.get(name)?.code ?? '')
    .split('\n')
    .flatMap((line) => line.split(/#\s*or:/))
    .map((line) => line.replace(/\s#.*$/, '').trim())
    .filter(Boolean);
}

// Runs happen in a folder inside the repository, so that the packages resolve as in a user's project.
const dirs: string[] = [];
function runDir(files: Record<string, string> = {}): string {
  const base = join(ROOT, 'node_modules', '.cache', 'lifeline');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, 'readme-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
const servers: Server[] = [];
afterEach(() => {
  cleanup();
  for (const server of servers.splice(0)) (server.closeAllConnections(), server.close());
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const ENV: NodeJS.ProcessEnv = {
  ...process.env,
  PATH: `${join(ROOT, 'node_modules', '.bin')}${delimiter}${process.env.PATH}`,
};
for (const key of Object.keys(ENV)) if (/^(LOCALAI_|LIFELINE_|NODE_OPTIONS$)/.test(key)) delete ENV[key];

/** test → middle → `command` (in `dir`); the middle is the supervisor the test SIGKILLs. */
async function underMiddle(dir: string, command: string, args: string[], env: Record<string, string> = {}) {
  const spec = {
    command,
    args,
    env,
    mode: 'stay',
    ipc: false,
    wrapper: false,
    stderrFile: join(dir, 'stderr'),
    stdoutFile: join(dir, 'stdout'),
    readyFile: join(dir, 'never'),
    dir,
  };
  const middle = spawn(process.execPath, [join(ROOT, 'test', 'fixtures', 'middle.mjs'), JSON.stringify(spec)], {
    cwd: dir,
    env: ENV,
    stdio: 'ignore',
  });
  trackPid(middle.pid);
  const { child } = await waitForJson<{ child: number }>(join(dir, 'middle.json'));
  trackPid(child);
  return {
    middle: middle.pid as number,
    worker: child,
    stdout: () => readText(join(dir, 'stdout')),
    stderr: () => readText(join(dir, 'stderr')),
  };
}

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const probe = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });

/** GET on 127.0.0.1:port; resolves with the body (or the error), calls `onFirstChunk` once data flows. */
function request(port: number, onFirstChunk: () => void): Promise<{ body: string; error?: string }> {
  return new Promise((resolve) => {
    let body = '';
    const req = get({ host: '127.0.0.1', port }, (res) => {
      res.once('data', onFirstChunk);
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ body }));
      res.on('error', (error) => resolve({ body, error: error.message }));
    });
    req.on('error', (error) => resolve({ body, error: error.message }));
  });
}

const accepts = (port: number) =>
  waitFor(
    `port ${port} to accept`,
    () =>
      new Promise<boolean>((resolve) => {
        const req = get({ host: '127.0.0.1', port, path: '/ping' }, (res) => (res.resume(), resolve(true)));
        req.on('error', () => resolve(false));
        req.setTimeout(500, () => (req.destroy(), resolve(false)));
      }),
    15_000,
    50,
  );

/** The stand-ins for the files a block names: they stay until killed and record that they ran. */
const IDLE_WORKER =
  "process.getBuiltinModule('node:fs').appendFileSync('started', process.pid + '\\n'); setInterval(() => {}, 1 << 30);\n";
/** A gRPC server that binds and records it: what a preload block calls worker.mjs (ESM) and worker.js (CommonJS). */
const grpcWorker = (load: string): string => `${load}
const server = new grpc.Server();
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), () => process.getBuiltinModule('node:fs').appendFileSync('started', process.pid + '\\n'));
`;
const json = {
  serialize: (v: unknown) => Buffer.from(JSON.stringify(v)),
  deserialize: (b: Buffer) => JSON.parse(b.toString()) as unknown,
};

async function echoOverGrpc(port: number): Promise<unknown> {
  const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  try {
    return await new Promise((resolve, reject) =>
      client.makeUnaryRequest('/demo.Echo/Say', json.serialize, json.deserialize, { text: 'hi' }, (error, value) =>
        error ? reject(error) : resolve(value),
      ),
    );
  } finally {
    client.close();
  }
}

const SCENARIOS: Record<string, () => Promise<void>> = {
  // The preload line, both spellings, with a worker.js beside it; control: `node worker.js` stays.
  async preload() {
    expect(shellLines('preload')).toEqual([
      'node --import @lifeline/parent-watch/register worker.js',
      'node -r @lifeline/parent-watch/register worker.js',
    ]);
    await preloadsArm('preload', { 'worker.js': IDLE_WORKER });
  },

  async 'parent-watch-preload'() {
    await preloadsArm('parent-watch-preload', { 'worker.js': IDLE_WORKER });
  },

  // The gRPC preload arms a server on its bind (a stand-in server in worker.mjs and worker.js).
  async 'grpc-preload'() {
    await preloadsArm('grpc-preload', {
      'worker.mjs': grpcWorker("import * as grpc from '@grpc/grpc-js';"),
      'worker.js': grpcWorker("const grpc = require('@grpc/grpc-js');"),
    });
  },

  // An in-flight request completes within the grace after the orphaning; control: `await server.close()`
  // (the form this README used to show) cuts it.
  async 'http-worker'() {
    const code = program('http-worker');
    const wrong = code.replace(
      /watch\.onOrphan\(\(\) => new Promise[\s\S]*?\}\)\);/,
      'watch.onOrphan(async () => await server.close());',
    );
    expect(wrong).not.toBe(code);
    const [good, bad] = await Promise.all(
      [code, wrong].map(async (text) => {
        const port = await freePort();
        const run = await underMiddle(runDir({ 'worker.mjs': text }), process.execPath, ['worker.mjs'], {
          PORT: String(port),
        });
        await accepts(port);
        let killedAt = 0;
        const response = await request(port, () => {
          killedAt = Date.now();
          process.kill(run.middle, 'SIGKILL'); // the request is in flight: its first chunk is out
        });
        const answeredMs = Date.now() - killedAt;
        return { run, response, answeredMs, goneMs: answeredMs + (await waitGone(run.worker, 15_000)) };
      }),
    );
    expect(good.response).toEqual({ body: 'working\ndone\n' }); // whole: the exit waited (within the 5 s grace)
    expect(good.run.stderr()).not.toMatch(/did not settle|deadline|uncaught/);
    expect(bad.response.body).toBe('working\n'); // cut at the orphaning
    console.info(
      `http-worker: in-flight response complete ${good.answeredMs} ms after the SIGKILL, worker gone at ${good.goneMs} ms; control cut at ${bad.answeredMs} ms`,
    );
  },

  // The fetch is aborted at the orphaning and its rejection handled; control: the unhandled form.
  async 'abortable-fetch'() {
    let requests = 0;
    const hanging = createServer(() => void requests++).listen(0, '127.0.0.1');
    servers.push(hanging);
    await new Promise((resolve) => hanging.once('listening', resolve));
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/`;
    const code = program('abortable-fetch');
    const unhandled = code.replace(
      /const response = await fetch\(([^,]+), \{ signal: watch\.signal \}\)[\s\S]*$/,
      'fetch($1, { signal: watch.signal });\n',
    );
    expect(unhandled).not.toBe(code);
    const runs = await Promise.all(
      [code, unhandled].map((text) =>
        underMiddle(runDir({ 'worker.mjs': text }), process.execPath, ['worker.mjs'], {
          URL: url,
          LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '200ms',
        }),
      ),
    );
    await waitFor('both requests to arrive', () => requests === 2);
    for (const run of runs) process.kill(run.middle, 'SIGKILL');
    for (const run of runs) await waitGone(run.worker);
    const [handled, control] = runs as [(typeof runs)[number], (typeof runs)[number]];
    expect(handled.stderr()).toMatch(/parent process \d+ is gone/);
    expect(handled.stderr()).not.toMatch(/uncaught exception/);
    expect(control.stderr()).toMatch(/uncaught exception during the orphan cleanup/);
  },

  async 'grpc-worker'() {
    await grpcServes('grpc-worker');
  },

  async 'grpc-quick-start'() {
    await grpcServes('grpc-quick-start');
  },

  // SIGTERM drains and exits 0.
  async 'grpc-drain'() {
    const dir = runDir({ 'server.mjs': program('grpc-drain') });
    const child = spawn(process.execPath, ['server.mjs'], { cwd: dir, env: ENV, stdio: ['ignore', 'pipe', 'inherit'] });
    trackPid(child.pid);
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const port = Number((await waitFor('listening', () => /listening on (\d+)/.exec(stdout)))[1]);
    expect(await echoOverGrpc(port)).toEqual({ text: 'hi' });
    child.kill('SIGTERM');
    expect(await exitOf(child)).toEqual({ code: 0, signal: null });
  },

  // The root supervisor example starts its workers and keeps supervising (a worker.js beside it).
  async supervisor() {
    const dir = runDir({ 'supervisor.mjs': program('supervisor'), 'worker.js': IDLE_WORKER });
    const child = spawn(process.execPath, ['supervisor.mjs'], {
      cwd: dir,
      env: ENV,
      stdio: ['ignore', 'ignore', openSync(join(dir, 'stderr'), 'a')],
      detached: true,
    });
    trackPid(child.pid);
    // spawnWorker's worker is stopped at once (it may not get to its first line), then supervise's starts
    await waitFor('the supervised worker to start', () => readLines(join(dir, 'started')).length >= 1, 15_000);
    for (const pid of readLines(join(dir, 'started'))) trackPid(Number(pid));
    expect(child.exitCode).toBeNull();
    expect(readText(join(dir, 'stderr'))).not.toMatch(/Error/);
  },

  // `lifeline run` with a stand-in ./llama-server: it leaves with its shim when the supervisor dies.
  async 'lifeline-cli'() {
    const [run, zombies, doctor, ...rest] = shellLines('lifeline-cli');
    expect(rest).toEqual([]);
    const dir = runDir({ 'llama-server': '#!/bin/sh\necho $$ > llama.pid\nexec sleep 1000\n' });
    chmodSync(join(dir, 'llama-server'), 0o755);
    for (const line of [zombies, doctor]) {
      const r = spawnSync('sh', ['-c', line as string], { cwd: dir, env: ENV, encoding: 'utf8', timeout: 30_000 });
      expect(r.status, `${line}: ${r.stderr}`).toBe(0);
    }
    const shim = await underMiddle(dir, 'sh', ['-c', `exec ${run}`]);
    const llama = Number(await waitFor('./llama-server to start', () => readText(join(dir, 'llama.pid')).trim()));
    trackPid(llama);
    process.kill(shim.middle, 'SIGKILL');
    await waitGone(llama, 10_000);
    await waitGone(shim.worker, 10_000);
  },

  // The close hook runs, and the server leaves.
  async 'parent-watch-quick-start'() {
    const port = await freePort();
    const run = await underMiddle(
      runDir({ 'worker.mjs': program('parent-watch-quick-start') }),
      process.execPath,
      ['worker.mjs'],
      { PORT: String(port) },
    );
    await accepts(port);
    process.kill(run.middle, 'SIGKILL');
    await waitGone(run.worker);
    expect(run.stderr()).toMatch(/is gone: closing the server/);
  },

  async 'supervisor-quick-start'() {
    await runsToTheEnd('supervisor-quick-start', { 'backend.py': 'import time\nwhile True:\n    time.sleep(1)\n' });
  },

  // arm: true: the worker.js beside it loads no watcher, and still leaves when the supervisor is SIGKILLed.
  // Control: the same block without arm: true, whose worker stays.
  async 'supervisor-arm'() {
    const code = program('supervisor-arm');
    expect(code).toContain(', { arm: true }');
    const runs = await Promise.all(
      [code, code.replace(', { arm: true }', '')].map(async (text) => {
        const dir = runDir({ 'supervisor.mjs': text, 'worker.js': IDLE_WORKER });
        const supervisor = spawn(process.execPath, ['supervisor.mjs'], { cwd: dir, env: ENV, stdio: 'ignore' });
        trackPid(supervisor.pid);
        const worker = Number(await waitFor('the worker to start', () => readLines(join(dir, 'started'))[0], 15_000));
        trackPid(worker);
        return { supervisor, worker };
      }),
    );
    for (const { supervisor } of runs) supervisor.kill('SIGKILL');
    await waitGone((runs[0] as (typeof runs)[number]).worker);
    await expectStaysAlive((runs[1] as (typeof runs)[number]).worker, 1000);
  },

  async 'supervise-events'() {
    await runsToTheEnd('supervise-events', { 'server.js': IDLE_WORKER });
  },
};

/**
 * Each line of a preload block, with the files it names beside it, under a middle that is SIGKILLed: the
 * worker leaves with the orphan line. Control: the same worker without the preload (`node <file>`) stays.
 */
async function preloadsArm(name: string, files: Record<string, string>): Promise<void> {
  const lines = shellLines(name);
  expect(lines.length).toBeGreaterThan(0);
  const control = `node ${(lines[0] as string).split(' ').at(-1)}`;
  const runs = await Promise.all(
    [...lines, control].map(async (line) => {
      const dir = runDir(files);
      const run = await underMiddle(dir, 'sh', ['-c', `exec ${line}`], {
        LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '200ms',
      });
      await waitFor(`${line} to start`, () => readLines(join(dir, 'started')).length === 1, 15_000);
      return run;
    }),
  );
  for (const run of runs) process.kill(run.middle, 'SIGKILL');
  const unarmed = runs.pop() as (typeof runs)[number];
  for (const run of runs) {
    await waitGone(run.worker);
    expect(run.stderr()).toMatch(/parent process \d+ is gone .*exiting with code 1/);
  }
  await expectStaysAlive(unarmed.worker, 1000);
}

/** A gRPC block: it listens, answers, and is armed (it leaves when its supervisor is SIGKILLed). */
async function grpcServes(name: string): Promise<void> {
  const run = await underMiddle(runDir({ 'server.mjs': program(name) }), process.execPath, ['server.mjs'], {
    LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '200ms',
  });
  const port = Number((await waitFor('listening', () => /listening on (\d+)/.exec(run.stdout()), 15_000))[1]);
  expect(await echoOverGrpc(port)).toEqual({ text: 'hi' });
  process.kill(run.middle, 'SIGKILL');
  await waitGone(run.worker);
}

/** A block that starts something and stops it: it exits 0 on its own, with nothing on stderr. */
async function runsToTheEnd(name: string, files: Record<string, string>): Promise<void> {
  const dir = runDir({ 'main.mjs': program(name), ...files });
  const child = spawn(process.execPath, ['main.mjs'], {
    cwd: dir,
    env: ENV,
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  trackPid(child.pid);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  expect(await exitOf(child), stderr).toEqual({ code: 0, signal: null });
  expect(stderr).toBe('');
}

describe.runIf(process.platform === 'linux')('README code blocks', () => {
  it('every JavaScript/TypeScript block is marked, every marker has its scenario and every scenario its block', () => {
    expect(BLOCKS.filter((b) => RUNNABLE.test(b.lang) && !b.name).map((b) => b.where)).toEqual([]);
    expect([...named.keys()].filter((name) => !(name in SCENARIOS))).toEqual([]);
    expect(Object.keys(SCENARIOS).filter((name) => !named.has(name))).toEqual([]);
  });

  for (const name of Object.keys(SCENARIOS)) {
    it(
      `${name} (${named.get(name)?.where ?? 'missing'}) runs as written`,
      SCENARIOS[name] as () => Promise<void>,
      60_000,
    );
  }
});
