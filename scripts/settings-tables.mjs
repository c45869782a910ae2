// The READMEs' tables of settings, from the one table (packages/core/settings.ts), so they cannot drift:
//
//  - README.md: the "Environment variables" table between `<!-- settings:begin -->` and
//    `<!-- settings:end -->` is written from the rows (variable, default) and each row's line in
//    packages/core/settings-docs.ts;
//  - packages/parent-watch/README.md: its "Environment" table must list every variable, in the table's
//    order (its columns say what is accepted and the fallback, in more words than a row holds), and its
//    options table must give each option that is a setting its variable as the default.
//
// scripts/sync-metadata.mjs writes the first and reports the rest (`--check`, which `pnpm lint` runs);
// test/settings.test.ts calls the same function.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const BEGIN = '<!-- settings:begin -->';
export const END = '<!-- settings:end -->';

/** The table's rows, each with its line for people (`doc`), and `formatMs`, loaded from the TypeScript sources (tsx). */
export async function loadSettings() {
  const { tsImport } = await import('tsx/esm/api');
  const { SETTINGS } = await tsImport('../packages/core/settings.ts', import.meta.url);
  const { SETTING_DOCS } = await tsImport('../packages/core/settings-docs.ts', import.meta.url);
  const { formatMs } = await tsImport('../packages/core/duration.ts', import.meta.url);
  return { settings: SETTINGS.map((row) => ({ ...row, doc: SETTING_DOCS[row.key] })), formatMs };
}

/** The default as the root README shows it. */
function shownDefault(setting, formatMs) {
  const { rule } = setting;
  if (rule.kind === 'switch') return rule.default ? 'on' : 'off';
  if (rule.kind === 'duration') return `\`${formatMs(rule.default)}\``;
  if (rule.kind === 'wrappers') return 'on';
  return '—';
}

/** The root README's table of variables, as written from the rows. */
export function rootTable(settings, formatMs) {
  const rows = settings.map((s) => `| \`${s.variable}\` | ${shownDefault(s, formatMs)} | ${s.doc} |`);
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The first cell of each table row under the heading `heading` (up to the next heading). */
function firstCells(text, heading) {
  const start = text.split('\n').findIndex((line) => line === heading);
  if (start < 0) return null;
  const cells = [];
  for (const line of text.split('\n').slice(start + 1)) {
    if (/^#{1,6} /.test(line)) break;
    const match = /^\| `([^`]+)` \|(.*)$/.exec(line);
    if (match) cells.push({ name: match[1], rest: match[2] });
  }
  return cells;
}

/**
 * What the READMEs should say: `outputs` ([path, wanted, current]) for the generated table, `problems`
 * for the checked ones. `earlier`: outputs of other steps; one for the root README is updated in place.
 */
export function settingsTables(root, settings, formatMs, earlier = []) {
  const outputs = [];
  const problems = [];

  const readme = join(root, 'README.md');
  // Another step may already rewrite the root README (generated blocks): the table goes into its text.
  const before = earlier.find(([path]) => path === readme);
  const current = before?.[2] ?? readFileSync(readme, 'utf8');
  const text = before?.[1] ?? current;
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin < 0 || end < begin) problems.push(`README.md: no ${BEGIN} … ${END} block for the table of variables`);
  else {
    const wanted = `${text.slice(0, begin + BEGIN.length)}\n${rootTable(settings, formatMs)}\n${text.slice(end)}`;
    if (before) before[1] = wanted;
    else outputs.push([readme, wanted, current]);
  }

  const watchReadme = join(root, 'packages', 'parent-watch', 'README.md');
  const watchText = readFileSync(watchReadme, 'utf8');
  const env = firstCells(watchText, '## Environment');
  const wanted = settings.map((s) => s.variable);
  if (env === null) problems.push('packages/parent-watch/README.md: no "## Environment" table');
  else if (env.map((c) => c.name).join(' ') !== wanted.join(' ')) {
    problems.push(
      `packages/parent-watch/README.md: the "## Environment" table lists ${env.map((c) => c.name).join(', ')}; the settings are ${wanted.join(', ')}`,
    );
  }
  const options = firstCells(watchText, '### `watchParent(options?) → ParentWatch`') ?? [];
  for (const setting of settings) {
    if (setting.option === null) continue;
    const row = options.find((c) => c.name === setting.option);
    if (row === undefined)
      problems.push(`packages/parent-watch/README.md: the options table has no row for \`${setting.option}\``);
    else if (!row.rest.includes(`\`${setting.variable}\``)) {
      problems.push(
        `packages/parent-watch/README.md: the option \`${setting.option}\` does not name its variable \`${setting.variable}\``,
      );
    }
  }
  return { outputs, problems };
}
