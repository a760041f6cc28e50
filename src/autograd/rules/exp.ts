/** d eˣ = dy·eˣ, reusing the forward output. */
import { binaryRaw } from '../../ops/arithmetic.js';
import type { Tensor } from '../../tensor.js';

/** Gradient rule of `exp`. */
export function expGrad(dy: Tensor, _x: Tensor, out: Tensor): Tensor {
  return binaryRaw('mul', dy, out);
}
