/**
 * d act(x·W + b) for the fused dense op, as one node: dZ = dy·act'(z) (skipped for linear),
 * then dW = xᵀ·dZ (TN GEMM), db = Σ_rows dZ, dX = dZ·Wᵀ (NT GEMM) — no transposed copies.
 */
import { empty } from '../../ops/create.js';
import { matmulRaw } from '../../ops/matmul.js';
import type { Activation } from '../../kernels/kernels.js';
import { fusedActivationGrad } from './activation.js';
import type { Tensor } from '../../tensor.js';

/**
 * Gradient rule of `dense`. `z` is the pre-activation (or a tensor the derivative kernel can
 * read in its place — see Dense: for relu-like activations the output itself), `y` the output;
 * both unused for `linear`. Returns `[dx, dW, db]` (null where not required).
 */
export function denseGrad(
  dy: Tensor,
  x: Tensor,
  w: Tensor,
  b: Tensor | null,
  z: Tensor | null,
  y: Tensor,
  act: Activation,
  alpha: number | undefined,
): Array<Tensor | null> {
  const dz = fusedActivationGrad('dense', dy, z ?? y, y, act, alpha);
  const dx = x.requiresGrad ? matmulRaw(dz, w, false, true) : null;
  const dw = w.requiresGrad ? matmulRaw(x, dz, true, false) : null;
  let db: Tensor | null = null;
  if (b && b.requiresGrad) {
    const rows = dz.shape[0]!;
    const cols = dz.shape[1]!;
    db = empty([cols]);
    if (cols > 0) dz.backend.reduce('sum', dz.storage, db.storage, 1, rows, cols);
  }
  if (dz !== dy) dz.dispose();
  return b ? [dx, dw, db] : [dx, dw];
}
