import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRunning } from '@lifeline/parent-watch/proc';

export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
export const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
export const NODE = process.execPath;

/** Poll `check` until it returns a truthy value, or throw after `timeout` ms naming `what`. */
export async function waitFor<T>(what: string, check: () => T | undefined | null | false, timeout = 10_000, every = 20): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout}ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}

/** Read an integer written by a fixture (waits until the file holds a complete number line). */
export function waitForPid(path: string, timeout = 10_000): Promise<number> {
  return waitFor(`pid file ${path}`, () => {
    if (!existsSync(path)) return undefined;
    const text = readFileSync(path, 'utf8');
    if (!text.endsWith('\n')) return undefined;
    const pid = Number(text.trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  }, timeout);
}

/** Wait until a file exists and return its text. */
export function waitForFile(path: string, timeout = 10_000): Promise<string> {
  return waitFor(`file ${path}`, () => (existsSync(path) ? readFileSync(path, 'utf8') : undefined), timeout);
}

/** Wait until `pid` is not running (gone or a zombie). */
export function waitGone(pid: number, timeout = 10_000): Promise<true> {
  return waitFor(`pid ${pid} to stop running`, () => !isRunning(pid), timeout);
}

/** Temp dirs, processes and process groups to clean up after each test, even on failure. */
export class Cleanup {
  #dirs: string[] = [];
  #pids = new Set<number>();
  #groups = new Set<number>();

  dir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'lifeline-sup-'));
    this.#dirs.push(dir);
    return dir;
  }
  pid(pid: number | undefined): void {
    if (pid) this.#pids.add(pid);
  }
  group(pgid: number | undefined): void {
    if (pgid) this.#groups.add(pgid);
  }
  /** Spawn a process and register it (and its group when detached) for cleanup. */
  spawn(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
    const child = spawn(command, args, { stdio: 'ignore', ...options });
    this.pid(child.pid);
    if (options.detached) this.group(child.pid);
    return child;
  }
  run(): void {
    for (const pgid of this.#groups) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    for (const pid of this.#pids) {
      try {
        if (isRunning(pid)) process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    for (const dir of this.#dirs) rmSync(dir, { recursive: true, force: true });
    this.#dirs = [];
    this.#pids.clear();
    this.#groups.clear();
  }
}

/** Resolve with the exit code and signal of a child process. */
export function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}
