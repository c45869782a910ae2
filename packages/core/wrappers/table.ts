/**
 * Pass-through wrappers: programs that start the worker for somebody else and add nothing to its
 * supervision (`npm run`, `sh -c`, `timeout`, tsx…). When the supervisor above one dies, the wrapper is
 * reparented, not killed, so the worker's own ppid never changes: the watcher looks through them. The
 * facts are data, one row a wrapper (std-env style); a command line is judged by its argv alone.
 * Conservative by construction: anything a row does not recognise — a shell running a script, an unknown
 * subcommand, an option it cannot parse, an unreadable command line — is not a wrapper, and is watched.
 */

/** One pass-through wrapper. */
export interface WrapperRow {
  /** The row's name, as `lifeline doctor` shows it. */
  readonly name: string;
  /**
   * Program names: the base name of `argv[0]` (a login shell's leading `-` dropped), or for a Node program
   * the name of its script (`npm-cli.js` → `npm-cli`, `yarn-4.5.0.cjs` → `yarn`, a generic `dist/cli.mjs`
   * → its package's folder name, `node_modules/.bin/tsx` → `tsx`). Empty: any program (see `node`).
   */
  readonly programs: readonly string[];
  /** Which arguments make it a pass-through (the arguments after the program, or after the script). @default any */
  readonly args?: (args: readonly string[]) => boolean;
  /** For Node itself: which Node options make it one (`--watch`). */
  readonly node?: (options: readonly string[]) => boolean;
  /** Only as a Node program's script: a native binary of the same name is no wrapper. @default false */
  readonly nodeScript?: boolean;
  /** What its argv contains whenever `node` says yes (`--watch`; see names.ts). @default none */
  readonly mentions?: readonly string[];
}

/** The first argument that is not an option, or `undefined`. */
function subcommand(args: readonly string[]): string | undefined {
  return args.find((arg) => !arg.startsWith('-'));
}
const oneOf =
  (words: readonly string[]) =>
  (args: readonly string[]): boolean =>
    words.includes(subcommand(args) ?? '');

/**
 * A shell given a command string (`-c`, also in a cluster: `-ec`), not a script file: the options before
 * the first operand are read; `-o name` / `+o name` take a value.
 */
export function shellRunsCommand(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--' || arg === '-' || !/^[-+]/.test(arg)) return false;
    if (arg === '-o' || arg === '+o') i++;
    else if (arg.startsWith('-') && !arg.startsWith('--') && arg.includes('c')) return true;
  }
  return false;
}

/** npm's commands that run a package script or a package's bin and wait for it. */
const NPM_RUNS = ['run', 'run-script', 'rum', 'urn', 'exec', 'x', 'start', 'test', 't', 'tst', 'restart'];
const PNPM_RUNS = ['run', 'run-script', 'exec', 'dlx', 'start', 'test', 't', 'tst', 'restart'];
const YARN_RUNS = ['run', 'exec', 'dlx', 'node', 'start', 'test'];

/** The built-in rows. */
export const WRAPPERS: readonly WrapperRow[] = [
  { name: 'sh -c', programs: ['sh', 'bash', 'dash', 'zsh', 'ash', 'ksh', 'mksh', 'yash'], args: shellRunsCommand },
  // npm names its process after the command ("npm run worker", "npm exec some-bin"): read as its argv.
  { name: 'npm run / npm exec', programs: ['npm', 'npm-cli'], args: /* @__PURE__ */ oneOf(NPM_RUNS) },
  { name: 'npx', programs: ['npx', 'npx-cli'] },
  { name: 'pnpm run / exec / dlx', programs: ['pnpm'], args: /* @__PURE__ */ oneOf(PNPM_RUNS) },
  { name: 'pnpx', programs: ['pnpx'] },
  { name: 'yarn run / exec / dlx', programs: ['yarn'], args: /* @__PURE__ */ oneOf(YARN_RUNS) },
  { name: 'tsx', programs: ['tsx'] },
  { name: 'ts-node', programs: ['ts-node', 'ts-node-esm'] },
  {
    name: 'node --watch',
    programs: [],
    node: (options) => options.some((o) => o === '--watch' || o.startsWith('--watch-path')),
    mentions: ['--watch'],
  },
  // npm's `deno` package: a Node script that runs the real binary as its child (the binary itself is not one).
  { name: 'deno (npm launcher)', programs: ['deno'], nodeScript: true },
  { name: 'env', programs: ['env'] },
  { name: 'nice', programs: ['nice'] },
  { name: 'nohup', programs: ['nohup'] },
  { name: 'timeout', programs: ['timeout'] },
  { name: 'time', programs: ['time'] },
];

