/**
 * Hostile input, one table over every public entry point: each option of each call fed wrong types,
 * `null`, huge strings, NaN, ±Infinity and numeric strings. Each row names the call, the input and the
 * outcome the docs promise: a `TypeError`/`RangeError` with Node's code (thrown synchronously, or as a
 * rejection for the async calls) and one message shape, `<call>: <option path> must be …` (or `<call>:
 * unknown option "<path>"`), naming the call the user made and the option as written there; a warning naming the option (a duration clamped into
 * its bounds), acceptance (a form the docs list), or a failure to start reported through `exited`.
 * Never a crash, never a silent acceptance. API rows run in this process; CLI rows in parallel children.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, describe, expect, it } from 'vitest';
import { armServer, createServer, drainServer } from '@lifeline/grpc-bootstrap';
import { parseDuration, resolveConfig, validateWatchParentOptions, watchParent } from '@lifeline/parent-watch';
import {
  ancestorsOf,
  groupZombies,
  killZombieParents,
  listZombies,
  probeOrphanReaper,
  spawnWorker,
  supervise,
  type WorkerProcess,
} from '@lifeline/supervisor';
import { ENV } from '@lifeline/core/config';
import { ROOT } from './helpers/process-tree.js';

const MB = 1 << 20;
const HOSTILE: readonly (readonly [label: string, value: unknown])[] = [
  ['null', null],
  ['a 1 MB string', 'x'.repeat(MB)],
  ['a 1 MB run of digits then "!"', `${'1'.repeat(MB)}!`],
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['-Infinity', Number.NEGATIVE_INFINITY],
  ['the numeric string "5"', '5'],
  ['an array', []],
  ['a function', () => undefined],
];

type Thrown = readonly [
  'TypeError' | 'RangeError',
  'ERR_INVALID_ARG_TYPE' | 'ERR_INVALID_ARG_VALUE' | 'ERR_OUT_OF_RANGE',
];
/** `warns`: accepted, clamped, with a warning naming the option; `reports`: no throw, `exited` carries the error. */
type Outcome = Thrown | 'accepts' | 'warns' | 'reports';
const TYPE: Thrown = ['TypeError', 'ERR_INVALID_ARG_TYPE'];
const VALUE: Thrown = ['RangeError', 'ERR_INVALID_ARG_VALUE'];
const RANGE: Thrown = ['RangeError', 'ERR_OUT_OF_RANGE'];
/** An unknown option key: a mistake in the object's shape, with the code Node gives a bad value. */
const KEY: Thrown = ['TypeError', 'ERR_INVALID_ARG_VALUE'];

/** What each kind of input does with each hostile value, in the order of HOSTILE. */
const KINDS = {
  duration: [TYPE, VALUE, VALUE, VALUE, 'warns', VALUE, 'accepts', TYPE, TYPE],
  boolean: [TYPE, TYPE, TYPE, TYPE, TYPE, TYPE, TYPE, TYPE, TYPE],
  signal: [TYPE, VALUE, VALUE, TYPE, TYPE, TYPE, VALUE, TYPE, TYPE],
  integer: [TYPE, TYPE, TYPE, RANGE, RANGE, RANGE, TYPE, TYPE, TYPE],
  maxRestarts: [TYPE, TYPE, TYPE, RANGE, 'accepts', RANGE, TYPE, TYPE, TYPE],
  function: [TYPE, TYPE, TYPE, TYPE, TYPE, TYPE, TYPE, TYPE, 'accepts'],
  array: [TYPE, TYPE, TYPE, TYPE, TYPE, TYPE, TYPE, 'accepts', TYPE],
  object: [TYPE, TYPE, TYPE, TYPE, TYPE, TYPE, TYPE, TYPE, TYPE],
  word: [TYPE, VALUE, VALUE, TYPE, TYPE, TYPE, VALUE, TYPE, TYPE],
  stdio: [TYPE, VALUE, VALUE, TYPE, TYPE, TYPE, VALUE, 'accepts', TYPE],
  command: [TYPE, 'reports', 'reports', TYPE, TYPE, TYPE, 'reports', TYPE, TYPE],
  text: [TYPE, VALUE, VALUE, TYPE, TYPE, TYPE, 'accepts', TYPE, TYPE],
  /** The value under a key the call does not know: the key is the mistake, whatever the value. */
  unknownKey: [KEY, KEY, KEY, KEY, KEY, KEY, KEY, KEY, KEY],
} as const satisfies Record<string, readonly Outcome[]>;
type Kind = keyof typeof KINDS;

