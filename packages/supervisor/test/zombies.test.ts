import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ancestorsOf,
  isRunning,
  killZombieParents,
  processState,
  type ParentAction,
  type Zombie,
} from '../src/index.js';
import { cleanup, spawnTracked, tempDir, trackPid, waitFor, waitForPid } from '../../../test/helpers/process-tree.js';
import { CLI, fixture, NODE } from './helpers.js';

const linux = process.platform === 'linux';
afterEach(cleanup);

/** Start the python parent that leaves a zombie; resolves when the child is a zombie. */
async function zombieParent(): Promise<{ parent: number; zombie: number }> {
  const dir = tempDir();
  spawnTracked('python3', [fixture('make-zombie.py'), dir]);
  const parent = await waitForPid(join(dir, 'parent.pid'));
  const zombie = await waitForPid(join(dir, 'child.pid'));
  trackPid(parent);
  await waitFor('zombie', () => processState(zombie) === 'Z');
  return { parent, zombie };
}

const fake = (pid: number, ppid: number): Zombie => ({ pid, ppid, comm: 'z', parentComm: `p${ppid}` });

describe.runIf(linux)('killZombieParents (fake candidates injected, real signals only to our own fixture)', () => {
  it('never signals PID 1, itself or an ancestor; SIGTERMs a real zombie parent of ours', async () => {
    const { parent, zombie } = await zombieParent();
    const ancestors = ancestorsOf().map((a) => a.pid);
    expect(ancestors).toContain(process.ppid);
    const grandparent = ancestors[1] as number;
    const sent: [number, NodeJS.Signals][] = [];
    const seen: ParentAction[] = [];
    const actions = await killZombieParents({
      zombies: [
        fake(900001, 1),
        fake(900002, process.pid),
        fake(900003, process.ppid),
        fake(900004, grandparent),
        fake(zombie, parent),
        fake(900005, 0),
      ],
      confirm: true,
      grace: '5s',
      kill: (pid, signal) => {
        sent.push([pid, signal]);
        process.kill(pid, signal);
      },
      onAction: (a) => seen.push(a),
    });
    expect(sent).toEqual([[parent, 'SIGTERM']]); // the only signal sent
    const byPid = new Map(actions.map((a) => [a.pid, a]));
    expect(byPid.get(1)).toMatchObject({ outcome: 'skipped', reason: 'pid-1' });
    expect(byPid.get(process.pid)).toMatchObject({ outcome: 'skipped', reason: 'self' });
    expect(byPid.get(process.ppid)).toMatchObject({ outcome: 'skipped', reason: 'ancestor' });
    expect(byPid.get(grandparent)).toMatchObject({
      outcome: 'skipped',
      reason: grandparent === 1 ? 'pid-1' : 'ancestor',
    });
    expect(byPid.get(0)).toMatchObject({ outcome: 'skipped', reason: 'invalid' });
    expect(byPid.get(parent)).toMatchObject({ outcome: 'terminated', zombies: [zombie] });
    expect(seen).toHaveLength(actions.length);
    expect(isRunning(parent)).toBe(false);
  });

  it('without confirm it only plans: nothing is signalled and the parent keeps running', async () => {
    const { parent, zombie } = await zombieParent();
    const sent: number[] = [];
    const actions = await killZombieParents({ zombies: [fake(zombie, parent)], kill: (pid) => sent.push(pid) });
    expect(actions).toEqual([{ pid: parent, comm: `p${parent}`, zombies: [zombie], outcome: 'planned' }]);
    expect(sent).toEqual([]);
    expect(isRunning(parent)).toBe(true);
  });

  it('SIGKILLs a parent that ignores SIGTERM after the grace, and reports permission errors', async () => {
    const { parent, zombie } = await zombieParent();
    const sent: NodeJS.Signals[] = [];
    const actions = await killZombieParents({
      zombies: [fake(zombie, parent)],
      confirm: true,
      grace: 200,
      kill: (pid, signal) => {
        sent.push(signal);
        if (signal === 'SIGKILL') process.kill(pid, signal); // SIGTERM "ignored": not delivered
      },
    });
    expect(sent).toEqual(['SIGTERM', 'SIGKILL']);
    expect(actions[0]?.outcome).toBe('killed');

    const { parent: other, zombie: otherZombie } = await zombieParent();
    const denied = await killZombieParents({
      zombies: [fake(otherZombie, other)],
      confirm: true,
      grace: 100,
      kill: () => {
        throw Object.assign(new Error('operation not permitted'), { code: 'EPERM' });
      },
    });
    expect(denied[0]).toMatchObject({ outcome: 'failed', error: 'EPERM: operation not permitted (SIGTERM)' });
    expect(isRunning(other)).toBe(true);
  });

  it('rejects bad options naming them', async () => {
    await expect(killZombieParents({ grace: 'whenever', zombies: [] })).rejects.toThrow(/grace/);
    await expect(killZombieParents({ zombies: 'x' as unknown as Zombie[] })).rejects.toThrow(/zombies/);
  });

  it('a pid given as a string in protect throws and nothing is signalled (it protected nothing: issue 16 item 6)', async () => {
    const { parent, zombie } = await zombieParent();
    const sent: [number, NodeJS.Signals][] = [];
    const kill = (pid: number, signal: NodeJS.Signals): void => void sent.push([pid, signal]);
    const options = { zombies: [fake(zombie, parent)], confirm: true, grace: 100, kill };
    await expect(
      killZombieParents({ ...options, protect: [String(parent)] as unknown as number[] }),
    ).rejects.toMatchObject({
      name: 'TypeError',
      code: 'ERR_INVALID_ARG_TYPE',
      message: `killZombieParents: options.protect[0] must be a pid (a positive integer), got "${parent}"`,
    });
    expect(sent).toEqual([]);
    // Control: the same pid as a number is protected.
    const actions = await killZombieParents({ ...options, protect: [parent] });
    expect(actions).toEqual([
      { pid: parent, comm: `p${parent}`, zombies: [zombie], outcome: 'skipped', reason: 'protected' },
    ]);
    expect(sent).toEqual([]);
    expect(isRunning(parent)).toBe(true);
  });
});

