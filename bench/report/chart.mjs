// latency.svg: one CDF line per latency configuration, the zombie-parent rows, the lifeline-pipe rows, stdin's end
// and the stdio hang-up hint.
import { SAMPLES } from '../lib/config.mjs';
import { cdfChart } from '../lib/svg.mjs';
import { ms } from '../lib/stats.mjs';
import { pipeSeries } from './pipe.mjs';
import { stdioSeries } from './stdio.mjs';

export function chart(r) {
  const series = [];
  for (const c of r.latency ?? [])
    series.push({ label: `${c.label} (p99 ${ms(c.stats.p99)})`, color: c.color, dash: c.dash, values: c.values });
  if (r.zombie) {
    series.push({
      label: `naive, zombie parent @100 ms (${r.zombie[0].stats.ok}/${r.zombie[0].stats.n})`,
      color: '#7f7f7f',
      dash: '8 4',
      values: r.zombie[0].stats.n ? r.zombieValues[0] : [],
    });
    series.push({ label: `Lifeline, zombie parent @100 ms`, color: '#7f7f7f', dash: '', values: r.zombieValues[1] });
  }
  series.push(...pipeSeries(r), ...stdioSeries(r));
  return cdfChart(series, {
    title: `Parent SIGKILLed → worker gone: CDF of ${SAMPLES} orphanings per line (${r.machine.cores} cores, Node ${r.machine.node})`,
    width: 1060,
    height: Math.max(560, 90 + series.length * 20),
  });
}
