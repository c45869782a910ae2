/**
 * The register preload's light watcher: with only LocalAI's two variables set, the preload arms a timer
 * (and, from the first turn, the stdio and IPC hints) and leaves the full watcher unloaded; the full one takes over — with the ppid captured
 * at start — when the application calls watchParent(), or when the light one sees the parent go. Any
 * other variable loads the full watcher at start, as before. Each "it leaves" has a control that stays.
 */
import { fork, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'acorn';
import { afterEach, describe, expect, it } from 'vitest';
import { calledAtStart } from '../build/eager-start.js';
import {
  IMPORT_REGISTER,
  REQUIRE_REGISTER,
  ROOT,
  cleanup,
  exitOf,
  expectStaysAlive,
  fixture,
  gone,
  startTree,
  trackPid,
  waitFor,
  waitForJson,
  waitGone,
} from '../../../test/helpers/process-tree.js';

const FAST = { LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '100ms' };
const LINGER_MS = 1500;
const DIST = join(ROOT, 'packages/parent-watch/dist');

afterEach(cleanup);

/** Run the preload probe under `preload` with `env` added to a clean environment. */
function probe(preload: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [...preload, fixture('preload-probe.mjs')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return {
    status: run.status,
    stderr: run.stderr,
    probe: JSON.parse(run.stdout) as { state: string; light: boolean; thread: boolean },
  };
}

describe.runIf(process.platform === 'linux')('the register preload is light at start', () => {
  it.each([
    ['--import', IMPORT_REGISTER],
    ['-r', REQUIRE_REGISTER],
  ])(
    "%s: LocalAI's variables, the stdio and stdin switches only → the light watcher watches, the full one is not loaded",
    (_flag, preload) => {
      const envs: Record<string, string>[] = [
        {},
        { LOCALAI_BACKEND_PARENT_WATCH: 'yes', LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '1m30s' },
        { LIFELINE_PARENT_WATCH_STDIN: '1', LIFELINE_PARENT_WATCH_STDIO: 'off' },
      ];
      for (const env of envs) {
        const r = probe(preload, env);
        expect(r.status, r.stderr).toBe(3);
        expect(r.stderr).toBe('');
        expect(r.probe).toEqual({ state: 'watching', reasonCode: null, thread: false, light: true });
      }
      // Switched off: nothing runs, and nothing is loaded either.
      expect(probe(preload, { LOCALAI_BACKEND_PARENT_WATCH: 'off' }).probe).toMatchObject({
        state: 'disabled',
        light: true,
      });
    },
  );

  it.each([
    ['LIFELINE_PARENT_WATCH_GRACE', '5s'],
    ['LIFELINE_PARENT_WATCH_THREAD', '0'],
    ['LIFELINE_PARENT_WATCH_RAISE', 'SIGTERM'],
    ['LIFELINE_PARENT_FD', '9'],
    ['DEBUG', 'other:*'],
    ['LIFELINE_PARENT_WATCH_STDIN', 'eof'], // unrecognised: the full watcher warns about it
  ])('%s set → the full watcher arms at start', (name, value) => {
    const r = probe(IMPORT_REGISTER, { [name]: value });
    expect(r.status, r.stderr).toBe(3);
    expect(r.probe).toMatchObject({ state: 'watching', light: false });
  });

  it("an IPC channel → the light watcher, which listens to its 'disconnect' without holding the process", async () => {
    const child = fork(fixture('preload-probe.mjs'), [], {
      cwd: ROOT,
      execArgv: IMPORT_REGISTER,
      env: { PATH: process.env.PATH },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    trackPid(child.pid);
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => void (out += chunk.toString()));
    // The probe's work ends at once: it leaves by itself (code 3), its parent and channel alive.
    expect(await exitOf(child)).toEqual({ code: 3, signal: null });
    expect(JSON.parse(out)).toMatchObject({ state: 'watching', light: true });
  });

  it('an interval in a long form ("2 seconds") → the full watcher reads it (only it bundles `ms`), silently', () => {
    const r = probe(IMPORT_REGISTER, { LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '2 seconds' });
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr).toBe('');
    expect(r.probe).toMatchObject({ state: 'watching', light: false });
  });

  it('an unusable interval → the full watcher arms at start and warns once, naming the variable', () => {
    const r = probe(REQUIRE_REGISTER, { LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: 'soon' });
    expect(r.probe).toMatchObject({ state: 'watching', light: false });
    expect(r.stderr).toMatch(
      /warning: LOCALAI_BACKEND_PARENT_WATCH_INTERVAL="soon" is not a duration; using the default 2s/,
    );
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

// The start file's rare paths are in the run half's file (light-later.ts; tsup.config.ts makes them stubs).
describe.runIf(process.platform === 'linux')('the start file leaves its rare paths to the run half', () => {
  /** Which of the package's files are loaded when the application's first line runs, and the chain's wrappers. */
  const APP = `const light = globalThis[Symbol.for('lifeline.parent-watch.v1')].light;
    const files = Object.keys(require.cache).filter((k) => k.includes('parent-watch/dist')).map((k) => k.replace(/.*dist\\//, ''));
    console.log(JSON.stringify({ files, watching: light.watching, wrappers: light.chain?.links.map((l) => l.wrapper) }));`;
  const start = (command: string, args: string[], env: Record<string, string> = {}) => {
    const r = spawnSync(command, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as { files: string[]; watching: boolean; wrappers: (string | null)[] };
  };

  it('the common start (no variable, a parent that is no wrapper) loads the start file alone', () => {
    expect(start(process.execPath, [...REQUIRE_REGISTER, '-e', APP])).toEqual({
      files: ['register-light.cjs'],
      watching: true,
      wrappers: [null],
    });
  });

  it('an interval to read, a parent that is a wrapper: the run half loads at start, and does it', () => {
    const app = `if (globalThis[Symbol.for('lifeline.parent-watch.v1')].light === undefined) process.exit(9); ${APP}`;
    expect(
      start(process.execPath, [...REQUIRE_REGISTER, '-e', app], { LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '1m30s' }),
    ).toMatchObject({ files: ['register-light.cjs', 'light-run.cjs'], watching: true });
    // sh -c with a command after the worker: the shell forks it (a lone command would be exec'd in its place).
    const command = [process.execPath, ...REQUIRE_REGISTER, '-e', APP].map((w) => `'${w.replaceAll("'", "'\\''")}'`);
    expect(start('sh', ['-c', `${command.join(' ')}; true`])).toEqual({
      files: ['register-light.cjs', 'light-run.cjs'],
      watching: true,
      wrappers: ['sh -c', null],
    });
  });

  it('a run half that cannot load, on a path that needs it at start: one warning, and the application runs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lifeline-broken-run-'));
    try {
      for (const file of ['register.cjs', 'register-light.cjs']) copyFileSync(join(DIST, file), join(dir, file));
      writeFileSync(join(dir, 'light-run.cjs'), "throw new Error('a broken install');\n");
      const run = (env: Record<string, string>) =>
        spawnSync(process.execPath, ['-r', join(dir, 'register.cjs'), '-e', 'console.log("the app ran")'], {
          env: { PATH: process.env.PATH, ...env },
          encoding: 'utf8',
          timeout: 20_000,
        });
      const needed = run({ LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '1m30s' });
      expect(needed.status, needed.stderr).toBe(0);
      expect(needed.stdout).toBe('the app ran\n');
      expect(needed.stderr).toMatch(
        /^lifeline\[\d+\]: warning: the parent watcher could not arm, the parent is not watched: Error: a broken install/,
      );
      expect(needed.stderr.match(/warning:/g)).toHaveLength(1);
      // Control: the common start never loads it.
      const common = run({});
      expect(common.status, common.stderr).toBe(0);
      expect(common.stdout).toBe('the app ran\n');
      expect(common.stderr).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the run half exports every function the start file leaves to it; the start file has none of their code', async () => {
    const later = await import('../src/watch/light-later.js');
    const run = createRequire(import.meta.url)(join(DIST, 'light-run.cjs')) as { later: Record<string, unknown> };
    expect(Object.keys(later).length).toBeGreaterThan(3);
    for (const name of Object.keys(later)) expect(typeof run.later[name], name).toBe('function');
    const startFile = readFileSync(join(DIST, 'register-light.cjs'), 'utf8');
    const runFile = readFileSync(join(DIST, 'light-run.cjs'), 'utf8');
    // A wrapper row's name, the duration reader's words, /proc/<pid>/stat's reader.
    for (const text of ['npm run / npm exec', 'is not a duration', '/task/']) {
      expect(startFile, text).not.toContain(text);
      expect(runFile, text).toContain(text);
    }
  });
  it('every top-level function a default start calls is compiled with the file (the build measured them)', () => {
    const file = join(DIST, 'register-light.cjs');
    const code = readFileSync(file, 'utf8');
    const called = calledAtStart(file);
    const program = parse(code, { ecmaVersion: 'latest', sourceType: 'script', allowReturnOutsideFunction: true });
    // The rewritten ones: one declaration of parenthesised function expressions, after "use strict".
    const eager = program.body[1];
    expect(eager?.type).toBe('VariableDeclaration');
    const expressions = eager?.type === 'VariableDeclaration' ? eager.declarations.map((d) => d.init?.type) : [];
    expect(expressions.length).toBeGreaterThan(10);
    expect(new Set(expressions)).toEqual(new Set(['FunctionExpression']));
    // None left to compile on first call, and none compiled with the file that start does not call.
    const declared = program.body.filter((node) => node.type === 'FunctionDeclaration');
    expect(declared.filter((node) => called.has(`${node.start}:${node.end}`))).toEqual([]);
    const inits = eager?.type === 'VariableDeclaration' ? eager.declarations.map((d) => d.init) : [];
    expect(inits.filter((init) => !called.has(`${init?.start}:${init?.end}`))).toEqual([]);
  });
});

describe.runIf(process.platform === 'linux')('the full watcher loads synchronously when needed at start', () => {
  // How the preload was loaded says which build of the full watcher to load: under --import the ES module
  // build, the instance an ESM application imports (no second copy).
  it('import resolves to a small CommonJS entry (--import lexes it for exports, so never the bundle); require to the start file itself', () => {
    const file = fileURLToPath(import.meta.resolve('@lifeline/parent-watch/register'));
    expect(file.endsWith(`${sep}register.cjs`)).toBe(true);
    expect(statSync(file).size).toBeLessThan(1024);
    expect(createRequire(import.meta.url).resolve('@lifeline/parent-watch/register')).toBe(
      join(dirname(file), 'register-light.cjs'),
    );
  });

  it('one arming, whichever entries load: -r by name, then register.cjs by path, then an import of the package', () => {
    const script = `
      const before = globalThis[Symbol.for('lifeline.parent-watch.v1')].light;
      require(${JSON.stringify(join(DIST, 'register.cjs'))});
      import('@lifeline/parent-watch/register').then(() => {
        const after = globalThis[Symbol.for('lifeline.parent-watch.v1')].light;
        const files = Object.keys(require.cache).filter((k) => k.includes('parent-watch/dist')).map((k) => k.replace(/.*dist\\//, ''));
        console.log(JSON.stringify({ same: before === after, watching: after.watching, files }));
      });`;
    const r = spawnSync(process.execPath, [...REQUIRE_REGISTER, '-e', script], {
      cwd: ROOT,
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ same: true, watching: true, files: ['register-light.cjs', 'register.cjs'] });
  });

  // The entry run as Node runs a CommonJS file, with a module whose constructor has Node's loader, or none.
  it.each([
    [
      "Node's loader, without a parent (no self-reference lookup)",
      true,
      { loaded: ['register-light.cjs', null], required: [] },
    ],
    ['a runtime without Module._load: require', false, { loaded: [], required: ['register-light.cjs'] }],
  ])('the entry loads the start file through %s; the watcher arms', (_how, withLoad, expected) => {
    const script = `
      const { readFileSync } = require('node:fs');
      const { dirname } = require('node:path');
      const { compileFunction } = require('node:vm');
      const Module = require('node:module');
      const file = require('node:path').join(dirname(require.resolve('@lifeline/parent-watch/register')), 'register.cjs');
      const loaded = [];
      const required = [];
      const base = (id) => id.replace(/.*\\//, '');
      const _load = (id, parent, isMain) => (loaded.push(base(id), parent), Module._load(id, parent, isMain));
      const entry = { constructor: ${withLoad} ? { _load } : {}, parent: {} };
      const localRequire = (id) => (required.push(base(id)), require(id));
      compileFunction(readFileSync(file, 'utf8'), ['module', 'require', '__dirname'])(entry, localRequire, dirname(file));
      const light = globalThis[Symbol.for('lifeline.parent-watch.v1')]?.light;
      console.log(JSON.stringify({ loaded, required, watching: light?.watching }));`;
    const r = spawnSync(process.execPath, ['-e', script], {
      cwd: ROOT,
      env: { PATH: process.env.PATH },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ...expected, watching: true });
  });

  it.each([
    ['--import', IMPORT_REGISTER, ['register.cjs', 'register-light.cjs', 'index.js']],
    ['-r', REQUIRE_REGISTER, ['register-light.cjs', 'index.cjs']],
    // register.cjs hands its module over only once the start file has loaded: the start file finds it in
    // Node's cache meanwhile (its own module has no parent, as under --import).
    [
      '-r register.cjs by path',
      ['-r', join(DIST, 'register.cjs')],
      ['register.cjs', 'register-light.cjs', 'index.cjs'],
    ],
  ])('%s: the full watcher loaded at start is the build of the same format', (_flag, preload, loaded) => {
    const script = `
      import { createRequire } from 'node:module';
      const cache = createRequire(import.meta.url).cache;
      console.log(JSON.stringify(Object.keys(cache).filter((k) => k.includes('parent-watch/dist')).map((k) => k.replace(/.*dist\\//, ''))));`;
    const r = spawnSync(process.execPath, [...preload, '--input-type=module', '-e', script], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, LIFELINE_PARENT_WATCH_GRACE: '5s' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(loaded);
  });

  // Preloaded by --import: the ES module build, the very instance the app imports (require(esm)), or, with
  // require(esm) switched off (as on Node < 20.19), the CJS build. Either way before the app's first line runs.
  it.each([
    ['require(esm)', []],
    ['the CJS build', ['--no-experimental-require-module']],
  ])(
    '--import, thread mode, an app that blocks at once (%s): the watchdog is up first; the main-loop control stays',
    async (_how, flags) => {
      const env = { LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '100ms', LIFELINE_PARENT_WATCH_GRACE: '300ms' };
      const blocked = [
        '-e',
        "require('fs').writeFileSync(process.env.FIXTURE_READY, JSON.stringify({pid: process.pid, ppid: process.ppid})); for (;;) {}",
      ];
      const [threaded, looped] = await Promise.all([
        startTree({
          worker: [...flags, ...IMPORT_REGISTER, ...blocked],
          env: { ...env, LIFELINE_PARENT_WATCH_THREAD: '1' },
        }),
        startTree({ worker: [...flags, ...IMPORT_REGISTER, ...blocked], env }),
      ]);
      process.kill(threaded.middlePid, 'SIGKILL');
      process.kill(looped.middlePid, 'SIGKILL');
      await waitGone(threaded.workerPid);
      await expectStaysAlive(looped.workerPid, LINGER_MS);
    },
  );
});

describe.runIf(process.platform === 'linux')('the full watcher takes over', () => {
  /** No poll in a test's window: only a hint (or the takeover) can tell. */
  const HOUR = { LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '1h' };

  /** The same worker with the preload and without (the control), each under its own middle, both middles SIGKILLed once ready. */
  async function orphanedPair(worker: string, env: Record<string, string>, ipc = false) {
    const [armed, control] = await Promise.all([
      startTree({ worker: [...IMPORT_REGISTER, fixture(worker)], env, ipc }),
      startTree({ worker: [fixture(worker)], env, ipc }),
    ]);
    expect(armed.ready.light).toBe(true);
    process.kill(armed.middlePid, 'SIGKILL');
    process.kill(control.middlePid, 'SIGKILL');
    return [armed, control] as const;
  }

  it('no descendants: the light watcher leaves by itself (the full one never loads), with the same line and code; without the preload it lingers', async () => {
    const [armed, control] = await orphanedPair('preloaded-exit-probe.mjs', FAST);
    await waitGone(armed.workerPid);
    expect(await waitForJson(join(armed.dir, 'exit.json'))).toEqual({ code: 1, fullLoaded: false });
    const lines = armed.stderr().trim().split('\n');
    expect(lines).toEqual([
      `lifeline[${armed.workerPid}]: parent process ${armed.middlePid} is gone (now reparented to ${lines[0]?.match(/reparented to (\d+)/)?.[1]}); exiting with code 1`,
    ]);
    await expectStaysAlive(control.workerPid, LINGER_MS);
  });

  it("an IPC channel's 'disconnect': the light watcher leaves by itself within the hour-long poll (the full one never loads); without the preload it lingers", async () => {
    const [armed, control] = await orphanedPair('preloaded-exit-probe.mjs', HOUR, true);
    await waitGone(armed.workerPid);
    expect(await waitForJson(join(armed.dir, 'exit.json'))).toEqual({ code: 1, fullLoaded: false });
    expect(armed.stderr()).toMatch(
      new RegExp(`parent process ${armed.middlePid} is gone \\(now reparented to \\d+\\); exiting with code 1\\n$`),
    );
    await expectStaysAlive(control.workerPid, LINGER_MS);
  });

  it('when the light watcher sees the parent go and there are descendants: the full watcher takes them down; without the preload all linger', async () => {
    const [armed, control] = await orphanedPair('preloaded-with-grandchild.mjs', FAST);
    await waitGone(armed.workerPid);
    await waitGone(armed.ready.grandchild as number);
    expect(gone(armed.ready.child as number)).toBe(true);
    const lines = armed.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(`parent process ${armed.middlePid} is gone \\(now reparented to \\d+\\); exiting with code 1$`),
    );
    await expectStaysAlive(control.workerPid, LINGER_MS);
    expect(gone(control.ready.grandchild as number)).toBe(false);
  });

  it("a channel that closed before the first turn (the app's own disconnect, then the parent's death): still a hint; without the preload it lingers", async () => {
    const [armed, control] = await orphanedPair('disconnects-before-first-turn.cjs', HOUR, true);
    await waitGone(armed.workerPid);
    expect(armed.stderr()).toMatch(new RegExp(`parent process ${armed.middlePid} is gone`));
    await expectStaysAlive(control.workerPid, LINGER_MS);
  });

  it("an IPC channel's 'disconnect' with descendants: the full watcher takes over from the hint and takes them down; without the preload all linger", async () => {
    const [armed, control] = await orphanedPair('preloaded-with-grandchild.mjs', HOUR, true);
    await waitGone(armed.workerPid);
    await waitGone(armed.ready.grandchild as number);
    expect(armed.stderr().trim().split('\n')).toHaveLength(1);
    await expectStaysAlive(control.workerPid, LINGER_MS);
    expect(gone(control.ready.grandchild as number)).toBe(false);
  });

  it('when the app calls watchParent() after the parent died: the ppid captured at preload still counts; without the preload it does not', async () => {
    const [armed, control] = await orphanedPair('late-watch-parent.mjs', HOUR);
    await Promise.all([waitGone(armed.middlePid), waitGone(control.middlePid)]);
    for (const tree of [armed, control]) writeFileSync(join(tree.dir, 'go'), '1');
    const [late, lateControl] = await Promise.all([
      waitForJson<{ state: string; capturedParentPid: number }>(join(armed.dir, 'late.json')),
      waitForJson<{ state: string; capturedParentPid: number }>(join(control.dir, 'late.json')),
    ]);
    // The handle came back watching the parent captured at start, then the check after the call's tick found it gone.
    expect(late).toMatchObject({ state: 'watching', capturedParentPid: armed.middlePid });
    await waitGone(armed.workerPid);
    expect(armed.stderr()).toMatch(new RegExp(`parent process ${armed.middlePid} is gone`));
    // Without the preload, the late call captured the new parent: nothing to notice.
    expect(lateControl.capturedParentPid).not.toBe(control.middlePid);
    await expectStaysAlive(control.workerPid, LINGER_MS);
  });

  it("the app's own options after the light preload: the preload's settings stay, as with any first call, and the conflict is reported", () => {
    const run = spawnSync(
      process.execPath,
      [
        ...IMPORT_REGISTER,
        '--input-type=module',
        '-e',
        "import { watchParent } from '@lifeline/parent-watch'; const w = watchParent({ grace: '5s' }); console.log(JSON.stringify({ state: w.state, graceMs: w.graceMs, capturedParentPid: w.capturedParentPid }));",
      ],
      { cwd: ROOT, env: { PATH: process.env.PATH }, encoding: 'utf8', timeout: 20_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ state: 'watching', graceMs: 3000, capturedParentPid: process.pid });
    expect(run.stderr).toMatch(
      /warning: watchParent\(\) is already armed in this process; the first call's settings stay \(ignored: grace: 5000\)/,
    );
  });
});
