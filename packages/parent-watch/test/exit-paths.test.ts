/**
 * Every exit path keeps the orphan path's promises: whatever ends an orphaned worker — an abort listener
 * that throws, a hook calling process.exit, a SIGTERM during the grace — its descendants are taken down
 * (a child that ignores SIGTERM included) and the exit code is the one its stderr line announced.
 * Each case runs beside a control with `killDescendants: false`, whose SIGTERM-ignoring child must
 * survive: the same check would see a survivor.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cleanup,
  expectStaysAlive,
  fixture,
  startTree,
  waitFor,
  waitGone,
  type Tree,
} from '../../../test/helpers/process-tree.js';

afterEach(cleanup);

const FIXTURE = fixture('cleanup-cut-short.mjs');

function tree(cut: string, options: Record<string, unknown>): Promise<Tree> {
  return startTree({
    worker: [FIXTURE],
    subreaper: true, // reaps the orphan and records its real exit code
    env: { FIXTURE_CUT: cut, FIXTURE_OPTIONS: JSON.stringify({ interval: '50ms', ...options }) },
  });
}

/** The armed tree and its `killDescendants: false` control, both orphaned (their middles SIGKILLed). */
async function orphanBoth(cut: string, options: Record<string, unknown>): Promise<[Tree, Tree]> {
  const trees = await Promise.all([tree(cut, options), tree(cut, { ...options, killDescendants: false })]);
  for (const t of trees) process.kill(t.middlePid, 'SIGKILL');
  return trees;
}

/** The control's worker leaves too, and its SIGTERM-ignoring child survives it: the check can see a survivor. */
async function childSurvives(control: Tree, timeoutMs = 10_000): Promise<void> {
  await waitGone(control.workerPid, timeoutMs);
  await expectStaysAlive(control.ready.child as number, 500);
}

/** The exit code the subreaper saw for `pid`. */
function exitCode(t: Tree, pid: number): Promise<number> {
  return waitFor(`the subreaper to reap ${pid}`, () => t.reaped().find((r) => r.pid === pid), 10_000).then(
    (r) => r.code,
  );
}

describe.runIf(process.platform === 'linux')('exit paths once orphaned', () => {
  it('an abort listener that throws: hooks still run, the announced code holds, a SIGTERM-ignoring child is SIGKILLed', async () => {
    const [armed, control] = await orphanBoth('abort-listener-throws', { exitCode: 0, grace: '1s' });
    await waitGone(armed.workerPid);
    expect(await exitCode(armed, armed.workerPid)).toBe(0);
    expect(existsSync(join(armed.dir, 'hook-done'))).toBe(true);
    expect(armed.stderr()).toMatch(/exiting with code 0/);
    expect(armed.stderr()).toMatch(/abort listener blew up on purpose/);
    await waitGone(armed.ready.child as number, 3000);
    await childSurvives(control);
  });

  it('a hook calling process.exit(5): the child is still SIGKILLed and the code is the announced one', async () => {
    const [armed, control] = await orphanBoth('hook-exits', { exitCode: 3, grace: '5s' });
    const tookMs = await waitGone(armed.workerPid);
    expect(tookMs).toBeLessThan(4000); // left through the hook's exit, not the 5 s deadline
    expect(await exitCode(armed, armed.workerPid)).toBe(3);
    expect(armed.stderr()).toMatch(/ending with code 5 during the orphan cleanup; exiting with code 3 as announced/);
    await waitGone(armed.ready.child as number, 1000);
    await childSurvives(control);
  });

  it('a SIGTERM during the grace ends the cleanup early through the same exit: child SIGKILLed, announced code', async () => {
    const [armed, control] = await orphanBoth('sigterm', { exitCode: 3, grace: '20s' });
    for (const t of [armed, control]) {
      await waitFor('the hook to start', () => existsSync(join(t.dir, 'hook-started')));
      process.kill(t.workerPid, 'SIGTERM');
    }
    await waitGone(armed.workerPid, 5000); // long before the 20 s grace
    expect(await exitCode(armed, armed.workerPid)).toBe(3);
    expect(armed.stderr()).toMatch(/SIGTERM during the orphan cleanup: ending it now/);
    await waitGone(armed.ready.child as number, 1000);
    await childSurvives(control, 5000);
  });
});
