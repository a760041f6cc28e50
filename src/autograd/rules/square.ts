/** d x² = 2x·dy. */
import { binaryRaw } from '../../ops/arithmetic.js';
import { scaleInPlace } from '../../ops/math.js';
import type { Tensor } from '../../tensor.js';

/** Gradient rule of `square`. */
export function squareGrad(dy: Tensor, x: Tensor): Tensor {
  return scaleInPlace(binaryRaw('mul', dy, x), 2);
}
