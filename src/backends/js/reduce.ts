/**
 * Reductions over the middle axis of x viewed as `[outer, len, inner]`, into `[outer, inner]`.
 * Sums accumulate in float64.
 */
import type { ReduceOp } from '../../kernels/kernels.js';

/**
 * `out[o, i] = op_l x[o, l, i]`. max/min propagate NaN; over an empty axis sum = 0,
 * mean = NaN, max = −Inf, min = +Inf.
 */
export function reduce(op: ReduceOp, x: Float32Array, out: Float32Array, outer: number, len: number, inner: number): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let acc = op === 'max' ? -Infinity : op === 'min' ? Infinity : 0;
      for (let l = 0; l < len; l++) {
        const v = x[base + l * inner]!;
        if (op === 'max') acc = v > acc || v !== v ? v : acc;
        else if (op === 'min') acc = v < acc || v !== v ? v : acc;
        else acc += v;
        if (acc !== acc && (op === 'max' || op === 'min')) break;
      }
      out[o * inner + i] = op === 'mean' ? acc / len : acc;
    }
  }
}

/**
 * Index (as float) of the first maximum along the middle axis; the first NaN counts as
 * maximal. An empty axis (len 0) gives NaN.
 */
export function argmax(x: Float32Array, out: Float32Array, outer: number, len: number, inner: number): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let best = len > 0 ? 0 : NaN;
      let bestV = len > 0 ? x[base]! : NaN;
      for (let l = 1; l < len && bestV === bestV; l++) {
        const v = x[base + l * inner]!;
        if (v > bestV || v !== v) {
          best = l;
          bestV = v;
        }
      }
      out[o * inner + i] = best;
    }
  }
}
