#!/usr/bin/env node
// The repository's public address is written in ONE place: `repository.url` of the root package.json.
// Everything else that depends on it is derived here, so that changing it is one edit and one run:
//
//  - each package.json under packages/: `repository` ({ type, url, directory }), `homepage`, `bugs` and
//    `license` (the root's); the root's own `homepage` and `bugs`;
//  - each published package.json: `typesVersions`, derived from `exports` (TypeScript's node10 resolution
//    cannot read `exports`, so each subpath such as `./register` is mapped to its CommonJS declarations);
//  - each published package: a LICENSE file, a copy of the root LICENSE (npm only ships files inside the
//    package folder);
//  - each published package's README.md: every link into the repository is an absolute URL on the
//    repository's web address (`<web>/blob/main/<path>` for files, `<web>/tree/main/<path>` for folders,
//    `<web>/raw/main/<path>` for images), because the registry's page shows the README alone and a relative
//    link (to ../parent-watch or ../../examples) is dead there. Write links either way: relative, or already
//    absolute on the current (or previous) address; the script resolves them against the README's folder,
//    fails if the target is not in the repository, and writes the absolute form. In-page anchors (`#api`)
//    and links elsewhere are left alone;
//  - every other Markdown file's links into the repository: checked to resolve, left relative;
//  - generated blocks in any Markdown file of the repository: the lines between `<!-- from: <path> -->` and
//    `<!-- /from -->` are the file at <path> (repository-relative), as written by the tool that owns it
//    (`pnpm bench` writes bench/results/summary.md and headline.md, shown in README.md and bench/README.md).
//  - the READMEs' tables of settings, from the one table in packages/core/settings.ts
//    (scripts/settings-tables.mjs: the root README's table is written, the parent-watch README's checked).
//
// Usage:  node scripts/sync-metadata.mjs           write what differs (pnpm sync-metadata)
//         node scripts/sync-metadata.mjs --check   write nothing; exit 1 naming each file that differs
//                                                  (pnpm lint runs this)
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSettings, settingsTables } from './settings-tables.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const check = process.argv.includes('--check');
/** The branch the web links point at. */
const BRANCH = 'main';

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const json = (value) => `${JSON.stringify(value, null, 2)}\n`;

/** `git+https://host/owner/name.git` (or `https://…`, `git://…`, `…/name`) → `https://host/owner/name`. */
function webAddress(url) {
  const match = /^(?:git\+)?(?:https?|git|ssh):\/\/(?:[^@/]+@)?([^/]+)\/(.+?)(?:\.git)?\/?$/.exec(url ?? '');
  if (!match) throw new Error(`not a repository URL: ${JSON.stringify(url)}`);
  return `https://${match[1]}/${match[2]}`;
}

const rootManifest = readJson(join(root, 'package.json'));
const repositoryUrl = rootManifest.repository?.url;
if (typeof repositoryUrl !== 'string' || !/^git\+https:\/\/.+\.git$/.test(repositoryUrl)) {
  console.error('sync-metadata: the root package.json needs repository.url = "git+https://<host>/<owner>/<name>.git"');
  process.exit(1);
}
const web = webAddress(repositoryUrl);
const bugs = { url: `${web}/issues` };

/** Sets `key` in place when it exists, else inserts it after the first of `after` that exists. */
function put(object, key, value, after) {
  if (key in object) return { ...object, [key]: value };
  const anchor = after.find((k) => k in object);
  const entries = Object.entries(object);
  const at = anchor ? entries.findIndex(([k]) => k === anchor) + 1 : entries.length;
  entries.splice(at, 0, [key, value]);
  return Object.fromEntries(entries);
}

/** `typesVersions` for every subpath export, pointing at its `require` declarations (node10 is CommonJS). */
function typesVersionsOf(manifest) {
  const map = {};
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    if (subpath === '.' || !subpath.startsWith('./') || typeof target !== 'object') continue;
    const types = target.require?.types ?? target.types;
    if (typeof types === 'string') map[subpath.slice(2)] = [types];
  }
  return Object.keys(map).length > 0 ? { '*': map } : undefined;
}

