// /proc/<pid>/stat as text: the fields Lifeline reads, from lines as the kernel writes them. The parity
// vectors and the property tests: ../../parent-watch/test/proc.test.ts.
import { describe, expect, it } from 'vitest';
import { isGoneState, isPid, parseStat } from '@lifeline/core/proc/stat';

// A real line (Linux 6.x, a node process), and one whose comm holds spaces, parentheses and a state-like letter.
const NODE_LINE =
  '4242 (node) S 4100 4242 4100 34816 4242 4194560 9120 0 0 0 57 12 0 0 20 0 11 0 1234567 1190424576 13000 18446744073709551615 1 1 0 0 0 0 0 4096 134234626 0 0 0 17 1 0 0 0 0 0';
const ODD_LINE = '77 (a) Z 1 (b c) R 9 77 77 0 -1 4194560 0 0 0 0 3 4 0 0 20 0 1 0 555 0 0';

describe('parseStat: fields from lines as the kernel writes them', () => {
  it('pid, comm, state, ppid, group, session, CPU ticks (user + system) and start time', () => {
    expect(parseStat(NODE_LINE)).toEqual({
      pid: 4242,
      comm: 'node',
      state: 'S',
      ppid: 4100,
      pgrp: 4242,
      session: 4100,
      cpuTicks: 69,
      startTime: 1234567,
    });
  });

  it('the comm runs to the last parenthesis, whatever it holds', () => {
    expect(parseStat(ODD_LINE)).toEqual({
      pid: 77,
      comm: 'a) Z 1 (b c',
      state: 'R',
      ppid: 9,
      pgrp: 77,
      session: 77,
      cpuTicks: 7,
      startTime: 555,
    });
  });

  it('a short line gives what it has: the optional fields are left out, never guessed', () => {
    expect(parseStat('5 (x) S 1')).toEqual({ pid: 5, comm: 'x', state: 'S', ppid: 1 });
    expect(parseStat('5 (x) S 1 5 5 0 -1 0 0 0 0 0 abc 4')).toEqual({
      pid: 5,
      comm: 'x',
      state: 'S',
      ppid: 1,
      pgrp: 5,
      session: 5,
    });
  });

  it.each(['', 'x', '(x) S 1', '5 x S 1', '5 (x S 1', '5 (x)', '5 (x) 1 1', 'a (x) S 1', '5 (x) S x'])(
    '%j → null',
    (line) => {
      expect(parseStat(line)).toBeNull();
    },
  );

  it('a value that is no string → null', () => {
    expect(parseStat(undefined as unknown as string)).toBeNull();
  });
});

describe('isGoneState / isPid', () => {
  it.each([
    ['Z', true],
    ['X', true],
    ['x', true],
    ['S', false],
    ['R', false],
    ['D', false],
    ['T', false],
    ['t', false],
    ['I', false],
  ])('state %s → gone %s', (state, gone) => {
    expect(isGoneState(state)).toBe(gone);
  });

  it.each([
    [1, true],
    [2 ** 53 - 1, true],
    [0, false],
    [-1, false],
    [1.5, false],
    [2 ** 53, false],
    ['1', false],
    [Number.NaN, false],
  ])('isPid(%j) → %s', (pid, ok) => {
    expect(isPid(pid)).toBe(ok);
  });
});
