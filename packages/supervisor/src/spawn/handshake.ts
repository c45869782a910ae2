import type { SpawnOptions } from 'node:child_process';
import { ENV } from '@lifeline/core/config';
import { warnOnce } from '@lifeline/core/diag';
import { DELAY, INTERVAL, durationArg } from '@lifeline/core/duration';
import { booleanArg, envArg } from '@lifeline/core/errors';
import { pidNamespace } from '@lifeline/core/proc/namespace';
import { raiseSignalArg } from '@lifeline/core/signals';
import { stdioArg, withLifelinePipe } from './pipe.js';
import type { SpawnWorkerOptions } from './worker.js';

/**
 * The handshake with the worker's watcher, validated: `LIFELINE_PARENT_PID` (this process), every watcher
 * setting given as its environment variable, and the lifeline pipe appended to `stdio` with its number in
 * `LIFELINE_PARENT_FD`. Returns the options for `child_process.spawn`, and whether to arm a Node worker. @internal
 */
export function handshake(
  where: string,
  options: SpawnWorkerOptions,
): { spawnOptions: Omit<SpawnOptions, 'detached'>; childEnv: NodeJS.ProcessEnv; lifelineFd: number | undefined; arm: boolean } {
  const { interval, enabled, grace, thread, raise, lifelinePipe, arm: armOption, env, ...spawnOptions } = options;
  const stdio = stdioArg(where, 'options.stdio', spawnOptions.stdio);
  const childEnv: NodeJS.ProcessEnv = { ...(envArg(where, 'options.env', env) ?? process.env) };
  childEnv[ENV.parentPid] = String(process.pid);
  // Which namespace that pid is of: a worker started inside another one (unshare -p, bwrap, a container)
  // then knows not to judge it.
  const namespace = pidNamespace();
  if (namespace !== null) childEnv[ENV.parentPidNs] = namespace;
  else delete childEnv[ENV.parentPidNs];
  const intervalMs = durationArg(where, 'options.interval', interval, INTERVAL, undefined, warnOnce);
  if (intervalMs !== undefined) childEnv[ENV.interval] = `${intervalMs}ms`;
  const graceMs = durationArg(where, 'options.grace', grace, DELAY, undefined, warnOnce);
  if (graceMs !== undefined) childEnv[ENV.grace] = `${graceMs}ms`;
  const on = booleanArg(where, 'options.enabled', enabled);
  if (on !== undefined) childEnv[ENV.enabled] = String(on);
  const threaded = booleanArg(where, 'options.thread', thread);
  if (threaded !== undefined) childEnv[ENV.thread] = String(threaded);
  const raised = raiseSignalArg(where, 'options.raise', raise);
  if (raised !== undefined) childEnv[ENV.raise] = raised;
  // A watcher switched off by the option has nothing to do in the worker: no preload to pay for.
  const arm = (booleanArg(where, 'options.arm', armOption) ?? false) && on !== false;
  // An inherited descriptor number would name something else in the worker: only ours is passed on.
  delete childEnv[ENV.parentFd];
  const pipe = booleanArg(where, 'options.lifelinePipe', lifelinePipe) ?? true;
  if (!pipe) return { spawnOptions, childEnv, lifelineFd: undefined, arm };
  const lifeline = withLifelinePipe(stdio);
  childEnv[ENV.parentFd] = String(lifeline.fd);
  return { spawnOptions: { ...spawnOptions, stdio: lifeline.stdio }, childEnv, lifelineFd: lifeline.fd, arm };
}
