#!/usr/bin/env node
// Consumer test (pnpm test:consumer; CI runs it after the package checks): the packages as npm users get
// them. Builds, packs each published package with `pnpm pack`, installs the tarballs with plain
// `npm install` into a new project under the OS temp folder (outside the workspace: no workspace links,
// no hoisted devDependencies), then checks what a user does with them:
//
//  - the installed manifests: no `workspace:` range left, LICENSE and README shipped, and
//    @lifeline/parent-watch taken from its tarball (not fetched from the registry);
//  - `import` and `require` of every entry, with the same export names in both builds;
//  - the preloads, end to end: a worker started with `--import` / `-r` of a register entry, whose
//    parent is SIGKILLed, must print the orphan line and leave (without the preload it would linger);
//  - the `lifeline` bin: `npx lifeline --version`, `lifeline doctor --json --no-probe`;
//  - the preload by the absolute path doctor prints, from a folder outside the project, and the README's
//    Deno line as written (the preload given by path: `npm:` does not match a tarball install);
//  - `tsc --noEmit` of a file importing every entry under module commonjs + node10 resolution, node16
//    (.cts and .mts) and bundler resolution; an export typed `any` (what an unresolved declaration
//    import becomes under skipLibCheck) fails the check.
//
// One line per check; exits 1 at the first failure, keeping the temp project for a look (`--keep`
// keeps it after a success too).
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  mkdirSync,
  realpathSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const keep = process.argv.includes('--keep');
const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const PACKAGES = ['parent-watch', 'grpc-bootstrap', 'supervisor'];
/** Entry → the functions it must export (register entries export nothing). */
const ENTRIES = {
  '@lifeline/parent-watch': ['watchParent', 'resolveConfig', 'explainWatch', 'parseDuration'],
  '@lifeline/parent-watch/register': [],
  '@lifeline/parent-watch/proc': ['parseStat', 'readStat', 'processState', 'isRunning', 'listProcesses'],
  '@lifeline/grpc-bootstrap': ['createServer', 'armServer', 'drainServer'],
  '@lifeline/grpc-bootstrap/register': [],
  '@lifeline/supervisor': ['isRunning', 'processState', 'listZombies', 'spawnWorker', 'supervise', 'killZombieParents'],
};
/** What the consumer installs beside the tarballs: the workspace's own versions. */
const devVersion = (name) => `${name}@${rootManifest.devDependencies[name]}`;
const EXTRA = ['@grpc/grpc-js', 'typescript', '@types/node'].map(devVersion);

const temp = realpathSync(mkdtempSync(join(tmpdir(), 'lifeline-consumer-')));
const tarballs = join(temp, 'tarballs');
const app = join(temp, 'app');
if (!relative(root, temp).startsWith('..')) fail('setup', `the temp folder ${temp} is inside the workspace`);

// The consumer's environment: nothing inherited from the pnpm script that started us (its user agent,
// its node_modules/.bin on PATH) and no watcher settings from this shell.
const inherited =
  /^(npm_(config_user_agent|config_node_gyp|execpath|node_execpath|command|lifecycle_\w+|package_\w+)|pnpm_config_\w+|PNPM_\w+|INIT_CWD|LOCALAI_BACKEND_PARENT_WATCH\w*|LIFELINE_\w+|DEBUG|NODE_OPTIONS)$/;
const consumerEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !inherited.test(key)));
consumerEnv.PATH = (process.env.PATH ?? '')
  .split(delimiter)
  .filter((dir) => dir && !(dir + sep).startsWith(root + sep))
  .join(delimiter);

let count = 0;
const started = Date.now();
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function fail(name, message) {
  console.log(`not ok ${++count} ${name}`);
  console.log(
    String(message)
      .trim()
      .split('\n')
      .map((line) => `    ${line}`)
      .join('\n'),
  );
  console.log(`consumer test: failed after ${seconds(Date.now() - started)}; the temp project is kept in ${temp}`);
  process.exit(1);
}

/** Runs one check; its function returns an optional detail for the line, or throws. */
async function check(name, fn) {
  const t = Date.now();
  let detail;
  try {
    detail = await fn();
  } catch (error) {
    fail(name, error?.message ?? error);
  }
  console.log(`ok ${++count} ${name}${detail ? ` — ${detail}` : ''} (${seconds(Date.now() - t)})`);
}

