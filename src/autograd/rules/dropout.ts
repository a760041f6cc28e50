/** d(x ⊙ mask) = dy ⊙ mask (the mask already holds 0 or 1/(1−p)). */
import { binaryRaw } from '../../ops/arithmetic.js';
import type { Tensor } from '../../tensor.js';

/** Gradient rule of dropout. */
export function dropoutGrad(dy: Tensor, mask: Tensor): Tensor {
  mask.assertLive('dropout backward', 'mask (run backward inside the tidy that ran forward)');
  return binaryRaw('mul', dy, mask);
}
