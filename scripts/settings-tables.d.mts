// Types of settings-tables.mjs, for the tests that call it.
import type { Setting } from '../packages/core/settings.ts';

export declare const BEGIN: string;
export declare const END: string;
export declare function loadSettings(): Promise<{ settings: readonly Setting[]; formatMs: (ms: number) => string }>;
export declare function rootTable(settings: readonly Setting[], formatMs: (ms: number) => string): string;
export declare function settingsTables(
  root: string,
  settings: readonly Setting[],
  formatMs: (ms: number) => string,
  earlier?: [path: string, wanted: string, current: string][],
): { outputs: [path: string, wanted: string, current: string][]; problems: string[] };
