/**
 * Joining tensors: `concat` along an existing axis, `stack` along a new one. Each input is one
 * strided copy into its place in the output; the gradient copies the matching block of dy back.
 */
import { record } from '../autograd/record.js';
import { concatGrad } from '../autograd/rules/concat.js';
import { stackGrad } from '../autograd/rules/stack.js';
import { ArgumentError, ShapeError, describeValue, fmtShape } from '../errors.js';
import { sizeOf, type Tensor, type TensorLike } from '../tensor.js';
import { normAxis } from './axes.js';
import { empty, toTensor } from './create.js';
import { copyStrided } from './strided.js';
import { atomic } from '../engine.js';

function inputs(fn: string, tensors: readonly TensorLike[]): Tensor[] {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw new ArgumentError(`${fn}: argument 'tensors' expected a non-empty array of tensors, given ${Array.isArray(tensors) ? 'an empty array' : describeValue(tensors)}`);
  }
  return tensors.map((t, i) => toTensor(t, fn, `tensors[${i}]`));
}

/**
 * Copies each block `[outer, lens[i]·inner]` of the inputs into `out` viewed as
 * `[outer, total·inner]`, side by side. Shared by concat and stack (and their gradients in reverse).
 */
export function joinRaw(fn: string, ts: readonly Tensor[], lens: readonly number[], outer: number, inner: number, out: Tensor): void {
  const total = lens.reduce((a, b) => a + b, 0);
  let at = 0;
  ts.forEach((t, i) => {
    const w = lens[i]! * inner;
    copyStrided(fn, t, 0, [w, 1], out, at * inner, [total * inner, 1], [outer, w]);
    at += lens[i]!;
  });
}

/**
 * Joins tensors of equal rank along `axis` (default 0); every other dimension must match.
 * `concat([a [2, 3], b [2, 5]], 1)` is `[2, 8]`.
 */
export function concat(tensors: readonly TensorLike[], axis = 0): Tensor {
  return atomic(() => {
    const ts = inputs('concat', tensors);
    const first = ts[0]!;
    if (first.rank === 0) throw new ShapeError(`concat: cannot concatenate rank-0 tensors (use stack)`);
    const ax = normAxis('concat', axis, first.rank);
    ts.forEach((t, i) => {
      const ok = t.rank === first.rank && t.shape.every((d, k) => k === ax || d === first.shape[k]);
      if (!ok) {
        throw new ShapeError(`concat: tensors[${i}] has shape ${fmtShape(t.shape)} but tensors[0] has shape ${fmtShape(first.shape)}; all dimensions except axis ${ax} must match`);
      }
    });
    const lens = ts.map((t) => t.shape[ax]!);
    const shape = [...first.shape];
    shape[ax] = lens.reduce((a, b) => a + b, 0);
    const out = empty(shape);
    const outer = sizeOf(shape.slice(0, ax));
    const inner = sizeOf(shape.slice(ax + 1));
    joinRaw('concat', ts, lens, outer, inner, out);
    return record(out, 'concat', ts, (dy) => concatGrad(dy, ts, lens, outer, inner));
  });
}

/**
 * Stacks tensors of one shape along a new `axis` (default 0; −1 = a new last axis):
 * `stack([a [2, 3], b [2, 3]], 0)` is `[2, 2, 3]`.
 */
export function stack(tensors: readonly TensorLike[], axis = 0): Tensor {
  return atomic(() => {
    const ts = inputs('stack', tensors);
    const first = ts[0]!;
    const ax = normAxis('stack', axis, first.rank + 1);
    ts.forEach((t, i) => {
      if (t.rank !== first.rank || !t.shape.every((d, k) => d === first.shape[k])) {
        throw new ShapeError(`stack: tensors[${i}] has shape ${fmtShape(t.shape)} but tensors[0] has shape ${fmtShape(first.shape)}; all shapes must be equal`);
      }
    });
    const shape = [...first.shape.slice(0, ax), ts.length, ...first.shape.slice(ax)];
    const out = empty(shape);
    const outer = sizeOf(first.shape.slice(0, ax));
    const inner = sizeOf(first.shape.slice(ax));
    const lens = ts.map(() => 1);
    joinRaw('stack', ts, lens, outer, inner, out);
    return record(out, 'stack', ts, (dy) => stackGrad(dy, ts, outer, inner));
  });
}
