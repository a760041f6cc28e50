/** d(−x) = −dy. */
import { scaleRaw } from '../../ops/math.js';
import type { Tensor } from '../../tensor.js';

/** Gradient rule of `neg`. */
export function negGrad(dy: Tensor): Tensor {
  return scaleRaw(dy, -1);
}
