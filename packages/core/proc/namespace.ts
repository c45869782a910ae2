/**
 * PID namespaces: a pid handed down by a supervisor names a process of the supervisor's namespace. Inside
 * another one (`unshare -p`, bubblewrap, nsjail, a container given the environment) that number means
 * nothing — or some other process — so it must not be judged there.
 */
import { nodeFs } from '../builtin.js';

let own: string | null | undefined;
/**
 * This process's PID namespace, as `/proc/self/ns/pid` names it (`pid:[4026531836]`), or `null` where it
 * cannot be read (no /proc, not Linux). Read once.
 */
export function pidNamespace(): string | null {
  if (own === undefined) {
    try {
      own = process.platform === 'linux' ? nodeFs().readlinkSync('/proc/self/ns/pid') : null;
    } catch {
      own = null;
    }
  }
  return own;
}

/**
 * Whether `namespace` (a supervisor's {@link pidNamespace}, handed down in `LIFELINE_PARENT_PID_NS`) is
 * known to differ from this process's. Unknown on either side: false.
 */
export function inOtherPidNamespace(namespace: string | null): boolean {
  const ours = pidNamespace();
  return namespace !== null && ours !== null && namespace !== ours;
}
