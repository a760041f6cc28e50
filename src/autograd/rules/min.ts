/** d min over axes: dy shared equally among the minimal elements (torch.amin). */
import type { Tensor } from '../../tensor.js';
import { extremumReduceGrad } from './max.js';

/** Gradient rule of `min`. */
export function minGrad(dy: Tensor, x: Tensor, out: Tensor, axes: readonly number[]): Tensor {
  return extremumReduceGrad(dy, x, out, axes, false);
}
