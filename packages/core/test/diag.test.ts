// The small facts of the runtime core reads: the line prefix, built-ins loaded on first use, a module's URL.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import { canLoadBuiltins, isMainThread, loadBuiltin, nodeFs } from '@lifeline/core/builtin';
import { prefix } from '@lifeline/core/diag';
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

  it('moduleUrl: import.meta.url when there is one', () => {
    expect(moduleUrl('file:///x/y.mjs')).toBe('file:///x/y.mjs');
  });
});
