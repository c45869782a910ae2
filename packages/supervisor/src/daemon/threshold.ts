/**
 * Which zombies a daemon may act on. A parent that is about to reap shows a zombie for a moment: only a
 * zombie seen in two consecutive scans under the same parent counts, and with a minimum age, only one
 * whose process started at least that long ago.
 */
import { readFileSync } from 'node:fs';
import type { ProcStat } from '@lifeline/core/proc/stat';
import type { Zombie } from '../liveness/zombies.js';

/**
 * Clock ticks per second of `/proc/<pid>/stat` start times (`USER_HZ`): 100 on every architecture Node
 * runs on. Checked against this process's own start before an age is trusted (see {@link ageClock}).
 */
const USER_HZ = 100;

/** Turns a start time in clock ticks after boot into an age in milliseconds, or `null` when unknown. */
export type AgeClock = (startTime: number | undefined) => number | null;

/**
 * Ages from `/proc/uptime` and a start time (both count from boot, in the same time namespace). `null`
 * when `/proc/uptime` cannot be read, or when this process's own age computed that way disagrees with
 * `process.uptime()` by more than a second (a kernel with another `USER_HZ`): an age that may be wrong
 * is never used to act.
 */
export function ageClock(self: ProcStat | null): AgeClock {
  const uptimeMs = (): number | null => {
    try {
      const seconds = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
      return Number.isFinite(seconds) ? seconds * 1000 : null;
    } catch {
      return null;
    }
  };
  const ageOf = (startTime: number | undefined): number | null => {
    const now = uptimeMs();
    if (now === null || startTime === undefined) return null;
    return Math.max(0, now - (startTime * 1000) / USER_HZ);
  };
  const own = ageOf(self?.startTime);
  if (own === null || Math.abs(own - process.uptime() * 1000) > 1000) return () => null;
  return ageOf;
}

/** A zombie as the daemon tracks it: the listing plus its start time and age. */
export interface TrackedZombie extends Zombie {
  /** Start time in clock ticks after boot (tells a reused pid apart). */
  startTime?: number;
  /** Milliseconds since the process started, or `null` when unknown. */
  ageMs: number | null;
}

/** The result of one scan's threshold. */
export interface Selection {
  /** Zombies that may be acted on. */
  confirmed: TrackedZombie[];
  /** Zombies seen for the first time under this parent, or younger than the minimum age. */
  pending: TrackedZombie[];
}

const key = (z: TrackedZombie): string => `${z.pid}:${z.startTime ?? '?'}:${z.ppid}`;

/**
 * Remembers the previous scan's zombies. `twoScans: false` (a one-shot run, which has no previous scan)
 * leaves only the minimum age, if any.
 */
export class ZombieThreshold {
  private previous = new Set<string>();

  constructor(
    private readonly twoScans: boolean,
    private readonly minAgeMs: number | undefined,
  ) {}

  /** Split this scan's zombies into confirmed and pending, and remember them for the next scan. */
  select(zombies: readonly TrackedZombie[]): Selection {
    const out: Selection = { confirmed: [], pending: [] };
    for (const zombie of zombies) {
      const seenBefore = !this.twoScans || this.previous.has(key(zombie));
      const oldEnough = this.minAgeMs === undefined || (zombie.ageMs !== null && zombie.ageMs >= this.minAgeMs);
      (seenBefore && oldEnough ? out.confirmed : out.pending).push(zombie);
    }
    this.previous = new Set(zombies.map(key));
    return out;
  }
}

/** The zombies of a process table, with start times and ages. */
export function trackZombies(
  zombies: readonly Zombie[],
  processes: readonly ProcStat[],
  clock: AgeClock,
): TrackedZombie[] {
  const starts = new Map<number, number | undefined>();
  for (const p of processes) if (p.state === 'Z') starts.set(p.pid, p.startTime);
  return zombies.map((z) => {
    const startTime = starts.get(z.pid);
    const tracked: TrackedZombie = { ...z, ageMs: clock(startTime) };
    if (startTime !== undefined) tracked.startTime = startTime;
    return tracked;
  });
}
