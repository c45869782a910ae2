/**
 * The arming decision: given what the process knows at start, whether a watcher arms, and why — as a
 * code for programs (`lifeline run`) and a sentence for people. Pure: the watcher, the watchdog thread's
 * starter and `lifeline doctor` all ask it, so they cannot disagree.
 */
import { ENV } from './config.js';
import { describe } from './errors.js';
import { formatMs } from './duration.js';
import { platformFacts } from './platform.js';

/**
 * - `disabled-by-option` / `disabled-by-env`: switched off (`enabled: false`, `LOCALAI_BACKEND_PARENT_WATCH`);
 * - `unsupported-platform`: no longer given (Windows arms since it watches the parent's liveness there);
 *   kept so that code comparing with it still compiles;
 * - `unsupported-runtime`: no `process.getBuiltinModule` (Node.js 20 before 20.16): announced with a warning;
 * - `not-main-thread`: asked from a worker thread;
 * - `parent-is-init`: ppid ≤ 1 at start (on Windows: ppid names no running process) and no expected parent
 *   named: nothing to watch;
 * - `parent-gone-at-start`: the expected parent is already gone: orphaned at once;
 * - `watching`: the parent pid is watched; `watching-expected`: the expected parent too (a wrapper between).
 */
export type ArmingCode =
  | 'disabled-by-option'
  | 'disabled-by-env'
  | 'unsupported-platform'
  | 'unsupported-runtime'
  | 'not-main-thread'
  | 'parent-is-init'
  | 'parent-gone-at-start'
  | 'watching'
  | 'watching-expected';

/** What the decision needs to know. */
export interface ArmingInput {
  enabled: boolean;
  /** Where `enabled` came from. */
  enabledFrom: 'option' | 'env' | 'default';
  /** The raw value of `LOCALAI_BACKEND_PARENT_WATCH` in the environment read, for the message. */
  enabledRaw: string | undefined;
  platform: NodeJS.Platform;
  /** Whether built-ins load on first use (`process.getBuiltinModule`). @default true */
  builtins?: boolean;
  mainThread: boolean;
  /** `process.ppid` at arming. */
  ppid: number;
  /** The expected parent, when named. */
  parentPid: number | null;
  /** Where `parentPid` came from. */
  parentPidFrom: 'option' | 'env' | 'none';
  /**
   * Whether an inherited `parentPid` (from the environment) was handed down from another PID namespace
   * than this process's (`LIFELINE_PARENT_PID_NS` differs). A ppid of 0 says so by itself. @default none
   */
  parentElsewhere?: () => boolean;
  /** Whether the expected parent runs (ask only when `parentPid` is set). */
  parentRunning: () => boolean;
  /**
   * Whether the process `ppid` names runs: asked only where a parent's death shows by its liveness
   * (Windows), when no expected parent is named. @default () => true
   */
  ppidRunning?: () => boolean;
  intervalMs: number;
}

/** The decision. */
export interface ArmingDecision {
  code: ArmingCode;
  /** Whether to start watching (false also for `parent-gone-at-start`: that one is orphaned at once). */
  watch: boolean;
  /** A sentence for people. */
  message: string;
  /** Whether the watcher says it on stderr (once): a setup the user should know about. */
  warn: boolean;
}

/** Decide whether a watcher arms here. */
export function decideArming(input: ArmingInput): ArmingDecision {
  const off = (code: ArmingCode, message: string, warn = false): ArmingDecision => ({ code, watch: false, message, warn });
  if (!input.enabled) {
    return input.enabledFrom === 'option'
      ? off('disabled-by-option', 'disabled by the option enabled: false')
      : off('disabled-by-env', `disabled by ${ENV.enabled}=${describe(input.enabledRaw ?? '')}`);
  }
  if (input.builtins === false) {
    return off('unsupported-runtime', 'not watching: this runtime has no process.getBuiltinModule (Node.js ≥ 20.16 or ≥ 22.3 is required)', true);
  }
  if (!input.mainThread) {
    return off('not-main-thread', 'watchParent() must be called from the main thread (process.exit in a worker ends only the worker)');
  }
  const byLiveness = platformFacts(input.platform).parentDeath === 'liveness';
  const every = `every ${formatMs(input.intervalMs)}`;
  // A pid from another PID namespace names nothing (or someone else) here: judging it would kill a
  // worker whose supervisor is alive. Our ppid is 0 when our parent is outside our namespace.
  const elsewhere =
    input.parentPid !== null && input.parentPidFrom === 'env' && ((!byLiveness && input.ppid === 0) || input.parentElsewhere?.() === true)
      ? `${ENV.parentPid}=${input.parentPid} names a process of another PID namespace (the supervisor's, outside this sandbox or container): it is not watched`
      : undefined;
  if (elsewhere !== undefined) {
    if (input.ppid <= 1) {
      return off('parent-is-init', `${elsewhere}, and the parent pid here is ${input.ppid}: nothing to watch`, true);
    }
    return { code: 'watching', watch: true, warn: true, message: `${elsewhere}; watching the parent pid ${input.ppid} ${every}` };
  }
  if (input.parentPid !== null) {
    const source = input.parentPidFrom === 'option' ? 'parentPid' : ENV.parentPid;
    if (!input.parentRunning()) {
      return off('parent-gone-at-start', `the expected parent ${source}=${input.parentPid} is not running: orphaned already`);
    }
    if (input.parentPid !== input.ppid) {
      return {
        code: 'watching-expected',
        watch: true,
        warn: true,
        message:
          `${source}=${input.parentPid} is running but is not this process's parent (ppid ${input.ppid}): ` +
          `a wrapper in between? Watching ${byLiveness ? 'it by its liveness' : 'both'} ${every}`,
      };
    }
  } else if (byLiveness && (input.ppid <= 0 || !(input.ppidRunning?.() ?? true))) {
    return off(
      'parent-is-init',
      `the parent pid ${input.ppid} names no running process at arming: the parent is gone already, or it is not ` +
        `a Windows process (set ${ENV.parentPid} to the supervisor's pid to watch it)`,
    );
  } else if (!byLiveness && input.ppid <= 1) {
    return off(
      'parent-is-init',
      `the parent pid is ${input.ppid} at arming: already orphaned, or started by init / as PID 1 of a container ` +
        `(set ${ENV.parentPid} to the supervisor's pid to watch it)`,
    );
  }
  const how = byLiveness ? ' by its liveness (a parent pid never changes on Windows)' : '';
  return { code: 'watching', watch: true, warn: false, message: `watching the parent pid ${input.ppid}${how} ${every}` };
}
