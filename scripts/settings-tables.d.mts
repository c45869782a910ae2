// Types of settings-tables.mjs, for the tests that call it.
import type { Setting } from '../packages/core/settings.ts';

/** A row with its line for people (packages/core/settings-docs.ts). */
export type DocumentedSetting = Setting & { readonly doc: string };

export declare const BEGIN: string;
export declare const END: string;
export declare function loadSettings(): Promise<{
  settings: readonly DocumentedSetting[];
  formatMs: (ms: number) => string;
}>;
export declare function rootTable(settings: readonly DocumentedSetting[], formatMs: (ms: number) => string): string;
export declare function settingsTables(
  root: string,
  settings: readonly DocumentedSetting[],
  formatMs: (ms: number) => string,
  earlier?: [path: string, wanted: string, current: string][],
): { outputs: [path: string, wanted: string, current: string][]; problems: string[] };
