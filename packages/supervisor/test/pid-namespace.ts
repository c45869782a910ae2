// A PID namespace of its own for the zombie daemon's tests: `unshare -pf --mount-proc` with tini as its
// PID 1, as in the container. A daemon that really signals sees only this namespace, so it can never
// touch another test's (or another engineer's) processes. Root only; the tests skip without it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, trackPid, waitFor } from '../../../test/helpers/process-tree.js';
import { CLI, fixture, NODE } from './helpers.js';

const which = (name: string): string | null => {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
};
export const TINI = which('tini');
/** The real interpreter (pyenv's shim is a shell script: slow, and one more process in the tree). */
export const PYTHON = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], {
  encoding: 'utf8',
}).stdout.trim();
/** Whether PID namespaces can be made here (root with unshare and tini). */
export const canUnshare =
  process.platform === 'linux' &&
  process.getuid?.() === 0 &&
  TINI !== null &&
  spawnSync('unshare', ['-pf', '--mount-proc', 'true']).status === 0;

/** A daemon event as `--log json` writes it. */
export type DaemonEvent = Record<string, unknown> & { event: string; scan?: number };

export interface Namespace {
  dir: string;
  child: ChildProcess;
  /** Every JSON line the daemon wrote so far. */
  events: DaemonEvent[];
  /** Every line of its stdout so far (JSON or text). */
  lines: string[];
  stderr(): string;
  /** Wait for an event matching `match` (looking at those already written too). */
  event(what: string, match: (e: DaemonEvent) => boolean): Promise<DaemonEvent>;
  /** The pid, as seen from the test, of the process that has `nsPid` inside the namespace. */
  hostPid(nsPid: number): number;
  /** The pid, as seen from the test, of the namespace's (first) process named `comm`. */
  hostPidOf(comm: string): number;
  /** The daemon's exit code, once its shell wrote it. */
  exitCode(): Promise<number>;
}

/**
 * Start `unshare -pf --kill-child --mount-proc tini -- sh -c …`: the fixtures (`[name, ...args]`, run
 * with python and DIR as their first argument, in their own subfolder) first, each waited for until
 * its `ready` file exists, then the daemon (`lifeline zombies …daemonArgs`), its stdout to the test.
 * `prefix` runs the daemon through a command (e.g. setpriv); `entrypoint` replaces the namespace's init
 * (tini) by the image's own. SIGKILL to unshare (the cleanup) ends the namespace.
 */
export function startNamespace(
  fixtures: { name: string; args?: string[]; ready: string }[],
  daemonArgs: string[],
  prefix: string[] = [],
  entrypoint?: string[],
): Namespace {
  const dir = tempDir();
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const lines = fixtures.map((f, i) => {
    const sub = join(dir, String(i));
    const ready = join(sub, f.ready);
    return `mkdir -p ${q(sub)}; ${q(PYTHON)} ${q(fixture(f.name))} ${q(sub)} ${(f.args ?? []).map(q).join(' ')} &\nwhile [ ! -e ${q(ready)} ]; do sleep 0.01; done`;
  });
  const daemon = [...prefix, NODE, CLI, 'zombies', ...daemonArgs].map(q).join(' ');
  // With an entrypoint (the image's), the shell is PID 1 until it execs it: then it is PID 1 and the daemon its child.
  const script = entrypoint
    ? `${lines.join('\n')}\nexec ${entrypoint.map(q).join(' ')} ${daemon}\n`
    : `${lines.join('\n')}\n${daemon}\necho $? > ${q(join(dir, 'daemon.exit'))}\nwait\n`; // the namespace outlives the daemon
  const init = entrypoint ? [] : [TINI as string, '--'];
  const child = spawn('unshare', ['-pf', '--kill-child', '--mount-proc', ...init, 'sh', '-c', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  trackPid(child.pid);
  const events: DaemonEvent[] = [];
  const out: string[] = [];
  let err = '';
  let buffered = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const line of parts) {
      out.push(line);
      if (line.startsWith('{')) events.push(JSON.parse(line) as DaemonEvent);
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  /** The namespace's processes: their pid here and inside. */
  const members = (): { hostPid: number; nsPid: number }[] => {
    const init = Number(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(' ')[0]);
    const space = readlinkSync(`/proc/${init}/ns/pid`);
    const out: { hostPid: number; nsPid: number }[] = [];
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        if (readlinkSync(`/proc/${name}/ns/pid`) !== space) continue;
        const nspid =
          /^NSpid:\s*(.*)$/m
            .exec(readFileSync(`/proc/${name}/status`, 'utf8'))?.[1]
            ?.trim()
            .split(/\s+/) ?? [];
        out.push({ hostPid: Number(name), nsPid: Number(nspid[nspid.length - 1]) });
      } catch {
        // gone meanwhile
      }
    }
    return out;
  };
  const ns: Namespace = {
    dir,
    child,
    events,
    lines: out,
    stderr: () => err,
    event: (what, match) => waitFor(`${what} (stderr: ${err.slice(-400)})`, () => events.find(match), 20_000),
    hostPid(nsPid) {
      const found = members().find((m) => m.nsPid === nsPid);
      if (!found) throw new Error(`no process ${nsPid} in the namespace`);
      return found.hostPid;
    },
    hostPidOf(comm) {
      const found = members().find((m) => readFileSync(`/proc/${m.hostPid}/comm`, 'utf8').trim() === comm);
      if (!found) throw new Error(`no ${comm} in the namespace`);
      return found.hostPid;
    },
    exitCode: () =>
      waitFor(
        'the daemon to exit',
        () => {
          const file = join(dir, 'daemon.exit');
          return existsSync(file) && readFileSync(file, 'utf8').endsWith('\n')
            ? Number(readFileSync(file, 'utf8')) + 1
            : 0;
        },
        20_000,
      ).then((n) => n - 1),
  };
  return ns;
}

/** A fixture's file inside the namespace's folder for fixture number `i`. */
export const fixtureFile = (ns: Namespace, i: number, name: string): string => join(ns.dir, String(i), name);
