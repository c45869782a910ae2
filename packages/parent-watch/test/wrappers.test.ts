/**
 * The table of pass-through wrappers, judged on the command lines the real launchers show in
 * /proc/<pid>/cmdline (collected from npm 11, pnpm 12, tsx 4, dash, bash, coreutils), and on what must
 * never count as one: a real supervisor is watched, never skipped.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV, resolveConfig } from '@lifeline/core/config';
import { namesWrapper } from '@lifeline/core/wrappers/names';
import { WRAPPERS, matchWrapper, parseCommand, scriptName, wrapperNames } from '@lifeline/core/wrappers/table';
import { resolveSettings } from '../src/watch/options.js';
import type { WatchParentOptions } from '../src/watch/types.js';

const TSX_CLI = '/app/node_modules/.bin/../.pnpm/tsx@4.23.15/node_modules/tsx/dist/cli.mjs';

/** Real launchers' command lines, and the row each matches. */
const WRAPPED: [string[], string][] = [
  [['sh', '-c', 'node worker.js'], 'sh -c'],
  [['bash', '-c', 'node worker.js; true'], 'sh -c'],
  [['sh', '-ec', 'node worker.js; true'], 'sh -c'],
  [['/bin/dash', '-o', 'errexit', '-c', 'x'], 'sh -c'],
  [['-bash', '--norc', '-c', 'x'], 'sh -c'],
  // npm names its process after the command; the NULs padding the title are cut by readCmdline.
  [['npm run worker'], 'npm run / npm exec'],
  [['npm start'], 'npm run / npm exec'],
  [['npm exec some-server'], 'npm run / npm exec'],
  [['node', '/usr/lib/node_modules/npm/bin/npm-cli.js', 'run', 'worker'], 'npm run / npm exec'],
  [['node', '/usr/bin/npx', 'some-server'], 'npx'],
  [['pnpm', 'run', 'worker'], 'pnpm run / exec / dlx'],
  [['pnpm', 'exec', 'worker-bin'], 'pnpm run / exec / dlx'],
  [['pnpm', 'dlx', 'some-server'], 'pnpm run / exec / dlx'],
  [['node', '/usr/lib/node_modules/pnpm/bin/pnpm.cjs', 'run', 'worker'], 'pnpm run / exec / dlx'],
  [['node', '/repo/.yarn/releases/yarn-4.5.0.cjs', 'run', 'worker'], 'yarn run / exec / dlx'],
  [['node', '/usr/lib/node_modules/yarn/bin/yarn.js', 'run', 'worker'], 'yarn run / exec / dlx'],
  [['node', TSX_CLI, 'worker.ts'], 'tsx'],
  [['node', TSX_CLI, 'watch', 'worker.ts'], 'tsx'],
  [['node', '/app/node_modules/ts-node/dist/bin.js', '--esm', 'worker.ts'], 'ts-node'],
  [['node', '--watch', 'worker.js'], 'node --watch'],
  [['/usr/bin/node', '--watch-path=src', 'worker.js'], 'node --watch'],
  [['timeout', '100', 'node', 'worker.js'], 'timeout'],
  [['env', 'A=1', 'node', 'worker.js'], 'env'],
  [['/usr/lib/node_modules/pnpm/pnpx', 'some-server'], 'pnpx'],
  [['nice', '-n', '10', 'node', 'worker.js'], 'nice'],
  [['nohup', 'node', 'worker.js'], 'nohup'],
  [['/usr/bin/time', '-v', 'node', 'worker.js'], 'time'],
  [
    ['node', '/app/node_modules/.bin/../.pnpm/deno@2.9.6/node_modules/deno/bin.cjs', 'run', '-A', 'w.ts'],
    'deno (npm launcher)',
  ],
];

