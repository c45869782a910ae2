import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Real process trees: a failing run must not leave workers behind (each suite also kills its own).
    teardownTimeout: 10_000,
    // The JSON report feeds the `N passed, N failed` line that .ci/run prints.
    reporters: ['default', 'json'],
    outputFile: { json: 'node_modules/.cache/lifeline/vitest-results.json' },
  },
});
