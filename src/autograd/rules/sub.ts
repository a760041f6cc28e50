/** d(a − b): dy for a, −dy for b, each summed to its operand's shape. */
import { binaryRaw } from '../../ops/arithmetic.js';
import { scalarLike } from '../../ops/create.js';
import { sumTo } from '../../ops/reduce.js';
import type { Tensor } from '../../tensor.js';

/** Gradient rule of `sub`. */
export function subGrad(dy: Tensor, a: Tensor, b: Tensor): Array<Tensor | null> {
  let db: Tensor | null = null;
  if (b.requiresGrad) {
    const minusOne = scalarLike(-1);
    const neg = binaryRaw('mul', dy, minusOne);
    minusOne.dispose();
    db = sumTo(neg, b.shape);
    if (db !== neg) neg.dispose();
  }
  return [a.requiresGrad ? sumTo(dy, a.shape) : null, db];
}
