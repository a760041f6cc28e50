/** d(a + b): the upstream gradient, summed over each operand's broadcast axes. */
import { sumTo } from '../../ops/reduce.js';
import type { Tensor } from '../../tensor.js';

/** Gradient rule of `add`. */
export function addGrad(dy: Tensor, a: Tensor, b: Tensor): Array<Tensor | null> {
  return [a.requiresGrad ? sumTo(dy, a.shape) : null, b.requiresGrad ? sumTo(dy, b.shape) : null];
}
