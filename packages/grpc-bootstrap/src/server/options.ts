import { validateWatchParentOptions, type WatchParentOptions } from '@lifeline/parent-watch';
import { describe } from './health.js';

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
  validateWatchParentOptions(value, where, 'parentWatch');
}