describe('wrappers: the table', () => {
  it.each(WRAPPED)('%j is a pass-through wrapper (%s)', (argv, row) => {
    expect(matchWrapper(argv)?.name).toBe(row);
  });

  // The walk asks names.ts first and reads the rows only when it says yes: it must never say no to a wrapper.
  it('every argv a row matches names a wrapper; every row has one in this list', () => {
    const names = wrapperNames();
    for (const [argv] of WRAPPED) expect(namesWrapper(argv, names), JSON.stringify(argv)).toBe(true);
    for (const row of WRAPPERS)
      expect(
        WRAPPED.map(([, name]) => name),
        row.name,
      ).toContain(row.name);
  });

  it.each([
    [['sh', 'supervise.sh']], // a shell script is a supervisor
    [['bash', '-e', 'supervise.sh']],
    [['bash']], // an interactive shell
    [['sh', '-s']],
    [['sh', '--', '-c']],
    [['bash', '/dev/fd/3']],
    [['node', 'supervisor.js']],
    [['node', '--import', 'tsx/esm', 'supervisor.ts']], // a loader, not the tsx CLI: the script is the supervisor
    [['node', '-r', 'npm-cli', 'supervisor.js']],
    [['node', '-e', 'require("child_process").spawn("node")']],
    [['npm']], // npm before it names itself: unknown command
    [['npm install']],
    [['npm ci']],
    [['pnpm', 'install']],
    [['pnpm', '--filter', 'api', 'run', 'dev']], // an option with a separate value: not understood, so not skipped
    [['yarn', 'install']],
    [['python3', 'supervisor.py']],
    [['/app/node_modules/deno/deno', 'run', '-A', 'supervisor.ts']], // the real binary, not the npm launcher
    [['systemd', '--user']],
    [['tini', '--', 'node', 'worker.js']],
    [['/usr/bin/supervisord', '-n']],
    [[]],
  ])('%j is not a wrapper: it is watched', (argv) => {
    expect(matchWrapper(argv)).toBeUndefined();
  });

  it('extra names are wrappers whatever their arguments; Node programs by their script', () => {
    expect(matchWrapper(['my-launcher', '--flag', 'node', 'w.js'], ['my-launcher'])?.name).toBe('my-launcher');
    expect(matchWrapper(['node', '/opt/tools/my-launcher.mjs', 'w.js'], ['my-launcher'])?.name).toBe('my-launcher');
    expect(matchWrapper(['my-launcher', 'w.js'])).toBeUndefined();
  });

  it("the README's table has every row", () => {
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
    const section = readme.slice(
      readme.indexOf('### Seeing through wrappers'),
      readme.indexOf('**Extend or switch it off.**'),
    );
    const firstColumn = section
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => line.split(' | ')[0])
      .join(' ');
    for (const row of WRAPPERS) expect(firstColumn, row.name).toContain(`\`${row.name}\``);
  });

  it('reads process titles, Node options and script names', () => {
    expect(parseCommand(['npm run worker'])).toEqual({ program: 'npm', args: ['run', 'worker'], node: null });
    expect(parseCommand(['node', '-r', 'a', '--import', 'b', 'x.js', 'y'])).toEqual({
      program: 'x',
      args: ['y'],
      node: ['-r', 'a', '--import', 'b'],
    });
    expect(scriptName('/a/node_modules/@scope/cli/dist/cli.js')).toBe('@scope/cli');
    expect(scriptName('/a/node_modules/.bin/tsx')).toBe('tsx');
    expect(scriptName('./supervisor.js')).toBe('supervisor');
  });
});

describe('wrappers: switching and extending', () => {
  it.each([
    [undefined, [], 0],
    ['', [], 0],
    ['on', [], 0],
    ['0', false, 0],
    ['OFF', false, 0],
    ['no', false, 0],
    ['my-launcher, other', ['my-launcher', 'other'], 0],
    ['my-launcher /usr/bin/x', ['my-launcher'], 1],
  ])('%s=%j → %j', (raw, wrappers, warnings) => {
    const config = resolveConfig(raw === undefined ? {} : { [ENV.wrappers]: raw });
    expect(config.wrappers).toEqual(wrappers);
    expect(config.warnings).toHaveLength(warnings);
    if (warnings)
      expect(config.warnings[0]).toMatch(
        /^LIFELINE_PARENT_WATCH_WRAPPERS=".*" holds words that are not program names .*: "\/usr\/bin\/x"; they are ignored/,
      );
  });

  it('the wrappers option wins over the variable; bad values throw with Node codes', () => {
    expect(resolveSettings({ wrappers: false, env: { [ENV.wrappers]: 'x' } }).wrappers).toBe(false);
    expect(resolveSettings({ wrappers: ['x'], env: { [ENV.wrappers]: 'off' } }).wrappers).toEqual(['x']);
    expect(resolveSettings({ wrappers: true, env: {} }).wrappers).toEqual([]);
    const bad = (wrappers: unknown) => () => resolveSettings({ wrappers } as WatchParentOptions);
    expect(bad('sh')).toThrow(expect.objectContaining({ name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' }));
    expect(bad([1])).toThrow(expect.objectContaining({ name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' }));
    expect(bad(['a/b'])).toThrow(expect.objectContaining({ name: 'RangeError', code: 'ERR_INVALID_ARG_VALUE' }));
    expect(bad(['a/b'])).toThrow(/options\.wrappers must be program names .*got "a\/b"/);
  });
});
