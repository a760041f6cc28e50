/** d(a/b): dy/b for a and −dy·(a/b)/b = −dy·out/b for b, each summed to its operand's shape. */
import { binaryRaw } from '../../ops/arithmetic.js';
import { scalarLike } from '../../ops/create.js';
import { sumTo } from '../../ops/reduce.js';
import type { Tensor } from '../../tensor.js';

/** Gradient rule of `div`. */
export function divGrad(dy: Tensor, a: Tensor, b: Tensor, out: Tensor): Array<Tensor | null> {
  let da: Tensor | null = null;
  let db: Tensor | null = null;
  if (a.requiresGrad) {
    const q = binaryRaw('div', dy, b);
    da = sumTo(q, a.shape);
    if (da !== q) q.dispose();
  }
  if (b.requiresGrad) {
    out.assertLive('div backward', 'out');
    const t = binaryRaw('mul', dy, out);
    const u = binaryRaw('div', t, b);
    t.dispose();
    const minusOne = scalarLike(-1);
    const v = binaryRaw('mul', u, minusOne);
    u.dispose();
    minusOne.dispose();
    db = sumTo(v, b.shape);
    if (db !== v) v.dispose();
  }
  return [da, db];
}