/** spawnSync that throws with the output when the command fails. */
function run(command, args, { cwd = app, env = consumerEnv, timeout = 300_000 } = {}) {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 });
  if (result.error || result.status !== 0) {
    const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(
      `${command} ${args.join(' ')} (in ${cwd}) ${result.error ? result.error.message : `exited with ${result.status ?? result.signal}`}\n${output}`,
    );
  }
  return result.stdout;
}

const write = (path, text) => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
};

// --- build, pack, install -------------------------------------------------------------------------

await check('pnpm build', () => {
  run('pnpm', ['build'], { cwd: root, env: process.env });
});

const packed = {};
for (const name of PACKAGES) {
  await check(`pnpm pack @lifeline/${name}`, () => {
    const before = new Set(existsSync(tarballs) ? readdirSync(tarballs) : []);
    run('pnpm', ['pack', '--pack-destination', tarballs], { cwd: join(root, 'packages', name), env: process.env });
    const file = readdirSync(tarballs).find((f) => !before.has(f) && f.endsWith('.tgz'));
    if (!file) throw new Error(`no new tarball in ${tarballs}`);
    packed[name] = join(tarballs, file);
    return file;
  });
}

write(
  join(app, 'package.json'),
  `${JSON.stringify({ name: 'lifeline-consumer', version: '1.0.0', private: true }, null, 2)}\n`,
);

await check(`npm install (3 tarballs, ${EXTRA.join(', ')})`, () => {
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...PACKAGES.map((n) => packed[n]), ...EXTRA]);
  return `npm ${run('npm', ['--version']).trim()}`;
});

await check(
  'installed manifests: no workspace: ranges, LICENSE and README shipped, parent-watch from its tarball',
  () => {
    for (const name of PACKAGES) {
      const dir = join(app, 'node_modules', '@lifeline', name);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies']) {
        for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
          if (String(range).startsWith('workspace:'))
            throw new Error(`${manifest.name}: ${field}["${dep}"] = "${range}"`);
        }
      }
      for (const file of ['LICENSE', 'README.md']) {
        if (!existsSync(join(dir, file))) throw new Error(`${manifest.name}: no ${file} in the tarball`);
      }
      if (manifest.repository?.url !== rootManifest.repository.url)
        throw new Error(`${manifest.name}: repository.url ${manifest.repository?.url}`);
    }
    const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8')).packages;
    const copies = Object.keys(lock).filter((path) => path.endsWith('node_modules/@lifeline/parent-watch'));
    const resolved = lock['node_modules/@lifeline/parent-watch']?.resolved ?? '';
    if (copies.length !== 1 || !resolved.startsWith('file:')) {
      throw new Error(
        `@lifeline/parent-watch: ${copies.length} copies, resolved from ${resolved || '?'} (expected one, from the tarball)`,
      );
    }
  },
);

// --- import and require ---------------------------------------------------------------------------

write(
  join(app, 'checks', 'load.mjs'),
  `const [entry, ...names] = process.argv.slice(2);
const m = await import(entry);
const missing = names.filter((name) => typeof m[name] !== 'function');
if (missing.length) throw new Error(entry + ' has no function ' + missing.join(', '));
console.log(JSON.stringify(Object.keys(m).filter((k) => k !== 'default').sort()));
`,
);
write(
  join(app, 'checks', 'load.cjs'),
  `const [entry, ...names] = process.argv.slice(2);
const m = require(entry);
const missing = names.filter((name) => typeof m[name] !== 'function');
if (missing.length) throw new Error(entry + ' has no function ' + missing.join(', '));
console.log(JSON.stringify(Object.keys(m).filter((k) => k !== 'default' && k !== '__esModule').sort()));
`,
);

for (const [entry, names] of Object.entries(ENTRIES)) {
  let esm;
  await check(`import ${entry}`, () => {
    esm = run(process.execPath, [join(app, 'checks', 'load.mjs'), entry, ...names]).trim();
    return `${JSON.parse(esm).length} exports`;
  });
  await check(`require ${entry}`, () => {
    const cjs = run(process.execPath, [join(app, 'checks', 'load.cjs'), entry, ...names]).trim();
    if (cjs !== esm) throw new Error(`CommonJS exports ${cjs}\nESM exports ${esm}`);
    return 'same exports as ESM';
  });
}

