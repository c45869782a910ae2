/**
 * Global setup of the main test project: the Python interpreter's own folder first on PATH, so that every
 * `python3` a test, a fixture or a `#!/usr/bin/env python3` line starts is the interpreter itself, not a
 * version manager's shim (pyenv's runs a shell script and `pyenv exec` first: seconds on a loaded machine,
 * enough to miss a readiness wait). The test workers inherit the environment this sets. Without Python,
 * nothing changes (the tests that need it fail naming it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

export default function setup(): void {
  const found = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  const executable = found.status === 0 ? found.stdout.trim() : '';
  if (executable === '') return;
  const folder = dirname(executable);
  // Only a folder that has `python3` itself: that is the name the tests and fixtures run (and their `comm`).
  if (!existsSync(join(folder, 'python3'))) return;
  process.env.PATH = [folder, ...(process.env.PATH ?? '').split(delimiter).filter((entry) => entry !== folder)].join(
    delimiter,
  );
}