/** One input of one call: `run(value)` calls it with `value` in place (and cleans up what it started). */
interface Input {
  call: string;
  /** The option's name as messages spell it (`options.interval`), for warnings. */
  name: string;
  kind: Kind;
  run: (value: unknown) => unknown;
  /** Outcomes that differ from the kind's, by hostile label, with why. */
  except?: Partial<Record<string, Outcome>>;
}

const node = process.execPath;
const started: WorkerProcess[] = [];
const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0)) await c();
  for (const w of started.splice(0)) await w.stop({ grace: 0 });
});
/** A worker that has exited already: stop() only validates its options and returns the exit. */
const exitedWorker = spawnWorker(node, ['-e', ''], { stdio: 'ignore' });
const server = new grpc.Server();
cleanups.push(() => server.forceShutdown());

const watch = (options: Record<string, unknown>): void => {
  // Disabled and stopped at once: nothing here may watch (or leave) the test process.
  const w = watchParent({ enabled: false, ...options });
  w.stop();
};
const spawned = (w: WorkerProcess): WorkerProcess => (started.push(w), w);
const sup = (options: Record<string, unknown>): void => {
  const s = supervise(
    { command: node, args: ['-e', ''], options: { stdio: 'ignore' } },
    { restart: 'never', ...options },
  );
  cleanups.push(() => s.stop({ grace: 0 }));
};
const optionOf = (
  call: string,
  kind: Kind,
  key: string,
  run: (options: Record<string, unknown>) => unknown,
  except?: Input['except'],
): Input => ({
  call,
  name: `options.${key}`,
  kind,
  run: (value) => run({ [key]: value }),
  ...(except ? { except } : {}),
});
const unknownKey = (call: string, run: (options: Record<string, unknown>) => unknown, name = 'options'): Input => ({
  call,
  name: `${name}.bogus`,
  kind: 'unknownKey',
  run: (value) => run({ bogus: value }),
});
const server2 = (options: Record<string, unknown>): void => {
  const created = createServer(options);
  cleanups.push(() => created.forceShutdown());
};
const supSpec = (options: Record<string, unknown>): void => {
  const s = supervise(
    { command: node, args: ['-e', ''], options: { stdio: 'ignore', ...options } },
    { restart: 'never' },
  );
  cleanups.push(() => s.stop({ grace: 0 }));
};
const wholeOptions = (call: string, run: (options: unknown) => unknown): Input => ({
  call,
  name: 'options',
  kind: 'object',
  // `[]` and a function are not option objects either.
  run,
});

