/** The outcome of reading an on/off environment variable. */
export interface SwitchReading {
    /** The value to use. */
    value: boolean;
    /** False when the raw value was none of the recognised words (a warning is due). */
    recognised: boolean;
}
/**
 * Read an on/off word the way LocalAI reads `LOCALAI_BACKEND_PARENT_WATCH`: trimmed and lower-cased,
 * `false`/`0`/`no`/`off` are off, `true`/`1`/`yes`/`on` are on, the empty string and an unset variable
 * give `fallback`. Anything else gives `fallback` and is reported as not recognised.
 */
export declare function readSwitch(raw: string | undefined, fallback: boolean): SwitchReading;
