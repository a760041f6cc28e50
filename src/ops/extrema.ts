/**
 * max / min over axes (with autograd, torch.amax/amin semantics) and argmax (no gradient).
 * NaN propagates through max/min; argmax treats NaN as the maximum and returns the first
 * index of the maximum, as a float32 holding an integer.
 */
import { record } from '../autograd/record.js';
import { maxGrad } from '../autograd/rules/max.js';
import { minGrad } from '../autograd/rules/min.js';
import { ShapeError, fmtShape } from '../errors.js';
import { sizeOf, type Tensor, type TensorLike } from '../tensor.js';
import { normAxes, normAxis } from './axes.js';
import { empty, toTensor } from './create.js';
import { reduceRaw } from './reduce.js';
import { reshapeRaw } from './shape.js';
import { splitAt } from './strided.js';
import { atomic } from '../engine.js';
import { checkKeepDims } from './axes.js';

function checkNonEmpty(fn: string, shape: readonly number[], axes: readonly number[]): void {
  const outSize = sizeOf(shape.filter((_, i) => !axes.includes(i)));
  const empties = axes.filter((a) => shape[a] === 0);
  if (empties.length > 0 && outSize > 0) {
    throw new ShapeError(`${fn}: cannot reduce over axis ${empties[0]} of length 0 (shape ${fmtShape(shape)}): the ${fn} of nothing is undefined`);
  }
}

function extremum(op: 'max' | 'min', x: TensorLike, axis: number | readonly number[] | undefined, keepDims: boolean): Tensor {
  return atomic(() => {
    checkKeepDims(op, keepDims);
    const t = toTensor(x, op, 'x');
    const axes = normAxes(op, axis, t.shape);
    checkNonEmpty(op, t.shape, axes);
    const kept = reduceRaw(op, t, axes);
    const shape = keepDims ? kept.shape : t.shape.filter((_, i) => !axes.includes(i));
    const out = keepDims ? kept : reshapeRaw(kept, shape);
    if (out !== kept) kept.dispose();
    const rule = op === 'max' ? maxGrad : minGrad;
    return record(out, op, [t], (dy) => [rule(dy, t, out, axes)]);
  });
}

/**
 * Largest element over `axis` (default: all axes); `keepDims` keeps reduced axes as size 1.
 * The gradient is torch.amax's: dy is shared equally among the elements that attain the
 * maximum (two tied maxima get dy/2 each). A group whose maximum is NaN (or a tie at ±∞) gets
 * a NaN gradient.
 */
export function max(x: TensorLike, axis?: number | readonly number[], keepDims = false): Tensor {
  return extremum('max', x, axis, keepDims);
}

/** Smallest element over `axis` (default: all axes); gradient shared equally among ties (torch.amin). */
export function min(x: TensorLike, axis?: number | readonly number[], keepDims = false): Tensor {
  return extremum('min', x, axis, keepDims);
}

/**
 * Index of the first maximum along `axis` (default −1), as float32 values; the axis is
 * removed from the shape. NaN counts as the maximum. Not differentiable (the result does not
 * require grad).
 */
export function argmax(x: TensorLike, axis = -1): Tensor {
  return atomic(() => {
    const t = toTensor(x, 'argmax', 'x');
    if (t.rank === 0) throw new ShapeError(`argmax: expected a tensor of rank ≥ 1, given a scalar`);
    const ax = normAxis('argmax', axis, t.rank);
    checkNonEmpty('argmax', t.shape, [ax]);
    const { outer, len, inner } = splitAt(t.shape, ax);
    const out = empty(t.shape.filter((_, i) => i !== ax));
    if (out.size > 0) t.backend.argmax(t.storage, out.storage, outer, len, inner);
    return out;
  });
}
