/**
 * Option errors: one message shape (`<where>: <name> must be <expected>, got <value>`) and Node's own
 * error codes, for every programmatic input of every package.
 */

/** Node's codes for bad arguments, as Node core uses them. */
export type ArgErrorCode = 'ERR_INVALID_ARG_TYPE' | 'ERR_INVALID_ARG_VALUE' | 'ERR_OUT_OF_RANGE';

/** Longest text of a value quoted in a message or a warning; longer ones are cut. */
export const MAX_QUOTED_CHARS = 80;

/**
 * A value as messages show it: strings quoted (and cut after {@link MAX_QUOTED_CHARS} characters, with
 * the full length said), numbers as written, other values by kind.
 */
export function describe(value: unknown): string {
  if (typeof value === 'string') {
    if (value.length <= MAX_QUOTED_CHARS) return JSON.stringify(value);
    return `${JSON.stringify(value.slice(0, MAX_QUOTED_CHARS))}… (${value.length} characters)`;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return 'a function';
  return `a value of type ${typeof value}`;
}

/** Give an error Node's `code` property. */
export function withCode<E extends Error>(error: E, code: ArgErrorCode): E & { code: ArgErrorCode } {
  Object.defineProperty(error, 'code', { value: code, enumerable: true, configurable: true, writable: true });
  return error as E & { code: ArgErrorCode };
}

/** `<where>: <name>`, or just `<name>` when `where` is empty (a command-line flag). */
export function subject(where: string, name: string): string {
  return where === '' ? name : `${where}: ${name}`;
}

/** `TypeError` with code `ERR_INVALID_ARG_TYPE`: `<where>: <name> must be <expected>, got <value>`. */
export function invalidArgType(where: string, name: string, expected: string, value: unknown): TypeError {
  return withCode(
    new TypeError(`${subject(where, name)} must be ${expected}, got ${describe(value)}`),
    'ERR_INVALID_ARG_TYPE',
  );
}

/** `RangeError` with code `ERR_INVALID_ARG_VALUE`: the type is right, the value is not (`"SIGFOO"`, `"soon"`). */
export function invalidArgValue(
  where: string,
  name: string,
  expected: string,
  value: unknown,
  detail?: string,
): RangeError {
  const tail = detail ? ` (${detail})` : '';
  return withCode(
    new RangeError(`${subject(where, name)} must be ${expected}, got ${describe(value)}${tail}`),
    'ERR_INVALID_ARG_VALUE',
  );
}

/** `RangeError` with code `ERR_OUT_OF_RANGE`: a number outside its bounds. */
export function outOfRange(where: string, name: string, expected: string, value: unknown): RangeError {
  return withCode(
    new RangeError(`${subject(where, name)} must be ${expected}, got ${describe(value)}`),
    'ERR_OUT_OF_RANGE',
  );
}

/**
 * Check that `options` is a plain options object (or undefined) and has only `known` keys.
 * Returns it (or `{}`). Throws `ERR_INVALID_ARG_TYPE` for a non-object — `null` included: `null` is
 * never a default, for an options argument as for an option's value — and a `TypeError` with
 * `ERR_INVALID_ARG_VALUE` for an unknown key, naming the call and the key.
 */
export function optionsObject<T extends object>(
  where: string,
  name: string,
  options: T | undefined | null,
  known: readonly string[],
): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw invalidArgType(where, name, 'an object', options);
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    // A misspelt key is a mistake in the object's shape: TypeError, with the code Node gives a bad value.
    const error = new TypeError(`${subject(where, `unknown option "${name}.${key}"`)} (known: ${known.join(', ')})`);
    throw withCode(error, 'ERR_INVALID_ARG_VALUE');
  }
  return options;
}

/** An optional boolean option. */
export function booleanArg(where: string, name: string, value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw invalidArgType(where, name, 'a boolean', value);
  return value;
}

/** An optional function option (a callback, an injected dependency). */
export function functionArg<F extends (...args: never[]) => unknown>(
  where: string,
  name: string,
  value: unknown,
): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw invalidArgType(where, name, 'a function', value);
  return value as F;
}

/**
 * A pid given by the caller: a number that is a positive safe integer. A numeric string (`'1234'`, as
 * pids come from JSON, argv or the environment) is refused with `ERR_INVALID_ARG_TYPE`, never coerced:
 * whoever holds a string must say how it becomes a number.
 */
export function pidArg(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number') throw invalidArgType(where, name, 'a pid (a positive integer)', value);
  if (!Number.isSafeInteger(value) || value <= 0) throw outOfRange(where, name, 'a pid (a positive integer)', value);
  return value;
}

/** An optional integer option within [min, max]. */
export function integerArg(where: string, name: string, value: unknown, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw invalidArgType(where, name, 'an integer', value);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw outOfRange(where, name, `an integer within ${min}..${max}`, value);
  }
  return value;
}

/** An optional environment object: string values only are read; arrays and non-objects are refused. */
export function envArg(
  where: string,
  name: string,
  value: unknown,
): Readonly<Record<string, string | undefined>> | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidArgType(where, name, 'an object of environment variables', value);
  }
  return value as Readonly<Record<string, string | undefined>>;
}

/** The text of a thrown value, for a diagnostic line. */
export function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
