/**
 * Data movement on top of the `stridedCopy` kernel: contiguous strides, axis coalescing (so
 * tensors of any rank fit the kernel's rank ≤ 6 whenever their layout allows), axis
 * permutation, and moving one axis to the end and back (how softmax runs over a non-last axis).
 * No autograd here: these are the raw forms ops and gradient rules build on.
 */
import { ShapeError, fmtShape } from '../errors.js';
import { sizeOf, type Tensor } from '../tensor.js';
import { uninitialized } from './scratch.js';

/** Row-major element strides of a contiguous tensor of `shape`. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d]!;
  }
  return s;
}

/**
 * Drops size-1 axes and merges neighbouring axes that are contiguous for both operands, without
 * changing which element goes where. The result has the fewest axes the layout allows.
 */
export function coalesce(shape: readonly number[], aStrides: readonly number[], bStrides: readonly number[]): { shape: number[]; a: number[]; b: number[] } {
  const out = { shape: [] as number[], a: [] as number[], b: [] as number[] };
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d]!;
    if (n === 1) continue;
    const k = out.shape.length - 1;
    if (k >= 0 && out.a[k] === aStrides[d]! * n && out.b[k] === bStrides[d]! * n) {
      out.shape[k] = out.shape[k]! * n;
      out.a[k] = aStrides[d]!;
      out.b[k] = bStrides[d]!;
      continue;
    }
    out.shape.push(n);
    out.a.push(aStrides[d]!);
    out.b.push(bStrides[d]!);
  }
  return out;
}

/**
 * `out[outOffset + Σ idx·outStrides] = x[xOffset + Σ idx·xStrides]` over `shape`, coalescing
 * first; throws a ShapeError (naming `op`) if the layout still needs more than 6 axes.
 */
export function copyStrided(
  op: string,
  x: Tensor, xOffset: number, xStrides: readonly number[],
  out: Tensor, outOffset: number, outStrides: readonly number[], shape: readonly number[],
): void {
  if (sizeOf(shape) === 0) return;
  const c = coalesce(shape, xStrides, outStrides);
  if (c.shape.length > 6) {
    throw new ShapeError(`${op}: this layout needs ${c.shape.length} independent axes (shape ${fmtShape(shape)}); at most 6 are supported`);
  }
  x.backend.stridedCopy(x.storage, xOffset, c.a, out.storage, outOffset, c.b, c.shape);
}

/** A contiguous copy of x with its axes permuted: `out.shape[i] = x.shape[perm[i]]`. */
export function permuteRaw(x: Tensor, perm: readonly number[], op = 'transpose'): Tensor {
  const xs = contiguousStrides(x.shape);
  const shape = perm.map((p) => x.shape[p]!);
  const out = uninitialized(shape); // stridedCopy writes every element
  copyStrided(op, x, 0, perm.map((p) => xs[p]!), out, 0, contiguousStrides(shape), shape);
  return out;
}

/** x viewed as `[outer, len, inner]` around `axis`. */
export function splitAt(shape: readonly number[], axis: number): { outer: number; len: number; inner: number } {
  return { outer: sizeOf(shape.slice(0, axis)), len: shape[axis]!, inner: sizeOf(shape.slice(axis + 1)) };
}

/** Copies x `[outer, len, inner]` (split at `axis`) to a contiguous `[outer, inner, len]` tensor. */
export function axisToEnd(x: Tensor, axis: number): Tensor {
  const { outer, len, inner } = splitAt(x.shape, axis);
  const out = uninitialized([outer, inner, len]);
  copyStrided('axisToEnd', x, 0, [len * inner, 1, inner], out, 0, [inner * len, len, 1], [outer, inner, len]);
  return out;
}

/** Inverse of {@link axisToEnd}: y `[outer, inner, len]` back to a tensor of `shape` (split at `axis`). */
export function endToAxis(y: Tensor, axis: number, shape: readonly number[]): Tensor {
  const { outer, len, inner } = splitAt(shape, axis);
  const out = uninitialized(shape);
  copyStrided('endToAxis', y, 0, [inner * len, len, 1], out, 0, [len * inner, 1, inner], [outer, inner, len]);
  return out;
}
