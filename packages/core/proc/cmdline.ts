import { nodeFs } from '../builtin.js';

/** `/proc/<pid>/cmdline` as words, or `null` when it cannot be read (gone, hidden, a kernel thread: empty). */
export function readCmdline(pid: number): string[] | null {
  try {
    // NUL-terminated words; a process title (npm's) is padded with NULs to the length of the original argv.
    // Cut by hand: a regular expression is compiled on first use, which every worker's start would pay.
    const text = nodeFs().readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    let end = text.length;
    while (end > 0 && text.charCodeAt(end - 1) === 0) end--;
    return end === 0 ? null : text.slice(0, end).split('\0');
  } catch {
    return null;
  }
}
