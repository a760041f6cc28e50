/** Per-column statistics of a host `[N, D]` array, accumulated in float64. */
import type { HostArray } from '../data/host.js';

/** Column means `[D]` (float64). */
export function columnMeans(h: HostArray): Float64Array {
  const n = h.shape[0]!;
  const d = h.shape[1]!;
  const sum = new Float64Array(d);
  const x = h.data;
  for (let i = 0; i < n; i++) {
    const row = i * d;
    for (let j = 0; j < d; j++) sum[j]! += x[row + j]!;
  }
  for (let j = 0; j < d; j++) sum[j] = sum[j]! / n;
  return sum;
}

/** Population (biased, ÷N) column variances `[D]` around `mean`, two-pass so a constant column gives exactly 0. */
export function columnVariances(h: HostArray, mean: Float64Array): Float64Array {
  const n = h.shape[0]!;
  const d = h.shape[1]!;
  const acc = new Float64Array(d);
  const x = h.data;
  for (let i = 0; i < n; i++) {
    const row = i * d;
    for (let j = 0; j < d; j++) {
      const v = x[row + j]! - mean[j]!;
      acc[j]! += v * v;
    }
  }
  for (let j = 0; j < d; j++) acc[j] = acc[j]! / n;
  return acc;
}

/** Column minima and maxima `[D]`. */
export function columnRange(h: HostArray): { min: Float64Array; max: Float64Array } {
  const n = h.shape[0]!;
  const d = h.shape[1]!;
  const min = new Float64Array(d).fill(Infinity);
  const max = new Float64Array(d).fill(-Infinity);
  const x = h.data;
  for (let i = 0; i < n; i++) {
    const row = i * d;
    for (let j = 0; j < d; j++) {
      const v = x[row + j]!;
      if (v < min[j]!) min[j] = v;
      if (v > max[j]!) max[j] = v;
    }
  }
  return { min, max };
}

/**
 * scikit-learn's guard for dividing by a statistic: entries below 10·ε(float64) (a constant
 * feature) become 1, so the feature passes through unscaled instead of turning into NaN/Inf.
 */
export function guardScale(s: Float64Array): Float64Array {
  const out = new Float64Array(s.length);
  for (let j = 0; j < s.length; j++) out[j] = s[j]! < 10 * Number.EPSILON ? 1 : s[j]!;
  return out;
}