describe('killZombieParents validates every option before anything is signalled (issue 16 item 10)', () => {
  const z = fake(900001, 900000);
  it.each<[string, Record<string, unknown>, string, string, RegExp]>([
    [
      'confirm: "yes" (was a silent dry run)',
      { confirm: 'yes' },
      'TypeError',
      'ERR_INVALID_ARG_TYPE',
      /^killZombieParents: options\.confirm must be a boolean, got "yes"$/,
    ],
    ['confirm: null', { confirm: null }, 'TypeError', 'ERR_INVALID_ARG_TYPE', /options\.confirm/],
    [
      'kill: not a function',
      { kill: 'kill' },
      'TypeError',
      'ERR_INVALID_ARG_TYPE',
      /^killZombieParents: options\.kill must be a function, got "kill"$/,
    ],
    [
      'isRunning: not a function',
      { isRunning: true },
      'TypeError',
      'ERR_INVALID_ARG_TYPE',
      /options\.isRunning must be a function/,
    ],
    [
      'onAction: not a function',
      { onAction: {} },
      'TypeError',
      'ERR_INVALID_ARG_TYPE',
      /options\.onAction must be a function/,
    ],
    [
      'onAction: null',
      { onAction: null },
      'TypeError',
      'ERR_INVALID_ARG_TYPE',
      /options\.onAction must be a function, got null/,
    ],
    [
      'zombies: [null]',
      { zombies: [null] },
      'TypeError',
      'ERR_INVALID_ARG_TYPE',
      /^killZombieParents: options\.zombies\[0\] must be a zombie/,
    ],
    ['zombies: null', { zombies: null }, 'TypeError', 'ERR_INVALID_ARG_TYPE', /options\.zombies must be an array/],
    [
      'a zombie with a string ppid',
      { zombies: [z, { ...z, ppid: '1' }] },
      'TypeError',
      'ERR_INVALID_ARG_TYPE',
      /options\.zombies\[1\]\.ppid/,
    ],
    [
      'a zombie with a NaN pid',
      { zombies: [{ ...z, pid: Number.NaN }] },
      'RangeError',
      'ERR_OUT_OF_RANGE',
      /options\.zombies\[0\]\.pid must be a pid/,
    ],
    [
      'a zombie without comm',
      { zombies: [{ pid: 2, ppid: 3 }] },
      'TypeError',
      'ERR_INVALID_ARG_TYPE',
      /options\.zombies\[0\]\.comm/,
    ],
    [
      'protect: 1234',
      { protect: 1234 },
      'TypeError',
      'ERR_INVALID_ARG_TYPE',
      /options\.protect must be an array of pids/,
    ],
    ['protect: [1.5]', { protect: [1.5] }, 'RangeError', 'ERR_OUT_OF_RANGE', /options\.protect\[0\] must be a pid/],
    ['protect: [-1]', { protect: [-1] }, 'RangeError', 'ERR_OUT_OF_RANGE', /options\.protect\[0\]/],
    [
      'grace: -1 (the message names options.grace, not a local variable)',
      { grace: -1 },
      'RangeError',
      'ERR_INVALID_ARG_VALUE',
      /^killZombieParents: options\.grace must be/,
    ],
    ['grace: null', { grace: null }, 'TypeError', 'ERR_INVALID_ARG_TYPE', /options\.grace/],
  ])('%s', async (_name, bad, name, code, message) => {
    const sent: number[] = [];
    const error = await killZombieParents({
      zombies: [z],
      kill: (pid: number) => void sent.push(pid),
      ...bad,
    } as never).catch((e: unknown) => e);
    expect(error).toMatchObject({ name, code });
    expect((error as Error).message).toMatch(message);
    expect(sent).toEqual([]);
  });

  it('options: null throws like any other non-object', async () => {
    await expect(killZombieParents(null as never)).rejects.toMatchObject({
      name: 'TypeError',
      code: 'ERR_INVALID_ARG_TYPE',
    });
  });
});

