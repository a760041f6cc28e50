/**
 * d softmax: `dx = y ⊙ (dy − Σ dy ⊙ y)` per row, from the forward output y, through the
 * `softmaxBackward` kernel (y and dy are moved so the softmax axis is last when it is not).
 */
import { empty } from '../../ops/create.js';
import { axisToEnd, endToAxis, splitAt } from '../../ops/strided.js';
import type { Tensor } from '../../tensor.js';

/** Runs a per-row backward kernel `(y, dy, dx, rows, cols)` along `axis`. */
export function perRowBackward(
  y: Tensor, dy: Tensor, axis: number,
  kernel: (y: Tensor, dy: Tensor, dx: Tensor, rows: number, cols: number) => void,
): Tensor {
  const shape = y.rank === 0 ? [1] : y.shape;
  const { outer, len, inner } = splitAt(shape, axis);
  if (y.size === 0) return empty(y.shape);
  if (inner === 1) {
    const dx = empty(y.shape);
    kernel(y, dy, dx, outer, len);
    return dx;
  }
  const ym = axisToEnd(y, axis);
  const dym = axisToEnd(dy, axis);
  kernel(ym, dym, dym, outer * inner, len); // in place is allowed for dx === dy
  ym.dispose();
  const back = endToAxis(dym, axis, shape);
  dym.dispose();
  return back;
}

/** Gradient rule of `softmax` (y is the forward output). */
export function softmaxGrad(dy: Tensor, y: Tensor, axis: number): Tensor {
  y.assertLive('softmax backward', 'output');
  return perRowBackward(y, dy, axis, (yy, g, dx, rows, cols) => y.backend.softmaxBackward(yy.storage, g.storage, dx.storage, rows, cols));
}
