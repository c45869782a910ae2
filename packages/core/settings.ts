/**
 * The watcher's settings, one row each: the one list that the environment reading (`resolveConfig`), the
 * option-over-environment merge (`watchParent`), the register preload's hand-off to the full watcher,
 * `spawnWorker`'s child environment, `lifeline doctor` and the READMEs' tables are derived from. Adding a
 * setting is one row here plus the code that uses its value.
 */
import { DELAY, INTERVAL, type DurationRule } from './duration-bounds.js';

/** Default poll interval: 2 s, as in LocalAI. */
export const DEFAULT_INTERVAL_MS = 2000;
/** Default cleanup deadline: 3 s. */
export const DEFAULT_GRACE_MS = 3000;

/** How a setting's value is read from its variable and checked as an option; each kind has one reader. */
export type SettingRule =
  /** The switch words (`false`/`0`/`no`/`off`, `true`/`1`/`yes`/`on`); `otherwise` ends the warning for any other word. */
  | { readonly kind: 'switch'; readonly default: boolean; readonly otherwise: string }
  /** A duration (milliseconds, or a duration string) within `bounds`. */
  | { readonly kind: 'duration'; readonly bounds: DurationRule; readonly default: number }
  /** A pid this system can hand out, other than this process's own. */
  | { readonly kind: 'pid' }
  /** A PID namespace as `/proc/self/ns/pid` names it (`pid:[4026531836]`). */
  | { readonly kind: 'pid-namespace' }
  /** A file descriptor number, 3 or more. */
  | { readonly kind: 'fd' }
  /** A signal the application can handle (not SIGKILL/SIGSTOP). */
  | { readonly kind: 'signal' }
  /** A switch word, or names of more pass-through wrappers. */
  | { readonly kind: 'wrappers' };

/**
 * What `spawnWorker` does with the setting in the worker's environment:
 * - `per-process`: addressed to one process (the supervisor's pid, its namespace, the pipe's number): never
 *   passed on from this process's environment, set by `spawnWorker` for each worker, and taken out of
 *   `process.env` when the worker's watcher arms so that the worker's own children do not inherit it;
 * - `option`: `spawnWorker`'s option of the same name (validated by the rule), written as the variable;
 * - `inherited`: passed on unchanged with the rest of the environment.
 */
export type SpawnPassing = 'per-process' | 'option' | 'inherited';

/** One setting. */
export interface Setting {
  /** The key of `ENV` (and, when `option` is set, the option's name). */
  readonly key: string;
  /** The environment variable. */
  readonly variable: string;
  /** The field of `resolveConfig()`'s result. */
  readonly field: string;
  /** The `watchParent` (and `spawnWorker`, when `spawn` is `option`) option, or `null` when there is none. */
  readonly option: string | null;
  readonly rule: SettingRule;
  /** Whether the register preload's light watcher handles it; set, any other variable loads the full watcher at start. */
  readonly light: boolean;
  readonly spawn: SpawnPassing;
}

/** The settings, in the order the READMEs and `lifeline doctor` list them. */
export const SETTINGS = [
  {
    key: 'enabled',
    variable: 'LOCALAI_BACKEND_PARENT_WATCH',
    field: 'enabled',
    option: 'enabled',
    rule: { kind: 'switch', default: true, otherwise: 'the watcher stays on (set it to "false" to switch it off)' },
    light: true,
    spawn: 'option',
  },
  {
    key: 'interval',
    variable: 'LOCALAI_BACKEND_PARENT_WATCH_INTERVAL',
    field: 'intervalMs',
    option: 'interval',
    rule: { kind: 'duration', bounds: INTERVAL, default: DEFAULT_INTERVAL_MS },
    light: true,
    spawn: 'option',
  },
  {
    key: 'parentPid',
    variable: 'LIFELINE_PARENT_PID',
    field: 'parentPid',
    option: 'parentPid',
    rule: { kind: 'pid' },
    light: false,
    spawn: 'per-process',
  },
  {
    key: 'parentPidNs',
    variable: 'LIFELINE_PARENT_PID_NS',
    field: 'parentPidNs',
    option: null,
    rule: { kind: 'pid-namespace' },
    light: false,
    spawn: 'per-process',
  },
  {
    key: 'grace',
    variable: 'LIFELINE_PARENT_WATCH_GRACE',
    field: 'graceMs',
    option: 'grace',
    rule: { kind: 'duration', bounds: DELAY, default: DEFAULT_GRACE_MS },
    light: false,
    spawn: 'option',
  },
  {
    key: 'thread',
    variable: 'LIFELINE_PARENT_WATCH_THREAD',
    field: 'thread',
    option: 'thread',
    rule: { kind: 'switch', default: false, otherwise: 'thread mode stays off' },
    light: false,
    spawn: 'option',
  },
  {
    key: 'parentFd',
    variable: 'LIFELINE_PARENT_FD',
    field: 'parentFd',
    option: 'parentFd',
    rule: { kind: 'fd' },
    light: false,
    spawn: 'per-process',
  },
  {
    key: 'stdin',
    variable: 'LIFELINE_PARENT_WATCH_STDIN',
    field: 'stdin',
    option: 'stdin',
    rule: { kind: 'switch', default: false, otherwise: 'stdin is not watched' },
    light: true,
    spawn: 'inherited',
  },
  {
    key: 'stdio',
    variable: 'LIFELINE_PARENT_WATCH_STDIO',
    field: 'stdio',
    option: 'stdio',
    rule: { kind: 'switch', default: true, otherwise: "stdout's and stderr's readers stay watched" },
    light: true,
    spawn: 'inherited',
  },
  {
    key: 'raise',
    variable: 'LIFELINE_PARENT_WATCH_RAISE',
    field: 'raise',
    option: 'raise',
    rule: { kind: 'signal' },
    light: false,
    spawn: 'option',
  },
  {
    key: 'wrappers',
    variable: 'LIFELINE_PARENT_WATCH_WRAPPERS',
    field: 'wrappers',
    option: 'wrappers',
    rule: { kind: 'wrappers' },
    light: false,
    spawn: 'inherited',
  },
] as const satisfies readonly Setting[];

/** One row of {@link SETTINGS}, as its literal type. */
export type SettingRow = (typeof SETTINGS)[number];

/** The variable of each setting by its key: `ENV.parentPid` is `'LIFELINE_PARENT_PID'`. */
export type SettingVariables = { readonly [S in SettingRow as S['key']]: S['variable'] };

/** The row of `key`. */
export function setting<K extends SettingRow['key']>(key: K): Extract<SettingRow, { key: K }> {
  return SETTINGS.find((row) => row.key === key) as Extract<SettingRow, { key: K }>;
}

/**
 * The variables addressed to one process — the supervisor's pid, its PID namespace and the number of the
 * descriptor it passed — which its own children must not inherit: there the pid is not their parent's and
 * the number names another descriptor (the IPC channel of a `fork()`, a data pipe).
 */
// Pure: dropped (with the table) from a bundle that does not claim from it (the register preload).
export const PER_PROCESS: readonly string[] = /* @__PURE__ */ (() =>
  SETTINGS.filter((s) => s.spawn === 'per-process').map((s) => s.variable))();
