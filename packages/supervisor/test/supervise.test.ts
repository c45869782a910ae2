import { afterEach, describe, expect, it } from 'vitest';
import {
  isRunning,
  supervise,
  type Supervisor,
  type SupervisorExitEvent,
  type SupervisorGiveUpEvent,
  type SupervisorRestartEvent,
  type WorkerProcess,
} from '../src/index.js';
import { waitFor } from '../../../test/helpers/process-tree.js';

const supervisors: Supervisor[] = [];
afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((s) => s.stop({ grace: 500 })));
});
const track = (s: Supervisor): Supervisor => {
  supervisors.push(s);
  return s;
};

/** Collect a supervisor's events in order. */
function record(sup: Supervisor) {
  const events: string[] = [];
  const spawns: WorkerProcess[] = [];
  const exits: SupervisorExitEvent[] = [];
  const restarts: SupervisorRestartEvent[] = [];
  const giveUps: SupervisorGiveUpEvent[] = [];
  sup.on('spawn', (w) => {
    events.push('spawn');
    spawns.push(w);
  });
  sup.on('exit', (e) => {
    events.push('exit');
    exits.push(e);
  });
  sup.on('restart', (e) => {
    events.push('restart');
    restarts.push(e);
  });
  sup.on('give-up', (e) => {
    events.push('give-up');
    giveUps.push(e);
  });
  return { events, spawns, exits, restarts, giveUps };
}

