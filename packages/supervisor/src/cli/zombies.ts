import { DELAY } from '@lifeline/core/duration';
import { hasProcfs } from '@lifeline/core/proc/stat';
import { killZombieParents, type ParentAction } from '../liveness/kill-parents.js';
import { groupZombies, listZombies } from '../liveness/zombies.js';
import { durationFlag, parseFlags, UsageError } from './args.js';

export const ZOMBIES_HELP = `Usage: lifeline zombies [--json] [--kill-parents [--yes] [--grace D]]

List zombie processes (exited, never reaped by their parent), grouped by parent with counts.
Linux only (read from /proc); elsewhere it says so and lists nothing.

  --json          print JSON: { available, zombies: [...], byParent: [...], actions? }
  --kill-parents  end the parents that do not reap, so init re-parents and reaps their zombies.
                  Without --yes it only prints what it would do. Never signals PID 1, lifeline
                  itself or any of its ancestors. SIGTERM, then SIGKILL after the grace.
  --yes           really send the signals (with --kill-parents)
  --grace D       time between SIGTERM and SIGKILL (default 5s; "500ms", "2s", "1m")
  -h, --help      show this help

Exit codes:
  0  success (also when there are no zombies, or no /proc)
  1  --kill-parents --yes: at least one parent could not be signalled (e.g. permission denied)
     or survived SIGKILL
  2  usage error
`;

/** `lifeline zombies`. Returns the exit code. @internal */
export async function zombiesCli(argv: readonly string[]): Promise<number> {
  const parsed = parseFlags(argv, { json: 'boolean', 'kill-parents': 'boolean', yes: 'boolean', grace: 'string' }, false);
  if (parsed.flags.has('help')) {
    process.stdout.write(ZOMBIES_HELP);
    return 0;
  }
  const json = parsed.flags.has('json');
  const killParents = parsed.flags.has('kill-parents');
  const yes = parsed.flags.has('yes');
  const grace = durationFlag(parsed, 'grace', DELAY);
  if (!killParents && yes) throw new UsageError('--yes only makes sense with --kill-parents');
  if (!killParents && grace !== undefined) throw new UsageError('--grace only makes sense with --kill-parents');

  const available = hasProcfs();
  const zombies = listZombies();
  const byParent = groupZombies(zombies);
  const out: string[] = [];
  if (!json) {
    if (!available) out.push(`lifeline zombies: no /proc on this platform (${process.platform}): zombies cannot be listed here`);
    else if (zombies.length === 0) out.push('no zombies');
    else {
      out.push(`${zombies.length} zombie(s) under ${byParent.length} parent(s):`);
      out.push(pad(['PARENT', 'COMM', 'ZOMBIES', 'ZOMBIE PIDS']));
      for (const g of byParent) out.push(pad([String(g.ppid), g.parentComm, String(g.count), g.pids.join(' ')]));
    }
    process.stdout.write(out.map((l) => `${l}\n`).join(''));
  }

  let actions: ParentAction[] | undefined;
  if (killParents) {
    actions = await killZombieParents({
      zombies,
      confirm: yes,
      ...(grace !== undefined ? { grace } : {}),
      onAction: json ? undefined : (action) => process.stdout.write(`${describeAction(action, grace ?? 5000)}\n`),
    });
    if (!json && !yes && actions.some((a) => a.outcome === 'planned')) {
      process.stdout.write('dry run: nothing was signalled; add --yes to do it\n');
    }
  }
  if (json) {
    process.stdout.write(`${JSON.stringify({ available, zombies, byParent, ...(actions ? { actions, dryRun: !yes } : {}) }, null, 2)}\n`);
  }
  return actions?.some((a) => a.outcome === 'failed') ? 1 : 0;
}

function describeAction(a: ParentAction, graceMs: number): string {
  const who = `${a.pid} (${a.comm}, ${a.zombies.length} zombie(s))`;
  switch (a.outcome) {
    case 'skipped': {
      const why = {
        'pid-1': 'PID 1 is never signalled',
        self: 'it is lifeline itself',
        ancestor: 'it is an ancestor of lifeline',
        protected: 'it is protected',
        invalid: 'not a valid pid',
      }[a.reason ?? 'invalid'];
      return `skip ${who}: ${why}`;
    }
    case 'planned':
      return `would send SIGTERM to ${who}, then SIGKILL after ${graceMs}ms if still running`;
    case 'terminated':
      return `terminated ${who} with SIGTERM`;
    case 'killed':
      return `killed ${who} with SIGKILL (still running after ${graceMs}ms)`;
    case 'gone':
      return `${who} was already gone`;
    case 'failed':
      return `FAILED ${who}: ${a.error ?? 'unknown error'}`;
  }
}

function pad(cols: string[]): string {
  const widths = [8, 16, 8];
  return cols.map((c, i) => (i < widths.length ? c.padEnd(widths[i] as number) : c)).join(' ');
}
