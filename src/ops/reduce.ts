/**
 * Reductions over axes: sum, mean (with autograd), and `sumTo` which gradient rules use to
 * undo broadcasting. Each axis runs as one `reduce` kernel over `[outer, len, inner]`.
 */
import { record } from '../autograd/record.js';
import { meanGrad, sumGrad } from '../autograd/rules/sum.js';
import { ArgumentError, ShapeError, describeValue, fmtShape } from '../errors.js';
import type { ReduceOp } from '../kernels/kernels.js';
import { sizeOf, type Tensor, type TensorLike } from '../tensor.js';
import { normAxes } from './axes.js';
import { broadcastAxes } from './broadcast.js';
import { copyTensor, empty, toTensor } from './create.js';
import { reshapeRaw } from './shape.js';
import { atomic } from '../engine.js';
import { tensorArg } from './checks.js';
import { checkKeepDims } from './axes.js';

/** Reduces `axes` (sorted) of x with `op`, keeping them as size-1 dims; no autograd. */
export function reduceRaw(op: ReduceOp, x: Tensor, axes: readonly number[]): Tensor {
  return atomic(() => {
    tensorArg(x, 'reduceRaw', 'x');
    if (!Array.isArray(axes) || axes.some((a, i) => !Number.isInteger(a) || a < 0 || a >= x.rank || (i > 0 && a <= axes[i - 1]!))) {
      throw new ArgumentError(`reduceRaw: argument 'axes' expected increasing axes in [0, ${x.rank - 1}], given ${describeValue(axes)}`);
    }
    let cur = x;
    let shape = [...x.shape];
    // Reduce from the last axis so earlier axis indices stay valid.
    for (let i = axes.length - 1; i >= 0; i--) {
      const ax = axes[i]!;
      const outer = sizeOf(shape.slice(0, ax));
      const len = shape[ax]!;
      const inner = sizeOf(shape.slice(ax + 1));
      shape = [...shape.slice(0, ax), 1, ...shape.slice(ax + 1)];
      const out = empty(shape);
      if (out.size > 0) out.backend.reduce(op, cur.storage, out.storage, outer, len, inner);
      if (cur !== x) cur.dispose();
      cur = out;
    }
    return cur === x ? copyTensor(x) : cur;
  });
}

function dropAxes(shape: readonly number[], axes: readonly number[]): number[] {
  return shape.filter((_, i) => !axes.includes(i));
}

function reduceOp(op: 'sum' | 'mean', x: TensorLike, axis: number | readonly number[] | undefined, keepDims: boolean): Tensor {
  return atomic(() => {
    checkKeepDims(op, keepDims);
    const t = toTensor(x, op, 'x');
    const axes = normAxes(op, axis, t.shape);
    const kept = reduceRaw(op, t, axes);
    const out = keepDims ? kept : reshapeRaw(kept, dropAxes(t.shape, axes));
    if (out !== kept) kept.dispose();
    return record(out, op, [t], (dy) => [op === 'sum' ? sumGrad(dy, t, axes) : meanGrad(dy, t, axes)]);
  });
}

/** Sum over `axis` (default: all axes); `keepDims` keeps reduced axes as size 1. */
export function sum(x: TensorLike, axis?: number | readonly number[], keepDims = false): Tensor {
  return reduceOp('sum', x, axis, keepDims);
}

/** Mean over `axis` (default: all axes). */
export function mean(x: TensorLike, axis?: number | readonly number[], keepDims = false): Tensor {
  return reduceOp('mean', x, axis, keepDims);
}

/**
 * Sums a gradient of a broadcast result back to `shape` (the operand's shape). Returns `g`
 * itself when nothing was broadcast — callers must not dispose `g` then.
 */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  return atomic(() => {
    tensorArg(g, 'sumTo', 'g');
    if (!Array.isArray(shape)) throw new ArgumentError(`sumTo: argument 'shape' expected an array of dimensions, given ${describeValue(shape)}`);
    if (shape.length > g.rank || shape.some((d, i) => d !== 1 && d !== g.shape[g.rank - shape.length + i])) {
      throw new ShapeError(`sumTo: argument 'shape' expected a shape ${fmtShape(g.shape)} broadcasts from, given ${fmtShape(shape)}`);
    }
    if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
    const axes = broadcastAxes(shape, g.shape);
    const reduced = reduceRaw('sum', g, axes);
    if (sizeOf(reduced.shape) !== sizeOf(shape)) {
      reduced.dispose();
      throw new ShapeError(`sumTo: cannot reduce ${fmtShape(g.shape)} to ${fmtShape(shape)} (internal error)`);
    }
    const out = reshapeRaw(reduced, shape);
    if (out !== reduced) reduced.dispose();
    return out;
  });
}
