/** d logSoftmax: `dx = dy − exp(y)·Σ dy` per row, from the forward output y (`logSoftmaxBackward` kernel). */
import type { Tensor } from '../../tensor.js';
import { perRowBackward } from './softmax.js';

/** Gradient rule of `logSoftmax` (y is the forward output). */
export function logSoftmaxGrad(dy: Tensor, y: Tensor, axis: number): Tensor {
  y.assertLive('logSoftmax backward', 'output');
  return perRowBackward(y, dy, axis, (yy, g, dx, rows, cols) => y.backend.logSoftmaxBackward(yy.storage, g.storage, dx.storage, rows, cols));
}
