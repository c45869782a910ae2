/**
 * What a watcher started here would do, asked of this copy of the package: `lifeline doctor` reports the
 * decision of the watcher that is installed, not a copy of its rule.
 */
import { canLoadBuiltins, isMainThread } from '@lifeline/core/builtin';
import { ENV, envValue, resolveConfig, type EnvLike, type ResolvedConfig } from '@lifeline/core/config';
import { formatMs } from '@lifeline/core/duration';
import { inOtherPidNamespace } from '@lifeline/core/proc/namespace';
import { isRunning } from '@lifeline/core/proc/state';
import { SETTINGS, type SettingRow } from '@lifeline/core/settings';
import { walkChain, type WatchChain } from '@lifeline/core/wrappers/chain';
import { decideArming, type ArmingCode } from './arming.js';
import { hintsHere } from './explain-hints.js';

/** One variable the watcher reads, as {@link explainWatch} shows it. */
export interface ExplainedSetting {
  /** The environment variable. */
  variable: string;
  /** Its raw value, or `null` when unset. */
  value: string | null;
  /** What the watcher uses, for people: `on`, `2000ms`, `none`… */
  used: string;
}

/** One ancestor on the chain through pass-through wrappers. */
export interface ExplainedLink {
  pid: number;
  /** Its argv as /proc shows it, or `null` when it could not be read. */
  argv: readonly string[] | null;
  /** The wrapper row it matched, or `null`: not a wrapper (watched). */
  wrapper: string | null;
}

/** What {@link explainWatch} returns. */
export interface WatchExplanation {
  /** Whether a watcher started here would watch. */
  wouldArm: boolean;
  /** Why, as a code (the `reasonCode` a disabled watcher gives). */
  code: ArmingCode;
  /** Why, as a sentence. */
  reason: string;
  /** The process watched besides the parent pid (the expected parent, or the ancestor behind wrappers), or `null`. */
  watches: number | null;
  /** Every variable the watcher reads, in the README's order, set or not. */
  settings: ExplainedSetting[];
  /** The settings as read from the environment, with a warning for each unusable value. */
  config: ResolvedConfig;
  /**
   * The chain from the parent up through pass-through wrappers to the first ancestor that is not one;
   * `null` when wrappers are not seen through (switched off, or no /proc).
   */
  chain: ExplainedLink[] | null;
  /** What would tell it, as sentences: the poll, then each hint this process has or why not (empty when it would not arm). */
  hints: string[];
}

/**
 * Explain what `watchParent()` with no options (or the register preload) would do in this process, given
 * `env`, without arming anything: whether it would watch and why, each variable it reads and what it makes
 * of it, and the chain through pass-through wrappers. Reads /proc; never throws on the environment.
 *
 * @param env - the environment the watcher would read. @default process.env
 * @example
 * ```ts
 * import { explainWatch } from '@lifeline/parent-watch';
 * const { wouldArm, code, reason } = explainWatch();
 * // true, 'watching', 'watching the parent pid 4242 every 2s'
 * ```
 */
export function explainWatch(env: EnvLike = process.env): WatchExplanation {
  const config = resolveConfig(env);
  const enabledRaw = envValue(env, ENV.enabled);
  const ppid = process.ppid;
  let chain: WatchChain | null = null;
  const decision = decideArming({
    enabled: config.enabled,
    enabledFrom: enabledRaw === undefined ? 'default' : 'env',
    enabledRaw,
    platform: process.platform,
    builtins: canLoadBuiltins(),
    mainThread: isMainThread(),
    ppid,
    parentPid: config.parentPid,
    parentPidFrom: config.parentPid === null ? 'none' : 'env',
    parentRunning: () => config.parentPid !== null && isRunning(config.parentPid),
    ppidRunning: () => isRunning(ppid),
    parentElsewhere: () => inOtherPidNamespace(config.parentPidNs),
    intervalMs: config.intervalMs,
    chain: () => (chain = config.wrappers === false ? null : walkChain(ppid, config.wrappers)),
  });
  // The decision may not have needed it (LIFELINE_PARENT_PID is the parent): walked for the explanation anyway.
  if (chain === null && config.wrappers !== false && decision.watch) chain = walkChain(ppid, config.wrappers);
  const walked = chain as WatchChain | null;
  return {
    wouldArm: decision.watch,
    code: decision.code,
    reason: decision.message,
    watches: decision.expected?.pid ?? null,
    settings: SETTINGS.map((setting) => ({
      variable: setting.variable,
      value: envValue(env, setting.variable) ?? null,
      used: usedText(setting, config),
    })),
    config,
    chain: walked?.links.map(({ pid, argv, wrapper }) => ({ pid, argv, wrapper })) ?? null,
    hints: hintsHere(config, decision.watch),
  };
}

/** What the watcher makes of a setting, by its rule. */
function usedText(setting: SettingRow, config: ResolvedConfig): string {
  const value = config[setting.field];
  switch (setting.rule.kind) {
    case 'switch':
      return value ? 'on' : 'off';
    case 'duration':
      return formatMs(value as number);
    case 'fd':
      return value === null ? 'none' : `fd ${value as number} (checked for a pipe or socket when the watcher arms)`;
    case 'signal':
      return value === null ? 'none (exit)' : String(value);
    case 'wrappers': {
      const extra = value as ResolvedConfig['wrappers'];
      return extra === false ? 'off' : `seen through${extra.length > 0 ? ` (the table and ${extra.join(', ')})` : ''}`;
    }
    case 'pid':
    case 'pid-namespace':
      return value === null ? 'none' : String(value);
  }
}
