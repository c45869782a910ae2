/**
 * Option errors: one message shape (`<where>: <name> must be <expected>, got <value>`) and Node's own
 * error codes, for every programmatic input of every package.
 */
/** Node's codes for bad arguments, as Node core uses them. */
export type ArgErrorCode = 'ERR_INVALID_ARG_TYPE' | 'ERR_INVALID_ARG_VALUE' | 'ERR_OUT_OF_RANGE';
/** Longest text of a value quoted in a message or a warning; longer ones are cut. */
export declare const MAX_QUOTED_CHARS = 80;
/**
 * A value as messages show it: strings quoted (and cut after {@link MAX_QUOTED_CHARS} characters, with
 * the full length said), numbers as written, other values by kind.
 */
export declare function describe(value: unknown): string;
/** Give an error Node's `code` property. */
export declare function withCode<E extends Error>(error: E, code: ArgErrorCode): E & {
    code: ArgErrorCode;
};
/** `TypeError` with code `ERR_INVALID_ARG_TYPE`: `<where>: <name> must be <expected>, got <value>`. */
export declare function invalidArgType(where: string, name: string, expected: string, value: unknown): TypeError;
/** `RangeError` with code `ERR_INVALID_ARG_VALUE`: the type is right, the value is not (`"SIGFOO"`, `"soon"`). */
export declare function invalidArgValue(where: string, name: string, expected: string, value: unknown, detail?: string): RangeError;
/** `RangeError` with code `ERR_OUT_OF_RANGE`: a number outside its bounds. */
export declare function outOfRange(where: string, name: string, expected: string, value: unknown): RangeError;
/**
 * Check that `options` is a plain options object (or undefined) and has only `known` keys.
 * Returns it (or `{}`). Throws `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` naming the call and key.
 */
export declare function optionsObject<T extends object>(where: string, name: string, options: T | undefined | null, known: readonly string[]): T;
/** An optional boolean option. */
export declare function booleanArg(where: string, name: string, value: unknown): boolean | undefined;
/** An optional integer option within [min, max]. */
export declare function integerArg(where: string, name: string, value: unknown, min: number, max: number): number | undefined;
/** An optional environment object: string values only are read; arrays and non-objects are refused. */
export declare function envArg(where: string, name: string, value: unknown): Readonly<Record<string, string | undefined>> | undefined;
/** The text of a thrown value, for a diagnostic line. */
export declare function errorText(error: unknown): string;
