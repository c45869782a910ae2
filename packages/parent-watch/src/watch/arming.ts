/**
 * The arming decision: given what the process knows at start, whether a watcher arms, and why — as a
 * code for programs and a sentence for people. Pure: the watcher, the register preload's light watcher and
 * `explainWatch` (what `lifeline doctor` shows) all ask it, so they cannot disagree.
 */
import { ENV } from '@lifeline/core/config';
import { describe } from '@lifeline/core/errors';
import { formatMs } from '@lifeline/core/duration';
import { platformFacts } from '@lifeline/core/platform';
import type { ProcStat } from '@lifeline/core/proc/stat';
import { onChain, type WatchChain } from '@lifeline/core/wrappers/chain';

/**
 * - `disabled-by-option` / `disabled-by-env`: switched off (`enabled: false`, `LOCALAI_BACKEND_PARENT_WATCH`);
 * - `unsupported-platform`: no longer given (Windows arms since it watches the parent's liveness there);
 *   kept so that code comparing with it still compiles;
 * - `unsupported-runtime`: no `process.getBuiltinModule` (Node.js 20 before 20.16): announced with a warning;
 * - `not-main-thread`: asked from a worker thread;
 * - `parent-is-init`: ppid ≤ 1 at start (on Windows: ppid names no running process) and no expected parent
 *   named: nothing to watch;
 * - `parent-gone-at-start`: the expected parent is already gone: orphaned at once;
 * - `watching`: the parent pid is watched; `watching-expected`: the expected parent too (a wrapper between);
 *   `watching-ancestor`: the first ancestor behind pass-through wrappers too (`npm run`, `sh -c`…).
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
  | 'watching-expected'
  | 'watching-ancestor';

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
  /**
   * The chain from the parent up through pass-through wrappers (asked at most once, only when it matters);
   * `null` when wrappers are not seen through (switched off, or no /proc to read them from).
   */
  chain: () => WatchChain | null;
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
  /**
   * The process watched besides the parent pid (checked on every tick: gone, a zombie, or its pid reused
   * means orphaned): the expected parent, or the first ancestor behind wrappers; `null`: the parent alone.
   * Without a start time the watcher reads it.
   */
  expected: Pick<ProcStat, 'pid' | 'startTime'> | null;
}

/** `sh -c (812) <- npm run / npm exec (790)`: the wrappers of a chain, for messages. */
export function wrapperList(chain: WatchChain): string {
  return chain.links
    .filter((link) => link.wrapper !== null)
    .map((link) => `${link.wrapper} (${link.pid})`)
    .join(' <- ');
}

