/**
 * LIFELINE_PARENT_WATCH_STDIN (opt-in): a stdio server leaves when its stdin ends — with every byte the
 * host sent delivered to the application first. Beside a control without the variable, which stays.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  IMPORT_REGISTER,
  ROOT,
  cleanup,
  exitOf,
  expectStaysAlive,
  fixture,
  gone,
  readText,
  tempDir,
  trackPid,
  waitFor,
  waitForJson,
  waitGone,
} from '../../../test/helpers/process-tree.js';

afterEach(cleanup);

const LINES = 2000;

/** The server under the register preload (or, with `preload` empty, armed only by its own call). */
async function server(env: Record<string, string>, preload = IMPORT_REGISTER, script = 'stdin-reader.mjs') {
  const dir = tempDir();
  const ready = join(dir, 'ready.json');
  const child = spawn(process.execPath, [...preload, fixture(script)], {
    cwd: ROOT,
    env: {
      ...process.env,
      LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: '2s',
      FIXTURE_DIR: dir,
      FIXTURE_READY: ready,
      ...env,
    },
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  trackPid(child.pid);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const readyJson = await waitForJson<{ pid: number; child?: number; grandchild?: number }>(ready);
  if (readyJson.grandchild !== undefined) trackPid(readyJson.grandchild);
  const lines = () => {
    const text = readText(join(dir, 'lines.json'));
    return text ? (JSON.parse(text) as string[]) : [];
  };
  const exitJson = () => waitForJson<{ code: number; fullLoaded: boolean }>(join(dir, 'exit.json'));
  return { child, dir, ready: readyJson, lines, exitJson, stderr: () => stderr };
}

/** Send LINES lines (about 60 kB: several pipe buffers), then end stdin. Returns when it ended. */
async function sendAndEnd(child: ReturnType<typeof spawn>, count = LINES, lastNewline = true): Promise<number> {
  child.stdin?.on('error', () => undefined); // the server may be gone before the last write
  for (let i = 0; i < count; i++) {
    const end = i < count - 1 || lastNewline ? '\n' : '';
    if (!child.stdin?.write(`line ${i} ${'x'.repeat(20)}${end}`))
      await new Promise((resolve) => child.stdin?.once('drain', resolve));
  }
  await new Promise<void>((resolve) => child.stdin?.end(resolve));
  return Date.now();
}

describe.runIf(process.platform !== 'win32')('stdin', () => {
  it('its end makes the server leave with code 0, after the app received every line; without the variable it stays', async () => {
    const [armed, control] = await Promise.all([server({ LIFELINE_PARENT_WATCH_STDIN: '1' }), server({})]);
    await Promise.all([sendAndEnd(armed.child), sendAndEnd(control.child)]);
    // The test (the parent) stays alive: only stdin's end can explain the exit, whatever the machine's pace.
    const exit = await exitOf(armed.child);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(armed.lines()).toHaveLength(LINES);
    expect(armed.lines().at(-1)).toBe(`line ${LINES - 1} ${'x'.repeat(20)}`);
    expect(armed.stderr()).toMatch(
      /stdin closed: the host \(parent \d+\) is gone or asked this process to leave; exiting with code 0/,
    );
    // No descendants: the register preload's light watcher left by itself, the full one never loaded.
    expect(await armed.exitJson()).toEqual({ code: 0, fullLoaded: false });
    // Control: the same server reads everything too, and stays.
    await waitFor('the control to read every line', () => control.lines().length === LINES);
    await expectStaysAlive(control.child.pid as number, 1000);
  });

  it("the app's own end-of-input handling runs first: readline's last line without a newline and its 'close'", async () => {
    const [armed, control] = await Promise.all([server({ LIFELINE_PARENT_WATCH_STDIN: '1' }), server({})]);
    await Promise.all([sendAndEnd(armed.child, LINES, false), sendAndEnd(control.child, LINES, false)]);
    expect(await exitOf(armed.child)).toEqual({ code: 0, signal: null });
    expect(armed.lines()).toHaveLength(LINES); // written by its readline's 'close' handler
    expect(armed.lines().at(-1)).toBe(`line ${LINES - 1} ${'x'.repeat(20)}`);
    // Control: the same server without the variable gets the same, and stays.
    await waitFor('the control to close its readline', () => control.lines().length === LINES);
    await expectStaysAlive(control.child.pid as number, 500);
  });

  it("the app's end-of-input handling queued after 'end' runs too: a `for await` over readline's lines", async () => {
    const env = { FIXTURE_FOR_AWAIT: '1' };
    const [armed, control] = await Promise.all([server({ ...env, LIFELINE_PARENT_WATCH_STDIN: '1' }), server(env)]);
    await Promise.all([sendAndEnd(armed.child, LINES, false), sendAndEnd(control.child, LINES, false)]);
    expect(await exitOf(armed.child)).toEqual({ code: 0, signal: null });
    expect(armed.lines()).toHaveLength(LINES); // written after the loop, on the microtask queue
    expect(armed.lines().at(-1)).toBe(`line ${LINES - 1} ${'x'.repeat(20)}`);
    // Control: the same server without the variable ends its loop the same way, and stays.
    await waitFor('the control to end its loop', () => control.lines().length === LINES);
    await expectStaysAlive(control.child.pid as number, 500);
  });

  it("the app's own 'end' handler runs after 8 MB of raw bytes", async () => {
    const armed = await server({ LIFELINE_PARENT_WATCH_STDIN: '1', FIXTURE_RAW: '1' });
    const size = 8 * 1024 * 1024;
    armed.child.stdin?.on('error', () => undefined);
    armed.child.stdin?.end(Buffer.alloc(size, 'x'));
    expect(await exitOf(armed.child)).toEqual({ code: 0, signal: null });
    expect(JSON.parse(readText(join(armed.dir, 'end.json')))).toEqual({ bytes: size });
  });

  it('with descendants: the full watcher takes over at the end and takes them down, code 0; without the variable all stay', async () => {
    const env = { FIXTURE_GRANDCHILD: '1' };
    const [armed, control] = await Promise.all([server({ ...env, LIFELINE_PARENT_WATCH_STDIN: '1' }), server(env)]);
    await Promise.all([sendAndEnd(armed.child, 10), sendAndEnd(control.child, 10)]);
    expect(await exitOf(armed.child)).toEqual({ code: 0, signal: null });
    await waitGone(armed.ready.grandchild as number);
    expect(await armed.exitJson()).toEqual({ code: 0, fullLoaded: true });
    expect(armed.stderr().trim().split('\n')).toHaveLength(1);
    await waitFor('the control to read every line', () => control.lines().length === 10);
    await expectStaysAlive(control.child.pid as number, 500);
    expect(gone(control.ready.grandchild as number)).toBe(false);
  });

  it("a CommonJS app's own process.exit(1) in its 'end' handler: the orphan path runs first (descendants down, code 0); without the variable it exits 1 and they stay", async () => {
    // CommonJS registers its listeners before any turn of the event loop: the watcher's must be there first.
    const script = 'stdin-exits-on-end.cjs';
    const [armed, control] = await Promise.all([
      server({ LIFELINE_PARENT_WATCH_STDIN: '1' }, IMPORT_REGISTER, script),
      server({}, IMPORT_REGISTER, script),
    ]);
    await Promise.all([sendAndEnd(armed.child, 10), sendAndEnd(control.child, 10)]);
    expect(await exitOf(armed.child)).toEqual({ code: 0, signal: null });
    await waitGone(armed.ready.grandchild as number);
    expect(armed.lines()).toHaveLength(10);
    expect(await exitOf(control.child)).toEqual({ code: 1, signal: null });
    await expectStaysAlive(control.ready.grandchild as number, 500);
  });

  it.each([
    ['taking over from the preload', IMPORT_REGISTER],
    ['without a preload', []],
  ])(
    "the same app calling watchParent() after registering its handler (%s): the full watcher's guard still comes first; without the variable it exits 1 and they stay",
    async (_how, preload) => {
      // The full watcher's listener must not queue behind the app's, whenever it is armed.
      const script = 'stdin-exits-on-end.cjs';
      const [armed, control] = await Promise.all([
        server({ LIFELINE_PARENT_WATCH_STDIN: '1', FIXTURE_WATCH: '1' }, preload, script),
        server({ FIXTURE_WATCH: '1' }, preload, script),
      ]);
      await Promise.all([sendAndEnd(armed.child, 10), sendAndEnd(control.child, 10)]);
      expect(await exitOf(armed.child)).toEqual({ code: 0, signal: null });
      await waitGone(armed.ready.grandchild as number);
      expect(armed.stderr()).toMatch(/stdin closed: .*exiting with code 0/);
      expect(await exitOf(control.child)).toEqual({ code: 1, signal: null });
      await expectStaysAlive(control.ready.grandchild as number, 500);
    },
  );

  it('watchParent({ stdin: true }) called after stdin ended: it counts as ended, the server leaves (code 0); watchParent() alone stays', async () => {
    const [armed, control] = await Promise.all([
      server({ FIXTURE_WATCH_AFTER_END: 'stdin' }, []),
      server({ FIXTURE_WATCH_AFTER_END: 'plain' }, []),
    ]);
    await Promise.all([sendAndEnd(armed.child, 10), sendAndEnd(control.child, 10)]);
    expect(await exitOf(armed.child)).toEqual({ code: 0, signal: null });
    expect(JSON.parse(readText(join(armed.dir, 'watch.json')))).toEqual({ state: 'watching' });
    expect(armed.stderr()).toMatch(/stdin closed: .*exiting with code 0/);
    expect(await waitForJson(join(control.dir, 'watch.json'))).toEqual({ state: 'watching' });
    await expectStaysAlive(control.child.pid as number, 500);
  });

  it('an app that never reads stdin never sees its end: documented; the server stays (poll and pipe still work)', async () => {
    const quiet = await server({ LIFELINE_PARENT_WATCH_STDIN: '1', FIXTURE_NO_READ: '1' });
    await sendAndEnd(quiet.child, 10); // fits in the pipe's buffer: nobody reads it
    await expectStaysAlive(quiet.child.pid as number, 1000);
    expect(quiet.stderr()).toBe('');
  });
});
