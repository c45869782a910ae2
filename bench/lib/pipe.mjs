// The lifeline-pipe trees shared by the pipe and pipescale sections: which supervisor (the middle that the
// bench SIGKILLs) gives the workers their pipe, and which worker watches it.
import { IDLE, POLLER, REGISTER, lifelineEnv } from './config.mjs';
import { floorWorkers } from './floor.mjs';

/** The interval of every pipe row: 2 s, the watcher's default (set explicitly: nothing inherited can change it). */
export const PIPE_INTERVAL = 2000;
/** Goal of the pipe rows (p99, ms) and of the pipe / poller ratio of medians. */
export const PIPE_GOAL_MS = 10;
export const RATIO_GOAL = 0.01;

/**
 * The two supervisors: fixtures/middle.mjs starting each worker with @lifeline/supervisor's spawnWorker
 * (a socket pair appended to stdio, LIFELINE_PARENT_FD set), and fixtures/pipe-middle.py doing what a
 * Python host does (os.pipe(), pass_fds, LIFELINE_PARENT_FD and LIFELINE_PARENT_PID, keeps the write end).
 */
export const SUPERVISORS = [
  { key: 'node', label: 'Node supervisor (spawnWorker)', short: 'Node', tree: { spawnWorker: true } },
  { key: 'python', label: 'Python supervisor (pass_fds)', short: 'Python', tree: { python: true, pipe: true } },
];

/** A Lifeline worker: the preload, interval 2 s; it finds its pipe in LIFELINE_PARENT_FD. */
export const lifelineWorker = (supervisor) => ({
  ...supervisor.tree,
  args: ['--import', REGISTER, IDLE],
  env: lifelineEnv(PIPE_INTERVAL),
});

/** LocalAI's Python poller (fixtures/localai-poller.py) at 2 s in the same tree: it ignores the pipe it is given. */
export const pollerWorker = (supervisor) => ({
  ...supervisor.tree,
  command: 'python3',
  args: [POLLER],
  env: lifelineEnv(PIPE_INTERVAL),
});

/** The floors in the same tree: a raw Node reader of the pipe (`process.exit`) and a Python one (`os._exit`). */
export const pipeFloorWorkers = (supervisor) => floorWorkers('pipe', supervisor.tree);