const outputs = []; // [path, wanted text]
const problems = [];

// The root: its own homepage and bugs.
let rootWanted = put(rootManifest, 'homepage', `${web}#readme`, ['repository', 'license', 'description']);
rootWanted = put(rootWanted, 'bugs', bugs, ['homepage']);
outputs.push([join(root, 'package.json'), json(rootWanted), json(rootManifest)]);

const license = readFileSync(join(root, 'LICENSE'), 'utf8');
const knownWebs = new Set([web]);
const packages = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name))
  .filter((dir) => existsSync(join(dir, 'package.json')));

for (const dir of packages) {
  const path = join(dir, 'package.json');
  const manifest = readJson(path);
  const directory = relative(root, dir).split(/[\\/]/).join('/');
  try {
    if (manifest.repository?.url) knownWebs.add(webAddress(manifest.repository.url)); // a previous address
  } catch {
    // not a URL this script wrote: replaced below
  }
  let wanted = put(manifest, 'license', rootManifest.license, ['description', 'version']);
  wanted = put(wanted, 'repository', { type: 'git', url: repositoryUrl, directory }, ['license']);
  wanted = put(wanted, 'homepage', `${web}/tree/${BRANCH}/${directory}#readme`, ['repository']);
  wanted = put(wanted, 'bugs', bugs, ['homepage']);
  if (!manifest.private) {
    const typesVersions = typesVersionsOf(manifest);
    if (typesVersions) wanted = put(wanted, 'typesVersions', typesVersions, ['types', 'module', 'main']);
    else delete wanted.typesVersions;
    outputs.push([join(dir, 'LICENSE'), license]);
  }
  outputs.push([path, json(wanted), json(manifest)]);
}

// README links. Code spans and fenced blocks are left alone; everything else that looks like a link
// target is considered: [text](target "title"), ![alt](target), [id]: target, href="…" and src="…".
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const webPattern = () => new RegExp(`^(?:${[...knownWebs].map(escape).join('|')})/(?:blob|tree|raw)/[^/]+/(.*)$`);

