/**
 * The register preload's start file, compiled with the file rather than on first call.
 *
 * V8 compiles a function the first time it is called: it pre-parsed the function's text with the whole
 * file, and now parses it again, then makes its bytecode (measured: ~10 k instructions a function more
 * than compiling it with the file, plus the second parse of its text). A function written in parentheses,
 * `(function () {})`, V8 compiles with the file instead (its heuristic for functions about to be called).
 * Every worker's start calls the same functions of this file: those are rewritten so, and only those —
 * compiling the rest (a warning, the hand-over) would cost every start what only some need.
 *
 * Which are called is measured, not listed: the built file runs once as a preload, with none of the
 * settings set, under Node's own coverage (`NODE_V8_COVERAGE`), and the top-level functions it called are
 * moved, as parenthesised function expressions, to the top of the file — where their declarations were
 * initialised (a declaration is hoisted: the rewrite keeps that, and every name). Only the time to
 * compile changes; a file the measure cannot read fails the build rather than ship unmeasured.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse, type FunctionDeclaration, type Node } from 'acorn';

/** One function of V8's coverage report: its text's range and how often it ran. */
interface CoveredFunction {
  functionName: string;
  ranges: { startOffset: number; endOffset: number; count: number }[];
}

/**
 * The ranges (`start:end`) of the functions a default start of `file`, preloaded, calls.
 * @example
 * ```ts
 * calledAtStart('dist/register-light.cjs'); // Set { '14:98', … }
 * ```
 */
export function calledAtStart(file: string): Set<string> {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-eager-'));
  try {
    // A worker's start with nothing set: only PATH (and the coverage directory) in its environment.
    const r = spawnSync(process.execPath, ['-r', file, '-e', '0'], {
      cwd: dirname(file),
      env: { PATH: process.env.PATH, NODE_V8_COVERAGE: dir },
      encoding: 'utf8',
    });
    if (r.status !== 0 || r.stderr !== '') throw new Error(`${file} as a preload: ${r.status} ${r.stderr}`);
    const url = pathToFileURL(file).href;
    const called = new Set<string>();
    for (const report of readdirSync(dir)) {
      const { result } = JSON.parse(readFileSync(join(dir, report), 'utf8')) as {
        result: { url: string; functions: CoveredFunction[] }[];
      };
      for (const script of result) {
        if (script.url !== url) continue;
        for (const { functionName, ranges } of script.functions) {
          const [whole] = ranges;
          if (functionName !== '' && whole !== undefined && whole.count > 0)
            called.add(`${whole.startOffset}:${whole.endOffset}`);
        }
      }
    }
    return called;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Rewrite `file` (a CommonJS bundle) so that the top-level functions its default start calls are compiled
 * with the file. Returns how many were.
 * @example
 * ```ts
 * eagerStart('dist/register-light.cjs'); // 19
 * ```
 */
export function eagerStart(file: string): number {
  const code = readFileSync(file, 'utf8');
  const called = calledAtStart(file);
  const program = parse(code, { ecmaVersion: 'latest', sourceType: 'script', allowReturnOutsideFunction: true });
  const eager = program.body.filter(
    (node: Node): node is FunctionDeclaration =>
      node.type === 'FunctionDeclaration' && called.has(`${node.start}:${node.end}`),
  );
  if (eager.length === 0) throw new Error(`${file}: no function found among those its start calls (${called.size})`);
  // After the directive prologue ("use strict"), before any other statement: where declarations were made.
  const prologue = program.body.findIndex((node) => !('directive' in node));
  const at = prologue <= 0 ? 0 : program.body[prologue - 1]!.end;
  const declared = eager
    .map((node) => `${node.id.name}=(${code.slice(node.start, node.id.start)}${code.slice(node.id.end, node.end)})`)
    .join(',');
  let rest = '';
  let from = at;
  for (const node of eager) {
    rest += code.slice(from, node.start);
    from = node.end;
  }
  rest += code.slice(from);
  writeFileSync(file, `${code.slice(0, at)}var ${declared};${rest}`);
  return eager.length;
}
