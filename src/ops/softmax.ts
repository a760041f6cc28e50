/**
 * softmax and logSoftmax over any axis (default the last). The kernels work per row of a
 * `[rows, cols]` matrix, so a non-last axis is moved to the end with one strided copy, and
 * the result moved back with another.
 */
import { record } from '../autograd/record.js';
import { logSoftmaxGrad } from '../autograd/rules/logsoftmax.js';
import { softmaxGrad } from '../autograd/rules/softmax.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { normAxis } from './axes.js';
import { empty, toTensor } from './create.js';
import { axisToEnd, endToAxis, splitAt } from './strided.js';
import { atomic } from '../engine.js';
import { tensorArg } from './checks.js';
import { ArgumentError, checkName, describeValue } from '../errors.js';
import { uninitialized } from './scratch.js';

/** Which kernel family: the forward op's name. */
export type SoftmaxKind = 'softmax' | 'logSoftmax';

/** Resolves the axis (a rank-0 tensor is treated as one element along axis −1/0). */
export function softmaxAxis(fn: string, t: Tensor, axis: number): number {
  if (t.rank === 0 && (axis === -1 || axis === 0)) return 0;
  return normAxis(fn, axis, t.rank);
}

/** Runs `kernel(rows, cols)` over x with `axis` as the row axis, moving it last when needed; no autograd. */
export function perRow(x: Tensor, axis: number, kernel: (src: Tensor, dst: Tensor, rows: number, cols: number) => void): Tensor {
  return atomic(() => {
    tensorArg(x, 'perRow', 'x');
    if (typeof kernel !== 'function') throw new ArgumentError(`perRow: argument 'kernel' expected a function, given ${describeValue(kernel)}`);
    if (!(Number.isInteger(axis) && axis >= 0 && axis < Math.max(x.rank, 1))) throw new ArgumentError(`perRow: argument 'axis' expected an integer in [0, ${Math.max(x.rank, 1) - 1}], given ${describeValue(axis)}`);
    const shape = x.rank === 0 ? [1] : x.shape;
    const { outer, len, inner } = splitAt(shape, axis);
    if (x.size === 0) return empty(x.shape);
    if (inner === 1) {
      const out = uninitialized(x.shape); // the row kernels write every row
      kernel(x, out, outer, len);
      return out;
    }
    const moved = axisToEnd(x, axis);
    kernel(moved, moved, outer * inner, len);
    const out = endToAxis(moved, axis, shape);
    moved.dispose();
    return out;
  });
}

/** The forward kernel without autograd. */
export function softmaxRaw(kind: SoftmaxKind, x: Tensor, axis: number): Tensor {
  checkName('softmaxRaw', 'kind', kind, ['softmax', 'logSoftmax'] as const);
  return perRow(x, axis, (src, dst, rows, cols) => {
    if (kind === 'softmax') x.backend.softmax(src.storage, dst.storage, rows, cols);
    else x.backend.logSoftmax(src.storage, dst.storage, rows, cols);
  });
}

/** `exp(x) / Σ exp(x)` along `axis` (default −1), max-subtracted so it never overflows. */
export function softmax(x: TensorLike, axis = -1): Tensor {
  return atomic(() => {
    const t = toTensor(x, 'softmax', 'x');
    const ax = softmaxAxis('softmax', t, axis);
    const out = softmaxRaw('softmax', t, ax);
    return record(out, 'softmax', [t], (dy) => [softmaxGrad(dy, out, ax)]);
  });
}

/** `x − log Σ exp(x)` along `axis` (default −1), computed stably. */
export function logSoftmax(x: TensorLike, axis = -1): Tensor {
  return atomic(() => {
    const t = toTensor(x, 'logSoftmax', 'x');
    const ax = softmaxAxis('logSoftmax', t, axis);
    const out = softmaxRaw('logSoftmax', t, ax);
    return record(out, 'logSoftmax', [t], (dy) => [logSoftmaxGrad(dy, out, ax)]);
  });
}
