/**
 * Waiting on handshakes, never on fixed sleeps: poll a probe with a deadline, read what fixtures write
 * when they are ready, and watch processes come and go. Shared by the tests of every package, through
 * ./process-tree.ts.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { isRunning } from '@lifeline/parent-watch/proc';

type Falsy = undefined | null | false | 0 | '';

/**
 * Poll `probe` (sync or async) every `everyMs` until it returns a truthy value, and return that value.
 * After `timeoutMs` throw an error naming `what`. A probe that throws ends the wait with its error.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | PromiseLike<T>,
  timeoutMs = 10_000,
  everyMs = 10,
): Promise<Exclude<T, Falsy>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as Exclude<T, Falsy>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Whether `pid` is gone: not running, or a zombie waiting for its reaper. */
export function gone(pid: number): boolean {
  return !isRunning(pid);
}

/** Wait until `pid` is gone (see `gone`). Returns the ms it took. */
export async function waitGone(pid: number, timeoutMs = 10_000, everyMs = 10): Promise<number> {
  const start = Date.now();
  await waitFor(`process ${pid} to be gone`, () => gone(pid), timeoutMs, everyMs);
  return Date.now() - start;
}

/**
 * Assert `pid` keeps running for `ms` (polled). This is how a negative control shows that the same
 * worker without the feature lingers: it is bounded by the time in which the armed worker left.
 */
export async function expectStaysAlive(pid: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (gone(pid)) throw new Error(`process ${pid} was expected to linger, but it is gone`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Resolve with the exit code and signal of a child process (at once when it has already exited). */
export function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** A file's text, or '' while it does not exist. */
export function readText(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** A file's non-empty lines ([] while it does not exist). */
export function readLines(file: string): string[] {
  return readText(file).split('\n').filter(Boolean);
}

/**
 * How a ready file is read. Each returns undefined until the file is complete:
 * - text: any non-empty content;
 * - json: content that parses (fixtures may write it in more than one go);
 * - pid: one positive integer on a newline-terminated line (the newline marks it complete).
 */
const formats = {
  text: (text: string): string | undefined => text || undefined,
  json: (text: string): unknown => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  },
  pid: (text: string): number | undefined => {
    if (!text.endsWith('\n')) return undefined;
    const pid = Number(text.trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  },
};

export interface ReadyOptions {
  /** @default 10_000 */
  timeoutMs?: number;
  /** Stop waiting (with an error) when this process is gone before the file is complete. */
  writer?: number;
  /** Appended to that error, e.g. the writer's stderr. */
  detail?: () => string;
}

/** Wait for the file a fixture writes when it is ready, and return its content in `format`. */
export async function waitForReady(file: string, format: 'text', options?: ReadyOptions): Promise<string>;
export async function waitForReady(file: string, format: 'pid', options?: ReadyOptions): Promise<number>;
export async function waitForReady<T>(file: string, format: 'json', options?: ReadyOptions): Promise<T>;
export async function waitForReady(
  file: string,
  format: keyof typeof formats,
  options: ReadyOptions = {},
): Promise<unknown> {
  const { timeoutMs = 10_000, writer, detail } = options;
  return waitFor(
    `${format} ready file ${file}`,
    () => {
      const value = formats[format](readText(file));
      if (value === undefined && writer !== undefined && gone(writer)) {
        throw new Error(`process ${writer} is gone before it wrote ${file}${detail ? `: ${detail()}` : ''}`);
      }
      return value;
    },
    timeoutMs,
  );
}

/** A fixture's JSON ready file, once it parses. */
export const waitForJson = <T>(file: string, timeoutMs?: number): Promise<T> =>
  waitForReady<T>(file, 'json', { timeoutMs });
/** A fixture's pid file, once it holds a complete pid line. */
export const waitForPid = (file: string, timeoutMs?: number): Promise<number> =>
  waitForReady(file, 'pid', { timeoutMs });
/** A file's text, once it exists and is not empty. */
export const waitForFile = (file: string, timeoutMs?: number): Promise<string> =>
  waitForReady(file, 'text', { timeoutMs });
