const OFF = new Set(['false', '0', 'no', 'off']);
const ON = new Set(['', 'true', '1', 'yes', 'on']);

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
export function readSwitch(raw: string | undefined, fallback: boolean): SwitchReading {
  if (raw === undefined) return { value: fallback, recognised: true };
  const word = raw.trim().toLowerCase();
  if (OFF.has(word)) return { value: false, recognised: true };
  if (word === '') return { value: fallback, recognised: true };
  if (ON.has(word)) return { value: true, recognised: true };
  return { value: fallback, recognised: false };
}
