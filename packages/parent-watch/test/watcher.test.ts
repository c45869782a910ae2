// In-process behaviour of the handle (the orphaning itself is tested with real process trees in ../../../test).
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { watchParent } from '../src/watch/registry.js';
import type { ParentWatch } from '../src/watch/types.js';

// The library loads node:fs on first use (process.getBuiltinModule): spy on that very object.
const fs = createRequire(import.meta.url)('node:fs') as typeof import('node:fs');
vi.spyOn(fs, 'writeSync');

let handles: ParentWatch[] = [];
const arm = (...args: Parameters<typeof watchParent>) => {
  const handle = watchParent(...args);
  handles.push(handle);
  return handle;
};
afterEach(() => {
  for (const handle of handles) handle.stop();
  handles = [];
  vi.mocked(fs.writeSync).mockClear();
});
const stderrText = () =>
  vi
    .mocked(fs.writeSync)
    .mock.calls.filter((call) => call[0] === 2)
    .map((call) => String(call[1]))
    .join('');

describe('watchParent handle', () => {
  it('onOrphan refuses a hook that is not a function, in the one error shape', () => {
    const w = arm({ interval: '1h', env: {} });
    expect(() => w.onOrphan('later' as never)).toThrow(
      expect.objectContaining({
        name: 'TypeError',
        code: 'ERR_INVALID_ARG_TYPE',
        message: 'onOrphan(hook): hook must be a function, got "later"',
      }),
    );
  });

  it('the disabled reason reads the env option it was given, not process.env', () => {
    const saved = process.env.LOCALAI_BACKEND_PARENT_WATCH;
    delete process.env.LOCALAI_BACKEND_PARENT_WATCH;
    try {
      const w = arm({ env: { LOCALAI_BACKEND_PARENT_WATCH: 'no' } });
      expect(w.state).toBe('disabled');
      expect(w.reason).toBe('disabled by LOCALAI_BACKEND_PARENT_WATCH="no"');
      expect(w.reasonCode).toBe('disabled-by-env');
      w.stop();
      expect(arm({ enabled: false, env: {} }).reasonCode).toBe('disabled-by-option');
    } finally {
      if (saved !== undefined) process.env.LOCALAI_BACKEND_PARENT_WATCH = saved;
    }
  });

  it('a runtime without process.getBuiltinModule (Node 20 before 20.16): disabled, unsupported-runtime, said once on stderr', () => {
    const original = Object.getOwnPropertyDescriptor(process, 'getBuiltinModule');
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    Object.defineProperty(process, 'getBuiltinModule', { value: undefined, configurable: true, writable: true });
    try {
      const w = arm({ env: {} });
      expect(w.state).toBe('disabled');
      expect(w.reasonCode).toBe('unsupported-runtime');
      expect(w.reason).toMatch(/no process\.getBuiltinModule \(Node\.js ≥ 20\.16 or ≥ 22\.3 is required\)/);
      expect(write.mock.calls.map((call) => String(call[0])).join('')).toMatch(
        /^lifeline\[\d+\]: warning: not watching: this runtime has no process\.getBuiltinModule/,
      );
    } finally {
      if (original) Object.defineProperty(process, 'getBuiltinModule', original);
      write.mockRestore();
    }
  });

  it('arms once per process: a second call returns the same handle and names the ignored options', () => {
    const a = arm({ interval: '1h', env: {} });
    expect(a.state).toBe('watching');
    expect(a.intervalMs).toBe(3_600_000);
    expect(a.capturedParentPid).toBe(process.ppid);
    expect(arm({ env: {} })).toBe(a);
    expect(stderrText()).toBe('');
    expect(arm({ interval: '5s', env: {} })).toBe(a);
    expect(stderrText()).toMatch(/already armed .*ignored: interval: 5000 \(armed with 3600000\)/);
  });

  it('stop() releases the process-wide slot: a later call arms anew; dispose is stop', () => {
    const a = arm({ interval: '1h', env: {} });
    a.stop();
    expect(a.state).toBe('stopped');
    const b = arm({ interval: '1h', env: {} });
    expect(b).not.toBe(a);
    b[Symbol.dispose]();
    expect(b.state).toBe('stopped');
    expect(b.signal.aborted).toBe(false);
  });

  it('disabled by the environment or the option, with a reason', () => {
    const off = arm({ env: { LOCALAI_BACKEND_PARENT_WATCH: 'no' } });
    expect(off.state).toBe('disabled');
    expect(off.reason).toMatch(/disabled by LOCALAI_BACKEND_PARENT_WATCH/);
    off.stop();
    const opt = arm({ enabled: false, env: {} });
    expect(opt.reason).toBe('disabled by the option enabled: false');
  });

  it('environment warnings are printed once, naming the variable', () => {
    arm({ env: { LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: 'often' } }).stop();
    arm({ env: { LOCALAI_BACKEND_PARENT_WATCH_INTERVAL: 'often' } }).stop();
    const text = stderrText();
    expect(
      text.match(/LOCALAI_BACKEND_PARENT_WATCH_INTERVAL="often" is not a duration; using the default 2s/g),
    ).toHaveLength(1);
  });

  it('onOrphan validates its argument and returns an unsubscribe function', () => {
    const watch = arm({ interval: '1h', env: {} });
    expect(() => watch.onOrphan('nope' as never)).toThrow(TypeError);
    const unsubscribe = watch.onOrphan(() => {});
    expect(typeof unsubscribe).toBe('function');
    unsubscribe();
  });

  it("the timer is unref'd: arming adds no ref'd resource (control: a plain setInterval does)", () => {
    const timeouts = () => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
    const before = timeouts();
    arm({ interval: '1h', env: {} });
    expect(timeouts()).toBe(before);
    const plain = setInterval(() => {}, 3_600_000);
    expect(timeouts()).toBe(before + 1);
    clearInterval(plain);
  });
});