/**
 * What every wrapper's argv names, one at least (names.ts): the rows' programs and mentions.
 *
 * @example
 * ```ts
 * namesWrapper(process.argv, wrapperNames()); // false: matchWrapper would say undefined too
 * ```
 */
export function wrapperNames(): readonly string[] {
  return WRAPPERS.flatMap((row) => [...row.programs, ...(row.mentions ?? [])]);
}

/** A Node binary's name: `node`, `nodejs`, `node22`. */
const NODE_PROGRAM = /^node(js)?[\d.]*$/;
/** Node options that take their value as the next argument (the script is the first operand after them). */
const NODE_VALUE_OPTIONS = new Set([
  '-r',
  '--require',
  '--import',
  '--loader',
  '--experimental-loader',
  '-C',
  '--conditions',
  '--watch-path',
  '--env-file',
  '--title',
  '--input-type',
]);
/** Node options after which there is no script. */
const NODE_NO_SCRIPT = new Set(['-e', '--eval', '-p', '--print', '-i', '--interactive', '--test', '-']);
/** Script names that say nothing: the package's folder names the program. */
const GENERIC_SCRIPTS = new Set(['cli', 'bin', 'index', 'main', 'run', 'start']);

/** How a command line reads: the program, its arguments, and for Node its options before the script. */
export interface ParsedCommand {
  program: string;
  args: readonly string[];
  /** Node's own options (before the script), or `null` when the program is not Node. */
  node: readonly string[] | null;
}

const base = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** A Node script's program name (see {@link WrapperRow.programs}). */
export function scriptName(path: string): string {
  const parts = path.split('/').filter((part) => part !== '' && part !== '.');
  const file = (parts.at(-1) ?? '').replace(/\.(c|m)?js$/, '').replace(/-\d+(\.\d+)*(-[\w.]+)?$/, '');
  if (!GENERIC_SCRIPTS.has(file)) return file;
  const modules = parts.lastIndexOf('node_modules');
  if (modules < 0) return file;
  const name = parts[modules + 1] ?? file;
  return name.startsWith('@') ? `${name}/${parts[modules + 2] ?? ''}` : name;
}

/**
 * Read an argv as a program and its arguments. A single word with spaces is a process title (npm sets
 * `npm run worker`), read as words.
 */
export function parseCommand(argv: readonly string[]): ParsedCommand | null {
  const words =
    argv.length === 1 && (argv[0] as string).includes(' ') ? (argv[0] as string).split(' ').filter(Boolean) : argv;
  if (words.length === 0) return null;
  const program = base(words[0] as string).replace(/^-/, '');
  if (!NODE_PROGRAM.test(program)) return { program, args: words.slice(1), node: null };
  const options: string[] = [];
  for (let i = 1; i < words.length; i++) {
    const word = words[i] as string;
    if (NODE_NO_SCRIPT.has(word)) return { program, args: words.slice(i + 1), node: [...options, word] };
    if (word === '--') return script(words, i + 1, options);
    if (!word.startsWith('-')) return script(words, i, options);
    options.push(word);
    if (NODE_VALUE_OPTIONS.has(word) && i + 1 < words.length) options.push(words[++i] as string);
  }
  return { program, args: [], node: options };
}

function script(words: readonly string[], at: number, options: string[]): ParsedCommand {
  const path = words[at];
  if (path === undefined) return { program: base(words[0] as string), args: [], node: options };
  return { program: scriptName(path), args: words.slice(at + 1), node: options };
}

/**
 * The row an argv matches, or `undefined` (not a wrapper). `extra` names are wrappers whatever their
 * arguments (`LIFELINE_PARENT_WATCH_WRAPPERS`, the `wrappers` option).
 *
 * @example
 * ```ts
 * matchWrapper(['sh', '-c', 'node worker.js']); // the 'sh -c' row
 * matchWrapper(['sh', 'supervise.sh']);         // undefined: a shell script is a supervisor
 * ```
 */
export function matchWrapper(argv: readonly string[], extra: readonly string[] = []): WrapperRow | undefined {
  const command = parseCommand(argv);
  if (command === null) return undefined;
  if (command.node !== null) {
    const row = WRAPPERS.find((r) => r.node?.(command.node as readonly string[]));
    if (row) return row;
  }
  if (extra.includes(command.program)) return { name: command.program, programs: [command.program] };
  return WRAPPERS.find(
    (r) =>
      r.programs.includes(command.program) &&
      (r.nodeScript !== true || command.node !== null) &&
      (r.args === undefined || r.args(command.args)),
  );
}
