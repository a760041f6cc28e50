/** d slice: dy written into a zero tensor of the input's shape at the slice's position. */
import { empty } from '../../ops/create.js';
import { contiguousStrides, copyStrided } from '../../ops/strided.js';
import type { Tensor } from '../../tensor.js';

/** Gradient rule of `slice` (`offset` = element index of the slice's first element in x). */
export function sliceGrad(dy: Tensor, xShape: readonly number[], offset: number): Tensor {
  const dx = empty(xShape); // zero-filled
  copyStrided('slice backward', dy, 0, contiguousStrides(dy.shape), dx, offset, contiguousStrides(xShape), dy.shape);
  return dx;
}
