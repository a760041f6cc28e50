/** Mean absolute error (torch L1Loss): mean of |pred − target|; gradient sign(pred − target) (0 at 0). */
import { binaryRaw } from '../ops/arithmetic.js';
import { activationRaw, unaryRaw } from '../ops/math.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { pointwiseLoss } from './common.js';

/** Mean of `|pred − target|`; a scalar tensor. Also reachable as `ax.l1(pred, target)`. */
export function l1Loss(pred: TensorLike, target: TensorLike): Tensor {
  return pointwiseLoss('l1', pred, target, true, (p, t, needGrad) => {
    const d = binaryRaw('sub', p, t, 'l1');
    const value = unaryRaw('abs', d);
    const grad = needGrad ? activationRaw(d, 'sign') : undefined;
    d.dispose();
    return { value, grad };
  });
}
