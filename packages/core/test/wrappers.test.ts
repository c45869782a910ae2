// Seeing through wrappers: the setting (variable and option) and the command-line reading under the table.
// The table's rows against real launchers' command lines: ../../parent-watch/test/wrappers.test.ts.
import { describe, expect, it } from 'vitest';
import { onChain, type WatchChain } from '@lifeline/core/wrappers/chain';
import { namesWrapper } from '@lifeline/core/wrappers/names';
import { wrappersArg, wrappersFromEnv } from '@lifeline/core/wrappers/setting';
import { parseCommand, scriptName, shellRunsCommand } from '@lifeline/core/wrappers/table';

describe('wrappersFromEnv', () => {
  const read = (raw: string | undefined): { value: unknown; said: string[] } => {
    const said: string[] = [];
    return { value: wrappersFromEnv('W', raw, (message) => void said.push(message)), said };
  };

  it.each([undefined, '', '1', 'on', 'true'])('%j: the built-in rows', (raw) => {
    expect(read(raw)).toEqual({ value: [], said: [] });
  });

  it.each(['0', 'off', 'false', 'no'])('%j: off', (raw) => {
    expect(read(raw)).toEqual({ value: false, said: [] });
  });

  it('names separated by commas or spaces; a word that is no program name is left out with one warning', () => {
    expect(read('dumb-init,s6-svc  my.wrapper@2')).toEqual({
      value: ['dumb-init', 's6-svc', 'my.wrapper@2'],
      said: [],
    });
    expect(read('dumb-init, /usr/bin/x ./y')).toEqual({
      value: ['dumb-init'],
      said: [
        'W="dumb-init, /usr/bin/x ./y" holds words that are not program names (a base name: no paths or spaces): "/usr/bin/x", "./y"; they are ignored',
      ],
    });
    expect(read('x'.repeat(256)).value).toEqual([]);
  });

  it('the warning quotes three of the words that are no program names, each once, however many there are', () => {
    expect(read('/a /b /a /c /d /e ok').said).toEqual([
      'W="/a /b /a /c /d /e ok" holds words that are not program names (a base name: no paths or spaces): "/a", "/b", "/c" and 2 more; they are ignored',
    ]);
    // What a fuzzer found: a megabyte of one bad word made a warning of megabytes.
    const { said } = read('μ\t'.repeat(500_000));
    expect(said).toHaveLength(1);
    expect((said[0] as string).length).toBeLessThan(500);
  });
});

describe('wrappersArg', () => {
  it('true: the built-in rows; false: off; names: copied', () => {
    expect(wrappersArg('f()', 'o.wrappers', undefined)).toBeUndefined();
    expect(wrappersArg('f()', 'o.wrappers', true)).toEqual([]);
    expect(wrappersArg('f()', 'o.wrappers', false)).toBe(false);
    const names = ['dumb-init'];
    const read = wrappersArg('f()', 'o.wrappers', names);
    expect(read).toEqual(names);
    expect(read).not.toBe(names);
  });

  it.each(['npm', 1, null, {}, [1], ['a', 2]])('%j: ERR_INVALID_ARG_TYPE', (value) => {
    expect(() => wrappersArg('f()', 'o.wrappers', value)).toThrow(
      expect.objectContaining({ name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' }),
    );
  });

  it('a name that is no program name: ERR_INVALID_ARG_VALUE naming it', () => {
    expect(() => wrappersArg('f()', 'o.wrappers', ['ok', '/bin/sh'])).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        code: 'ERR_INVALID_ARG_VALUE',
        message: 'f(): o.wrappers must be program names (a base name: no paths or spaces), got "/bin/sh"',
      }),
    );
  });
});

describe('shellRunsCommand: a command string, not a script', () => {
  it.each([
    [['-c', 'x'], true],
    [['-ec', 'x'], true],
    [['-e', '-c', 'x'], true],
    [['-o', 'pipefail', '-c', 'x'], true],
    [['+o', 'c', '-c', 'x'], true],
    [['-o', 'c', 'script.sh'], false],
    [['script.sh', '-c'], false],
    [['--norc', 'script.sh'], false],
    [['--', '-c'], false],
    [['-', '-c'], false],
    [[], false],
  ])('%j → %s', (args, runs) => {
    expect(shellRunsCommand(args)).toBe(runs);
  });
});

