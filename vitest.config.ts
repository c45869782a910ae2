import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'forks',
    // Most of a real-process test is waiting (readiness, a control's linger), not CPU: three test files at
    // once on two cores, where vitest's default (cores - 1) runs one file at a time on a 2-core machine.
    maxWorkers: Math.max(3, availableParallelism()),
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Real process trees: a failing run must not leave workers behind (each suite also kills its own).
    teardownTimeout: 10_000,
    // The JSON report feeds the `N passed, N failed` line that .ci/run prints.
    reporters: ['default', 'json'],
    outputFile: { json: 'node_modules/.cache/lifeline/vitest-results.json' },
    projects: [
      {
        extends: true,
        test: {
          name: 'lifeline',
          include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/windows/**'],
          // tini, strace, systemd-analyze, setpriv: installed when missing (root with apt-get), else those tests skip;
          // python3: the interpreter itself on PATH, not a version manager's shim.
          globalSetup: ['test/setup/system-tools.ts', 'test/setup/python.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        // Windows trees under Wine: the global setup installs Wine and node.exe when they are missing, and
        // runs only when one of these tests is queued. After the other project, not beside it: a dozen Wine
        // processes starting at once would slow the other trees past their readiness timeouts.
        extends: true,
        test: {
          name: 'windows',
          include: ['test/windows/**/*.test.ts'],
          globalSetup: ['test/windows/setup.ts'],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