const INPUTS: Input[] = [
  // @lifeline/parent-watch
  { call: 'parseDuration', name: 'text', kind: 'text', run: (v) => parseDuration(v as string) },
  wholeOptions('watchParent', (v) => watchParent(v as never)),
  ...(['interval', 'grace'] as const).map((k) => optionOf('watchParent', 'duration', k, watch)),
  ...(['exit', 'killDescendants', 'thread', 'stdin'] as const).map((k) => optionOf('watchParent', 'boolean', k, watch)),
  optionOf('watchParent', 'boolean', 'enabled', (o) => watchParent({ env: { [ENV.enabled]: 'false' }, ...o }).stop()),
  optionOf('watchParent', 'integer', 'exitCode', watch),
  optionOf('watchParent', 'integer', 'parentPid', watch),
  optionOf('watchParent', 'integer', 'parentFd', watch),
  optionOf('watchParent', 'signal', 'raise', watch),
  optionOf('watchParent', 'object', 'env', watch),
  unknownKey('watchParent', watch),
  // Validation only: the clamp's warning is the watcher's, when it arms.
  optionOf('validateWatchParentOptions', 'duration', 'interval', (o) => validateWatchParentOptions(o), {
    Infinity: 'accepts',
  }),
  unknownKey('validateWatchParentOptions', (o) => validateWatchParentOptions(o)),
  // @lifeline/supervisor
  {
    call: 'spawnWorker',
    name: 'command',
    kind: 'command',
    run: (v) => spawned(spawnWorker(v as string, [], { stdio: 'ignore' })),
  },
  {
    call: 'spawnWorker',
    name: 'args',
    kind: 'array',
    run: (v) => spawned(spawnWorker(node, v as string[], { stdio: 'ignore' })),
  },
  wholeOptions('spawnWorker', (v) => spawned(spawnWorker(node, ['-e', ''], v as never))),
  ...(['interval', 'grace'] as const).map((k) =>
    optionOf('spawnWorker', 'duration', k, (o) => spawned(spawnWorker(node, ['-e', ''], { stdio: 'ignore', ...o }))),
  ),
  ...(['enabled', 'thread', 'lifelinePipe'] as const).map((k) =>
    optionOf('spawnWorker', 'boolean', k, (o) => spawned(spawnWorker(node, ['-e', ''], { stdio: 'ignore', ...o }))),
  ),
  optionOf('spawnWorker', 'signal', 'raise', (o) => spawned(spawnWorker(node, ['-e', ''], { stdio: 'ignore', ...o }))),
  optionOf('spawnWorker', 'object', 'env', (o) => spawned(spawnWorker(node, ['-e', ''], { stdio: 'ignore', ...o }))),
  optionOf('spawnWorker', 'stdio', 'stdio', (o) => spawned(spawnWorker(node, ['-e', ''], o))),
  wholeOptions('WorkerProcess.stop', (v) => exitedWorker.stop(v as never)),
  optionOf('WorkerProcess.stop', 'duration', 'grace', (o) => exitedWorker.stop(o)),
  optionOf('WorkerProcess.stop', 'signal', 'signal', (o) => exitedWorker.stop(o)),
  unknownKey('WorkerProcess.stop', (o) => exitedWorker.stop(o)),
  { call: 'supervise', name: 'spec', kind: 'object', run: (v) => supervise(v as never) },
  // The worker's options inside the spec are named as the caller wrote them, not as spawnWorker's.
  { call: 'supervise', name: 'spec.options.grace', kind: 'duration', run: (v) => supSpec({ grace: v }) },
  unknownKey('supervise', sup),
  wholeOptions('supervise', (v) => supervise({ command: node }, v as never)),
  optionOf('supervise', 'word', 'restart', sup),
  ...(['maxDelay', 'resetAfter', 'grace', 'window'] as const).map((k) => optionOf('supervise', 'duration', k, sup)),
  // initialDelay: Infinity is clamped to 2147483647 ms, which is above the default maxDelay (30 s).
  optionOf('supervise', 'duration', 'initialDelay', sup, { Infinity: RANGE }),
  optionOf('supervise', 'integer', 'factor', sup, { Infinity: RANGE }),
  optionOf('supervise', 'maxRestarts', 'maxRestarts', sup),
  optionOf('supervise', 'signal', 'stopSignal', sup),
  wholeOptions('killZombieParents', (v) => killZombieParents(v as never)),
  optionOf('killZombieParents', 'boolean', 'confirm', (o) => killZombieParents({ zombies: [], ...o })),
  optionOf('killZombieParents', 'duration', 'grace', (o) => killZombieParents({ zombies: [], ...o }), {
    Infinity: 'warns',
  }),
  ...(['protect', 'zombies'] as const).map((k) =>
    optionOf('killZombieParents', 'array', k, (o) => killZombieParents({ zombies: [], ...o })),
  ),
  ...(['kill', 'isRunning', 'onAction'] as const).map((k) =>
    optionOf('killZombieParents', 'function', k, (o) => killZombieParents({ zombies: [], ...o })),
  ),
  unknownKey('killZombieParents', (o) => killZombieParents({ zombies: [], ...o })),
  { call: 'listZombies', name: 'processes', kind: 'array', run: (v) => listZombies(v as never) },
  { call: 'groupZombies', name: 'zombies', kind: 'array', run: (v) => groupZombies(v as never) },
  { call: 'ancestorsOf', name: 'pid', kind: 'integer', run: (v) => ancestorsOf(v as number) },
  { call: 'probeOrphanReaper', name: 'timeoutMs', kind: 'integer', run: (v) => probeOrphanReaper(v as number) },
  // @lifeline/grpc-bootstrap
  wholeOptions('createServer', (v) => createServer(v as never)),
  optionOf('createServer', 'object', 'parentWatch', (o) => createServer(o)),
  optionOf('createServer', 'object', 'health', (o) => createServer(o)),
  {
    call: 'createServer',
    name: 'options.parentWatch.interval',
    kind: 'duration',
    run: (v) => server2({ parentWatch: { interval: v } }),
    except: { Infinity: 'accepts' }, // the watcher warns when the server binds and arms it
  },
  unknownKey('createServer', (o) => server2({ parentWatch: o }), 'options.parentWatch'),
  { call: 'armServer', name: 'server', kind: 'object', run: (v) => armServer(v as never) },
  wholeOptions('armServer', (v) => armServer(server, v as never)),
  optionOf('armServer', 'object', 'parentWatch', (o) => armServer(server, o)),
  optionOf('armServer', 'object', 'health', (o) => armServer(server, o)),
  unknownKey('armServer', (o) => armServer(server, o)),
  { call: 'drainServer', name: 'server', kind: 'object', run: (v) => drainServer(v as never) },
  wholeOptions('drainServer', (v) => drainServer(server, v as never)),
  optionOf('drainServer', 'object', 'health', (o) => drainServer(server, o)),
  unknownKey('drainServer', (o) => drainServer(server, o)),
  // drainServer with an accepted grace would drain the shared server: its rows that do not throw are checked by the others.
];

