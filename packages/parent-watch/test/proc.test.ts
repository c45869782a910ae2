import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { isRunning, processState } from '@lifeline/core/proc/state';
import { listProcesses, parseStat, readStat } from '@lifeline/core/proc/stat';
import { childPids, descendantsOf, hasChildrenFiles } from '../src/orphan/descendants.js';
import { cleanup, trackPid, waitFor } from '../../../test/helpers/process-tree.js';

const VECTORS = resolve(import.meta.dirname, '..', '..', '..', 'test', 'vectors');
type StatCase = { line: string; pid?: number; comm?: string; state?: string; ppid?: number; result?: null };
const cases = (JSON.parse(readFileSync(resolve(VECTORS, 'proc-stat.json'), 'utf8')) as { cases: StatCase[] }).cases;
const linux = process.platform === 'linux';
afterEach(cleanup);

/** Start a python3 script (tracked for cleanup); `line(n)` waits for its n-th line of output. */
function startPython(script: string) {
  const child = spawn('python3', ['-c', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  trackPid(child.pid);
  const lines: string[] = [];
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    lines.push(...parts);
  });
  const line = async (n: number): Promise<string> =>
    (await waitFor(`line ${n} of the python fixture`, () => lines.length > n && { text: lines[n] as string })).text;
  return { pid: child.pid as number, stdin: child.stdin, line };
}

describe('parseStat: what cannot be a process is rejected', () => {
  it.each([
    ['0 (x) S 1 0 0 0', 'pid 0'],
    ['5 (x) S -1 5 5 0', 'a negative ppid'],
    ['100000000000000000000000 (x) S 1 5 5 0', 'a pid of 1e23'],
    ['5 (x) S 100000000000000000000000 5 5 0', 'a ppid of 1e23'],
    ['5 (x) SS 1 5 5 0', 'a state of two letters'],
  ])('%s (%s) → null', (line) => {
    expect(parseStat(line)).toBeNull();
  });
});

describe('parseStat: parity vectors', () => {
  it.each(cases)('$line', (c) => {
    const parsed = parseStat(c.line);
    if ('result' in c) expect(parsed).toBeNull();
    else expect(parsed).toMatchObject({ pid: c.pid, comm: c.comm, state: c.state, ppid: c.ppid });
  });

  it('property: never throws, and a comm of any text is read back whole', () => {
    fc.assert(
      fc.property(fc.string(), (line) => {
        parseStat(line);
      }),
    );
    fc.assert(
      fc.property(
        fc.string({ maxLength: 15 }),
        fc.constantFrom('R', 'S', 'Z', 'X', 'D'),
        fc.nat(),
        (comm, state, ppid) => {
          expect(parseStat(`7 (${comm}) ${state} ${ppid} 7 7 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 99 0 0 0`)).toMatchObject({
            pid: 7,
            comm,
            state,
            ppid,
            cpuTicks: 3,
            startTime: 99,
          });
        },
      ),
    );
  });
});

