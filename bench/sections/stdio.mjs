// Section "stdio": parent SIGKILLed → worker gone by the stdio hang-up hint — the zero-config case: workers
// armed only by the register preload at the 2 s default, no lifeline pipe, no IPC channel, whose stdout and
// stderr the supervisor reads (a Node one with plain `spawn`: socket pairs; a Python one with
// `Popen(stdout=PIPE, stderr=PIPE)`: pipes). Beside each, its floors in the same trees and round-robin, and
// a control with the hint switched off (the poll alone).
import { BATCH, EVENT_SAMPLES, IDLE, PIPE_BATCH, REGISTER, lifelineEnv, log } from '../lib/config.mjs';
import { addFloorRatios, floorWorkers, ratioText } from '../lib/floor.mjs';
import { roundRobin } from '../lib/orphanings.mjs';
import { PIPE_INTERVAL } from '../lib/pipe.mjs';

/** The two supervisors: fixtures/middle.mjs and fixtures/pipe-middle.py, piping and reading stdout and stderr. */
export const STDIO_SUPERVISORS = [
  { key: 'node', label: 'Node supervisor (`spawn`, default stdio)', short: 'Node', tree: { stdio: 'pipe' } },
  {
    key: 'python',
    label: 'Python supervisor (`Popen(stdout=PIPE, stderr=PIPE)`)',
    short: 'Python',
    tree: { python: true, stdio: 'pipe' },
  },
];

const COLORS = { node: '#8c564b', python: '#393b79' };

export async function stdioBench() {
  const configs = [];
  for (const s of STDIO_SUPERVISORS) {
    const worker = { ...s.tree, args: ['--import', REGISTER, IDLE], env: lifelineEnv(PIPE_INTERVAL) };
    // The hang-up wakes every worker of a tree at the same instant: small batches, as the pipe rows', so
    // that what is measured is the hint and not exits queueing on 2 cores; the poll plays no part.
    const event = {
      supervisor: s.key,
      batch: PIPE_BATCH,
      samples: EVENT_SAMPLES,
      spread: false,
      settleMs: 300,
      color: COLORS[s.key],
    };
    const floors = floorWorkers('stdio', s.tree);
    configs.push(
      {
        ...event,
        key: `stdio-${s.key}`,
        kind: 'stdio',
        label: `Lifeline stdio hint, ${s.label} @2 s`,
        goal: null,
        dash: '',
        worker,
        floorOf: `stdio-floor-node-${s.key}`,
      },
      {
        ...event,
        key: `stdio-floor-node-${s.key}`,
        kind: 'floor',
        floorKind: 'node',
        label: `floor: raw Node reader of stdout/stderr's end, ${s.label}`,
        goal: null,
        dash: '1 3',
        worker: floors.node,
      },
      {
        ...event,
        key: `stdio-floor-python-${s.key}`,
        kind: 'floor',
        floorKind: 'python',
        label: `floor: Python poll(2) of fds 1 and 2 (os._exit), ${s.label}`,
        goal: null,
        dash: '1 6',
        worker: floors.python,
        floorOf: `stdio-floor-node-${s.key}`,
      },
      {
        // The same workers with the hint switched off: the poll alone, phases spread over the interval.
        key: `stdio-off-${s.key}`,
        supervisor: s.key,
        kind: 'control',
        label: `control: \`LIFELINE_PARENT_WATCH_STDIO=0\`, ${s.label} @2 s`,
        goal: null,
        batch: BATCH,
        spread: true,
        settleMs: 500,
        color: COLORS[s.key],
        dash: '8 4',
        worker: { ...worker, env: { ...worker.env, LIFELINE_PARENT_WATCH_STDIO: '0' } },
      },
    );
  }
  for (const c of configs) c.interval = PIPE_INTERVAL;
  await roundRobin('stdio', configs, 90);
  addFloorRatios(configs);
  for (const c of configs)
    if (c.floor) log(`stdio ${c.label}: × the raw Node reader (p50 / p90) ${ratioText(c.floor)}`);
  return { interval: PIPE_INTERVAL, batch: PIPE_BATCH, controlBatch: BATCH, configs };
}