const warned = (): ReadonlySet<string> =>
  (globalThis as unknown as Record<symbol, { warned: Set<string> } | undefined>)[Symbol.for('lifeline.diagnostics.v1')]
    ?.warned ?? new Set();

const ROWS = INPUTS.flatMap((input) =>
  HOSTILE.map(([label, value], i) => {
    const outcome = input.except?.[label] ?? (KINDS[input.kind][i] as Outcome);
    const expected = typeof outcome === 'string' ? outcome : outcome.join(' ');
    return { title: `${input.call} ${input.name}: ${label} → ${expected}`, input, value, outcome };
  }),
);

describe('every public entry point, every hostile input: the documented class, code and message shape, never a crash', () => {
  it.each(ROWS)('$title', async ({ input, value, outcome }) => {
    const before = new Set(warned());
    let result: unknown;
    let thrown: unknown;
    try {
      result = input.run(value);
      // Only killZombieParents is async: its mistakes are rejections. Any other promise (stop()) is awaited for cleanup.
      if (result instanceof Promise) result = await result;
    } catch (error) {
      thrown = error;
    }
    if (Array.isArray(outcome)) {
      expect(thrown, `${input.call} accepted it`).toBeDefined();
      expect(thrown).toBeInstanceOf(outcome[0] === 'TypeError' ? TypeError : RangeError);
      expect((thrown as NodeJS.ErrnoException).code).toBe(outcome[1]);
      // One shape: the call the user made, then the option's path as written from the call's arguments.
      const shape =
        input.kind === 'unknownKey'
          ? `${input.call}: unknown option "${input.name}" (known: `
          : `${input.call}: ${input.name} must be `;
      expect(
        (thrown as Error).message.startsWith(shape),
        `${(thrown as Error).message.slice(0, 200)}\n  should start with ${shape}`,
      ).toBe(true);
      expect((thrown as Error).message.length).toBeLessThan(600); // a huge value is quoted cut short
      return;
    }
    expect(thrown, String(thrown)).toBeUndefined();
    if (outcome === 'warns') {
      const added = [...warned()].filter((message) => !before.has(message));
      expect(
        added.some((message) => message.includes(`${input.name}=`)),
        `no warning naming ${input.name}`,
      ).toBe(true);
    }
    if (outcome === 'reports') {
      const worker = result as WorkerProcess;
      expect(worker.pid).toBeUndefined();
      expect((await worker.exited).error).toMatchObject({ code: expect.stringMatching(/^E[A-Z0-9]+$/) });
    }
  });
});