describe('isRunning / processState', () => {
  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('invalid pid %s is not running', (pid) => {
    expect(isRunning(pid)).toBe(false);
    expect(processState(pid)).toBeNull();
  });

  it('this process runs; a reaped pid does not', () => {
    expect(isRunning(process.pid)).toBe(true);
    expect(processState(process.pid)).toMatch(linux ? /^[RS]$/ : /^\?$/);
    const gone = spawnSync('true').pid as number;
    expect(isRunning(gone)).toBe(false);
  });

  it.runIf(linux)(
    'a real zombie is not running, though kill(pid, 0) says it is; its parent still reaps code 42',
    async () => {
      // python3: fork, the child exits 42, the parent does not wait until told to (a line on stdin).
      const script = [
        'import os, sys',
        'pid = os.fork()',
        'if pid == 0: os._exit(42)',
        'print(pid, flush=True)',
        'sys.stdin.readline()',
        '_, status = os.waitpid(pid, 0)',
        'print(os.waitstatus_to_exitcode(status), flush=True)',
      ].join('\n');
      const parent = startPython(script);
      const zombie = Number(await parent.line(0));
      await waitFor('the child to be a zombie', () => processState(zombie) === 'Z');
      expect(processState(zombie)).toBe('Z');
      expect(() => process.kill(zombie, 0)).not.toThrow(); // the control: signal 0 calls it alive
      expect(isRunning(zombie)).toBe(false);
      expect(isRunning(zombie)).toBe(false); // reading it twice did not reap it
      parent.stdin.write('\n');
      expect(await parent.line(1)).toBe('42');
    },
  );

  it.runIf(linux)('a live process renamed to look like a zombie stat line is running', async () => {
    const script = [
      'import ctypes, sys',
      'ctypes.CDLL(None).prctl(15, b"x) Z 1 (y", 0, 0, 0)',
      'print("ready", flush=True)',
      'sys.stdin.readline()',
    ].join('\n');
    const child = startPython(script);
    expect(await child.line(0)).toBe('ready');
    const stat = readStat(child.pid);
    expect(stat?.comm).toBe('x) Z 1 (y');
    expect(stat?.state).toMatch(/^[RS]$/);
    expect(isRunning(child.pid)).toBe(true);
  });
});

describe('descendantsOf', () => {
  it('walks the tree breadth first and ignores other branches', () => {
    const p = (pid: number, ppid: number) => ({ pid, ppid, comm: 'x', state: 'S' });
    const list = [p(1, 0), p(10, 1), p(11, 10), p(12, 11), p(13, 10), p(20, 1), p(21, 20)];
    expect(descendantsOf(10, list).map((s) => s.pid)).toEqual([11, 13, 12]);
    expect(descendantsOf(99, list)).toEqual([]);
  });

  // A real tree: this process → python (child) → sleep (grandchild), plus a child forked from a worker
  // thread, which the kernel lists under that thread's /proc/<pid>/task/<tid>/children, not the main one's.
  it.skipIf(!linux)(
    'finds children, grandchildren and children of other threads, the same way both paths',
    async () => {
      const py = startPython(
        'import subprocess, sys\np = subprocess.Popen(["sleep", "60"])\nprint(p.pid, flush=True)\nsys.stdin.read()',
      );
      const grandchild = Number(await py.line(0));
      trackPid(grandchild);
      const worker = new Worker(
        `const { spawn } = require('node:child_process');
       const { parentPort } = require('node:worker_threads');
       const c = spawn('sleep', ['60'], { stdio: 'ignore' });
       parentPort.postMessage(c.pid);
       parentPort.on('message', () => { c.kill('SIGKILL'); c.on('exit', () => process.exit(0)); });`,
        { eval: true },
      );
      try {
        const fromThread = await new Promise<number>((resolveMessage) => worker.once('message', resolveMessage));
        trackPid(fromThread);
        const want = [py.pid, grandchild, fromThread].sort((a, b) => a - b);
        const found = (list: { pid: number }[]) =>
          list
            .map((s) => s.pid)
            .filter((pid) => want.includes(pid))
            .sort((a, b) => a - b);
        const scanned = descendantsOf(process.pid, listProcesses()); // the full /proc scan
        expect(found(scanned)).toEqual(want);
        if (hasChildrenFiles()) {
          expect(childPids(process.pid)).toEqual(expect.arrayContaining([py.pid, fromThread]));
          expect(childPids(process.pid)).not.toContain(grandchild);
          const walked = descendantsOf(process.pid); // the children-file walk
          expect(found(walked)).toEqual(want);
          expect(walked.map((s) => s.pid).sort()).toEqual(scanned.map((s) => s.pid).sort());
          expect(walked.find((s) => s.pid === grandchild)?.ppid).toBe(py.pid);
        }
      } finally {
        worker.postMessage('stop');
        await worker.terminate();
      }
    },
  );
});
