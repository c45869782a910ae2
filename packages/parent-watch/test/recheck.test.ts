// The re-checks after a hint: at once, then on timers that never hold the process; the docs list the same delays.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HINT_RECHECKS_MS, recheckAfterHint } from '../src/hints/recheck.js';
import { ROOT } from '../../../test/helpers/process-tree.js';

describe('recheckAfterHint', () => {
  it('checks at once, then once per delay, on unref’d timers', () => {
    let checks = 0;
    const timers = recheckAfterHint(() => void checks++);
    expect(checks).toBe(1);
    expect(timers).toHaveLength(HINT_RECHECKS_MS.length);
    for (const timer of timers) {
      expect(timer.hasRef()).toBe(false);
      clearTimeout(timer);
    }
  });

  it.each(['packages/parent-watch/README.md', 'docs/lifeline-pipe.md'])('%s lists the delays as they are', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8').replace(/\s+/g, ' ');
    const lists = [...text.matchAll(/at once and at ([\d, ]+ and \d+) ms after/g)].map(([, list]) =>
      list!.split(/, | and /).map(Number),
    );
    expect(lists.length).toBeGreaterThan(0);
    for (const list of lists) expect(list).toEqual(HINT_RECHECKS_MS);
  });
});
