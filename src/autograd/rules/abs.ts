/** d|x| = dy·sign(x), with sign(0) = 0 (torch's subgradient choice). */
import { binaryRaw } from '../../ops/arithmetic.js';
import { activationRaw } from '../../ops/math.js';
import type { Tensor } from '../../tensor.js';

/** Gradient rule of `abs`. */
export function absGrad(dy: Tensor, x: Tensor): Tensor {
  const s = activationRaw(x, 'sign');
  const dx = binaryRaw('mul', dy, s);
  s.dispose();
  return dx;
}
