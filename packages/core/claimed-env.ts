/**
 * Reading the environment, and the per-process variables claimed out of it: one process-wide record, so
 * that every copy of every package (and the register preload's light watcher, which carries no settings
 * table) reads what this process was given, while its children do not inherit it.
 */

/** Environment-like object: only string values are read. */
export type EnvLike = Readonly<Record<string, string | undefined>>;

/**
 * The string value of `name` in `env`, or `undefined`. A runtime that refuses to read the environment
 * (Deno without `--allow-env` throws `NotCapable`) reads as unset: the watcher never throws at load.
 */
export function envValue(env: EnvLike, name: string): string | undefined {
  const claimed = env === process.env ? claimedVariables() : undefined;
  if (claimed !== undefined && Object.hasOwn(claimed, name)) return claimed[name];
  let value: unknown;
  try {
    value = env[name];
  } catch {
    return undefined;
  }
  return typeof value === 'string' ? value : undefined;
}

const CLAIMED = Symbol.for('lifeline.claimed-env.v1');
type Claimed = Readonly<Record<string, string | undefined>>;

/** What {@link claimVariables} took out of `process.env`, or `undefined` before it ran. */
function claimedVariables(): Claimed | undefined {
  return (globalThis as typeof globalThis & { [CLAIMED]?: Claimed })[CLAIMED];
}

/**
 * Take `names` out of `process.env`, once per process (the first claim is every copy's), keeping their
 * values for {@link envValue}. Never throws (a runtime that refuses to change the environment keeps the
 * variables there).
 */
export function claimVariables(names: readonly string[]): void {
  if (claimedVariables() !== undefined) return;
  const claimed: Record<string, string | undefined> = {};
  for (const name of names) {
    const value = envValue(process.env, name);
    if (value === undefined) continue;
    claimed[name] = value;
    try {
      delete process.env[name];
    } catch {
      // the environment is read-only here: the children see it, and the binding to the parent still holds
    }
  }
  Object.defineProperty(globalThis, CLAIMED, {
    value: Object.freeze(claimed),
    enumerable: false,
    configurable: false,
    writable: false,
  });
}
