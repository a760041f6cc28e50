/**
 * Huber loss (torch HuberLoss, mean): with d = pred − target, ½d² where |d| < δ, else
 * δ·(|d| − ½δ). Computed as c·(d − ½c) with c = clip(d, −δ, δ), which is also the derivative.
 */
import { ArgumentError, describeValue } from '../errors.js';
import { binaryRaw } from '../ops/arithmetic.js';
import { empty } from '../ops/create.js';
import { scaleRaw } from '../ops/math.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { pointwiseLoss } from './common.js';

/** Mean Huber loss with threshold `delta` (default 1, must be > 0); a scalar tensor. */
export function huber(pred: TensorLike, target: TensorLike, delta = 1): Tensor {
  if (typeof delta !== 'number' || !(delta > 0) || !Number.isFinite(delta)) throw new ArgumentError(`huber: argument 'delta' expected a finite number > 0, given ${describeValue(delta)}`);
  return pointwiseLoss('huber', pred, target, true, (p, t, needGrad) => {
    const d = binaryRaw('sub', p, t, 'huber');
    const c = empty(d.shape);
    if (d.size > 0) d.backend.clip(d.storage, c.storage, d.size, -delta, delta);
    const half = scaleRaw(c, 0.5);
    const rest = binaryRaw('sub', d, half);
    const value = binaryRaw('mul', c, rest);
    for (const x of [d, half, rest]) x.dispose();
    if (!needGrad) {
      c.dispose();
      return { value };
    }
    return { value, grad: c };
  });
}
