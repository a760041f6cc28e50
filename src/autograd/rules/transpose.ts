/** d transpose(x, perm) = transpose(dy, perm⁻¹). */
import { permuteRaw } from '../../ops/strided.js';
import type { Tensor } from '../../tensor.js';

/** Gradient rule of `transpose`. */
export function transposeGrad(dy: Tensor, perm: readonly number[]): Tensor {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return permuteRaw(dy, inv);
}
