/** Prefix of every line Lifeline writes: names the process, since orphans' stderr is often shared. */
export declare function prefix(): string;
/**
 * Write one line to stderr synchronously. An orphan's stderr may be a closed pipe (EPIPE), or the event
 * loop may be about to stop: a synchronous write that ignores errors is the only safe choice.
 */
export declare function writeLine(text: string): void;
/** Print `lifeline[pid]: warning: <message>` on stderr, once per process for the same message. */
export declare function warnOnce(message: string): void;
/** A `debug`-style logger: `log('armed: ppid %d', pid)`. */
export type Logger = (formatter: string, ...args: unknown[]) => void;
/**
 * A logger for `lifeline:<area>` (`DEBUG=lifeline:*`). The `debug` package costs a preload ~10 ms and
 * several MiB, so it is loaded only when `DEBUG` is set at the first trace, with a dynamic `import()`
 * that bundlers see; traces written before it has loaded are queued and replayed (or, if the process
 * exits first, printed plainly). `debug.enable()` called later from code is not seen.
 */
export declare function createLogger(area: string): Logger;
