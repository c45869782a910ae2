/**
 * What the register preload's light watcher needs from the settings table, derived from it. In the
 * preload's bundle this module is replaced by its value, computed by this same function at build time
 * (tsup.config.ts): the preload then carries a few names and numbers, not the table and its readers.
 */
import type { DurationRule } from '@lifeline/core/duration-bounds';
import { PER_PROCESS, SETTINGS, setting } from '@lifeline/core/settings';
import { wrapperNames } from '@lifeline/core/wrappers/table';

/** A switch the light watcher reads: its variable and its default. */
export interface LightSwitch {
  variable: string;
  fallback: boolean;
}

/** The facts. */
export interface LightFacts {
  /** `LOCALAI_BACKEND_PARENT_WATCH`. */
  enabled: LightSwitch;
  /** `LIFELINE_PARENT_WATCH_STDIO`. */
  stdio: LightSwitch;
  /** `LIFELINE_PARENT_WATCH_STDIN`. */
  stdin: LightSwitch;
  /** `LOCALAI_BACKEND_PARENT_WATCH_INTERVAL`. */
  interval: { variable: string; bounds: DurationRule; fallback: number };
  /** What only the full watcher reads: any of these set loads it at start (`DEBUG`: its traces). */
  fullOnly: string[];
  /** The variables addressed to this process alone, claimed at start. */
  perProcess: string[];
  /** What a wrapper's argv names: the parent's is tested against these at start, and the table read only if one is there. */
  wrapperNames: string[];
}

/** The facts, from the table. */
export function lightFacts(): LightFacts {
  const lightSwitch = (key: 'enabled' | 'stdio' | 'stdin'): LightSwitch => {
    const row = setting(key);
    return { variable: row.variable, fallback: row.rule.default };
  };
  const interval = setting('interval');
  return {
    enabled: lightSwitch('enabled'),
    stdio: lightSwitch('stdio'),
    stdin: lightSwitch('stdin'),
    interval: { variable: interval.variable, bounds: interval.rule.bounds, fallback: interval.rule.default },
    fullOnly: [...SETTINGS.filter((row) => !row.light).map((row) => row.variable), 'DEBUG'],
    perProcess: [...PER_PROCESS],
    wrapperNames: [...wrapperNames()],
  };
}

/** The facts this process uses. */
export const LIGHT_FACTS: LightFacts = lightFacts();
