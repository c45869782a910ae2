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
import type { WatchChain } from '@lifeline/core/wrappers/chain';
import { namedParentVerdict } from './named-parent.js';

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

/** The decision, without its sentence: what a watcher acts on. */
export interface ArmingVerdict {
  code: ArmingCode;
  /** Whether to start watching (false also for `parent-gone-at-start`: that one is orphaned at once). */
  watch: boolean;
  /** Whether the watcher says it on stderr (once): a setup the user should know about. */
  warn: boolean;
  /**
   * The process watched besides the parent pid (checked on every tick: gone, a zombie, or its pid reused
   * means orphaned): the expected parent, or the first ancestor behind wrappers; `null`: the parent alone.
   * Without a start time the watcher reads it.
   */
  expected: Pick<ProcStat, 'pid' | 'startTime'> | null;
  /** Which sentence says it (one code can have several). */
  why: ArmingWhy;
  /** An inherited expected parent that was set aside (neither the parent nor behind wrappers). */
  ignored: boolean;
  /** The chain, when the decision walked it. */
  chain: WatchChain | null | undefined;
}

/** The sentences of the decision, one for each way to reach a code. */
export type ArmingWhy =
  ArmingCode | 'elsewhere' | 'elsewhere-init' | 'init-by-liveness' | 'expected-is-parent' | 'expected-not-parent';

/** The decision. */
export interface ArmingDecision extends Pick<ArmingVerdict, 'code' | 'watch' | 'warn' | 'expected'> {
  /** A sentence for people. */
  message: string;
}

/** `sh -c (812) <- npm run / npm exec (790)`: the wrappers of a chain, for messages. */
export function wrapperList(chain: WatchChain): string {
  return chain.links
    .filter((link) => link.wrapper !== null)
    .map((link) => `${link.wrapper} (${link.pid})`)
    .join(' <- ');
}

/** Decide whether a watcher arms here, with the sentence that says why. */
export function decideArming(input: ArmingInput): ArmingDecision {
  const verdict = armingVerdict(input);
  const { code, watch, warn, expected } = verdict;
  return { code, watch, warn, expected, message: armingMessage(input, verdict) };
}

/**
 * Decide whether a watcher arms here, without the sentence (the register preload's light watcher, which
 * says nothing unless it hands over to the full watcher, which decides again and says it).
 */
export function armingVerdict(input: ArmingInput): ArmingVerdict {
  let walked: WatchChain | null | undefined;
  const chainOnce = (): WatchChain | null => (walked === undefined ? (walked = input.chain()) : walked);
  let ignored = false;
  if (!input.enabled) {
    return verdictOf(ignored, walked, input.enabledFrom === 'option' ? 'disabled-by-option' : 'disabled-by-env', false);
  }
  if (input.builtins === false) {
    return verdictOf(ignored, walked, 'unsupported-runtime', false, null, 'unsupported-runtime', true);
  }
  if (!input.mainThread) return verdictOf(ignored, walked, 'not-main-thread', false);
  const byLiveness = platformFacts(input.platform).parentDeath === 'liveness';
  if (input.parentPid !== null) {
    const named = namedParentVerdict(input, input.parentPid, byLiveness, chainOnce);
    if (named !== 'ignored') return verdictOf(ignored, walked, ...named);
    ignored = true;
  }
  if (byLiveness && (input.ppid <= 0 || !(input.ppidRunning?.() ?? true))) {
    return verdictOf(ignored, walked, 'parent-is-init', false, null, 'init-by-liveness');
  }
  if (!byLiveness && input.ppid <= 1) return verdictOf(ignored, walked, 'parent-is-init', false);
  // The closure's work written out: on the path every worker's start takes, one function less to compile.
  const chain = walked === undefined ? (walked = input.chain()) : walked;
  return chain?.target
    ? verdictOf(ignored, chain, 'watching-ancestor', true, chain.target)
    : verdictOf(ignored, chain, 'watching', true);
}

/** A verdict, with what the judging found on the way (the chain, if walked; a named parent ignored). */
function verdictOf(
  ignored: boolean,
  chain: WatchChain | null | undefined,
  code: ArmingCode,
  watch: boolean,
  expected: ArmingVerdict['expected'] = null,
  why: ArmingWhy = code,
  warn = false,
): ArmingVerdict {
  return { code, watch, warn, expected, why, ignored, chain };
}

/** The sentence that says a verdict. */
function armingMessage(input: ArmingInput, verdict: ArmingVerdict): string {
  const { ppid, parentPid } = input;
  const byLiveness = platformFacts(input.platform).parentDeath === 'liveness';
  const every = `every ${formatMs(input.intervalMs)}`;
  const how = byLiveness ? ' by its liveness (a parent pid never changes on Windows)' : '';
  const source = input.parentPidFrom === 'option' ? 'parentPid' : ENV.parentPid;
  const ignored = verdict.ignored
    ? ` (${source}=${parentPid} is ignored: neither the parent nor behind pass-through wrappers)`
    : '';
  const elsewhere = `${ENV.parentPid}=${parentPid} names a process of another PID namespace (the supervisor's, outside this sandbox or container): it is not watched`;
  const wrappers = verdict.chain ? wrapperList(verdict.chain) : '';
  switch (verdict.why) {
    case 'disabled-by-option':
      return 'disabled by the option enabled: false';
    case 'disabled-by-env':
      return `disabled by ${ENV.enabled}=${describe(input.enabledRaw ?? '')}`;
    case 'unsupported-runtime':
      return 'not watching: this runtime has no process.getBuiltinModule (Node.js ≥ 20.16 or ≥ 22.3 is required)';
    case 'not-main-thread':
      return 'watchParent() must be called from the main thread (process.exit in a worker ends only the worker)';
    case 'elsewhere-init':
      return `${elsewhere}, and the parent pid here is ${ppid}: nothing to watch`;
    case 'elsewhere':
      return `${elsewhere}; watching the parent pid ${ppid} ${every}`;
    case 'parent-gone-at-start':
      return `the expected parent ${source}=${parentPid} is not running: orphaned already`;
    case 'expected-is-parent':
      return `watching the parent pid ${ppid}${how} ${every}`;
    case 'watching-expected':
      return `${source}=${parentPid} is behind pass-through wrappers (${wrappers}): watching it and the parent pid ${ppid} ${every}`;
    case 'expected-not-parent':
      return (
        `${source}=${parentPid} is running but is not this process's parent (ppid ${ppid}): ` +
        `a wrapper in between? Watching ${byLiveness ? 'it by its liveness' : 'both'} ${every}`
      );
    case 'init-by-liveness':
      return (
        `the parent pid ${ppid} names no running process at arming: the parent is gone already, or it is not ` +
        `a Windows process (set ${ENV.parentPid} to the supervisor's pid to watch it)${ignored}`
      );
    case 'parent-is-init':
      return (
        `the parent pid is ${ppid} at arming: already orphaned, or started by init / as PID 1 of a container ` +
        `(set ${ENV.parentPid} to the supervisor's pid to watch it)${ignored}`
      );
    case 'watching-ancestor':
      return `watching pid ${verdict.expected?.pid} behind pass-through wrappers (${wrappers}) and the parent pid ${ppid} ${every}${ignored}`;
    case 'watching':
    case 'unsupported-platform': // no longer given
      return `watching the parent pid ${ppid}${how} ${every}${ignored}`;
  }
}
