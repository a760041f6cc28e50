/** Mean squared error (torch MSELoss, DESIGN §5): mean of (pred − target)² over all elements. */
import { binaryRaw } from '../ops/arithmetic.js';
import { scaleInPlace, unaryRaw } from '../ops/math.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { pointwiseLoss } from './common.js';

/** Mean of `(pred − target)²`; shapes must match (up to size-1 axes). A scalar tensor; both inputs get gradients. */
export function mse(pred: TensorLike, target: TensorLike): Tensor {
  return pointwiseLoss('mse', pred, target, true, (p, t, needGrad) => {
    const d = binaryRaw('sub', p, t, 'mse');
    const value = unaryRaw('square', d);
    if (!needGrad) {
      d.dispose();
      return { value };
    }
    return { value, grad: scaleInPlace(d, 2) };
  });
}
