// The goals the report judges the costs while waiting against (the latency, pipe, stdin and scale sections
// carry their own `goal` with each row). One place, so that every table and reading states the same.
export const GOALS = {
  /** Start-up of `--import` / `-r` preload over bare `node -e 0`: ratio of the medians. */
  startupRatio: 1.05,
  /** Start-up over the minimal preload (fixtures/minimal-preload.cjs): the median of the same rounds' ratios. */
  shareMax: 1.03,
  /** Resident memory added by the preload in main-loop mode, over bare node (MiB). */
  rssMiB: 2,
  /** Resident memory added by the preload over the minimal preload given the same way (MiB). */
  ownRssMiB: 0.3,
  /** Idle CPU added at a 10 ms interval (ms of CPU per second). */
  cpuAt10MsPerS: 10,
};
