/**
 * Diagnostics, one format for every package: each line Lifeline writes on its own is
 * `lifeline[<pid>]: <text>` on stderr (orphans often share a stderr), warnings are
 * `lifeline[<pid>]: warning: <text>` and printed once per process, and traces go through the `debug`
 * package under `lifeline:<package>`, loaded only when `DEBUG` is set.
 */
import { canLoadBuiltins, nodeFs, nodeUtil } from './builtin.js';
import { processWide, processWideIfMade } from './process-wide.js';

/** Prefix of every line Lifeline writes: names the process, since orphans' stderr is often shared. */
export function prefix(): string {
  return `lifeline[${process.pid}]:`;
}

/**
 * Write one line to stderr synchronously. An orphan's stderr may be a closed pipe (EPIPE), or the event
 * loop may be about to stop: a synchronous write that ignores errors is the only safe choice. Nothing is
 * written once stderr's reader is known gone ({@link stderrReaderGone}).
 */
export function writeLine(text: string): void {
  // Read, not made: an orphan's one line need not create the state on its way out.
  if (processWideIfMade<DiagState>(DIAG)?.stderrGone === true) return;
  const line = `${prefix()} ${text}\n`;
  try {
    if (canLoadBuiltins()) nodeFs().writeSync(2, line);
    else process.stderr.write(line); // a runtime too old to load node:fs on first use: still say it
  } catch {
    // stderr closed: nothing else to tell
  }
}

interface DiagState {
  warned: Set<string>;
  /** Set by {@link stderrReaderGone}; absent in the state an older copy created. */
  stderrGone?: boolean;
}

const DIAG = 'lifeline.diagnostics.v1';

/** Process-wide, shared by every copy of every Lifeline package (ESM beside CJS, two versions). */
function state(): DiagState {
  return processWide<DiagState>(DIAG, () => ({ warned: new Set() }));
}

/**
 * Stderr is a pipe whose every reader has closed, for good: Lifeline writes nothing there from now on. Such
 * a write can only fail with EPIPE, and Node builds an exception for it (its error map, a stack trace):
 * ~0.6 ms on an orphan's way out, for a line no one can read.
 */
export function stderrReaderGone(): void {
  state().stderrGone = true;
}

/** Print `lifeline[pid]: warning: <message>` on stderr, once per process for the same message. */
export function warnOnce(message: string): void {
  const { warned } = state();
  if (warned.has(message)) return;
  warned.add(message);
  writeLine(`warning: ${message}`);
}

/** A `debug`-style logger: `log('armed: ppid %d', pid)`. */
export type Logger = (formatter: string, ...args: unknown[]) => void;

type DebugFactory = (namespace: string) => Logger;
let factory: DebugFactory | undefined;
let loading: Promise<void> | undefined;
const queued: { namespace: string; args: [string, ...unknown[]] }[] = [];

/**
 * A logger for `lifeline:<area>` (`DEBUG=lifeline:*`). The `debug` package is heavy for a preload (start-up
 * and memory), so it is loaded only when `DEBUG` is set at the first trace, with a dynamic `import()`
 * that bundlers see; traces written before it has loaded are queued and replayed (or, if the process
 * exits first, printed plainly). `debug.enable()` called later from code is not seen.
 */
export function createLogger(area: string): Logger {
  const namespace = `lifeline:${area}`;
  let real: Logger | undefined;
  return (formatter: string, ...args: unknown[]) => {
    if (real) return real(formatter, ...args);
    if (!debugVariable()) return;
    if (factory) {
      real = factory(namespace);
      return real(formatter, ...args);
    }
    queued.push({ namespace, args: [formatter, ...args] });
    load();
  };
}

/** `DEBUG`, or `''` where the runtime does not let us read the environment. */
function debugVariable(): string {
  try {
    return process.env.DEBUG ?? '';
  } catch {
    return '';
  }
}

function load(): void {
  if (loading) return;
  process.once('exit', flushQueued);
  loading = import('debug').then(
    (module) => {
      const create = ((module as { default?: unknown }).default ?? module) as DebugFactory;
      use(typeof create === 'function' ? create : plainLogger);
    },
    (error: unknown) => {
      // An app bundled into one file may not carry `debug` (or its own dependencies): say so once and
      // write the traces plainly rather than lose them.
      warnOnce(
        `DEBUG is set but the debug package could not be loaded (${(error as Error)?.message ?? error}); tracing plainly`,
      );
      use(plainLogger);
    },
  );
}

function use(create: DebugFactory): void {
  factory = create;
  process.removeListener('exit', flushQueued);
  for (const { namespace, args } of queued.splice(0)) factory(namespace)(...args);
}

/** The process exits before `debug` loaded: write what was queued plainly, so no trace is lost. */
function flushQueued(): void {
  for (const { namespace, args } of queued.splice(0)) plainLogger(namespace)(...args);
}

/** Traces without the `debug` package: `<namespace> <message>` on stderr, for the namespaces `DEBUG` enables. */
function plainLogger(namespace: string): Logger {
  return (formatter: string, ...args: unknown[]) => {
    if (!matches(debugVariable(), namespace)) return;
    try {
      nodeFs().writeSync(2, `${namespace} ${nodeUtil().format(formatter, ...args)}\n`);
    } catch {
      // stderr closed
    }
  };
}

/** `debug`'s namespace rule, for the plain fallback: comma/space separated, `*` wildcards, `-` excludes. */
function matches(pattern: string, namespace: string): boolean {
  let on = false;
  for (const part of pattern.split(/[\s,]+/).filter(Boolean)) {
    const negative = part.startsWith('-');
    const glob = new RegExp(
      `^${(negative ? part.slice(1) : part).replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*?')}$`,
    );
    if (!glob.test(namespace)) continue;
    if (negative) return false;
    on = true;
  }
  return on;
}
