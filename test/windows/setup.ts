/**
 * Global setup of the `windows` test project (vitest.config.ts): runs only when a Windows test is queued.
 * Installs what is missing (see ./wine.ts) and hands the outcome to the test files through `inject('wine')`;
 * a failure to install is handed over too, so that the Windows tests fail with it and the rest still runs.
 * Teardown ends every process left in the prefix.
 */
import type { TestProject } from 'vitest/node';
import { prepareWine, stopWine, type WineSetup } from './wine.js';

declare module 'vitest' {
  export interface ProvidedContext {
    wine: WineSetup;
  }
}

export default function setup(project: TestProject): () => void {
  let outcome: WineSetup;
  try {
    outcome = prepareWine();
  } catch (error) {
    outcome = { error: `preparing Wine failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (outcome.skip !== undefined) console.log(`Windows tests skipped: ${outcome.skip}`);
  const steps = Object.entries(outcome.wine?.installed ?? {});
  if (steps.length > 0)
    console.log(
      `Windows tests: installed ${steps.map(([step, ms]) => `${step} in ${(ms / 1000).toFixed(1)} s`).join(', ')}`,
    );
  project.provide('wine', outcome);
  return () => {
    if (outcome.wine) stopWine(outcome.wine);
  };
}
