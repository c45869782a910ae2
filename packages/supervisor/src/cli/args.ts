import { warnOnce } from '@lifeline/core/diag';
import { durationArg, type DurationRule } from '@lifeline/core/duration';
import { MAX_QUOTED_CHARS, describe } from '@lifeline/core/errors';

/** Exit code for bad command-line input (a usage error), as most Unix tools do. */
export const EXIT_USAGE = 2;

/** A command-line mistake: the message names the flag; the CLI prints it and exits with code 2. @internal */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Flag kinds: a boolean switch, or a flag taking a value (`--grace 5s` or `--grace=5s`). @internal */
export type FlagSpec = Record<string, 'boolean' | 'string'>;

/** The parsed command line. @internal */
export interface Parsed {
  flags: Map<string, string | true>;
  /** Everything from the first non-flag token (or after `--`) on, untouched, when `stopAtPositional`. */
  rest: string[];
}

/**
 * Parse `argv` against `spec`. `-h`/`--help` are always accepted. Unknown flags and missing values
 * throw a {@link UsageError} naming the flag. @internal
 */
export function parseFlags(argv: readonly string[], spec: FlagSpec, stopAtPositional: boolean): Parsed {
  const flags = new Map<string, string | true>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === '--') {
      if (!stopAtPositional) throw new UsageError('unexpected "--": this command takes no operands');
      rest.push(...argv.slice(i + 1));
      break;
    }
    if (token === '-h' || token === '--help') {
      flags.set('help', true);
      continue;
    }
    if (!token.startsWith('-') || token === '-') {
      if (!stopAtPositional) throw new UsageError(`unexpected argument ${describe(token)}`);
      rest.push(...argv.slice(i));
      break;
    }
    const eq = token.indexOf('=');
    const name = (eq === -1 ? token : token.slice(0, eq)).replace(/^--?/, '');
    const kind = token.startsWith('--') ? spec[name] : undefined;
    if (kind === undefined) {
      const flag = eq === -1 ? token : token.slice(0, eq);
      throw new UsageError(`unknown flag ${flag.length > MAX_QUOTED_CHARS ? describe(flag) : flag}`);
    }
    if (kind === 'boolean') {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      flags.set(name, true);
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = token.slice(eq + 1);
    else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
    flags.set(name, value);
  }
  return { flags, rest };
}

/**
 * Read a duration flag by the rule every package uses (`rule`): a value that is not a duration, or not
 * positive where the rule wants it, is a usage error naming the flag; one outside the rule's bounds is
 * clamped with a warning on stderr, as for the environment and the API. @internal
 */
export function durationFlag(parsed: Parsed, name: string, rule: DurationRule): number | undefined {
  const raw = parsed.flags.get(name);
  if (raw === undefined || raw === true) return undefined;
  try {
    return durationArg('', `--${name}`, raw, rule, undefined, warnOnce);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
