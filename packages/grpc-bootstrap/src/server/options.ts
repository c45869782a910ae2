import { parseDuration, type WatchParentOptions } from '@lifeline/parent-watch';
import { describe } from './health.js';

const BOOLEAN_KEYS = ['enabled', 'exit', 'killDescendants', 'thread'] as const;

/**
 * Check the shape of the `parentWatch` option early (at `createServer`/`armServer`), so that a mistake
 * throws where it was made rather than in a bind callback. `watchParent` still has the last word.
 * @internal
 */
export function assertWatchOptions(value: unknown, where: string): asserts value is WatchParentOptions | boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`${where}: option "parentWatch" must be watchParent options or false, got ${describe(value)}`);
  }
  const options = value as Record<string, unknown>;
  assertDuration(options.interval, `${where}: option "parentWatch.interval"`, false);
  assertDuration(options.grace, `${where}: option "parentWatch.grace"`, true);
  for (const key of BOOLEAN_KEYS) {
    const v = options[key];
    if (v !== undefined && typeof v !== 'boolean') {
      throw new TypeError(`${where}: option "parentWatch.${key}" must be a boolean, got ${describe(v)}`);
    }
  }
  const { parentPid, exitCode, env } = options;
  if (parentPid !== undefined) {
    if (typeof parentPid !== 'number') {
      throw new TypeError(`${where}: option "parentWatch.parentPid" must be a number, got ${describe(parentPid)}`);
    }
    if (!Number.isSafeInteger(parentPid)) {
      throw new TypeError(`${where}: option "parentWatch.parentPid" must be an integer pid, got ${parentPid}`);
    }
    if (parentPid <= 0) {
      throw new RangeError(`${where}: option "parentWatch.parentPid" must be positive, got ${parentPid}`);
    }
  }
  if (exitCode !== undefined) {
    if (typeof exitCode !== 'number') {
      throw new TypeError(`${where}: option "parentWatch.exitCode" must be a number, got ${describe(exitCode)}`);
    }
    if (!Number.isInteger(exitCode) || exitCode < 0 || exitCode > 255) {
      throw new RangeError(`${where}: option "parentWatch.exitCode" must be an integer in [0, 255], got ${exitCode}`);
    }
  }
  if (env !== undefined && (env === null || typeof env !== 'object')) {
    throw new TypeError(`${where}: option "parentWatch.env" must be an object, got ${describe(env)}`);
  }
}

function assertDuration(value: unknown, name: string, zeroAllowed: boolean): void {
  if (value === undefined) return;
  let ms: number;
  if (typeof value === 'number') {
    ms = value;
  } else if (typeof value === 'string') {
    try {
      ms = parseDuration(value);
    } catch (error) {
      throw new RangeError(`${name}: ${(error as Error).message}`);
    }
  } else {
    throw new TypeError(`${name} must be milliseconds or a duration string such as "500ms", got ${describe(value)}`);
  }
  // Infinity is accepted: watchParent clamps it to the longest timer.
  if (Number.isNaN(ms) || ms < 0 || (!zeroAllowed && ms === 0)) {
    throw new RangeError(`${name} must be ${zeroAllowed ? 'zero or more' : 'positive'}, got ${describe(value)}`);
  }
}
