import { validateWatchParentOptions, type WatchParentOptions } from '@lifeline/parent-watch';
import { invalidArgType } from '@lifeline/core/errors';

/**
 * Check the shape of the `parentWatch` option early (at `createServer`/`armServer`), so that a mistake
 * throws where it was made rather than in a bind callback. `watchParent` still has the last word.
 * @internal
 */
export function assertWatchOptions(
  value: unknown,
  where: string,
): asserts value is WatchParentOptions | boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidArgType(where, 'options.parentWatch', 'watchParent options or false', value);
  }
  validateWatchParentOptions(value, where, 'options.parentWatch');
}
