// A hand-written SVG chart: one empirical CDF line per configuration, log-scaled latency axis.
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * series: [{ label, color, dash, values: number[] (ms; null = never detected) }]
 * Undetected samples keep the line below 1 (the CDF never reaches it).
 */
export function cdfChart(series, { title, width = 1080, height = 560, xMin = 1, xMax = 10_000 } = {}) {
  const m = { left: 70, right: 360, top: 50, bottom: 60 };
  const W = width - m.left - m.right;
  const H = height - m.top - m.bottom;
  const lx = (v) =>
    m.left +
    ((Math.log10(Math.min(Math.max(v, xMin), xMax)) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin))) * W;
  const ly = (f) => m.top + (1 - f) * H;
  const out = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif" font-size="12">`,
  );
  out.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  out.push(`<text x="${m.left}" y="28" font-size="16" font-weight="600">${esc(title)}</text>`);
  // grid + axes
  for (let d = Math.log10(xMin); d <= Math.log10(xMax) + 1e-9; d++) {
    for (const k of [1, 2, 5]) {
      const v = k * 10 ** d;
      if (v > xMax) break;
      const x = lx(v).toFixed(1);
      out.push(`<line x1="${x}" x2="${x}" y1="${m.top}" y2="${m.top + H}" stroke="${k === 1 ? '#ccc' : '#eee'}"/>`);
      out.push(
        `<text x="${x}" y="${m.top + H + 16}" text-anchor="middle" fill="#444">${v >= 1000 ? `${v / 1000} s` : `${v} ms`}</text>`,
      );
    }
  }
  for (const f of [0, 0.25, 0.5, 0.75, 0.9, 0.99, 1]) {
    const y = ly(f).toFixed(1);
    out.push(
      `<line x1="${m.left}" x2="${m.left + W}" y1="${y}" y2="${y}" stroke="${f === 0.5 || f === 0.99 ? '#bbb' : '#eee'}"/>`,
    );
    if (f === 0.99) out.push(`<text x="${m.left + W - 4}" y="${y}" dy="12" text-anchor="end" fill="#444">p99</text>`);
    else
      out.push(
        `<text x="${m.left - 6}" y="${y}" dy="4" text-anchor="end" fill="#444">${f === 0.5 ? 'p50' : f.toFixed(2)}</text>`,
      );
  }
  out.push(`<rect x="${m.left}" y="${m.top}" width="${W}" height="${H}" fill="none" stroke="#888"/>`);
  out.push(
    `<text x="${m.left + W / 2}" y="${height - 18}" text-anchor="middle" fill="#222">latency: parent SIGKILLed → worker exited (log scale)</text>`,
  );
  out.push(
    `<text transform="translate(18 ${m.top + H / 2}) rotate(-90)" text-anchor="middle" fill="#222">fraction of orphanings detected</text>`,
  );
  // lines (step CDF)
  series.forEach((s, i) => {
    const n = s.values.length;
    const xs = s.values.filter((v) => v !== null).sort((a, b) => a - b);
    let d = `M${lx(xMin).toFixed(1)},${ly(0).toFixed(1)}`;
    xs.forEach((v, j) => {
      const x = lx(v).toFixed(1);
      d += ` L${x},${ly(j / n).toFixed(1)} L${x},${ly((j + 1) / n).toFixed(1)}`;
    });
    d += ` L${lx(xMax).toFixed(1)},${ly(xs.length / n).toFixed(1)}`;
    out.push(
      `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2" ${s.dash ? `stroke-dasharray="${s.dash}"` : ''} opacity="0.9"/>`,
    );
    const ly0 = m.top + 10 + i * 20;
    const lx0 = m.left + W + 16;
    out.push(
      `<line x1="${lx0}" x2="${lx0 + 28}" y1="${ly0}" y2="${ly0}" stroke="${s.color}" stroke-width="2.5" ${s.dash ? `stroke-dasharray="${s.dash}"` : ''}/>`,
    );
    out.push(`<text x="${lx0 + 34}" y="${ly0 + 4}" fill="#222">${esc(s.label)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
