// Section "latency": parent SIGKILLed → worker gone, for Lifeline's main loop, thread mode and IPC hint,
// side by side with the naive kill(ppid, 0) watcher at the same intervals.
import { BATCH, EVENT_SAMPLES, IDLE, INTERVALS, IPC_BATCH, NAIVE, REGISTER, lifelineEnv } from '../lib/config.mjs';
import { addFloorRatios, floorWorkers } from '../lib/floor.mjs';
import { roundRobin } from '../lib/orphanings.mjs';

const COLORS = { 100: '#1f77b4', 500: '#2ca02c', 2000: '#d62728' };

export async function latency() {
  const configs = [];
  for (const interval of INTERVALS) {
    configs.push({
      key: `main-${interval}`,
      label: `Lifeline main loop @${interval} ms`,
      mode: 'main loop',
      interval,
      goal: interval + 10,
      color: COLORS[interval],
      dash: '',
      worker: { args: ['--import', REGISTER, IDLE], env: lifelineEnv(interval) },
    });
    configs.push({
      key: `thread-${interval}`,
      label: `Lifeline thread @${interval} ms`,
      mode: 'thread',
      interval,
      goal: interval + 10,
      color: COLORS[interval],
      dash: '2 3',
      worker: { args: ['--import', REGISTER, IDLE], env: lifelineEnv(interval, { LIFELINE_PARENT_WATCH_THREAD: '1' }) },
    });
    configs.push({
      key: `naive-${interval}`,
      label: `naive kill(ppid, 0) @${interval} ms`,
      mode: 'naive baseline',
      interval,
      goal: null,
      color: COLORS[interval],
      dash: '8 4',
      naive: true,
      worker: { args: [NAIVE], env: { BENCH_NAIVE_INTERVAL: String(interval) } },
    });
  }
  configs.push({
    key: 'ipc-2000',
    label: 'Lifeline + IPC hint @2000 ms',
    mode: 'IPC disconnect hint',
    interval: 2000,
    goal: 20,
    color: '#9467bd',
    dash: '',
    worker: { ipc: true, args: ['--import', REGISTER, IDLE], env: lifelineEnv(2000) },
    floorOf: 'ipc-floor-node',
  });
  configs.push({
    key: 'ipc-thread-2000',
    label: 'Lifeline thread + IPC hint @2000 ms',
    mode: 'IPC hint, thread',
    interval: 2000,
    goal: 20,
    color: '#ff7f0e',
    dash: '2 3',
    worker: {
      ipc: true,
      args: ['--import', REGISTER, IDLE],
      env: lifelineEnv(2000, { LIFELINE_PARENT_WATCH_THREAD: '1' }),
    },
    floorOf: 'ipc-floor-node',
  });
  // The floors of the IPC hint: the channel's end read without Lifeline, in the same trees and batches.
  const floors = floorWorkers('ipc', { ipc: true });
  configs.push({
    key: 'ipc-floor-node',
    label: 'floor: raw Node, IPC disconnect → exit',
    mode: 'IPC floor',
    floorKind: 'node',
    interval: 2000,
    goal: null,
    color: '#9467bd',
    dash: '1 3',
    worker: floors.node,
  });
  // What a worker thread alone adds to the floor: the raw reader with one idle thread (thread mode's watchdog
  // is one), its ratio to the raw reader reported beside the thread-mode row's.
  configs.push({
    key: 'ipc-floor-node-thread',
    label: 'floor: raw Node + an idle worker thread, IPC disconnect → exit',
    mode: 'IPC floor',
    floorKind: 'node-thread',
    interval: 2000,
    goal: null,
    color: '#ff7f0e',
    dash: '1 3',
    worker: { ...floors.node, env: { ...floors.node.env, BENCH_FLOOR_THREAD: '1' } },
    floorOf: 'ipc-floor-node',
  });
  configs.push({
    key: 'ipc-floor-python',
    label: 'floor: Python reads the IPC fd (os._exit)',
    mode: 'IPC floor',
    floorKind: 'python',
    interval: 2000,
    goal: null,
    color: '#9467bd',
    dash: '1 6',
    worker: floors.python,
    floorOf: 'ipc-floor-node',
  });
  for (const c of configs) {
    // The IPC hint fires in every worker of a batch at the same moment: small batches, so that what is
    // measured is the hint and not 20 processes exiting at once on 2 cores.
    c.ipc = c.mode.startsWith('IPC');
    c.batch = c.ipc ? IPC_BATCH : BATCH;
    c.settleMs = c.ipc ? 300 : 500;
    c.spread = !c.ipc;
    // The IPC rows and their floors have goals on their ratio: as many samples as the other event rows.
    if (c.ipc) c.samples = EVENT_SAMPLES;
  }
  // Round-robin: a drift of the machine's speed (other jobs on a shared machine) hits every configuration alike.
  return addFloorRatios(await roundRobin('latency', configs, 42));
}
