/**
 * Debian packages that tests need from the machine (Wine, tini, strace, systemd-analyze): installed with
 * apt-get where they are missing and this is root on a machine with apt-get, so that a fresh machine runs
 * the same tests as one set up by hand; elsewhere the caller skips with one line naming what is missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';

/** Whether `command` is on the PATH. */
export function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$0"', command], { stdio: 'ignore' }).status === 0;
}

/** Why packages cannot be installed here (not root, no apt-get), or `undefined` when they can. */
export function cannotInstall(): string | undefined {
  if (process.platform !== 'linux') return `installing Debian packages needs Linux; this is ${process.platform}`;
  if (process.getuid?.() !== 0) return 'installing Debian packages needs root';
  if (spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0) return 'there is no apt-get';
  return undefined;
}

/** `apt-get install -y --no-install-recommends <packages>`, updating the package lists once if the install fails. Throws on failure. */
export function aptInstall(packages: readonly string[]): void {
  const apt = (...args: string[]): void =>
    void execFileSync('apt-get', ['-o', 'DPkg::Lock::Timeout=300', ...args], {
      stdio: 'ignore',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  try {
    apt('install', '-y', '--no-install-recommends', ...packages);
  } catch {
    apt('update'); // a fresh machine has no package lists yet
    apt('install', '-y', '--no-install-recommends', ...packages);
  }
}
