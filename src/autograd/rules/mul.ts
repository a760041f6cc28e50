/** d(a·b): dy·b for a and dy·a for b, each summed to its operand's shape. */
import { binaryRaw } from '../../ops/arithmetic.js';
import { sumTo } from '../../ops/reduce.js';
import type { Tensor } from '../../tensor.js';

/** `sumTo(x·y, shape)`, freeing the intermediate. */
export function productTo(x: Tensor, y: Tensor, shape: readonly number[]): Tensor {
  const p = binaryRaw('mul', x, y);
  const s = sumTo(p, shape);
  if (s !== p) p.dispose();
  return s;
}

/** Gradient rule of `mul`. */
export function mulGrad(dy: Tensor, a: Tensor, b: Tensor): Array<Tensor | null> {
  return [a.requiresGrad ? productTo(dy, b, a.shape) : null, b.requiresGrad ? productTo(dy, a, b.shape) : null];
}
