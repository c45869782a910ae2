// The floor rows: beside each event row (the lifeline pipe, the IPC hint, stdin's end, many piped
// workers), the same event read by a worker without Lifeline — a raw Node reader that calls
// `process.exit` (fixtures/floor-reader.mjs) and a Python one that `os._exit`s (fixtures/floor-reader.py,
// the machine's floor) — in the same round-robin, and each row's ratio to the Node floor.
import { FLOOR_NODE, FLOOR_PYTHON } from './config.mjs';

/** Goals of an event row against the raw Node reader in the same run: ratios of p50 and p90. */
export const FLOOR_GOAL = { p50: 1.25, p90: 1.5 };
/** Goal of many piped workers against as many raw readers: ratio of the last one gone. */
export const FLOOR_SCALE_GOAL = 1.2;

/** The two floor workers for `event` ('pipe', 'ipc', 'stdin'), on top of a tree's own settings. */
export const floorWorkers = (event, tree = {}) => ({
  node: { ...tree, args: [FLOOR_NODE], env: { BENCH_FLOOR: event } },
  python: { ...tree, command: 'python3', args: [FLOOR_PYTHON], env: { BENCH_FLOOR: event } },
});

const ratio = (a, b) => (a === null || b === null || b === undefined || b === 0 ? null : a / b);

/** A summary's ratios to a floor's summary: `{ p50, p90, pass }` against {@link FLOOR_GOAL}. */
export function againstFloor(stats, floor) {
  const p50 = ratio(stats.p50, floor.p50);
  const p90 = ratio(stats.p90, floor.p90);
  return {
    p50,
    p90,
    goal: FLOOR_GOAL,
    pass: p50 !== null && p90 !== null && p50 <= FLOOR_GOAL.p50 && p90 <= FLOOR_GOAL.p90,
  };
}

/**
 * Give every configuration with `floorOf` (the key of its Node floor in the same list) its ratios to it,
 * as `c.floor`. Floor rows are marked `c.floorKind` ('node', 'python', 'node-thread': the Node reader with
 * one idle worker thread, or 'node-deferred': the Node reader leaving in the check phase after stdin's end)
 * by their section.
 */
export function addFloorRatios(configs) {
  const byKey = Object.fromEntries(configs.map((c) => [c.key, c]));
  for (const c of configs) {
    const floor = c.floorOf && byKey[c.floorOf];
    if (floor?.stats && c.stats) c.floor = { of: c.floorOf, ...againstFloor(c.stats, floor.stats) };
  }
  return configs;
}

/** "×1.07 / ×1.12" for a ratio pair. */
export const ratioText = (f) => (f ? `×${f.p50?.toFixed(2) ?? '—'} / ×${f.p90?.toFixed(2) ?? '—'}` : '—');
