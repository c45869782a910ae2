/**
 * Does a function take time linear in the length of its input? Compared, never against a clock
 * threshold: the CPU time for an input 4× longer must stay well under the 16× a quadratic one takes, or
 * within a few plain passes over the input.
 */

/** Largest ratio t(4n) / t(n) accepted: linear is ~4, quadratic ~16. */
export const MAX_RATIO_PER_4X = 10;
/** A call at 4n within this many plain passes over its input is linear whatever its ratio says. */
const SCANS_OF_NOISE = 8;

/**
 * CPU time per call of `run(input)` (this process's, so that time spent descheduled on a loaded machine
 * does not count), over calls repeated until at least `batchMs` of it has passed.
 */
function batch(run: (input: string) => unknown, input: string, batchMs = 3): number {
  let calls = 0;
  const start = process.cpuUsage();
  let elapsed = 0;
  do {
    run(input);
    calls++;
    const used = process.cpuUsage(start);
    elapsed = (used.user + used.system) / 1000;
  } while (elapsed < batchMs);
  return elapsed / calls;
}

/** One pass over the input in JavaScript: what reading each character once costs, the floor of any parser. */
function scan(input: string): number {
  let sum = 0;
  for (let i = 0; i < input.length; i++) sum += input.charCodeAt(i);
  return sum;
}

/**
 * Time per call for a small and a large input, batches interleaved, the best of `rounds` for each: on a
 * shared machine a batch may be descheduled, and the best batch is the one that was not.
 */
function timePair(run: (input: string) => unknown, small: string, large: string, rounds = 3): [number, number] {
  let bestSmall = Number.POSITIVE_INFINITY;
  let bestLarge = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    bestSmall = Math.min(bestSmall, batch(run, small));
    const large1 = batch(run, large);
    bestLarge = Math.min(bestLarge, large1);
    // A call of a second or more is not a scheduling accident: more rounds only repeat a slow answer.
    if (large1 > 1000) break;
  }
  return [bestSmall, bestLarge];
}

/** One step of the ladder that was not linear. */
export interface Superlinear {
  n: number;
  ratio: number;
  msAtN: number;
  msAt4N: number;
}

/**
 * The sizes compared, in two ladders of 4× steps. V8 allocates an object of more than 128 kB in another
 * heap space, and the time per element jumps there: for a string somewhere between 64 k and 160 k
 * characters (two-byte text sooner), for an array at 16 k elements — the words `split` makes of 32 k
 * characters of `"0 "`. A step across either jump measures the allocator, not the parser. So each ladder
 * stays on one side of both (the small one ends at 16 k characters: at most 8 k words), and the large one
 * ends at 1 MB.
 */
export const LADDERS: readonly (readonly [from: number, to: number])[] = [
  [1024, 16 * 1024],
  [256 * 1024, 1024 * 1024],
];

/**
 * Walk each ladder (sizes `from`, 4×`from`, … up to `to` characters; `make(n)` builds an input of about n
 * characters). Returns the first step whose time grew more than {@link MAX_RATIO_PER_4X} times (measured
 * up to five times before it counts), or `undefined` when every step was linear. The small ladder comes first and a
 * bad step ends the walk, so a quadratic function fails in seconds instead of being timed on a megabyte.
 */
export function superlinearStep(
  make: (n: number) => string,
  run: (input: string) => unknown,
  ladders = LADDERS,
): Superlinear | undefined {
  for (const [from, to] of ladders) {
    for (let n = from; n * 4 <= to; n *= 4) {
      const small = make(n);
      const large = make(n * 4);
      // A bad step is measured up to five times before it counts: the machine is shared. A call that
      // costs less than a few plain passes over its input is no evidence either way (it may even be
      // constant time, its small sizes all noise): only more is judged.
      for (let attempt = 1; ; attempt++) {
        const [msAtN, msAt4N] = timePair(run, small, large);
        const ratio = msAt4N / msAtN;
        if (ratio <= MAX_RATIO_PER_4X || msAt4N <= SCANS_OF_NOISE * timePair(scan, small, large)[1]) break;
        if (attempt === 5 || msAt4N > 1000) return { n, ratio, msAtN, msAt4N };
      }
    }
  }
  return undefined;
}

/** `prefix + pump × k + suffix`, about `n` characters long: the shape of every backtracking attack. */
export function pumped(prefix: string, pump: string, suffix: string): (n: number) => string {
  return (n) =>
    prefix +
    pump.repeat(Math.max(1, Math.ceil((n - prefix.length - suffix.length) / Math.max(1, pump.length)))) +
    suffix;
}
