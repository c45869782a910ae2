/**
 * What a platform offers a parent-death watcher and a supervisor, as data: the watcher's arming and
 * check, the supervisor's teardown and `lifeline doctor` read the same facts instead of each testing
 * `process.platform`.
 */

/** The facts of one platform. */
export interface PlatformFacts {
  /**
   * How a parent's death shows: `'reparenting'` — the kernel hands the child to init or a subreaper, so
   * `process.ppid` changes (Linux, macOS, every Unix); `'liveness'` — a process's parent pid never
   * changes, so only the parent's pid ceasing to name a running process tells (Windows).
   */
  parentDeath: 'reparenting' | 'liveness';
  /** Whether processes form groups that one `kill(-pgid)` reaches (false: only one process at a time). */
  processGroups: boolean;
  /**
   * Whether a signal sent with `process.kill` reaches the target's handlers. False on Windows, where libuv
   * ends the target with `TerminateProcess` (SIGTERM, SIGINT, SIGKILL, SIGQUIT) and refuses the others.
   */
  signalHandlers: boolean;
  /**
   * Whether Node puts the children it spawns (not `detached`) in a job object that ends them when it exits:
   * libuv does on Windows, where no /proc lets a process find its descendants.
   */
  childrenInJob: boolean;
}

const UNIX: PlatformFacts = {
  parentDeath: 'reparenting',
  processGroups: true,
  signalHandlers: true,
  childrenInJob: false,
};
const WINDOWS: PlatformFacts = {
  parentDeath: 'liveness',
  processGroups: false,
  signalHandlers: false,
  childrenInJob: true,
};

/**
 * The facts of `platform`.
 * @param platform - a `process.platform` value. @default process.platform
 */
export function platformFacts(platform: NodeJS.Platform = process.platform): PlatformFacts {
  return platform === 'win32' ? WINDOWS : UNIX;
}
