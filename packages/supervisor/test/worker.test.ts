import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isRunning, processState, spawnWorker, type SpawnWorkerOptions, type WorkerProcess } from '../src/index.js';
import {
  ROOT,
  cleanup,
  tempDir,
  trackPid,
  waitFor,
  waitForFile,
  waitForPid,
} from '../../../test/helpers/process-tree.js';
import { fixture, NODE } from './helpers.js';

const workers: WorkerProcess[] = [];
afterEach(() => {
  for (const w of workers.splice(0)) trackPid(w.pid);
  cleanup();
});
const track = (w: WorkerProcess): WorkerProcess => {
  workers.push(w);
  return w;
};

describe('spawnWorker', () => {
  it('hands the worker the supervisor pid, the watch settings, its own process group and the env given', async () => {
    const dir = tempDir();
    const file = join(dir, 'env.json');
    const worker = track(
      spawnWorker(NODE, [fixture('report-env.mjs'), file], {
        interval: '1500ms',
        enabled: false,
        env: { ...process.env, EXTRA: 'x' },
      }),
    );
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    const seen = JSON.parse(readFileSync(file, 'utf8'));
    expect(seen.ppid).toBe(process.pid);
    expect(seen.pgid).toBe(worker.pid); // group leader of its own group
    expect(seen.env).toEqual({
      LIFELINE_PARENT_PID: String(process.pid),
      LOCALAI_BACKEND_PARENT_WATCH: 'false',
      LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '1500ms',
      LIFELINE_PARENT_WATCH_GRACE: null,
      LIFELINE_PARENT_WATCH_THREAD: null,
      EXTRA: 'x',
    });
    expect(worker.isRunning()).toBe(false);
  });

  it('passes every watcher setting (grace and thread too); an interval under 10 ms becomes 10 ms with a warning', () => {
    // In a child process, to read the warning it writes on stderr.
    const dir = tempDir();
    const file = join(dir, 'env.json');
    const script = `
      import { spawnWorker } from '@lifeline/supervisor';
      const w = spawnWorker(process.execPath, [${JSON.stringify(fixture('report-env.mjs'))}, ${JSON.stringify(file)}], { interval: 0.4, grace: '2s', thread: true });
      const exit = await w.exited;
      process.exit(exit.code ?? 1);`;
    const r = spawnSync(NODE, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).env).toMatchObject({
      LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '10ms',
      LIFELINE_PARENT_WATCH_GRACE: '2000ms',
      LIFELINE_PARENT_WATCH_THREAD: 'true',
    });
    expect(r.stderr).toMatch(
      /^lifeline\[\d+\]: warning: spawnWorker: options\.interval=0\.4 is outside \[10ms, 2147483647ms\]; using 10ms$/m,
    );
  });

  it('arm: true starts a Node worker with the register preload by absolute path: once, only for Node, not when switched off', async () => {
    const argvOf = async (command: string, args: string[], options: SpawnWorkerOptions): Promise<string> => {
      const worker = track(spawnWorker(command, args, { ...options, stdio: ['ignore', 'pipe', 'inherit'] }));
      let out = '';
      worker.child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
      await worker.exited;
      return out.trim();
    };
    const print = ['-p', 'JSON.stringify(process.execArgv)'];
    const armed = JSON.parse(await argvOf(NODE, print, { arm: true })) as string[];
    expect(armed).toEqual([
      '--require',
      expect.stringMatching(/parent-watch[\\/]dist[\\/]register-light\.cjs$/),
      ...print,
    ]);
    expect(isAbsolute(armed[1] as string)).toBe(true);
    expect(JSON.parse(await argvOf(NODE, print, {}))).toEqual(print); // the default: as given
    expect(JSON.parse(await argvOf(NODE, print, { arm: true, enabled: false }))).toEqual(print);
    const own = ['--import', '@lifeline/parent-watch/register', ...print];
    expect(JSON.parse(await argvOf(NODE, own, { arm: true, cwd: ROOT }))).toEqual(own);
    expect(await argvOf('sh', ['-c', 'echo "$@"', 'sh', 'a', 'b'], { arm: true })).toBe('a b');
    expect(() => spawnWorker(NODE, [], { arm: 'yes' as unknown as boolean })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
    );
  });

  it('leaves the watch variables alone when interval/enabled are not given', async () => {
    const dir = tempDir();
    const file = join(dir, 'env.json');
    const env = { ...process.env };
    delete env.LOCALAI_BACKEND_PARENT_WATCH;
    delete env.LOCALAI_BACKEND_PARENT_WATCH_INTERVAL;
    const worker = track(spawnWorker(NODE, [fixture('report-env.mjs'), file], { env }));
    await worker.exited;
    const seen = JSON.parse(readFileSync(file, 'utf8'));
    expect(seen.env.LOCALAI_BACKEND_PARENT_WATCH).toBeNull();
    expect(seen.env.LOCALAI_BACKEND_PARENT_WATCH_INTERVAL).toBeNull();
    expect(seen.env.LIFELINE_PARENT_PID).toBe(String(process.pid));
  });

  it.runIf(process.platform === 'linux')(
    'stop() takes a grandchild down too; signalling only the worker leaves it behind (control)',
    async () => {
      // Control: a plain kill of the worker pid. The grandchild survives, re-parented.
      const controlDir = tempDir();
      const control = track(spawnWorker(NODE, [fixture('spawns-grandchild.mjs'), controlDir]));
      const controlGrandchild = await waitForPid(join(controlDir, 'grandchild.pid'));
      await waitForPid(join(controlDir, 'worker.pid'));
      trackPid(controlGrandchild);
      control.child.kill('SIGTERM');
      expect((await control.exited).signal).toBe('SIGTERM');

      // With stop(): the whole group goes.
      const dir = tempDir();
      const worker = track(spawnWorker(NODE, [fixture('spawns-grandchild.mjs'), dir]));
      const grandchild = await waitForPid(join(dir, 'grandchild.pid'));
      await waitForPid(join(dir, 'worker.pid'));
      trackPid(grandchild);
      expect(isRunning(grandchild)).toBe(true);
      const started = Date.now();
      const exit = await worker.stop({ grace: '5s' });
      const took = Date.now() - started;
      expect(exit).toEqual({ code: null, signal: 'SIGTERM' });
      expect(isRunning(grandchild)).toBe(false);
      expect(took).toBeLessThan(5000); // well inside the grace: no SIGKILL was needed
      console.log(`stop() of a worker + grandchild that honour SIGTERM: ${took}ms`);

      // The control's grandchild is still running after all that.
      expect(isRunning(controlGrandchild)).toBe(true);
      expect(readFileSync(`/proc/${controlGrandchild}/stat`, 'utf8')).toContain('(sleep)');
    },
  );

  it('a worker that ignores SIGTERM is SIGKILLed after the grace', async () => {
    const dir = tempDir();
    const worker = track(spawnWorker(NODE, [fixture('ignores-sigterm.mjs'), dir]));
    const pid = await waitForPid(join(dir, 'pid'));
    expect(pid).toBe(worker.pid);
    const started = Date.now();
    const stopping = worker.stop({ grace: 1000 });
    // Control: it got SIGTERM and is still running afterwards (it ignores it).
    await waitForFile(join(dir, 'sigterm'));
    expect(worker.isRunning()).toBe(true);
    const exit = await stopping;
    const took = Date.now() - started;
    expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(took).toBeGreaterThanOrEqual(1000);
    expect(worker.isRunning()).toBe(false);
    expect(worker.stop()).toBe(stopping); // same promise
    console.log(`stop() of a worker ignoring SIGTERM with grace 1000ms: ${took}ms`);
  });

  it('stop() on a worker that already exited resolves with its exit at once', async () => {
    const worker = track(spawnWorker('sh', ['-c', 'exit 3']));
    expect(await worker.exited).toEqual({ code: 3, signal: null });
    expect(await worker.stop()).toEqual({ code: 3, signal: null });
  });

  it('a command that does not exist: no throw, pid undefined, exited carries ENOENT', async () => {
    const worker = spawnWorker('lifeline-no-such-command-xyz');
    expect(worker.pid).toBeUndefined();
    const exit = await worker.exited;
    expect(exit.code).toBeNull();
    expect((exit.error as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect(worker.isRunning()).toBe(false);
    expect(await worker.stop()).toBe(exit);
  });

  it.each([
    ['a file name too long', () => spawnWorker('x'.repeat(5000)), 'ENAMETOOLONG'],
    ['an argument list too long', () => spawnWorker('true', ['x'.repeat(256 * 1024)]), 'E2BIG'],
  ])(
    '%s: no throw (it escaped before: issue 16 item 12), exited carries the error, child.kill() signals nothing',
    async (_name, start, code) => {
      const worker = start();
      expect(worker.pid).toBeUndefined();
      const seen: string[] = [];
      worker.child.on('error', (error: NodeJS.ErrnoException) => seen.push(error.code ?? ''));
      const exit = await worker.exited;
      expect(exit).toMatchObject({ code: null, signal: null, error: expect.objectContaining({ code }) });
      expect(seen).toEqual([code]);
      expect(worker.child.kill()).toBe(false);
      expect(worker.isRunning()).toBe(false);
      expect(await worker.stop()).toBe(exit);
    },
  );

  it.each<[string, unknown, string, string]>([
    ['5', 5, 'TypeError', 'ERR_INVALID_ARG_TYPE'],
    ['an object', {}, 'TypeError', 'ERR_INVALID_ARG_TYPE'],
    ['true', true, 'TypeError', 'ERR_INVALID_ARG_TYPE'],
    ['null', null, 'TypeError', 'ERR_INVALID_ARG_TYPE'],
    ['"bogus"', 'bogus', 'RangeError', 'ERR_INVALID_ARG_VALUE'],
    ['"ipc" as the whole', 'ipc', 'RangeError', 'ERR_INVALID_ARG_VALUE'],
    ['an entry "bogus"', ['pipe', 'bogus'], 'RangeError', 'ERR_INVALID_ARG_VALUE'],
    ['an entry -1', ['pipe', 'pipe', 'pipe', -1], 'RangeError', 'ERR_OUT_OF_RANGE'],
    ['an entry 1.5', ['pipe', 1.5], 'RangeError', 'ERR_OUT_OF_RANGE'],
    ['an entry true', [true], 'TypeError', 'ERR_INVALID_ARG_TYPE'],
    ['an entry {}', ['pipe', {}], 'TypeError', 'ERR_INVALID_ARG_TYPE'],
  ])(
    'stdio %s: a typed error naming options.stdio (issue 16 item 11), and nothing is started',
    (_name, stdio, name, code) => {
      for (const lifelinePipe of [true, false]) {
        expect(() => track(spawnWorker('sleep', ['1000'], { stdio: stdio as never, lifelinePipe }))).toThrow(
          expect.objectContaining({
            name,
            code,
            message: expect.stringMatching(/^spawnWorker: options\.stdio(\[\d+\])? must be /),
          }),
        );
      }
    },
  );

  it('stdio in every form child_process.spawn accepts still works, the lifeline pipe appended', async () => {
    for (const stdio of [
      'ignore',
      'inherit',
      'pipe',
      'overlapped',
      ['ignore', 'ignore', 'ignore'],
      [null, undefined, 2],
      ['ignore', process.stdout, 'inherit', 'ipc'],
    ] as const) {
      const worker = track(
        spawnWorker(NODE, ['-e', 'process.exit(process.env.LIFELINE_PARENT_FD ? 0 : 9)'], { stdio: stdio as never }),
      );
      expect(await worker.exited).toEqual({ code: 0, signal: null });
    }
  });

  it('isRunning() follows the worker from running to killed', async () => {
    const worker = track(spawnWorker('sleep', ['1000']));
    expect(worker.isRunning()).toBe(true);
    process.kill(worker.pid as number, 'SIGKILL');
    await waitFor('worker not running', () => !worker.isRunning());
    expect((await worker.exited).signal).toBe('SIGKILL');
  });

  it('rejects bad input with errors naming the option', () => {
    expect(() => spawnWorker('')).toThrow(TypeError);
    expect(() => spawnWorker('sleep', 'x' as unknown as string[])).toThrow(/args/);
    expect(() => spawnWorker('sleep', [], { interval: 'soon' })).toThrow(/interval/);
    expect(() => spawnWorker('sleep', [], { interval: -5 })).toThrow(RangeError);
    expect(() => spawnWorker('sleep', [], { interval: 0 })).toThrow(/interval/);
    expect(() => spawnWorker('sleep', [], { enabled: 'yes' as unknown as boolean })).toThrow(/enabled/);
    expect(() => spawnWorker('sleep', [], { env: 'abc' as never })).toThrow(
      expect.objectContaining({
        name: 'TypeError',
        code: 'ERR_INVALID_ARG_TYPE',
        message: expect.stringMatching(/options\.env must be an object/),
      }),
    );
    expect(() => spawnWorker('sleep', [], { thread: 1 as never })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
    );
    expect(() => spawnWorker('sleep', [], { grace: -1 })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }),
    );
  });

  it('stop() rejects a bad grace or signal with errors naming them', async () => {
    const worker = track(spawnWorker('sleep', ['1000']));
    expect(() => worker.stop({ grace: 'later' })).toThrow(/grace/);
    expect(() => worker.stop({ grace: -1 })).toThrow(RangeError);
    expect(() => worker.stop({ signal: 'SIGNOPE' as NodeJS.Signals })).toThrow(/signal/);
    await worker.stop({ grace: 2000 });
    expect(processState(worker.pid as number)).toBeNull();
  });
});
