/**
 * The foreign-descriptor suite: LIFELINE_PARENT_FD (preload) and watchParent({ parentFd }) (in code)
 * naming every descriptor 3–20 of a bare Node process — libuv's epoll, eventfds and its own pipes (whose
 * write end, once read or closed by a watcher, aborts libuv at the next signal or at exit), /dev/null,
 * numbers not open — with thread mode off and on: the application runs to its end, exit 0. And a watcher
 * armed again after stop() never takes the number the application's next socket got.
 */
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { IMPORT_REGISTER, ROOT, cleanup, exitOf, fixture, trackPid } from '../../../test/helpers/process-tree.js';

afterEach(cleanup);

const APP = fixture('foreign-fd-app.mjs');
const FDS = Array.from({ length: 18 }, (_, i) => i + 3);
/** 18 real processes each: a safety net for a loaded machine, not a wait. */
const MANY = 120_000;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run the app to its exit with `env` added, `extraFds` more 'pipe' entries after stdio; collect its output. */
async function run(args: string[], env: Record<string, string>, extraFds = 0): Promise<Run> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', ...Array<'pipe'>(extraFds).fill('pipe')],
  });
  trackPid(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const { code, signal } = await exitOf(child);
  await new Promise((resolve) => setImmediate(resolve)); // the last chunks
  return { code, signal, stdout, stderr };
}

/** Ran to its end: exit 0, its last line, and nothing on stderr but Lifeline's warnings. */
function ranToItsEnd(result: Run, label: string): void {
  expect({ label, code: result.code, signal: result.signal, end: result.stdout.includes('end pong') }).toEqual({
    label,
    code: 0,
    signal: null,
    end: true,
  });
  for (const line of result.stderr.split('\n').filter(Boolean)) expect(line).toMatch(/^lifeline\[\d+\]: warning: /);
}

/** Run `jobs` with at most `width` at once (each is a few real processes: keep the machine's cores for them). */
async function inBatches<T>(jobs: (() => Promise<T>)[], width = 6): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < jobs.length; i += width)
    results.push(...(await Promise.all(jobs.slice(i, i + width).map((job) => job()))));
  return results;
}

describe.runIf(process.platform === 'linux')('a lifeline descriptor that is not one', () => {
  it.each(['off', 'on'])(
    'LIFELINE_PARENT_FD=3…20 under the preload, thread mode %s: the application runs to its end',
    async (thread) => {
      const runs = await inBatches(
        FDS.map(
          (fd) => () =>
            run([...IMPORT_REGISTER, APP], {
              LIFELINE_PARENT_FD: String(fd),
              // Names this process's parent (the test): the descriptor is meant for it, so the fd checks decide.
              LIFELINE_PARENT_PID: String(process.pid),
              LIFELINE_PARENT_WATCH_THREAD: thread === 'on' ? '1' : '0',
            }).then((result) => ({ fd, result })),
        ),
      );
      for (const { fd, result } of runs) {
        ranToItsEnd(result, `LIFELINE_PARENT_FD=${fd}`);
        // None of a bare Node's descriptors is a lifeline: each is refused, naming the variable.
        expect(result.stderr).toMatch(new RegExp(`warning: LIFELINE_PARENT_FD=${fd} (is|was) .*; it is ignored`));
      }
    },
    MANY,
  );

  it.each(['off', 'on'])(
    'watchParent({ parentFd: 3…20 }) in code, one after another, thread mode %s: the application runs to its end',
    async (thread) => {
      const result = await run([APP], {
        FIXTURE_FDS: JSON.stringify(FDS),
        FIXTURE_THREAD: thread === 'on' ? '1' : '0',
      });
      ranToItsEnd(result, `parentFd 3…20, thread ${thread}`);
    },
  );

  it.each(['off', 'on'])(
    "armed again after stop(), thread mode %s: the freed number is the application's now, and is left to it",
    async (thread) => {
      // fd 3 is a real lifeline pipe (this test holds the other end); stop() closes it, the app's server
      // takes the number (main loop: at once), the second watchParent() reads the stored LIFELINE_PARENT_FD.
      const result = await run(
        [APP],
        {
          FIXTURE_REARM: '1',
          FIXTURE_THREAD: thread === 'on' ? '1' : '0',
          LIFELINE_PARENT_FD: '3',
          LIFELINE_PARENT_PID: String(process.pid),
        },
        1,
      );
      ranToItsEnd(result, `re-armed, thread ${thread}`);
      if (thread === 'off') expect(result.stdout).toContain('server fd: 3\n');
      expect(result.stdout).toContain('rearmed: watching\n');
      expect(result.stderr).toBe('');
    },
  );
});
