/**
 * Hints: events that say the parent may just have died. The kernel closes a dying process's descriptors
 * before it reparents its children, so a hint is never proof: it only makes the watcher check again, now
 * and at short delays after it.
 */
/** After a hint, check the parent at once, then at these delays (ms). */
// Every millisecond at first: the reparenting follows the descriptors' closing at once, unless the dying
// supervisor's other threads are still being torn down.
export const HINT_RECHECKS_MS: readonly number[] = [1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 50, 100, 250, 500, 1000];

/**
 * Check now (the reparenting often happened already: it follows the descriptors' closing closely), then
 * at the delays after it; the timers are unref'd. Returns them, for `clearTimeout`.
 */
export function recheckAfterHint(check: () => void): ReturnType<typeof setTimeout>[] {
  check();
  return HINT_RECHECKS_MS.map((delay) => {
    const timer = setTimeout(check, delay);
    timer.unref();
    return timer;
  });
}