describe('resolveConfig: a hostile value in any variable warns naming it and falls back, never throws', () => {
  const strings = HOSTILE.filter(([, value]) => typeof value === 'string') as [string, string][];
  const variables = Object.values(ENV);
  it.each(
    variables.flatMap((name) =>
      [...strings, ['"NaN"', 'NaN'], ['"-Infinity"', '-Infinity'], ['"1e309"', '1e309']].map(([label, value]) => ({
        name,
        label,
        value,
      })),
    ),
  )('$name=$label', ({ name, value }) => {
    const config = resolveConfig({ [name]: value });
    // "5" is a usable value for the durations (5 s), the pid and the descriptor; a short word is a
    // program name to see through as a wrapper ("5", "NaN", "1e309").
    for (const warning of config.warnings) expect(warning.startsWith(`${name}=`)).toBe(true);
    expect(config.warnings.length).toBeLessThanOrEqual(1);
    const usable =
      (value === '5' && [ENV.interval, ENV.grace, ENV.parentPid, ENV.parentFd].includes(name as never)) ||
      (name === ENV.wrappers && /^\w{1,255}$/.test(value));
    expect(config.warnings.length).toBe(usable ? 0 : 1);
  });
});

/** `lifeline <argv>`: exit code and stderr, in a child. */
function lifeline(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((done) => {
    const child = spawn(node, [resolve(ROOT, 'packages/supervisor/dist/cli.js'), ...argv], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('close', (code) => done({ code, stderr, stdout }));
  });
}

describe('the lifeline CLI, bad argv: exit code 2 and one line naming the mistake, no stack trace', () => {
  const huge = 'x'.repeat(100 * 1024); // under the kernel's 128 kB limit for one argument
  const CASES: [argv: string[], message: RegExp][] = [
    [['run', '--interval', 'NaN', '--', 'true'], /^lifeline run: --interval must be a duration/],
    [['run', '--interval', 'Infinity', '--', 'true'], /^lifeline run: --interval must be a duration/],
    [['run', '--interval', '-Infinity', '--', 'true'], /^lifeline run: --interval must be a duration/],
    [['run', '--interval', '0', '--', 'true'], /^lifeline run: --interval must be a positive duration/],
    [['run', '--grace', '-1', '--', 'true'], /^lifeline run: --grace must be a duration of zero or more/],
    [['run', '--interval', huge, '--', 'true'], /^lifeline run: --interval must be a duration .*\(102400 characters\)/],
    [['run', '--interval', `${'1'.repeat(100 * 1024)}!`, '--', 'true'], /^lifeline run: --interval must be a duration/],
    [['run', '--interval'], /^lifeline run: --interval needs a value/],
    [['run'], /^lifeline run: missing command/],
    [['run', `--${huge}`], /^lifeline run: unknown flag "--x{78}"… \(102402 characters\)$/m],
    [['zombies', '--grace', 'soon', '--kill-parents'], /^lifeline zombies: --grace must be a duration/],
    [['zombies', '--yes'], /^lifeline zombies: --yes only makes sense with --kill-parents/],
    [['zombies', '5'], /^lifeline zombies: unexpected argument "5"/],
    [['doctor', '--json=1'], /^lifeline doctor: --json takes no value/],
    [['doctor', '--bogus'], /^lifeline doctor: unknown flag --bogus/],
    [[huge], /^lifeline: unknown command "x{80}"… \(102400 characters\)/],
  ];
  it('every case (run in parallel children)', async () => {
    const results = await Promise.all(CASES.map(([argv]) => lifeline(argv)));
    CASES.forEach(([argv, message], i) => {
      const { code, stderr } = results[i] as { code: number | null; stderr: string };
      const what = `lifeline ${argv.map((a) => (a.length > 40 ? `${a.slice(0, 20)}…` : a)).join(' ')}`;
      expect(code, `${what}: ${stderr}`).toBe(2);
      expect(stderr, what).toMatch(message);
      expect(stderr, what).not.toMatch(/\bat .*\(/);
      expect(stderr.length, what).toBeLessThan(1000);
    });
  });

  it('lifeline doctor with a 100 kB value in every variable: exit 0, each shown cut short with one warning', async () => {
    const env = {
      ...process.env,
      ...Object.fromEntries(Object.values(ENV).map((name) => [name, `${'1'.repeat(100 * 1024)}!`])),
    };
    const { code, stdout, stderr } = await lifeline(['doctor', '--no-probe'], env);
    expect(code, stderr).toBe(0);
    for (const name of Object.values(ENV)) {
      expect(stdout).toMatch(new RegExp(`^ {2}${name}="1{80}"… \\(102401 characters\\) -> `, 'm'));
      expect(stdout).toMatch(new RegExp(`^warning +${name}="1{80}"… \\(102401 characters\\) `, 'm'));
    }
    expect(stdout.length).toBeLessThan(10_000);
  });
});