// --- preloads, end to end -------------------------------------------------------------------------

// middle.cjs starts the worker (node, or MIDDLE_COMMAND), waits for its "ready" line, prints the worker's pid and SIGKILLs itself.
// The worker inherits our stderr pipe, so the pipe closes only when the worker is gone too.
write(
  join(app, 'checks', 'middle.cjs'),
  `const { spawn } = require('node:child_process');
const worker = spawn(process.env.MIDDLE_COMMAND || process.execPath, process.argv.slice(2), { stdio: ['ignore', 'pipe', 'inherit'] });
worker.stdout.once('data', () => process.stdout.write(worker.pid + '\\n', () => process.kill(process.pid, 'SIGKILL')));
worker.once('exit', (code, signal) => {
  process.stderr.write('worker exited before it was ready: ' + (code ?? signal) + '\\n');
  process.exit(1);
});
`,
);
const grpcWorker = (importLine) => `${importLine}
const server = new grpc.Server();
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error) => {
  if (error) throw error;
  process.stdout.write('ready\\n'); // bound, so armed by the preload; the server keeps the process alive
});
`;
write(join(app, 'checks', 'grpc-worker.mjs'), grpcWorker(`import * as grpc from '@grpc/grpc-js';`));
write(join(app, 'checks', 'grpc-worker.cjs'), grpcWorker(`const grpc = require('@grpc/grpc-js');`));
const IDLE = "setInterval(() => {}, 1000); process.stdout.write('ready\\n');";
const BUSY = "process.stdout.write('ready\\n'); for (;;);"; // a blocked event loop: only thread mode gets out

