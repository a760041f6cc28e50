/**
 * Gradient rule shared by the reduced losses: the forward pass already computed the per-element
 * derivative `g = ∂loss/∂pred` (with the 1/n of the mean folded in), so backward is one scaling
 * by the scalar upstream gradient. Targets get `−g·dy` where the loss is a function of
 * `pred − target` (mse, l1, huber), and no gradient otherwise.
 */
import { binaryRaw } from '../../ops/arithmetic.js';
import { reshapeRaw } from '../../ops/shape.js';
import type { Tensor } from '../../tensor.js';

/** `[g·dy, −g·dy or null]` for inputs `[pred, target]` (the target's in its own shape, which may differ from pred's by size-1 axes). */
export function lossGrad(dy: Tensor, g: Tensor, target: Tensor | null, targetGrad: boolean): Array<Tensor | null> {
  g.assertLive('loss backward', 'saved gradient (run backward inside the tidy that computed the loss)');
  const dp = binaryRaw('mul', g, dy);
  let dt: Tensor | null = null;
  if (target && targetGrad && target.requiresGrad) {
    dt = binaryRaw('mul', g, dy);
    if (dt.size > 0) dt.backend.scale(dt.storage, dt.storage, dt.size, -1);
    if (dt.shape.length !== target.shape.length || dt.shape.some((d, i) => d !== target.shape[i])) {
      const r = reshapeRaw(dt, target.shape);
      dt.dispose();
      dt = r;
    }
  }
  return target ? [dp, dt] : [dp];
}
