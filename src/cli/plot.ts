/**
 * Training curves as a standalone SVG (hand-written, no dependency): two panels side by side —
 * loss and accuracy per epoch — each with train and validation lines, point markers, axes with
 * "nice" ticks, grid lines, axis labels and a legend.
 */

/** One curve. */
export interface Series {
  label: string;
  /** Values per epoch (epoch i + 1 at index i); NaN leaves a point out. */
  values: readonly number[];
  color: string;
  /** Dashed stroke (used for validation curves). */
  dashed?: boolean;
}

/** One panel. */
export interface Panel {
  title: string;
  yLabel: string;
  series: readonly Series[];
  /** Format of the y tick labels. */
  format?: (v: number) => string;
}

/** XML-escapes text content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Up to about `count` round tick values covering [lo, hi] (steps of 1, 2 or 5 × 10^k). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return niceTicks(lo - pad, hi + pad, count);
  }
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? 10 * mag;
  const start = Math.floor(lo / step) * step;
  const ticks: number[] = [];
  for (let v = start; v <= hi + step * 0.5; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks[ticks.length - 1]! < hi) ticks.push(Number((ticks[ticks.length - 1]! + step).toPrecision(12)));
  return ticks;
}

function fmtTick(v: number): string {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1000 || a < 1e-3) return v.toExponential(0);
  return String(Number(v.toPrecision(4)));
}

const W = 480;
const H = 360;
const M = { left: 64, right: 16, top: 40, bottom: 48 };

function panelSvg(p: Panel, x0: number, epochs: number): string {
  const fmt = p.format ?? fmtTick;
  const vals = p.series.flatMap((s) => s.values.filter((v) => Number.isFinite(v)));
  const lo = vals.length ? Math.min(...vals) : 0;
  const hi = vals.length ? Math.max(...vals) : 1;
  const yt = niceTicks(lo, hi, 5);
  const yMin = yt[0]!;
  const yMax = yt[yt.length - 1]!;
  const xt = niceTicks(1, Math.max(2, epochs), Math.min(8, Math.max(1, epochs - 1))).filter((v) => Number.isInteger(v) && v >= 1 && v <= Math.max(epochs, 2));
  const xMax = Math.max(2, epochs);
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const sx = (e: number) => x0 + M.left + ((e - 1) / (xMax - 1)) * pw;
  const sy = (v: number) => M.top + ph - ((v - yMin) / (yMax - yMin || 1)) * ph;
  const out: string[] = [];
  out.push(`<g class="panel">`);
  out.push(`<text x="${x0 + M.left + pw / 2}" y="${M.top - 16}" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(p.title)}</text>`);
  for (const v of yt) {
    const y = sy(v).toFixed(1);
    out.push(`<line x1="${x0 + M.left}" y1="${y}" x2="${x0 + M.left + pw}" y2="${y}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${x0 + M.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" font-size="11">${escapeXml(fmt(v))}</text>`);
  }
  for (const e of xt) {
    const x = sx(e).toFixed(1);
    out.push(`<line x1="${x}" y1="${M.top + ph}" x2="${x}" y2="${M.top + ph + 4}" stroke="#333"/>`);
    out.push(`<text x="${x}" y="${M.top + ph + 16}" text-anchor="middle" font-size="11">${e}</text>`);
  }
  // axes
  out.push(`<line x1="${x0 + M.left}" y1="${M.top}" x2="${x0 + M.left}" y2="${M.top + ph}" stroke="#333"/>`);
  out.push(`<line x1="${x0 + M.left}" y1="${M.top + ph}" x2="${x0 + M.left + pw}" y2="${M.top + ph}" stroke="#333"/>`);
  out.push(`<text x="${x0 + M.left + pw / 2}" y="${H - 10}" text-anchor="middle" font-size="12">epoch</text>`);
  out.push(`<text x="${x0 + 16}" y="${M.top + ph / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 ${x0 + 16} ${M.top + ph / 2})">${escapeXml(p.yLabel)}</text>`);
  // curves
  for (const s of p.series) {
    const pts = s.values.map((v, i) => [i + 1, v] as const).filter(([, v]) => Number.isFinite(v));
    if (pts.length === 0) continue;
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    if (pts.length > 1) out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2"${dash} points="${pts.map(([e, v]) => `${sx(e).toFixed(1)},${sy(v).toFixed(1)}`).join(' ')}"/>`);
    for (const [e, v] of pts) out.push(`<circle cx="${sx(e).toFixed(1)}" cy="${sy(v).toFixed(1)}" r="2.5" fill="${s.color}"/>`);
  }
  // legend (top right, inside the plot area)
  const shown = p.series.filter((s) => s.values.some((v) => Number.isFinite(v)));
  // Curves that end high (accuracy) leave the bottom-right corner free; those that end low (loss), the top-right.
  const ends = shown.map((s) => [...s.values].reverse().find((v) => Number.isFinite(v))!);
  const endHigh = ends.length > 0 && ends.reduce((a, b) => a + b, 0) / ends.length > (yMin + yMax) / 2;
  const boxH = 10 + 18 * shown.length;
  const top = endHigh ? M.top + ph - 6 - boxH : M.top + 6;
  const lx = x0 + M.left + pw - 118;
  out.push(`<rect x="${lx - 8}" y="${top}" width="124" height="${boxH}" fill="white" fill-opacity="0.85" stroke="#ccc"/>`);
  shown.forEach((s, i) => {
    const y = top + 14 + 18 * i;
    out.push(`<line x1="${lx}" y1="${y}" x2="${lx + 24}" y2="${y}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    out.push(`<text x="${lx + 30}" y="${y}" dominant-baseline="middle" font-size="12">${escapeXml(s.label)}</text>`);
  });
  out.push('</g>');
  return out.join('\n');
}

/** An SVG document with the panels side by side, under `title`. */
export function renderPlot(title: string, panels: readonly Panel[]): string {
  const epochs = Math.max(1, ...panels.flatMap((p) => p.series.map((s) => s.values.length)));
  const width = W * panels.length;
  const height = H + 28;
  const body = panels.map((p, i) => panelSvg(p, i * W, epochs)).join('\n');
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`,
    `<g transform="translate(0, 28)">`,
    body,
    `</g>`,
    `</svg>`,
    '',
  ].join('\n');
}

/** Per-epoch values recorded by `axon train`. */
export interface Curves {
  loss: number[];
  accuracy: number[];
  valLoss: number[];
  valAccuracy: number[];
}

/** The loss and accuracy panels of `axon train --plot`. */
export function trainingCurvesSvg(title: string, c: Curves): string {
  const hasVal = c.valLoss.some((v) => Number.isFinite(v));
  const train = '#1f77b4';
  const val = '#d62728';
  const lossSeries: Series[] = [{ label: 'train', values: c.loss, color: train }];
  const accSeries: Series[] = [{ label: 'train', values: c.accuracy.map((a) => 100 * a), color: train }];
  if (hasVal) {
    lossSeries.push({ label: 'validation', values: c.valLoss, color: val, dashed: true });
    accSeries.push({ label: 'validation', values: c.valAccuracy.map((a) => 100 * a), color: val, dashed: true });
  }
  return renderPlot(title, [
    { title: 'loss', yLabel: 'cross-entropy loss', series: lossSeries },
    { title: 'accuracy', yLabel: 'accuracy (%)', series: accSeries },
  ]);
}
