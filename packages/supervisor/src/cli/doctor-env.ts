/**
 * The environment section of `lifeline doctor`: every variable the installed watcher reads (its
 * `explainWatch`, derived from the table of settings, so none can be missing) with what the watcher makes
 * of it, then any other `LOCALAI_*` / `LIFELINE_*` variable, shown as not read.
 */
import type { ExplainedSetting } from '@lifeline/parent-watch';
import { envValue, type EnvLike } from '@lifeline/core/config';

/** One environment variable as the watcher reads it. @internal */
export interface EnvReport {
  name: string;
  /** The raw value, or null when unset. */
  value: string | null;
  /** What the watcher uses. */
  used: string;
}

/** The variables of `env` as the watcher explained them (`settings`), then the others it does not read. @internal */
export function envReport(env: EnvLike, settings: readonly ExplainedSetting[]): EnvReport[] {
  const known: EnvReport[] = settings.map((s) => ({ name: s.variable, value: s.value, used: s.used }));
  const knownNames = new Set<string>(known.map((k) => k.name));
  const others: EnvReport[] = Object.keys(env)
    .filter((name) => /^(LOCALAI_|LIFELINE_)/.test(name) && !knownNames.has(name))
    .sort()
    .map((name) => ({ name, value: envValue(env, name) ?? null, used: 'not read by the watcher' }));
  return [...known, ...others];
}
