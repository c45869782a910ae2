#!/usr/bin/env node
// Project lint: the project's rules (CONTRIBUTING.md) that a type checker does not enforce, checked on
// the sources and on the built declaration files (what users actually see). Run after `pnpm build`.
//  1. index.ts files use explicit named exports (no `export *`).
//  2. No `any` in public types (the .d.ts files of every entry).
//  3. Every exported function and class in a public .d.ts has JSDoc with an @example; constants have JSDoc.
//  4. Every property of an exported `...Options` interface has JSDoc with @default.
//  5. Source files have no `console.log` (workers' stdout may be a closed pipe; use debug or stderr).
//  6. No source file is longer than 250 lines (one concept a file).
//  7. Nothing reads outside the repository: no source, test, bench, example or script path climbs out of
//     it (a clone of this repository alone must build and pass its tests).
//  8. Sizes quoted in the docs hold: a size (`~31 kB`) follows a `<!-- size: <built file> -->` marker and
//     is within 15 % of that file as built; an approximate file size (`~N kB`, `~N KiB`) without a marker
//     is an error (MB and MiB are left to memory and downloads, which no file here measures).
//  9. Variables named in the docs and comments are settings: every `LIFELINE_PARENT…` and
//     `LOCALAI_BACKEND_PARENT_WATCH…` name in a Markdown file (the CHANGELOG aside: it records names that
//     were) or a package's source comment is a setting of the core; a Markdown table of variables lists
//     every setting, and so does a source comment that names four or more of them (a list is all of them or
//     none).
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { loadSettings } from './settings-tables.mjs';

const root = new URL('..', import.meta.url).pathname;
const problems = [];
const report = (file, line, message) => problems.push(`${relative(root, file)}:${line}: ${message}`);

function walk(dir, ext) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === 'dist' || name === '.git' || name === 'results') return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return walk(path, ext);
    return [].concat(ext).some((e) => path.endsWith(e)) ? [path] : [];
  });
}

const MAX_SOURCE_LINES = 250;
// A path into the shared folder beside the repository (built from parts so this file does not match itself).
const OUTSIDE_SHARED = new RegExp(`${'\\.'.repeat(2)}\\/shared\\b|['"\`]shared['"\`]\\s*,\\s*['"\`]vectors`);
const CODE = ['.ts', '.mjs', '.cjs', '.js', '.py', '.sh'];
const inside = (path) => path === root.replace(/\/$/, '') || path.startsWith(root.endsWith(sep) ? root : root + sep);

