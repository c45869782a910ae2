/**
 * The `lifeline` command: `run`, `zombies`, `doctor`. See `lifeline --help`.
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { describe } from '@lifeline/core/errors';
import { EXIT_USAGE, UsageError } from './cli/args.js';
import { doctorCli } from './cli/doctor.js';
import { runCli } from './cli/run.js';
import { zombiesCli } from './cli/zombies.js';

const HELP = `Usage: lifeline <command> [options]

Commands:
  run [--interval D] [--grace D] [--arm] -- command [args…]
        run a command in its own process group; take the group down when lifeline is orphaned
  zombies [--json] [--kill-parents [--yes] [--grace D]] [--every D] [--log json] [--metrics-port P]
        list zombie processes grouped by parent; optionally end parents that do not reap;
        with --every, as a node daemon
  doctor [--json] [--no-probe]
        explain this process environment as a parent-death watcher sees it

Run "lifeline <command> --help" for the options and exit codes of each command.

  -h, --help     show this help
  -v, --version  print the version

Exit codes: 2 for usage errors everywhere; see each command for the others.
`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'run':
      return runCli(rest);
    case 'zombies':
      return zombiesCli(rest);
    case 'doctor':
      return doctorCli(rest);
    case undefined:
      process.stderr.write(HELP);
      return EXIT_USAGE;
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(HELP);
      return 0;
    case '-v':
    case '--version':
      process.stdout.write(`${version()}\n`);
      return 0;
    default:
      throw new UsageError(`unknown command ${describe(command)} (expected run, zombies or doctor)`);
  }
}

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      const command = ['run', 'zombies', 'doctor'].includes(process.argv[2] ?? '') ? ` ${process.argv[2]}` : '';
      process.stderr.write(`lifeline${command}: ${error.message}\nTry "lifeline${command} --help".\n`);
      process.exit(EXIT_USAGE);
    }
    process.stderr.write(`lifeline: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
