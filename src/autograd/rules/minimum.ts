/** d min(a, b): dy to the smaller operand, split ½ / ½ where a = b (torch.minimum). */
import type { Tensor } from '../../tensor.js';
import { extremumGrad } from './maximum.js';

/** Gradient rule of `minimum`. */
export function minimumGrad(dy: Tensor, a: Tensor, b: Tensor): Array<Tensor | null> {
  return extremumGrad(dy, a, b, -1);
}