function orphan(workerArgs, extraEnv = {}, { command, cwd = app } = {}) {
  return new Promise((resolve, reject) => {
    const env = {
      ...consumerEnv,
      LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '100ms',
      ...extraEnv,
      ...(command ? { MIDDLE_COMMAND: command } : {}),
    };
    const middle = spawn(process.execPath, [join(app, 'checks', 'middle.cjs'), ...workerArgs], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let orphanedAt;
    middle.stdout.on('data', (chunk) => (stdout += chunk));
    middle.stderr.on('data', (chunk) => (stderr += chunk));
    middle.once('exit', () => (orphanedAt = Date.now()));
    const timer = setTimeout(() => {
      const pid = Number.parseInt(stdout, 10);
      if (pid > 0) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      reject(new Error(`the worker (pid ${pid || '?'}) was still running 10 s after its parent was killed\n${stderr}`));
    }, 10_000);
    middle.once('close', () => {
      clearTimeout(timer);
      const workerPid = Number.parseInt(stdout, 10);
      const line = stderr
        .split('\n')
        .find((l) => l.startsWith(`lifeline[${workerPid}]: parent process ${middle.pid} is gone`));
      if (!workerPid || !line) return reject(new Error(`no orphan line from the worker on stderr:\n${stderr}`));
      resolve(`gone ${Date.now() - orphanedAt} ms after its parent: "${line}"`);
    });
  });
}

await check('node --import @lifeline/parent-watch/register -e …: an orphaned worker leaves', () =>
  orphan(['--import', '@lifeline/parent-watch/register', '-e', IDLE]),
);
await check('node -r @lifeline/parent-watch/register -e …: an orphaned worker leaves', () =>
  orphan(['-r', '@lifeline/parent-watch/register', '-e', IDLE]),
);
await check('node --import @lifeline/parent-watch/register, thread mode, blocked event loop: leaves', () =>
  orphan(['--import', '@lifeline/parent-watch/register', '-e', BUSY], {
    LIFELINE_PARENT_WATCH_THREAD: '1',
    LIFELINE_PARENT_WATCH_GRACE: '300ms',
  }),
);
await check('node --import @lifeline/grpc-bootstrap/register grpc-worker.mjs: an orphaned server leaves', () =>
  orphan(['--import', '@lifeline/grpc-bootstrap/register', join(app, 'checks', 'grpc-worker.mjs')]),
);
await check('node -r @lifeline/grpc-bootstrap/register grpc-worker.cjs: an orphaned server leaves', () =>
  orphan(['-r', '@lifeline/grpc-bootstrap/register', join(app, 'checks', 'grpc-worker.cjs')]),
);

// --- the lifeline bin -----------------------------------------------------------------------------

const supervisorVersion = JSON.parse(
  readFileSync(join(root, 'packages', 'supervisor', 'package.json'), 'utf8'),
).version;
await check('npx lifeline --version', () => {
  const version = run('npx', ['--no', '--', 'lifeline', '--version']).trim(); // --no: never fetch it
  if (version !== supervisorVersion)
    throw new Error(`printed ${JSON.stringify(version)}, expected ${supervisorVersion}`);
  return version;
});
await check('lifeline doctor --json --no-probe', () => {
  const report = JSON.parse(run(join(app, 'node_modules', '.bin', 'lifeline'), ['doctor', '--json', '--no-probe']));
  if (report.ppid !== process.pid || typeof report.pid !== 'number')
    throw new Error(`unexpected report: ${JSON.stringify(report).slice(0, 300)}`);
  return `pid ${report.pid}, ppid ${report.ppid}`;
});

// --- the preload from another directory, and the README's Deno line ---------------------------------

// A launcher started elsewhere (PM2, a service manager) cannot resolve the bare name: the absolute path
// that `lifeline doctor` prints (docs/launchers.md) must arm a worker from a folder with no node_modules.
const elsewhere = join(temp, 'elsewhere');
mkdirSync(elsewhere, { recursive: true });
const doctorPreload = () =>
  JSON.parse(run(join(app, 'node_modules', '.bin', 'lifeline'), ['doctor', '--json', '--no-probe'])).preload;
await check(
  'lifeline doctor: the preload by absolute path, from another directory (--import): an orphaned worker leaves',
  async () => {
    const preload = doctorPreload();
    if (!preload?.import?.startsWith(join(app, 'node_modules')))
      throw new Error(`preload ${JSON.stringify(preload)} is not the installed package's`);
    return orphan(['--import', preload.import, '-e', IDLE], {}, { cwd: elsewhere });
  },
);
await check(
  'lifeline doctor: the preload by absolute path, from another directory (-r): an orphaned worker leaves',
  () => orphan(['-r', doctorPreload().require, '-e', IDLE], {}, { cwd: elsewhere }),
);

// The README's Deno line as written (its `deno` is the binary itself, here the workspace's deno-runtime).
const denoLine = /^deno run .*$/m.exec(readFileSync(join(root, 'README.md'), 'utf8'))?.[0].replace(/\s+#.*$/, '');
const denoDir = dirname(createRequire(join(root, 'package.json')).resolve('deno-runtime/package.json'));
await check(`README: ${denoLine}: an orphaned worker leaves`, async () => {
  if (!denoLine) throw new Error('no `deno run` line in README.md');
  if (!existsSync(join(denoDir, 'deno'))) return 'skipped: the optional deno binary did not install';
  write(join(app, 'app.js'), IDLE);
  return orphan(denoLine.split(/\s+/).slice(1), {}, { command: join(denoDir, 'deno') });
});
await check(
  'deno run --preload npm:@lifeline/parent-watch/register: refused for a tarball install (why the README gives the path)',
  () => {
    if (!existsSync(join(denoDir, 'deno'))) return 'skipped: the optional deno binary did not install';
    const r = spawnSync(
      join(denoDir, 'deno'),
      ['run', '-A', '--preload', 'npm:@lifeline/parent-watch/register', 'app.js'],
      { cwd: app, env: consumerEnv, encoding: 'utf8', timeout: 60_000 },
    );
    if (r.status === 0 || !r.stderr.includes('Could not find a matching package'))
      throw new Error(`expected Deno to refuse it: ${r.status}\n${r.stderr}`);
    return 'Could not find a matching package';
  },
);

// --- TypeScript -----------------------------------------------------------------------------------

const consumerTs = `// Every entry, as a TypeScript user imports it. Nothing may be \`any\`.
import { watchParent, resolveConfig, parseDuration, type ParentWatch, type WatchParentOptions } from '@lifeline/parent-watch';
import { isRunning as procIsRunning, parseStat, readStat, processState as procState, listProcesses } from '@lifeline/parent-watch/proc';
import '@lifeline/parent-watch/register';
import { createServer, armServer, drainServer, type DrainResult } from '@lifeline/grpc-bootstrap';
import '@lifeline/grpc-bootstrap/register';
import { isRunning, processState, listZombies, spawnWorker, supervise, killZombieParents, type WorkerProcess } from '@lifeline/supervisor';

type IsAny<T> = 0 extends 1 & T ? true : false;
type NotAny<T> = IsAny<T> extends true ? false : true;
type Assert<T extends true> = T;

export type Typed = [
  Assert<NotAny<typeof watchParent>>, Assert<NotAny<typeof resolveConfig>>, Assert<NotAny<typeof parseDuration>>,
  Assert<NotAny<ParentWatch>>, Assert<NotAny<WatchParentOptions>>,
  Assert<NotAny<typeof procIsRunning>>, Assert<NotAny<typeof parseStat>>, Assert<NotAny<typeof readStat>>,
  Assert<NotAny<typeof procState>>, Assert<NotAny<typeof listProcesses>>,
  Assert<NotAny<typeof createServer>>, Assert<NotAny<typeof armServer>>, Assert<NotAny<typeof drainServer>>,
  Assert<NotAny<DrainResult>>,
  Assert<NotAny<typeof isRunning>>, Assert<NotAny<typeof processState>>, Assert<NotAny<typeof listZombies>>,
  Assert<NotAny<typeof spawnWorker>>, Assert<NotAny<typeof supervise>>, Assert<NotAny<typeof killZombieParents>>,
  Assert<NotAny<WorkerProcess>>,
];

const running: boolean = isRunning(process.pid);
// @ts-expect-error a pid is a number (were isRunning \`any\`, this directive would be unused: an error)
isRunning('1');
const watch: ParentWatch = watchParent({ interval: '1s' });
const worker: WorkerProcess = spawnWorker('node', ['-e', '0']);
const drained: Promise<DrainResult> = drainServer(createServer(), { grace: 1000 });
export { running, watch, worker, drained };
`;
const common = { strict: true, noEmit: true, skipLibCheck: false, types: ['node'], noUncheckedSideEffectImports: true };
const configs = {
  // TypeScript 6 resolves `module: commonjs` with bundler rules unless node10 is asked for, and
  // deprecates node10 (hence ignoreDeprecations): this is the resolution of TypeScript < 5 users.
  node10: {
    title: 'module commonjs, moduleResolution node10',
    files: ['consumer.ts'],
    compilerOptions: { ...common, module: 'commonjs', moduleResolution: 'node10', ignoreDeprecations: '6.0' },
  },
  node16: {
    title: 'module node16 (.cts and .mts)',
    files: ['consumer.cts', 'consumer.mts'],
    compilerOptions: { ...common, module: 'node16', moduleResolution: 'node16' },
  },
  bundler: {
    title: 'module esnext, moduleResolution bundler',
    files: ['consumer.ts'],
    compilerOptions: { ...common, module: 'esnext', moduleResolution: 'bundler' },
  },
};
for (const file of ['consumer.ts', 'consumer.cts', 'consumer.mts']) write(join(app, 'types', file), consumerTs);
const tsc = join(app, 'node_modules', 'typescript', 'bin', 'tsc');
const tsVersion = JSON.parse(readFileSync(join(app, 'node_modules', 'typescript', 'package.json'), 'utf8')).version;
for (const [name, { title, ...config }] of Object.entries(configs)) {
  const file = join(app, 'types', `tsconfig.${name}.json`);
  write(file, `${JSON.stringify(config, null, 2)}\n`);
  await check(`tsc --noEmit, ${title}`, () => {
    run(process.execPath, [tsc, '-p', file]);
    return `TypeScript ${tsVersion}`;
  });
}

if (keep) console.log(`consumer test: the temp project is kept in ${temp} (--keep)`);
else rmSync(temp, { recursive: true, force: true });
console.log(`consumer test: ${count} checks passed in ${seconds(Date.now() - started)}`);
