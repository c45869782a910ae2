import type { WatchChain } from '@lifeline/core/wrappers/chain';
import { processWide } from '@lifeline/core/process-wide';
import type { OrphanEvent, ParentWatch } from './types.js';

/**
 * What the register preload's light watcher leaves for the full one: the ppid it captured at start (the
 * startup race is closed at preload time, not when the full watcher loads), and how to stop it. @internal
 */
export interface LightWatch {
  /** `process.ppid` at preload. */
  readonly capturedPpid: number;
  /** The chain through pass-through wrappers walked at preload (`null`: not seen through); absent in older copies. */
  readonly chain?: WatchChain | null;
  /**
   * Windows (a parent's death shows by its liveness): whether the parent ran at preload — what the full
   * watcher's arming asks when it takes over, not whether it runs now. `undefined` elsewhere, and from
   * copies of this package that predate Windows support.
   */
  readonly parentRanAtStart?: boolean | undefined;
  /** Whether it watches (its timer runs); false when the arming decision said no (switched off, a worker thread…). */
  watching: boolean;
  /** What told the light watcher that the parent may be gone, when it hands over for that reason. */
  detectedBy: OrphanEvent['detectedBy'] | undefined;
  /** Stop its timer and listeners: the full watcher takes over. */
  stop(): void;
}

/** Process-wide state, shared by every copy of this package (ESM beside CJS, or two versions). @internal */
export interface Registry {
  /** The armed (or disabled) watcher, until it is stopped. */
  current: ParentWatch | undefined;
  /** The explicit options the current watcher was armed with, to warn about conflicting calls. */
  currentOptions: Readonly<Record<string, unknown>> | undefined;
  /** The register preload's light watcher, until the full one takes over. */
  light: LightWatch | undefined;
}

/** The process-wide registry, created on first use. @internal */
export function registry(): Registry {
  return processWide<Registry>('lifeline.parent-watch.v1', () => ({
    current: undefined,
    currentOptions: undefined,
    light: undefined,
  }));
}
