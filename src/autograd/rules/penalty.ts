/** d(λ1·Σ|w| + λ2·Σw²)/dw = dy·(λ1·sign(w) + 2·λ2·w), in three elementwise passes. */
import { empty } from '../../ops/create.js';
import type { Tensor } from '../../tensor.js';

/** Gradient rule of a weight penalty (dy is the scalar upstream gradient). */
export function penaltyGrad(dy: Tensor, w: Tensor, l1: number, l2: number): Tensor {
  w.assertLive('penalty backward', 'weight');
  const g = empty(w.shape);
  const k = w.backend;
  const n = w.size;
  if (n === 0) return g;
  if (l1 !== 0) {
    k.activation('sign', w.storage, g.storage, n);
    k.scale(g.storage, g.storage, n, l1);
  }
  if (l2 !== 0) k.axpy(2 * l2, w.storage, g.storage, n);
  k.binary('mul', g.storage, 'full', dy.storage, 'scalar', g.storage, 1, n);
  return g;
}
