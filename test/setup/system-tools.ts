/**
 * Global setup of the main test project: the system tools that some real-process tests run (tini as a PID
 * namespace's init, strace to see every kill(2), systemd-analyze to verify the systemd recipe, setpriv and
 * unshare from util-linux). Installed where missing and possible (see ../helpers/apt.ts); where not, the
 * tests that need a tool skip, and this says once which tools are missing and why.
 */
import { aptInstall, cannotInstall, hasCommand } from '../helpers/apt.js';

/** command → the Debian package that has it. */
const TOOLS: Readonly<Record<string, string>> = {
  tini: 'tini',
  strace: 'strace',
  'systemd-analyze': 'systemd',
  setpriv: 'util-linux',
  unshare: 'util-linux',
};

export default function setup(): void {
  const missing = Object.keys(TOOLS).filter((command) => !hasCommand(command));
  if (missing.length === 0) return;
  const why = cannotInstall();
  if (why !== undefined) {
    console.log(`tests that need ${missing.join(', ')} skip: ${why} to install them`);
    return;
  }
  const packages = [...new Set(missing.map((command) => TOOLS[command] as string))];
  const started = Date.now();
  try {
    aptInstall(packages);
    console.log(
      `installed ${packages.join(', ')} (apt) in ${((Date.now() - started) / 1000).toFixed(1)} s for the tests that run ${missing.join(', ')}`,
    );
  } catch (error) {
    console.log(
      `tests that need ${missing.join(', ')} skip: apt-get install ${packages.join(' ')} failed (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}
