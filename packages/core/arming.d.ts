/**
 * - `disabled-by-option` / `disabled-by-env`: switched off (`enabled: false`, `LOCALAI_BACKEND_PARENT_WATCH`);
 * - `unsupported-platform`: Windows, where a parent pid never changes;
 * - `not-main-thread`: asked from a worker thread;
 * - `parent-is-init`: ppid ≤ 1 at start and no expected parent named: nothing to watch;
 * - `parent-gone-at-start`: the expected parent is already gone: orphaned at once;
 * - `watching`: the parent pid is watched; `watching-expected`: the expected parent too (a wrapper between).
 */
export type ArmingCode = 'disabled-by-option' | 'disabled-by-env' | 'unsupported-platform' | 'not-main-thread' | 'parent-is-init' | 'parent-gone-at-start' | 'watching' | 'watching-expected';
/** What the decision needs to know. */
export interface ArmingInput {
    enabled: boolean;
    /** Where `enabled` came from. */
    enabledFrom: 'option' | 'env' | 'default';
    /** The raw value of `LOCALAI_BACKEND_PARENT_WATCH` in the environment read, for the message. */
    enabledRaw: string | undefined;
    platform: NodeJS.Platform;
    mainThread: boolean;
    /** `process.ppid` at arming. */
    ppid: number;
    /** The expected parent, when named. */
    parentPid: number | null;
    /** Where `parentPid` came from. */
    parentPidFrom: 'option' | 'env' | 'none';
    /** Whether the expected parent runs (ask only when `parentPid` is set). */
    parentRunning: () => boolean;
    intervalMs: number;
}
/** The decision. */
export interface ArmingDecision {
    code: ArmingCode;
    /** Whether to start watching (false also for `parent-gone-at-start`: that one is orphaned at once). */
    watch: boolean;
    /** A sentence for people. */
    message: string;
}
/** Decide whether a watcher arms here. */
export declare function decideArming(input: ArmingInput): ArmingDecision;