describe('scriptName: a Node script as a program name', () => {
  it.each([
    ['/usr/lib/node_modules/npm/bin/npm-cli.js', 'npm-cli'],
    ['/repo/.yarn/releases/yarn-4.5.0.cjs', 'yarn'],
    ['/x/node_modules/tsx/dist/cli.mjs', 'tsx'],
    ['/x/node_modules/@scope/tool/bin/index.js', '@scope/tool'],
    ['./cli.js', 'cli'],
    ['worker.mjs', 'worker'],
    ['/x/node_modules/.bin/ts-node', 'ts-node'],
  ])('%s → %s', (path, name) => {
    expect(scriptName(path)).toBe(name);
  });
});

describe('parseCommand', () => {
  it('a native program: its base name (a login shell without its dash) and arguments', () => {
    expect(parseCommand(['/bin/bash', '-c', 'x'])).toEqual({ program: 'bash', args: ['-c', 'x'], node: null });
    expect(parseCommand(['-bash'])).toEqual({ program: 'bash', args: [], node: null });
  });

  it('a process title of one word with spaces is read as words', () => {
    expect(parseCommand(['npm run worker'])).toEqual({ program: 'npm', args: ['run', 'worker'], node: null });
  });

  it("Node: its options (with their values) before the script, the script's name as the program", () => {
    expect(parseCommand(['/usr/bin/node', '--import', 'tsx/esm', '-r', 'x', '--inspect', 'app.js', 'a'])).toEqual({
      program: 'app',
      args: ['a'],
      node: ['--import', 'tsx/esm', '-r', 'x', '--inspect'],
    });
    expect(parseCommand(['node22', '--', 'app.mjs'])).toEqual({ program: 'app', args: [], node: [] });
    expect(parseCommand(['node', '-e', 'code', 'a'])).toEqual({ program: 'node', args: ['code', 'a'], node: ['-e'] });
    expect(parseCommand(['nodejs', '--watch'])).toEqual({ program: 'nodejs', args: [], node: ['--watch'] });
  });

  it('nothing to read → null', () => {
    expect(parseCommand([])).toBeNull();
    expect(parseCommand(['   '])).toBeNull();
  });
});

describe('namesWrapper: a name where a program name can stand', () => {
  const NAMES = ['sh', 'npm-cli', 'tsx', 'yarn', '--watch'];
  it.each([
    [['/bin/sh', '-c', 'x']],
    [['-sh']], // a login shell
    [['npm run worker']], // no: 'npm' is not among these names…
    [['node', '/usr/lib/node_modules/npm/bin/npm-cli.js', 'run', 'w']],
    [['node', '/app/node_modules/tsx/dist/cli.mjs', 'w.ts']], // a package's folder
    [['node', '/repo/.yarn/releases/yarn-4.5.0.cjs', 'run', 'w']], // before a version
    [['node', '--watch-path=src', 'w.js']],
    [['sh worker']], // a process title
  ])('%j: yes', (argv) => {
    expect(namesWrapper(argv, argv[0] === 'npm run worker' ? ['npm'] : NAMES)).toBe(true);
  });

  it.each([
    [['node', '/srv/shared/app.js']], // inside a word
    [['node', '/home/ashley/tsxtools/app.js']],
    [['/usr/bin/python3', 'supervisor.py']],
    [['node', 'fish.js']],
    [[]],
  ])('%j: no', (argv) => {
    expect(namesWrapper(argv, NAMES)).toBe(false);
  });
});

describe('onChain', () => {
  const chain: WatchChain = {
    links: [
      { pid: 812, argv: ['sh', '-c', 'x'], wrapper: 'sh -c', startTime: 3 },
      { pid: 700, argv: ['node', 's.js'], wrapper: null, startTime: 1 },
    ],
    target: { pid: 700, startTime: 1 },
  };
  it('finds the parent and the ancestors reached through wrappers, nothing else', () => {
    expect(onChain(chain, 812)?.wrapper).toBe('sh -c');
    expect(onChain(chain, 700)?.startTime).toBe(1);
    expect(onChain(chain, 1)).toBeUndefined();
  });
});
