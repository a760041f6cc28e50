/** d x^(−1/2) = −½·dy·x^(−3/2) = −½·dy·out³, reusing the forward output (as torch). */
import { binaryRaw } from '../../ops/arithmetic.js';
import { scaleInPlace } from '../../ops/math.js';
import type { Tensor } from '../../tensor.js';

/** Gradient rule of `rsqrt`. */
export function rsqrtGrad(dy: Tensor, _x: Tensor, out: Tensor): Tensor {
  const sq = binaryRaw('mul', out, out);
  const cube = binaryRaw('mul', sq, out);
  sq.dispose();
  const dx = binaryRaw('mul', dy, cube);
  cube.dispose();
  return scaleInPlace(dx, -0.5);
}
