/**
 * Seeing through wrappers, switched and extended: `LIFELINE_PARENT_WATCH_WRAPPERS` (a switch word, or
 * names of more wrappers) and the `wrappers` option. The one reading of each.
 */
import { describe, invalidArgType, invalidArgValue } from '../errors.js';
import { readSwitch } from '../switch.js';

/** Off (`false`), or on with these names as wrappers besides the built-in rows. */
export type WrappersSetting = false | readonly string[];

/** A program name: a base name, no path, no spaces. */
// A base name, as long as a file name can be (NAME_MAX): a longer word names no program.
const NAME = /^[\w@][\w.+@-]{0,254}$/;

/** How many of the words that are no program names a warning quotes. */
const SHOWN_BAD_WORDS = 3;

/**
 * Read `LIFELINE_PARENT_WATCH_WRAPPERS`: unset, empty or a switch-on word → the built-in rows; a
 * switch-off word (`false`/`0`/`no`/`off`) → off; otherwise names separated by commas or spaces, each a
 * wrapper whatever its arguments. A word that is no program name is left out with a warning.
 */
export function wrappersFromEnv(
  name: string,
  raw: string | undefined,
  warn: (message: string) => void,
): WrappersSetting {
  const reading = readSwitch(raw, true);
  if (raw === undefined || reading.recognised) return reading.value ? [] : false;
  const words = raw.split(/[\s,]+/).filter(Boolean);
  const bad = [...new Set(words.filter((word) => !NAME.test(word)))];
  if (bad.length > 0) {
    // A few of them: the warning stays one short line whatever the variable holds.
    const shown = bad.slice(0, SHOWN_BAD_WORDS).map((word) => describe(word));
    const more = bad.length > SHOWN_BAD_WORDS ? ` and ${bad.length - SHOWN_BAD_WORDS} more` : '';
    warn(
      `${name}=${describe(raw)} holds words that are not program names (a base name: no paths or spaces): ${shown.join(', ')}${more}; they are ignored`,
    );
  }
  return words.filter((word) => NAME.test(word));
}

/**
 * The `wrappers` option: `true` (the built-in rows), `false` (off), or names of more wrappers.
 * Throws `ERR_INVALID_ARG_TYPE` for another type and `ERR_INVALID_ARG_VALUE` for a name that is no
 * program name.
 */
export function wrappersArg(where: string, name: string, value: unknown): WrappersSetting | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'boolean') return value ? [] : false;
  if (!Array.isArray(value) || value.some((word) => typeof word !== 'string')) {
    throw invalidArgType(where, name, 'a boolean or an array of program names', value);
  }
  const bad = (value as string[]).find((word) => !NAME.test(word));
  if (bad !== undefined) throw invalidArgValue(where, name, 'program names (a base name: no paths or spaces)', bad);
  return [...(value as string[])];
}