function rewriteTarget(target, readmeDir, image, where) {
  if (/^#/.test(target)) return target;
  const [, pathPart, fragment = ''] = /^([^#]*)(#.*)?$/.exec(target);
  let repoPath;
  const onWeb = webPattern().exec(pathPart);
  if (onWeb) repoPath = decodeURI(onWeb[1]);
  else if (knownWebs.has(pathPart.replace(/\/$/, ''))) repoPath = '';
  else if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(pathPart))
    return target; // elsewhere on the web, mailto:
  else repoPath = posix.normalize(posix.join(readmeDir, decodeURI(pathPart)));
  repoPath = repoPath.replace(/\/$/, '');
  if (repoPath === '.') repoPath = '';
  if (repoPath.startsWith('..')) {
    problems.push(`${where}: link ${target} leaves the repository`);
    return target;
  }
  const full = join(root, repoPath);
  if (!existsSync(full)) {
    problems.push(`${where}: link ${target} points at ${repoPath || '.'}, which is not in the repository`);
    return target;
  }
  if (repoPath === '') return `${web}${fragment}`;
  const kind = image ? 'raw' : statSync(full).isDirectory() ? 'tree' : 'blob';
  return `${web}/${kind}/${BRANCH}/${encodeURI(repoPath)}${fragment}`;
}

function rewriteReadme(text, readmeDir, file) {
  let fence = null;
  return text
    .split('\n')
    .map((line, index) => {
      const opening = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
      if (fence) {
        if (opening && opening[1][0] === fence[0] && opening[1].length >= fence.length) fence = null;
        return line;
      }
      if (opening) {
        fence = opening[1];
        return line;
      }
      // Mask code spans (same length) so that positions found in the mask hold in the line.
      const masked = line.replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, (span) => '\0'.repeat(span.length));
      const edits = [];
      const where = `${relative(root, file)}:${index + 1}`;
      const patterns = [
        /(!?)\[(?:[^[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/dg,
        /^()\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?/dg,
        /(<img\b[^>]*?)?\b(?:href|src)="([^"]+)"/dg,
      ];
      for (const pattern of patterns) {
        for (const match of masked.matchAll(pattern)) {
          const target = match[2];
          const start = match.indices[2][0];
          const image = match[1] === '!' || (match[1] ?? '').startsWith('<img');
          const next = rewriteTarget(target, readmeDir, image, where);
          if (next !== target && !edits.some(([at]) => at === start)) edits.push([start, target.length, next]);
        }
      }
      edits.sort((a, b) => b[0] - a[0]);
      for (const [start, length, next] of edits) line = line.slice(0, start) + next + line.slice(start + length);
      return line;
    })
    .join('\n');
}

for (const dir of packages) {
  const manifest = readJson(join(dir, 'package.json'));
  const file = join(dir, 'README.md');
  if (manifest.private || !existsSync(file)) continue;
  const text = readFileSync(file, 'utf8');
  outputs.push([file, rewriteReadme(text, relative(root, dir).split(/[\\/]/).join('/'), file), text]);
}

// Generated blocks: `<!-- from: path -->` … `<!-- /from -->` holds the file at path.
function markdownFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name.startsWith('.')) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}
const packageReadmes = new Set(packages.map((dir) => join(dir, 'README.md')));
for (const file of markdownFiles(root)) {
  const text = readFileSync(file, 'utf8');
  // Every other Markdown file keeps its relative links; only whether they resolve is checked (bench
  // output is a fragment for a `from:` block, its links relative to where it is shown).
  if (!packageReadmes.has(file) && !relative(root, file).startsWith(join('bench', 'results')))
    rewriteReadme(text, relative(root, dirname(file)).split(/[\\/]/).join('/'), file);
  if (!text.includes('<!-- from: ')) continue;
  const wanted = text.replace(/(<!-- from: (\S+) -->\n)[\s\S]*?(<!-- \/from -->)/g, (block, open, source, close) => {
    const path = join(root, source);
    if (!existsSync(path)) {
      problems.push(`${relative(root, file)}: generated block from ${source}, which is not in the repository`);
      return block;
    }
    return `${open}${readFileSync(path, 'utf8').replace(/\n*$/, '\n')}${close}`;
  });
  outputs.push([file, wanted, text]);
}

{
  const { settings, formatMs } = await loadSettings();
  // After the generated blocks: the root README's output, if any, is the text the table is written into.
  const tables = settingsTables(root, settings, formatMs, outputs);
  outputs.push(...tables.outputs);
  problems.push(...tables.problems);
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  console.error(`\nsync-metadata: ${problems.length} problem(s)`);
  process.exit(1);
}

const differing = [];
for (const [path, wanted, current = existsSync(path) ? readFileSync(path, 'utf8') : null] of outputs) {
  if (current === wanted) continue;
  differing.push(relative(root, path));
  if (!check) writeFileSync(path, wanted);
}
if (check && differing.length > 0) {
  console.error(
    `sync-metadata: ${differing.length} file(s) out of step with what they derive from (the repository address ${repositoryUrl}, generated blocks, the table of settings):`,
  );
  console.error(differing.map((path) => `  ${path}`).join('\n'));
  console.error('run `pnpm sync-metadata` (scripts/sync-metadata.mjs) and commit the result');
  process.exit(1);
}
console.log(
  check
    ? `sync-metadata: ok (${web})`
    : differing.length > 0
      ? `sync-metadata: wrote ${differing.join(', ')}`
      : `sync-metadata: nothing to change (${web})`,
);
