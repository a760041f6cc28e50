/**
 * Matrix product of the JS reference backend: the textbook i-k-j loop with a float64 row
 * accumulator, then the fused epilogue (alpha, beta·C, bias, activation).
 */
import { defaultActivationAlpha, type Activation } from '../../kernels/kernels.js';
import { activate } from './activations.js';

/** Options of {@link gemm}; absent fields take the contract's defaults. */
export interface GemmOptions {
  transA?: boolean;
  transB?: boolean;
  /** Default 1. */
  alpha?: number;
  /** Default 0: the old contents of C are then not read at all (NaN in C does not leak). */
  beta?: number;
  /** `[n]` vector added to every row. */
  bias?: Float32Array;
  activation?: Activation;
  activationAlpha?: number;
}

/**
 * `C = act(alpha·op(A)·op(B) + beta·C + bias)` with `op(A)` `[m, k]` (A stored `[k, m]` when
 * transA) and `op(B)` `[k, n]` (B stored `[n, k]` when transB); C is `[m, n]`.
 */
export function gemm(a: Float32Array, b: Float32Array, c: Float32Array, m: number, n: number, k: number, opts: GemmOptions = {}): void {
  const { transA = false, transB = false, alpha = 1, beta = 0, bias, activation = 'linear' } = opts;
  const actAlpha = opts.activationAlpha ?? defaultActivationAlpha(activation);
  const acc = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    acc.fill(0);
    for (let p = 0; p < k; p++) {
      const aip = transA ? a[p * m + i]! : a[i * k + p]!;
      if (transB) {
        for (let j = 0; j < n; j++) acc[j] += aip * b[j * k + p]!;
      } else {
        for (let j = 0; j < n; j++) acc[j] += aip * b[p * n + j]!;
      }
    }
    for (let j = 0; j < n; j++) {
      let v = alpha * acc[j]!;
      if (beta !== 0) v += beta * c[i * n + j]!;
      if (bias) v += bias[j]!;
      c[i * n + j] = activation === 'linear' ? v : activate(activation, v, actAlpha);
    }
  }
}