describe.runIf(linux)('lifeline zombies (the built bin)', () => {
  it('lists a real zombie grouped under its parent, as text and JSON', async () => {
    const { parent, zombie } = await zombieParent();
    const json = spawnSync(NODE, [CLI, 'zombies', '--json'], { encoding: 'utf8' });
    expect(json.status).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.available).toBe(true);
    expect(report.zombies).toContainEqual({ pid: zombie, ppid: parent, comm: 'python3', parentComm: 'python3' });
    expect(report.byParent).toContainEqual({ ppid: parent, parentComm: 'python3', count: 1, pids: [zombie] });

    const text = spawnSync(NODE, [CLI, 'zombies'], { encoding: 'utf8' });
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^${parent}\\s+python3\\s+1\\s+${zombie}$`, 'm'));
  });

  it('--kill-parents without --yes prints the plan and signals nothing', async () => {
    const { parent, zombie } = await zombieParent();
    const r = spawnSync(NODE, [CLI, 'zombies', '--kill-parents', '--grace', '2s'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`would send SIGTERM to ${parent} (python3, 1 zombie(s)), then SIGKILL after 2s`);
    expect(r.stdout).toContain('dry run: nothing was signalled; add --yes to do it');
    expect(isRunning(parent)).toBe(true);
    expect(processState(zombie)).toBe('Z');
    const json = JSON.parse(spawnSync(NODE, [CLI, 'zombies', '--kill-parents', '--json'], { encoding: 'utf8' }).stdout);
    expect(json.dryRun).toBe(true);
    expect(json.actions).toContainEqual({ pid: parent, comm: 'python3', zombies: [zombie], outcome: 'planned' });
    for (const a of json.actions) if (a.pid === 1) expect(a).toMatchObject({ outcome: 'skipped', reason: 'pid-1' });
  });
});
