/**
 * Shape ops. `reshape` copies the data into a new tensor (tensors own their storage; a copy is
 * a memcpy-speed kernel).
 */
import { record } from '../autograd/record.js';
import { ArgumentError, ShapeError, fmtShape, describeValue } from '../errors.js';
import { sizeOf, type Tensor, type TensorLike } from '../tensor.js';
import { empty, toTensor } from './create.js';
import { atomic } from '../engine.js';
import { tensorArg } from './checks.js';

/** Resolves one `-1` in a target shape and checks the element count. */
export function resolveShape(fn: string, from: readonly number[], to: readonly number[]): number[] {
  if (!Array.isArray(to)) throw new ArgumentError(`${fn}: argument 'shape' expected an array, given ${describeValue(to)}`);
  const n = sizeOf(from);
  let infer = -1;
  let known = 1;
  to.forEach((d, i) => {
    if (d === -1) {
      if (infer >= 0) throw new ArgumentError(`${fn}: shape ${fmtShape(to)} has more than one -1`);
      infer = i;
    } else if (!Number.isInteger(d) || d < 0) throw new ArgumentError(`${fn}: shape ${fmtShape(to)} has an invalid dimension ${d}`);
    else known *= d;
  });
  const out = [...to];
  if (infer >= 0) {
    if (known === 0 || n % known !== 0) throw new ShapeError(`${fn}: cannot reshape ${fmtShape(from)} (${n} elements) to ${fmtShape(to)}`);
    out[infer] = n / known;
  }
  if (sizeOf(out) !== n) throw new ShapeError(`${fn}: cannot reshape ${fmtShape(from)} (${n} elements) to ${fmtShape(to)} (${sizeOf(out)} elements)`);
  return out;
}

/** A copy of x with another shape of the same size; no autograd. */
export function reshapeRaw(x: Tensor, shape: readonly number[]): Tensor {
  return atomic(() => {
    tensorArg(x, 'reshapeRaw', 'x');
    if (!Array.isArray(shape) || sizeOf(shape) !== x.size) throw new ShapeError(`reshapeRaw: argument 'shape' expected ${x.size} elements (from ${fmtShape(x.shape)}), given ${describeValue(shape)}`);
    const out = empty(shape);
    if (x.size > 0) x.backend.copy(x.storage, out.storage, x.size);
    return out;
  });
}

/** x with a new shape (one dimension may be -1). */
export function reshape(x: TensorLike, shape: readonly number[]): Tensor {
  return atomic(() => {
    const t = toTensor(x, 'reshape', 'x');
    const out = reshapeRaw(t, resolveShape('reshape', t.shape, shape));
    return record(out, 'reshape', [t], (dy) => [reshapeRaw(dy, t.shape)]);
  });
}

/** Collapses axes from `startAxis` (default 1) onward: [N, C, H, W] → [N, C·H·W]. */
export function flatten(x: TensorLike, startAxis = 1): Tensor {
  const t = toTensor(x, 'flatten', 'x');
  if (!Number.isInteger(startAxis) || startAxis < 0 || startAxis > t.rank) throw new ArgumentError(`flatten: argument 'startAxis' expected an integer in [0, ${t.rank}], given ${describeValue(startAxis)}`);
  return reshape(t, [...t.shape.slice(0, startAxis), sizeOf(t.shape.slice(startAxis))]);
}
