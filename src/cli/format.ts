/** Text output of the CLI: the confusion matrix, aligned tables, and number formats. */

/** `97.12%` from a fraction. */
export function pct(fraction: number, digits = 2): string {
  return Number.isFinite(fraction) ? `${(100 * fraction).toFixed(digits)}%` : 'n/a';
}

/** A learning rate as `1.00e-3`. */
export function fmtLr(lr: number): string {
  return lr.toExponential(2);
}

/** Counts `[classes × classes]`: row = true class, column = predicted class. */
export function confusionMatrix(truth: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]!;
    const p = predicted[i]!;
    if (t >= 0 && t < classes && p >= 0 && p < classes) m[t]![p]!++;
  }
  return m;
}

/** Index of the largest value in each row of a row-major `[n, c]` array. */
export function argmaxRows(values: Float32Array, n: number): Uint8Array {
  const c = n > 0 ? values.length / n : 0;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (values[i * c + j]! > values[i * c + best]!) best = j;
    out[i] = best;
  }
  return out;
}

/**
 * The confusion matrix as text: a header of predicted classes, one row per true class with its
 * recall, and a legend when class names are longer than a few characters (columns then show
 * class indices).
 */
export function formatConfusion(m: number[][], classNames: readonly string[]): string {
  const k = m.length;
  const short = classNames.every((n) => n.length <= 4);
  const labels = short ? [...classNames] : classNames.map((_, i) => String(i));
  const max = Math.max(1, ...m.flat());
  const w = Math.max(String(max).length, ...labels.map((l) => l.length)) + 1;
  const lw = Math.max(4, ...labels.map((l) => l.length));
  const lines: string[] = ['confusion matrix (rows: true class, columns: predicted class)'];
  lines.push(`${' '.repeat(lw)} ${labels.map((l) => l.padStart(w)).join('')} | recall`);
  lines.push(`${' '.repeat(lw)} ${'-'.repeat(w * k)}-+-------`);
  for (let i = 0; i < k; i++) {
    const row = m[i]!;
    const total = row.reduce((a, b) => a + b, 0);
    const recall = total > 0 ? row[i]! / total : NaN;
    lines.push(`${labels[i]!.padStart(lw)} ${row.map((v) => String(v).padStart(w)).join('')} | ${pct(recall, 1).padStart(6)}`);
  }
  if (!short) lines.push(`classes: ${classNames.map((n, i) => `${i} = ${n}`).join(', ')}`);
  return lines.join('\n');
}

/** Columns of text, left-aligned unless `right[i]`. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], right: readonly boolean[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
