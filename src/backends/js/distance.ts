/**
 * Pairwise distances between the rows of `a` `[m, d]` and `b` `[n, d]`, computed directly from
 * the differences (no ‖a‖² + ‖b‖² − 2a·b expansion, so no cancellation), in float64.
 */
import type { DistanceMetric } from '../../kernels/kernels.js';

/** `out[i, j] = Σ (a_i − b_j)²` (l2sq) or `Σ |a_i − b_j|` (l1); out is `[m, n]`. */
export function pairwiseDistance(metric: DistanceMetric, a: Float32Array, b: Float32Array, out: Float32Array, m: number, n: number, d: number): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = a[i * d + t]! - b[j * d + t]!;
        s += metric === 'l2sq' ? diff * diff : Math.abs(diff);
      }
      out[i * n + j] = s;
    }
  }
}
