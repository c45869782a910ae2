/** A signal-name option (`'SIGTERM'`): throws `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` naming it. */
export declare function signalArg(where: string, name: string, value: unknown, fallback: NodeJS.Signals): NodeJS.Signals;
