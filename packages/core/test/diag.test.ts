// The small facts of the runtime core reads: the line prefix, built-ins loaded on first use, a module's URL.
import { describe, expect, it, vi } from 'vitest';
import * as fs from 'node:fs';
import { canLoadBuiltins, isMainThread, loadBuiltin, nodeFs } from '@lifeline/core/builtin';
import { prefix, stderrReaderGone, writeLine } from '@lifeline/core/diag';
import { moduleUrl } from '@lifeline/core/module-url';

describe('diagnostics and built-ins', () => {
  it('every line names the process: lifeline[<pid>]:', () => {
    expect(prefix()).toBe(`lifeline[${process.pid}]:`);
  });

  it('built-ins load on first use, as the same module objects', () => {
    expect(canLoadBuiltins()).toBe(true);
    expect(loadBuiltin<typeof fs>('node:fs').readFileSync).toBe(fs.readFileSync);
    expect(nodeFs().writeSync).toBe(fs.writeSync);
    expect(isMainThread()).toBe(true);
  });

  it("once stderr's reader is known gone, no line is written there (it could only fail with EPIPE)", () => {
    const write = vi.spyOn(nodeFs(), 'writeSync').mockImplementation(() => 0);
    try {
      writeLine('before');
      expect(write).toHaveBeenCalledTimes(1);
      stderrReaderGone();
      writeLine('after');
      expect(write).toHaveBeenCalledTimes(1);
    } finally {
      write.mockRestore();
      const state = (globalThis as Record<symbol, { stderrGone?: boolean }>)[Symbol.for('lifeline.diagnostics.v1')];
      if (state) state.stderrGone = false; // process-wide: the other tests of this worker write again
    }
  });

  it('moduleUrl: import.meta.url when there is one', () => {
    expect(moduleUrl('file:///x/y.mjs')).toBe('file:///x/y.mjs');
  });
});
