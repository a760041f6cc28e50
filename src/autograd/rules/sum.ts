/** d(sum) broadcasts dy back over the reduced axes; d(mean) also divides by their total size. */
import { binaryRaw } from '../../ops/arithmetic.js';
import { full } from '../../ops/create.js';
import { reshapeRaw } from '../../ops/shape.js';
import type { Tensor } from '../../tensor.js';

/** dy (reduced axes dropped or kept) broadcast to x's shape and scaled, in one kernel pass. */
function expand(dy: Tensor, x: Tensor, axes: readonly number[], scale: number): Tensor {
  const keptShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const g = reshapeRaw(dy, keptShape);
  const s = full(x.shape, scale);
  const out = binaryRaw('mul', s, g);
  s.dispose();
  if (g !== dy) g.dispose();
  return out;
}

/** Gradient rule of `sum`. */
export function sumGrad(dy: Tensor, x: Tensor, axes: readonly number[]): Tensor {
  return expand(dy, x, axes, 1);
}

/** Gradient rule of `mean`. */
export function meanGrad(dy: Tensor, x: Tensor, axes: readonly number[]): Tensor {
  let n = 1;
  for (const a of axes) n *= x.shape[a]!;
  return expand(dy, x, axes, n === 0 ? Number.NaN : 1 / n);
}
