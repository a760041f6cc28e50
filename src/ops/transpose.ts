/** Axis permutation with autograd (one strided copy forward, the inverse permutation backward). */
import { record } from '../autograd/record.js';
import { transposeGrad } from '../autograd/rules/transpose.js';
import { ArgumentError, describeValue, fmtShape } from '../errors.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { normAxis } from './axes.js';
import { toTensor } from './create.js';
import { permuteRaw } from './strided.js';
import { atomic } from '../engine.js';

/** Checks `perm` against a rank-`rank` tensor (negative axes allowed); default: reversed axes. */
export function checkPerm(fn: string, perm: readonly number[] | undefined, rank: number): number[] {
  if (perm === undefined || perm === null) return Array.from({ length: rank }, (_, i) => rank - 1 - i);
  if (!Array.isArray(perm) || perm.length !== rank) {
    throw new ArgumentError(`${fn}: argument 'perm' expected a permutation of the ${rank} axes, given ${Array.isArray(perm) ? fmtShape(perm) : describeValue(perm)}`);
  }
  const out = perm.map((p) => normAxis(fn, p, rank, 'perm'));
  if (new Set(out).size !== rank) throw new ArgumentError(`${fn}: argument 'perm' ${fmtShape(perm)} repeats an axis; expected a permutation of 0..${rank - 1}`);
  return out;
}

/**
 * x with its axes permuted: `out.shape[i] = x.shape[perm[i]]`. Default `perm` reverses the
 * axes (for a matrix, the usual transpose). Returns a new contiguous tensor. For a product
 * with a transposed matrix, prefer `matmul(a, b, { transA / transB })`, which copies nothing.
 */
export function transpose(x: TensorLike, perm?: readonly number[]): Tensor {
  return atomic(() => {
    const t = toTensor(x, 'transpose', 'x');
    const p = checkPerm('transpose', perm, t.rank);
    const out = permuteRaw(t, p);
    return record(out, 'transpose', [t], (dy) => [transposeGrad(dy, p)]);
  });
}