// 7. Paths that climb out of the repository: a relative string literal ('../x', or path segments
//    '..', '..' given to join/resolve/URL) resolved from the file's own folder, and the shared folder by name.
for (const file of ['packages', 'test', 'bench', 'examples', 'scripts', '.ci'].flatMap((d) =>
  walk(join(root, d), [...CODE, 'run']),
)) {
  const text = readFileSync(file, 'utf8');
  text.split('\n').forEach((line, i) => {
    if (OUTSIDE_SHARED.test(line))
      report(file, i + 1, 'reads the shared folder beside the repository: keep the data in the repository');
    const segments = [...line.matchAll(/(?:import\.meta\.dirname|__dirname)((?:\s*,\s*['"]\.\.['"])+)/g)];
    for (const [, ups] of segments) {
      const count = (ups.match(/\.\./g) ?? []).length;
      if (!inside(resolve(dirname(file), ...Array(count).fill('..'))))
        report(file, i + 1, 'path climbs out of the repository');
    }
    for (const [, literal] of line.matchAll(/['"`]((?:\.\.\/)+)[^'"`]*['"`]/g)) {
      if (!inside(resolve(dirname(file), literal))) report(file, i + 1, `${literal}… climbs out of the repository`);
    }
  });
}

const packages = readdirSync(join(root, 'packages')).map((name) => join(root, 'packages', name));
for (const pkg of packages) {
  const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
  const sources = manifest.private ? walk(pkg, '.ts') : walk(join(pkg, 'src'), '.ts');
  for (const file of sources) {
    const lines = readFileSync(file, 'utf8').split('\n');
    if (lines.length > MAX_SOURCE_LINES + 1)
      report(file, lines.length, `${lines.length} lines: split it (at most ${MAX_SOURCE_LINES}, one concept a file)`);
    lines.forEach((line, i) => {
      if (/^\s*export \* from/.test(line)) report(file, i + 1, 'use explicit named exports, not `export *`');
      if (/\bconsole\.log\(/.test(line) && !/^\s*(\*|\/\/)/.test(line) && !file.includes('/cli'))
        report(file, i + 1, 'no console.log in library code');
    });
  }
  if (manifest.private) continue; // bundled into the published packages; their .d.ts files are checked
  const dist = join(pkg, 'dist');
  if (!existsSync(dist)) {
    report(pkg, 0, 'no dist/: run `pnpm build` before `pnpm lint`');
    continue;
  }
  for (const file of walk(dist, '.d.ts')) {
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (/(:|<|\||,|\()\s*any\b(?!\w)/.test(line) && !/^\s*(\*|\/\/)/.test(line))
        report(file, i + 1, '`any` in a public type');
    });
    // Exported declarations and the JSDoc right above them.
    const declaration = /^(?:export )?declare (function|const|class) (\w+)/;
    lines.forEach((line, i) => {
      const match = declaration.exec(line);
      if (!match) return;
      const name = match[2];
      if (
        !new RegExp(`\\b${name}\\b`).test(lines.filter((l) => l.startsWith('export {')).join(' ')) &&
        !line.startsWith('export ')
      )
        return;
      let j = i - 1;
      while (j >= 0 && lines[j].trim() === '') j--;
      if (!lines[j] || !lines[j].trim().endsWith('*/')) return report(file, i + 1, `${name}: exported without JSDoc`);
      let k = j;
      while (k >= 0 && !lines[k].includes('/**')) k--;
      const doc = lines.slice(k, j + 1).join('\n');
      if (match[1] !== 'const' && !doc.includes('@example')) report(file, i + 1, `${name}: JSDoc has no @example`);
    });
    // Options interfaces: every property documented with @default.
    let inOptions = null;
    let doc = '';
    let inDoc = false;
    lines.forEach((line, i) => {
      const start = /interface (\w+Options)\b.*\{\s*$/.exec(line);
      if (start) {
        inOptions = start[1];
        doc = '';
        return;
      }
      if (!inOptions) return;
      if (/^\}/.test(line)) {
        inOptions = null;
        return;
      }
      if (line.includes('/**')) {
        inDoc = true;
        doc = '';
      }
      if (inDoc) {
        doc += line + '\n';
        if (line.includes('*/')) inDoc = false;
        return;
      }
      const prop = /^\s{4}(?:readonly )?(\w+)\??:/.exec(line);
      if (prop) {
        if (!doc.includes('@default')) report(file, i + 1, `${inOptions}.${prop[1]}: no @default in its JSDoc`);
        doc = '';
      }
    });
  }
}

// Markdown files of the repository (not dependencies, not bench output, not the CHANGELOG's history),
// with their fenced code blocks blanked out so that line numbers hold.
const markdown = walk(root, '.md')
  .filter(
    (file) => !relative(root, file).startsWith('CHANGELOG') && !relative(root, file).split(sep).includes('fixtures'),
  )
  .map((file) => {
    let fence = null;
    const lines = readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => {
        const open = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
        if (fence) {
          if (open && open[1][0] === fence[0] && open[1].length >= fence.length) fence = null;
          return '';
        }
        if (open) fence = open[1];
        return open ? '' : line;
      });
    return { file, lines };
  });

// 8. Sizes.
const UNITS = { kB: 1000, KiB: 1024, MB: 1e6, MiB: 1024 * 1024 };
const SIZE_TOLERANCE = 0.15;
for (const { file, lines } of markdown) {
  lines.forEach((line, i) => {
    for (const match of line.matchAll(/<!-- size: (\S+) -->\s*[~≈]?\s*(\d+(?:\.\d+)?)\s*(kB|KiB|MB|MiB)\b/g)) {
      const [, target, number, unit] = match;
      const path = join(root, target);
      if (!existsSync(path)) {
        report(file, i + 1, `size of ${target}, which does not exist (run \`pnpm build\` first)`);
        continue;
      }
      const quoted = Number(number) * UNITS[unit];
      const actual = statSync(path).size;
      if (Math.abs(actual - quoted) > SIZE_TOLERANCE * actual) {
        report(
          file,
          i + 1,
          `says ${number} ${unit} for ${target}, which is ${(actual / UNITS[unit]).toFixed(1)} ${unit} as built: update the figure`,
        );
      }
    }
    const unmarked = line.replace(/<!-- size: \S+ -->\s*[~≈]?\s*\d+(?:\.\d+)?\s*(?:kB|KiB|MB|MiB)\b/g, '');
    if (/[~≈]\s*\d+(?:\.\d+)?\s*(?:kB|KiB)\b/.test(unmarked)) {
      report(
        file,
        i + 1,
        'an approximate file size without a `<!-- size: <built file> -->` marker before it: mark the file, or drop it',
      );
    }
  });
}

// 9. Variables. The settings are the variables of the core's table of settings (packages/core/settings.ts).
const VARIABLE = /\b(?:LIFELINE_PARENT|LOCALAI_BACKEND_PARENT_WATCH)[A-Z_]*\b(?![…*])/g; // `NAME…` / `NAME*`: a prefix
const settings = new Set((await loadSettings()).settings.map((setting) => setting.variable));
const missingFrom = (names) => [...settings].filter((name) => !names.has(name));
for (const { file, lines } of markdown) {
  let table = null; // { start, names }
  const closeTable = () => {
    if (table && table.names.size > 0) {
      const missing = missingFrom(table.names);
      if (missing.length > 0) report(file, table.start, `a table of variables without ${missing.join(', ')}`);
    }
    table = null;
  };
  lines.forEach((line, i) => {
    for (const [name] of line.matchAll(VARIABLE)) {
      if (!settings.has(name)) report(file, i + 1, `${name} is not a setting (packages/core)`);
    }
    if (/^\s*\|/.test(line)) {
      table ??= { start: i + 1, names: new Set() };
      const first = /^\s*\|\s*`([A-Z_]+)`\s*\|/.exec(line);
      if (first && settings.has(first[1])) table.names.add(first[1]);
    } else closeTable();
  });
  closeTable();
}
for (const file of readdirSync(join(root, 'packages')).flatMap((name) => {
  const dir = join(root, 'packages', name);
  return name === 'core' ? walk(dir, '.ts') : walk(join(dir, 'src'), '.ts');
})) {
  if (file.endsWith('.d.ts')) continue;
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(/\/\*[\s\S]*?\*\/|(?:^[ \t]*\/\/.*\n)+/gm)) {
    const line = text.slice(0, match.index).split('\n').length;
    const names = new Set([...match[0].matchAll(VARIABLE)].map((m) => m[0]));
    for (const name of names) if (!settings.has(name)) report(file, line, `${name} is not a setting (packages/core)`);
    const known = new Set([...names].filter((name) => settings.has(name)));
    if (known.size >= 4 && missingFrom(known).length > 0) {
      report(
        file,
        line,
        `a comment that lists settings without ${missingFrom(known).join(', ')}: list them all, or none`,
      );
    }
  }
}

const unique = [...new Set(problems)];
if (unique.length > 0) {
  console.error(unique.join('\n'));
  console.error(`\nlint: ${unique.length} problem(s)`);
  process.exit(1);
}
console.log(`lint: ok (${packages.length} packages)`);
