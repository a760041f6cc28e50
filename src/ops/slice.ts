/** A rectangular sub-box of a tensor, with autograd (the gradient is dy written into zeros). */
import { record } from '../autograd/record.js';
import { sliceGrad } from '../autograd/rules/slice.js';
import { ArgumentError, ShapeError, describeValue, fmtShape } from '../errors.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { empty, toTensor } from './create.js';
import { contiguousStrides, copyStrided } from './strided.js';
import { atomic } from '../engine.js';

function intList(fn: string, arg: string, v: unknown): number[] {
  const list = typeof v === 'number' ? [v] : v;
  if (!Array.isArray(list) || !list.every((d) => typeof d === 'number' && Number.isInteger(d))) {
    throw new ArgumentError(`${fn}: argument '${arg}' expected an integer or an array of integers, given ${describeValue(v)}`);
  }
  return list as number[];
}

/** Resolves `begin`/`size` against `shape` (see {@link slice}); returns both, full length. */
export function resolveSlice(fn: string, shape: readonly number[], begin: number | readonly number[], size?: number | readonly number[]): { begin: number[]; size: number[] } {
  const b = intList(fn, 'begin', begin);
  const s = size === undefined ? [] : intList(fn, 'size', size);
  const rank = shape.length;
  if (b.length > rank) throw new ShapeError(`${fn}: argument 'begin' expected at most ${rank} entries (shape ${fmtShape(shape)}), given ${fmtShape(b)}`);
  if (s.length > rank) throw new ShapeError(`${fn}: argument 'size' expected at most ${rank} entries (shape ${fmtShape(shape)}), given ${fmtShape(s)}`);
  const rb: number[] = [];
  const rs: number[] = [];
  for (let d = 0; d < rank; d++) {
    const dim = shape[d]!;
    const bd = b[d] ?? 0;
    if (bd < 0 || bd > dim) throw new ShapeError(`${fn}: begin[${d}] = ${bd} is outside [0, ${dim}] for shape ${fmtShape(shape)}`);
    let sd = s[d] ?? -1;
    if (sd === -1) sd = dim - bd;
    if (sd < 0 || bd + sd > dim) {
      throw new ShapeError(`${fn}: size[${d}] = ${s[d]} with begin[${d}] = ${bd} does not fit axis ${d} of shape ${fmtShape(shape)} (expected 0 ≤ size ≤ ${dim - bd}, or -1 for the rest)`);
    }
    rb.push(bd);
    rs.push(sd);
  }
  return { begin: rb, size: rs };
}

/**
 * The sub-box starting at `begin` with extent `size` (TensorFlow's `slice`): `size[d] = -1`
 * takes the rest of axis d; missing trailing entries mean begin 0 / the whole axis; a number
 * stands for a one-entry list. Returns a new contiguous tensor.
 */
export function slice(x: TensorLike, begin: number | readonly number[], size?: number | readonly number[]): Tensor {
  return atomic(() => {
    const t = toTensor(x, 'slice', 'x');
    const r = resolveSlice('slice', t.shape, begin, size);
    const xs = contiguousStrides(t.shape);
    const offset = r.begin.reduce((acc, bd, d) => acc + bd * xs[d]!, 0);
    const out = empty(r.size);
    copyStrided('slice', t, offset, xs, out, 0, contiguousStrides(r.size), r.size);
    return record(out, 'slice', [t], (dy) => [sliceGrad(dy, t.shape, offset)]);
  });
}
