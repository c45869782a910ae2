/**
 * The environment section of `lifeline doctor`: every variable the watcher reads (derived from the core's
 * `ENV`, so none can be missing) with what the watcher makes of it, then any other `LOCALAI_*` /
 * `LIFELINE_*` variable, shown as not read.
 */
import { ENV, envValue, type EnvLike, type ResolvedConfig } from '@lifeline/core/config';

/** One environment variable as the watcher reads it. @internal */
export interface EnvReport {
  name: string;
  /** The raw value, or null when unset. */
  value: string | null;
  /** What the watcher uses. */
  used: string;
}

/**
 * What the watcher uses of each variable, as shown: one entry for every variable of the core's `ENV`
 * (the type requires it), so a variable the watcher reads is never shown as "not read by the watcher".
 */
const USED: { readonly [K in keyof typeof ENV]: (config: ResolvedConfig) => string } = {
  enabled: (c) => (c.enabled ? 'on' : 'off'),
  interval: (c) => `${c.intervalMs}ms`,
  parentPid: (c) => (c.parentPid === null ? 'none' : String(c.parentPid)),
  parentPidNs: (c) => c.parentPidNs ?? 'none',
  grace: (c) => `${c.graceMs}ms`,
  thread: (c) => (c.thread ? 'on' : 'off'),
  raise: (c) => c.raise ?? 'none (exit)',
  parentFd: (c) => (c.parentFd === null ? 'none' : `fd ${c.parentFd} (checked for a pipe or socket when the watcher arms)`),
  stdin: (c) => (c.stdin ? 'on (leave when stdin ends)' : 'off'),
  wrappers: (c) => (c.wrappers === false ? 'off' : `seen through${c.wrappers.length > 0 ? ` (the table and ${c.wrappers.join(', ')})` : ''}`),
};

/** The variables as the watcher reads them from `env`, given `config` resolved from it. @internal */
export function envReport(env: EnvLike, config: ResolvedConfig): EnvReport[] {
  const read = (name: string): string | null => envValue(env, name) ?? null;
  const known: EnvReport[] = (Object.keys(ENV) as (keyof typeof ENV)[]).map((key) => ({ name: ENV[key], value: read(ENV[key]), used: USED[key](config) }));
  const knownNames = new Set<string>(known.map((k) => k.name));
  const others: EnvReport[] = Object.keys(env)
    .filter((name) => /^(LOCALAI_|LIFELINE_)/.test(name) && !knownNames.has(name))
    .sort()
    .map((name) => ({ name, value: read(name), used: 'not read by the watcher' }));
  return [...known, ...others];
}
