import { loadBuiltin } from '@lifeline/core/builtin';
import { warnOnce } from '@lifeline/core/diag';
import { errorText } from '@lifeline/core/errors';
import { moduleUrl } from '@lifeline/core/module-url';

/** The preload that arms a Node worker, as a Node worker's own command line would name it. */
const REGISTER = '@lifeline/parent-watch/register';

/** A preload of Lifeline's already on the command line or in `NODE_OPTIONS` (by name or by path). */
const ARMED = /(?:parent-watch|grpc-bootstrap)[\\/](?:dist[\\/])?register/;

/** Whether `command` runs Node.js: this very executable, or `node` / `nodejs` found on the PATH. */
export function isNodeCommand(command: string): boolean {
  if (command === process.execPath) return true;
  const base = command.slice(Math.max(command.lastIndexOf('/'), command.lastIndexOf('\\')) + 1);
  return /^node(?:js)?(?:\.exe)?$/i.test(base);
}

let registerPath: string | undefined;

/** The absolute path of the register preload (its CommonJS build), resolved from this package; cached. */
function resolveRegister(): string | undefined {
  if (registerPath !== undefined) return registerPath;
  const base = moduleUrl(import.meta.url);
  try {
    if (base === undefined) throw new Error('this module has no file of its own (bundled?)');
    registerPath = loadBuiltin<typeof import('node:module')>('node:module').createRequire(base).resolve(REGISTER);
  } catch (error) {
    warnOnce(
      `spawnWorker cannot arm Node workers: ${REGISTER} is not found from here (${errorText(error)}); preload it in the worker yourself`,
    );
  }
  return registerPath;
}

/**
 * The arguments that start a Node worker with the parent watch armed: `--require <absolute path of the
 * register preload>` first, unless the worker is not Node, already names one of Lifeline's preloads (in
 * `args` or `NODE_OPTIONS`). The absolute path does not depend on the worker's directory or its own
 * dependencies. @internal
 */
export function armedArgs(command: string, args: readonly string[], env: NodeJS.ProcessEnv): readonly string[] {
  if (!isNodeCommand(command)) return args;
  if (args.some((arg) => ARMED.test(arg)) || ARMED.test(env.NODE_OPTIONS ?? '')) return args;
  const register = resolveRegister();
  return register === undefined ? args : ['--require', register, ...args];
}
