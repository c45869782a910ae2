import { invalidArgType } from '@lifeline/core/errors';
/**
 * The serving statuses of the gRPC health protocol (`grpc.health.v1`) a {@link HealthLike} accepts.
 *
 * @example
 * ```ts
 * const status: HealthServingStatus = 'NOT_SERVING';
 * health.setStatus('', status);
 * ```
 */
export type HealthServingStatus = 'UNKNOWN' | 'SERVING' | 'NOT_SERVING';

/**
 * What Lifeline needs from a health service: a `HealthImplementation` of the `grpc-health-check`
 * package fits (it is an optional peer dependency; any object with `setStatus` works).
 *
 * @example
 * ```ts
 * import { HealthImplementation } from 'grpc-health-check';
 * const health: HealthLike = new HealthImplementation({ '': 'SERVING' });
 * ```
 */
export interface HealthLike {
  /** Set the status of `service` (`''` is the whole server) and notify its `Watch` callers. */
  setStatus(service: string, status: HealthServingStatus): void;
  /** Register the `grpc.health.v1.Health` service on a server (`createServer` calls it). */
  addToServer?(server: never): void;
}

/**
 * The service names `health` knows (set with `setStatus`, or watched by a client), plus `''`.
 * grpc-health-check keeps them in private maps; when they cannot be read, only `''` is known.
 * @internal
 */
export function knownServices(health: HealthLike): string[] {
  const names = new Set<string>();
  const bag = health as unknown as Record<string, unknown>;
  for (const field of ['statusMap', 'watchers']) {
    const map = bag[field];
    if (map instanceof Map) {
      for (const key of map.keys()) if (typeof key === 'string' && key !== '') names.add(key);
    }
  }
  return [...names, ''];
}

/**
 * Set every known service, then `''`, to NOT_SERVING. Returns the names set. Never throws: a failing
 * health implementation must not stop the drain.
 * @internal
 */
export function setNotServing(health: HealthLike, onError: (error: unknown) => void): string[] {
  const names = knownServices(health);
  for (const name of names) {
    try {
      health.setStatus(name, 'NOT_SERVING');
    } catch (error) {
      onError(error);
    }
  }
  return names;
}

/** @internal */
export function assertHealth(value: unknown, where: string): asserts value is HealthLike | undefined {
  if (value === undefined) return;
  if (
    value === null ||
    typeof value !== 'object' ||
    typeof (value as { setStatus?: unknown }).setStatus !== 'function'
  ) {
    throw invalidArgType(
      where,
      'options.health',
      'a grpc-health-check HealthImplementation (an object with setStatus)',
      value,
    );
  }
}
