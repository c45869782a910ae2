#!/usr/bin/env node
// `prepack` and `prepublishOnly` of every published package: refuse to pack or publish while the
// package.json names a sibling with a `workspace:` range, unless pnpm is the one packing.
//
// pnpm (`pnpm pack`, `pnpm publish`) replaces `workspace:^` with `^<version>` in the tarball's manifest;
// npm (`npm pack`, `npm publish`) and yarn 1 ship it as is, and nobody can install that package. pnpm
// rewrites the ranges only when it writes the tarball, AFTER this script has run (checked with pnpm 12:
// during prepack the package.json on disk still reads `workspace:^`), so this script cannot look for
// leftover ranges: it asks who is packing.
//
// Who is packing: pnpm sets npm_config_user_agent to `pnpm/…` and npm_execpath to its own binary. The
// user agent alone is not enough: npm started from a pnpm script (`pnpm exec npm pack`) inherits pnpm's
// user agent, but npm always sets npm_execpath to its npm-cli.js.
//
// `attw --pack .` (the check-package scripts) runs plain `npm pack` only to read the declarations and
// deletes the tarball; those scripts set npm_config_ignore_scripts=true for it, which skips this guard.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const manifestPath = process.env.npm_package_json || 'package.json';
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const fields = ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies'];
const leftovers = fields.flatMap((field) =>
  Object.entries(manifest[field] ?? {})
    .filter(([, range]) => typeof range === 'string' && range.startsWith('workspace:'))
    .map(([name, range]) => `${field}["${name}"] = "${range}"`),
);

const userAgent = process.env.npm_config_user_agent ?? '';
const execPath = basename(process.env.npm_execpath ?? '');
const byPnpm = userAgent.startsWith('pnpm/') && /^pnpm(\.c?js|\.exe)?$/i.test(execPath);

if (leftovers.length > 0 && !byPnpm) {
  const tool = userAgent.split(' ')[0] || 'this tool';
  const action = process.env.npm_lifecycle_event === 'prepublishOnly' ? 'publish' : 'pack';
  console.error(
    [
      `lifeline: refusing to ${action} ${manifest.name} with ${tool}: its package.json still has`,
      ...leftovers.map((line) => `  ${line}`),
      `and ${tool} would put ${leftovers.length === 1 ? 'that range' : 'those ranges'} in the tarball as is (npm cannot install a workspace: range).`,
      `Use \`pnpm pack\` or \`pnpm publish\` instead: pnpm replaces workspace: ranges with the real versions.`,
    ].join('\n'),
  );
  process.exit(1);
}
