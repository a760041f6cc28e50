/**
 * Pooling gradients, each one kernel: max pooling routes dy to the element each window picked
 * (the saved argmax; ties went to the first maximum, as in torch), average pooling spreads
 * dy / divisor over every position of its window.
 */
import { uninitialized } from '../../ops/scratch.js';
import type { Conv2dGeometry } from '../../kernels/kernels.js';
import type { Tensor } from '../../tensor.js';

/** Gradient rule of `maxPool2d`: dx of `xShape` from dy and the forward pass's argmax. */
export function maxPool2dGrad(dy: Tensor, argmax: Tensor, xShape: readonly number[], g: Conv2dGeometry): Tensor {
  argmax.assertLive('maxPool2d backward', 'saved argmax (run backward inside the tidy that ran forward)');
  const dx = uninitialized(xShape); // overwritten whole by the kernel
  if (dx.size > 0) dy.backend.maxPool2dBackward(dy.storage, argmax.storage, dx.storage, g);
  return dx;
}

/** Gradient rule of `avgPool2d`: dx of `xShape`. */
export function avgPool2dGrad(dy: Tensor, xShape: readonly number[], g: Conv2dGeometry, countIncludePad: boolean): Tensor {
  const dx = uninitialized(xShape);
  if (dx.size > 0) dy.backend.avgPool2dBackward(dy.storage, dx.storage, g, countIncludePad);
  return dx;
}
