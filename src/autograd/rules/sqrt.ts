/** d √x = dy / (2√x), reusing the forward output (torch: grad / (2·result)). */
import { binaryRaw } from '../../ops/arithmetic.js';
import { scaleInPlace } from '../../ops/math.js';
import type { Tensor } from '../../tensor.js';

/** Gradient rule of `sqrt`. */
export function sqrtGrad(dy: Tensor, _x: Tensor, out: Tensor): Tensor {
  return scaleInPlace(binaryRaw('div', dy, out), 0.5);
}
