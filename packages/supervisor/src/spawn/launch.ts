import type { SpawnOptions } from 'node:child_process';
import { ENV } from '@lifeline/core/config';
import { warnOnce } from '@lifeline/core/diag';
import { booleanArg, envArg } from '@lifeline/core/errors';
import { pidNamespace } from '@lifeline/core/proc/namespace';
import { settingOption, variableText } from '@lifeline/core/setting-option';
import { SETTINGS } from '@lifeline/core/settings';
import { stdioArg, withLifelinePipe } from './pipe.js';
import type { SpawnWorkerOptions } from './worker.js';

/** What `child_process.spawn` gets for a worker, and whether to arm a Node worker. @internal */
export interface WorkerLaunch {
  spawnOptions: Omit<SpawnOptions, 'detached'>;
  childEnv: NodeJS.ProcessEnv;
  lifelineFd: number | undefined;
  arm: boolean;
}

/**
 * The worker's launch, validated: its environment — the settings addressed to it alone (this process's pid
 * and PID namespace, the lifeline pipe's number; inherited ones are never passed on), and every setting
 * given as a `spawnWorker` option written as its variable — and its stdio, with the lifeline pipe appended.
 * @internal
 */
export function workerLaunch(where: string, options: SpawnWorkerOptions, name = 'options'): WorkerLaunch {
  const { lifelinePipe, arm: armOption, env, ...rest } = options;
  const stdio = stdioArg(where, `${name}.stdio`, rest.stdio);
  const childEnv: NodeJS.ProcessEnv = { ...(envArg(where, `${name}.env`, env) ?? process.env) };
  const given: Record<string, unknown> = {};
  // What is left once the settings are taken out is child_process.spawn's.
  const spawnOptions: Record<string, unknown> = { ...rest };
  for (const setting of SETTINGS) {
    // A pid or a descriptor number addressed to this process names something else in the worker.
    if (setting.spawn === 'per-process') delete childEnv[setting.variable];
    if (setting.spawn !== 'option') continue;
    delete spawnOptions[setting.option];
    const value = settingOption(setting.rule, where, `${name}.${setting.option}`, options[setting.option], warnOnce);
    given[setting.key] = value;
    if (value !== undefined) childEnv[setting.variable] = variableText(setting.rule, value);
  }
  childEnv[ENV.parentPid] = String(process.pid);
  // Which namespace that pid is of: a worker started inside another one (unshare -p, bwrap, a container)
  // then knows not to judge it.
  const namespace = pidNamespace();
  if (namespace !== null) childEnv[ENV.parentPidNs] = namespace;
  // A watcher switched off by the option has nothing to do in the worker: no preload to pay for.
  const arm = (booleanArg(where, `${name}.arm`, armOption) ?? false) && given.enabled !== false;
  const pipe = booleanArg(where, `${name}.lifelinePipe`, lifelinePipe) ?? true;
  if (!pipe)
    return { spawnOptions: spawnOptions as WorkerLaunch['spawnOptions'], childEnv, lifelineFd: undefined, arm };
  const lifeline = withLifelinePipe(stdio);
  childEnv[ENV.parentFd] = String(lifeline.fd);
  return { spawnOptions: { ...spawnOptions, stdio: lifeline.stdio }, childEnv, lifelineFd: lifeline.fd, arm };
}
