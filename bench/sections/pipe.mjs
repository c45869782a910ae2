// Section "pipe": parent SIGKILLed → worker gone with the lifeline pipe (LIFELINE_PARENT_FD) at the default
// 2 s interval, under a Node supervisor (spawnWorker) and a Python one (pass_fds), side by side with
// LocalAI's Python poller (sleep 2 s, compare os.getppid()) in the same trees.
import { BATCH, EVENT_SAMPLES, PIPE_BATCH, log } from '../lib/config.mjs';
import { roundRobin } from '../lib/orphanings.mjs';
import { addFloorRatios, ratioText } from '../lib/floor.mjs';
import {
  PIPE_GOAL_MS,
  PIPE_INTERVAL,
  RATIO_GOAL,
  SUPERVISORS,
  lifelineWorker,
  pipeFloorWorkers,
  pollerWorker,
} from '../lib/pipe.mjs';
import { ms } from '../lib/stats.mjs';

const COLORS = { node: '#17becf', python: '#bcbd22' };

export async function pipe() {
  const configs = [];
  for (const s of SUPERVISORS) {
    // The pipe's end of file wakes every worker of a tree at the same instant: small batches (as the IPC
    // hint's), so that what is measured is the pipe and not several exits queueing on 2 cores; no phase
    // spreading (the poll plays no part). The poller is a poll: batches of 20 with the phases spread.
    configs.push({
      key: `pipe-${s.key}`,
      supervisor: s.key,
      kind: 'pipe',
      label: `Lifeline + pipe, ${s.label} @2 s`,
      goal: PIPE_GOAL_MS,
      batch: PIPE_BATCH,
      samples: EVENT_SAMPLES,
      spread: false,
      settleMs: 300,
      color: COLORS[s.key],
      dash: '',
      worker: lifelineWorker(s),
      floorOf: `floor-node-${s.key}`,
    });
    // The floors, in the same trees and batches: the same pipe read without Lifeline.
    const floors = pipeFloorWorkers(s);
    configs.push({
      key: `floor-node-${s.key}`,
      supervisor: s.key,
      kind: 'floor',
      floorKind: 'node',
      label: `floor: raw Node pipe reader, ${s.label}`,
      goal: null,
      batch: PIPE_BATCH,
      samples: EVENT_SAMPLES,
      spread: false,
      settleMs: 300,
      color: COLORS[s.key],
      dash: '1 3',
      worker: floors.node,
    });
    configs.push({
      key: `floor-python-${s.key}`,
      supervisor: s.key,
      kind: 'floor',
      floorKind: 'python',
      label: `floor: Python pipe reader (os._exit), ${s.label}`,
      goal: null,
      batch: PIPE_BATCH,
      samples: EVENT_SAMPLES,
      spread: false,
      settleMs: 300,
      color: COLORS[s.key],
      dash: '1 6',
      worker: floors.python,
      floorOf: `floor-node-${s.key}`,
    });
    configs.push({
      key: `poller-${s.key}`,
      supervisor: s.key,
      kind: 'poller',
      label: `LocalAI Python poller, ${s.label} @2 s`,
      goal: null,
      batch: BATCH,
      spread: true,
      settleMs: 500,
      color: COLORS[s.key],
      dash: '8 4',
      worker: pollerWorker(s),
    });
  }
  for (const c of configs) c.interval = PIPE_INTERVAL;
  // Round-robin, as in the latency section: a drift of the machine's speed hits every configuration alike.
  await roundRobin('pipe', configs, 64);
  addFloorRatios(configs);
  const byKey = Object.fromEntries(configs.map((c) => [c.key, c]));
  for (const c of configs) if (c.floor) log(`pipe ${c.label}: × the raw Node reader (p50 / p90) ${ratioText(c.floor)}`);
  const ratios = SUPERVISORS.map((s) => {
    const lifeline = byKey[`pipe-${s.key}`].stats.p50;
    const poller = byKey[`poller-${s.key}`].stats.p50;
    const ratio = lifeline !== null && poller ? lifeline / poller : null;
    log(
      `pipe p50 ratio, ${s.label}: Lifeline with the pipe / poller = ${ms(lifeline, '')} / ${ms(poller)} = ${ratio === null ? '—' : ratio.toFixed(4)}`,
    );
    return {
      supervisor: s.key,
      label: s.label,
      short: s.short,
      ratio,
      goal: RATIO_GOAL,
      pass: ratio !== null && ratio <= RATIO_GOAL,
    };
  });
  return { interval: PIPE_INTERVAL, batch: PIPE_BATCH, pollerBatch: BATCH, configs, ratios };
}
