/**
 * d(a^b), torch's rules with their special cases, written without a `where` kernel:
 * - da = dy·b·a^(b−1), and 0 where b = 0: computed as dy·b·a^(b − [b ≠ 0]), so b = 0 takes
 *   a^0 = 1 and the product is exactly 0 (no 0·∞ = NaN at a = 0);
 * - db = dy·a^b·log(a), and 0 where a = 0 and b ≥ 0: log is taken of a + [a = 0 ∧ b ≥ 0],
 *   i.e. log 1 = 0 there. (a = 0 with b < 0 gives −∞·∞, as torch.)
 */
import { tidy } from '../../engine.js';
import { binaryRaw } from '../../ops/arithmetic.js';
import { scalarLike } from '../../ops/create.js';
import { unaryRaw } from '../../ops/math.js';
import { sumTo } from '../../ops/reduce.js';
import type { Tensor } from '../../tensor.js';
import { greaterEqual, isZero, oneMinus } from './masks.js';

/** Gradient rule of `pow` (out = a^b). */
export function powGrad(dy: Tensor, a: Tensor, b: Tensor, out: Tensor): Array<Tensor | null> {
  let da: Tensor | null = null;
  let db: Tensor | null = null;
  if (a.requiresGrad) {
    da = tidy(() => {
      const nonZero = oneMinus(isZero(b));
      const p = binaryRaw('pow', a, binaryRaw('sub', b, nonZero));
      return sumTo(binaryRaw('mul', binaryRaw('mul', dy, b), p), a.shape);
    });
  }
  if (b.requiresGrad) {
    out.assertLive('pow backward', 'out');
    db = tidy(() => {
      const fix = binaryRaw('mul', isZero(a), greaterEqual(b, scalarLike(0)));
      const logA = unaryRaw('log', binaryRaw('add', a, fix));
      return sumTo(binaryRaw('mul', binaryRaw('mul', dy, out), logA), b.shape);
    });
  }
  return [da, db];
}