describe('supervise', () => {
  it('restarts a worker SIGKILLed from outside (the OOM killer signal) after the backoff', async () => {
    const sup = track(supervise({ command: 'sleep', args: ['1000'] }, { initialDelay: 300 }));
    const log = record(sup);
    const first = await waitFor('first spawn', () => log.spawns[0]);
    process.kill(first.pid as number, 'SIGKILL');
    const killedAt = Date.now();
    const second = await waitFor('respawn', () => log.spawns[1]);
    const after = Date.now() - killedAt;
    expect(second.pid).not.toBe(first.pid);
    expect(second.isRunning()).toBe(true);
    expect(isRunning(first.pid as number)).toBe(false);
    expect(log.events).toEqual(['spawn', 'exit', 'restart', 'spawn']);
    expect(log.exits[0]).toMatchObject({ signal: 'SIGKILL', failure: true, stopped: false });
    expect(log.restarts[0]).toMatchObject({ attempt: 1, delayMs: 300, restartsInWindow: 1 });
    expect(after).toBeGreaterThanOrEqual(290); // not before the backoff
    expect(sup.restarts).toBe(1);
    expect(sup.state).toBe('running');
    console.log(`SIGKILLed worker respawned ${after}ms after the kill (backoff 300ms)`);

    await sup.stop({ grace: 1000 });
    expect(sup.state).toBe('stopped');
    expect(await sup.finished).toBe('stopped');
    expect(log.exits[1]).toMatchObject({ stopped: true, signal: 'SIGTERM' });
    expect(second.isRunning()).toBe(false);
    expect(log.spawns).toHaveLength(2); // stop() does not restart
  });

  it('"never" does not restart a SIGKILLed worker (control for the test above)', async () => {
    const sup = track(supervise({ command: 'sleep', args: ['1000'] }, { restart: 'never', initialDelay: 10 }));
    const log = record(sup);
    const first = await waitFor('first spawn', () => log.spawns[0]);
    process.kill(first.pid as number, 'SIGKILL');
    expect(await sup.finished).toBe('exited');
    expect(log.events).toEqual(['spawn', 'exit']);
    expect(log.exits[0]).toMatchObject({ signal: 'SIGKILL', failure: true });
    expect(sup.restarts).toBe(0);
  });

  it('the restart cap gives up and says so, with exponential backoff on the way', async () => {
    const sup = track(
      supervise(
        { command: 'sh', args: ['-c', 'exit 3'] },
        { initialDelay: 20, factor: 2, maxDelay: 50, maxRestarts: 3, window: '1m' },
      ),
    );
    const log = record(sup);
    expect(await sup.finished).toBe('gave-up');
    expect(log.events).toEqual([
      'spawn',
      'exit',
      'restart',
      'spawn',
      'exit',
      'restart',
      'spawn',
      'exit',
      'restart',
      'spawn',
      'exit',
      'give-up',
    ]);
    expect(log.restarts.map((r) => r.delayMs)).toEqual([20, 40, 50]); // ×2, capped at maxDelay
    expect(log.exits.every((e) => e.code === 3 && e.failure)).toBe(true);
    expect(log.giveUps[0]?.restartsInWindow).toBe(3);
    expect(log.giveUps[0]?.message).toMatch(/gave up restarting "sh": 3 restart\(s\) within 1m .*code 3/);
    expect(sup.state).toBe('gave-up');
  });

  it('"on-failure" does not restart after exit 0; "always" does', async () => {
    const onFailure = track(supervise({ command: 'sh', args: ['-c', 'exit 0'] }, { initialDelay: 10 }));
    const a = record(onFailure);
    expect(await onFailure.finished).toBe('exited');
    expect(a.events).toEqual(['spawn', 'exit']);
    expect(a.exits[0]?.failure).toBe(false);

    const always = track(
      supervise({ command: 'sh', args: ['-c', 'exit 0'] }, { restart: 'always', initialDelay: 10, maxRestarts: 2 }),
    );
    const b = record(always);
    expect(await always.finished).toBe('gave-up');
    expect(b.restarts).toHaveLength(2);
  });

  it('a command that cannot start counts as a failure and ends in give-up', async () => {
    const sup = track(supervise({ command: 'lifeline-no-such-command-xyz' }, { initialDelay: 5, maxRestarts: 1 }));
    const log = record(sup);
    expect(await sup.finished).toBe('gave-up');
    expect(log.exits[0]?.error).toBeInstanceOf(Error);
    expect(log.giveUps[0]?.message).toMatch(/not started/);
  });

  it('stop() during the backoff cancels the restart', async () => {
    const sup = track(supervise({ command: 'sh', args: ['-c', 'exit 1'] }, { initialDelay: 60_000, maxDelay: 60_000 }));
    const log = record(sup);
    await waitFor('backoff', () => sup.state === 'backoff');
    await sup.stop();
    expect(sup.state).toBe('stopped');
    expect(log.spawns).toHaveLength(1);
  });

  it('rejects bad options with errors naming them', () => {
    const spec = { command: 'sleep', args: ['1'] };
    expect(() => supervise({ command: '' })).toThrow(/spec.command/);
    expect(() => supervise(spec, { restart: 'sometimes' as 'always' })).toThrow(/restart/);
    expect(() => supervise(spec, { initialDelay: 'x' })).toThrow(/initialDelay/);
    expect(() => supervise(spec, { initialDelay: 1000, maxDelay: 10 })).toThrow(/maxDelay/);
    expect(() => supervise(spec, { factor: 0.5 })).toThrow(/factor/);
    expect(() => supervise(spec, { maxRestarts: -1 })).toThrow(/maxRestarts/);
    expect(() => supervise(spec, { window: 0 })).toThrow(/window/);
    expect(() => supervise(spec, { stopGrace: 100 } as never)).toThrow(
      expect.objectContaining({
        name: 'TypeError',
        code: 'ERR_INVALID_ARG_VALUE',
        message: expect.stringMatching(/unknown option "options\.stopGrace"/),
      }),
    );
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['restart: 5 (a wrong type, was a RangeError)', { restart: 5 }, 'TypeError', 'ERR_INVALID_ARG_TYPE'],
    ['restart: null (silently the default before)', { restart: null }, 'TypeError', 'ERR_INVALID_ARG_TYPE'],
    ['factor: null (silently the default before)', { factor: null }, 'TypeError', 'ERR_INVALID_ARG_TYPE'],
    ['maxRestarts: null (silently the default before)', { maxRestarts: null }, 'TypeError', 'ERR_INVALID_ARG_TYPE'],
    ['initialDelay: null (as every duration)', { initialDelay: null }, 'TypeError', 'ERR_INVALID_ARG_TYPE'],
    ['stopSignal: null', { stopSignal: null }, 'TypeError', 'ERR_INVALID_ARG_TYPE'],
  ])(
    'one rule for null and wrong types (issue 16 item 13): %s throws and nothing is spawned',
    (_name, bad, name, code) => {
      const key = Object.keys(bad)[0] as string;
      expect(() => track(supervise({ command: 'sleep', args: ['1000'] }, bad as never))).toThrow(
        expect.objectContaining({
          name,
          code,
          message: expect.stringMatching(new RegExp(`^supervise: options\\.${key} must be`)),
        }),
      );
    },
  );

  it('spec.options: null throws at supervise(), as spawnWorker does (it was silently {})', () => {
    expect(() => track(supervise({ command: 'sleep', args: ['1000'], options: null as never }))).toThrow(
      expect.objectContaining({
        name: 'TypeError',
        code: 'ERR_INVALID_ARG_TYPE',
        message: expect.stringMatching(
          /^supervise: spec\.options must be spawnWorker options \(an object\), got null$/,
        ),
      }),
    );
  });

  it('a bad stopSignal throws at construction, as spawnWorker().stop() does, and nothing is spawned', () => {
    const spec = { command: 'sleep', args: ['1000'] };
    expect(() => supervise(spec, { stopSignal: 'SIGFOO' as NodeJS.Signals })).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        code: 'ERR_INVALID_ARG_VALUE',
        message: expect.stringMatching(/options\.stopSignal must be a signal name/),
      }),
    );
  });

  it('stop() with bad options throws and changes nothing; a later stop() still settles finished', async () => {
    const sup = track(supervise({ command: 'sleep', args: ['1000'] }));
    await waitFor('the worker to run', () => sup.worker?.isRunning());
    expect(() => sup.stop({ grace: -1 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }));
    expect(() => sup.stop({ signal: 'SIGFOO' as NodeJS.Signals })).toThrow(/options\.signal must be a signal name/);
    expect(sup.state).toBe('running');
    expect(sup.worker?.isRunning()).toBe(true);
    await sup.stop({ grace: 500 });
    expect(await sup.finished).toBe('stopped');
    expect(sup.worker?.isRunning()).toBe(false);
  });
});
