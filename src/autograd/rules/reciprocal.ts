/** d(1/x) = −dy/x² = −dy·out², reusing the forward output. */
import { binaryRaw } from '../../ops/arithmetic.js';
import { scaleInPlace } from '../../ops/math.js';
import type { Tensor } from '../../tensor.js';

/** Gradient rule of `reciprocal`. */
export function reciprocalGrad(dy: Tensor, _x: Tensor, out: Tensor): Tensor {
  const sq = binaryRaw('mul', out, out);
  const dx = binaryRaw('mul', dy, sq);
  sq.dispose();
  return scaleInPlace(dx, -1);
}
