/** d log x = dy / x. */
import { binaryRaw } from '../../ops/arithmetic.js';
import type { Tensor } from '../../tensor.js';

/** Gradient rule of `log`. */
export function logGrad(dy: Tensor, x: Tensor): Tensor {
  return binaryRaw('div', dy, x);
}