/** Decide whether a watcher arms here. */
export function decideArming(input: ArmingInput): ArmingDecision {
  const off = (code: ArmingCode, message: string, warn = false): ArmingDecision => ({
    code,
    watch: false,
    message,
    warn,
    expected: null,
  });
  if (!input.enabled) {
    return input.enabledFrom === 'option'
      ? off('disabled-by-option', 'disabled by the option enabled: false')
      : off('disabled-by-env', `disabled by ${ENV.enabled}=${describe(input.enabledRaw ?? '')}`);
  }
  if (input.builtins === false) {
    return off(
      'unsupported-runtime',
      'not watching: this runtime has no process.getBuiltinModule (Node.js ≥ 20.16 or ≥ 22.3 is required)',
      true,
    );
  }
  if (!input.mainThread) {
    return off(
      'not-main-thread',
      'watchParent() must be called from the main thread (process.exit in a worker ends only the worker)',
    );
  }
  const byLiveness = platformFacts(input.platform).parentDeath === 'liveness';
  const every = `every ${formatMs(input.intervalMs)}`;
  let walked: WatchChain | null | undefined;
  const chainOnce = (): WatchChain | null => (walked === undefined ? (walked = input.chain()) : walked);
  let ignored = '';
  // A pid from another PID namespace names nothing (or someone else) here: judging it would kill a
  // worker whose supervisor is alive. Our ppid is 0 when our parent is outside our namespace.
  const elsewhere =
    input.parentPid !== null &&
    input.parentPidFrom === 'env' &&
    ((!byLiveness && input.ppid === 0) || input.parentElsewhere?.() === true)
      ? `${ENV.parentPid}=${input.parentPid} names a process of another PID namespace (the supervisor's, outside this sandbox or container): it is not watched`
      : undefined;
  if (elsewhere !== undefined) {
    if (input.ppid <= 1) {
      return off('parent-is-init', `${elsewhere}, and the parent pid here is ${input.ppid}: nothing to watch`, true);
    }
    return {
      code: 'watching',
      watch: true,
      warn: true,
      message: `${elsewhere}; watching the parent pid ${input.ppid} ${every}`,
      expected: null,
    };
  }
  if (input.parentPid !== null) {
    const source = input.parentPidFrom === 'option' ? 'parentPid' : ENV.parentPid;
    if (!input.parentRunning()) {
      return off(
        'parent-gone-at-start',
        `the expected parent ${source}=${input.parentPid} is not running: orphaned already`,
      );
    }
    if (input.parentPid === input.ppid) {
      const how = byLiveness ? ' by its liveness (a parent pid never changes on Windows)' : '';
      return {
        code: 'watching',
        watch: true,
        warn: false,
        message: `watching the parent pid ${input.ppid}${how} ${every}`,
        expected: null,
      };
    }
    const chain = chainOnce();
    const link = chain === null ? undefined : onChain(chain, input.parentPid);
    if (chain !== null && link !== undefined) {
      return {
        code: 'watching-expected',
        watch: true,
        warn: false,
        message: `${source}=${input.parentPid} is behind pass-through wrappers (${wrapperList(chain)}): watching it and the parent pid ${input.ppid} ${every}`,
        expected: { pid: link.pid, startTime: link.startTime },
      };
    }
    if (chain === null || input.parentPidFrom === 'option') {
      // No chain to judge it by (no /proc, or wrappers not seen through), or the application named it: honoured.
      return {
        code: 'watching-expected',
        watch: true,
        warn: true,
        message:
          `${source}=${input.parentPid} is running but is not this process's parent (ppid ${input.ppid}): ` +
          `a wrapper in between? Watching ${byLiveness ? 'it by its liveness' : 'both'} ${every}`,
        expected: { pid: input.parentPid },
      };
    }
    // Inherited from further up (a worker's own child): not this process's supervisor. As if unset.
    ignored = ` (${source}=${input.parentPid} is ignored: neither the parent nor behind pass-through wrappers)`;
  }
  if (byLiveness && (input.ppid <= 0 || !(input.ppidRunning?.() ?? true))) {
    return off(
      'parent-is-init',
      `the parent pid ${input.ppid} names no running process at arming: the parent is gone already, or it is not ` +
        `a Windows process (set ${ENV.parentPid} to the supervisor's pid to watch it)${ignored}`,
    );
  }
  if (!byLiveness && input.ppid <= 1) {
    return off(
      'parent-is-init',
      `the parent pid is ${input.ppid} at arming: already orphaned, or started by init / as PID 1 of a container ` +
        `(set ${ENV.parentPid} to the supervisor's pid to watch it)${ignored}`,
    );
  }
  const how = byLiveness ? ' by its liveness (a parent pid never changes on Windows)' : '';
  const plain: ArmingDecision = {
    code: 'watching',
    watch: true,
    warn: false,
    message: `watching the parent pid ${input.ppid}${how} ${every}${ignored}`,
    expected: null,
  };
  const chain = chainOnce();
  if (!chain?.target) return plain;
  return {
    code: 'watching-ancestor',
    watch: true,
    warn: false,
    message: `watching pid ${chain.target.pid} behind pass-through wrappers (${wrapperList(chain)}) and the parent pid ${input.ppid} ${every}${ignored}`,
    expected: chain.target,
  };
}
