// Small statistics helpers: linear-interpolated percentiles (type 7), medians, formatting.
export function percentile(values, p) {
  const xs = values.filter((v) => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const h = (xs.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return xs[lo] + (xs[hi] - xs[lo]) * (h - lo);
}
export const median = (values) => percentile(values, 0.5);
export const mean = (values) => {
  const xs = values.filter((v) => v !== null && Number.isFinite(v));
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
};
export function summary(values) {
  const xs = values.filter((v) => v !== null && Number.isFinite(v));
  return {
    n: values.length,
    ok: xs.length,
    min: xs.length ? Math.min(...xs) : null,
    p10: percentile(xs, 0.1),
    p50: percentile(xs, 0.5),
    p90: percentile(xs, 0.9),
    p99: percentile(xs, 0.99),
    max: xs.length ? Math.max(...xs) : null,
    mean: mean(xs),
  };
}
/** A number of milliseconds for a table: 3 significant-ish digits. */
export function ms(v, unit = ' ms') {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  const text = a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toFixed(3);
  return text + unit;
}
export const mark = (ok) => (ok === null || ok === undefined ? '—' : ok ? '✓' : '✗');

/** A latency row's measured cells: `n | gone/n | min | p50 | p90 | p99 | max` (a summary with `ok`, the ones gone). */
export const latencyCells = (s) =>
  `${s.n} | ${s.ok}/${s.n} | ${ms(s.min)} | ${ms(s.p50)} | ${ms(s.p90)} | ${ms(s.p99)} | ${ms(s.max)}`;
