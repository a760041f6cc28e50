/**
 * d max(a, b): dy to the larger operand, split ½ / ½ where a = b (torch.maximum). With
 * s = sign(a − b), a's share is (1 + s)/2 and b's is (1 − s)/2; each is summed to its
 * operand's shape. {@link minimumGrad} is the same with the shares swapped.
 */
import { tidy } from '../../engine.js';
import { binaryRaw } from '../../ops/arithmetic.js';
import { scalarLike } from '../../ops/create.js';
import { activationRaw, scaleInPlace } from '../../ops/math.js';
import { sumTo } from '../../ops/reduce.js';
import type { Tensor } from '../../tensor.js';

/** dy·(1 ± s)/2 summed to `shape`. */
function share(dy: Tensor, s: Tensor, sign: 1 | -1, shape: readonly number[]): Tensor {
  const w = scaleInPlace(binaryRaw(sign > 0 ? 'add' : 'sub', scalarLike(1), s), 0.5);
  return sumTo(binaryRaw('mul', dy, w), shape);
}

/** Shared by maximum and minimum: `larger` = +1 gives a the share where a > b. */
export function extremumGrad(dy: Tensor, a: Tensor, b: Tensor, larger: 1 | -1): Array<Tensor | null> {
  if (!a.requiresGrad && !b.requiresGrad) return [null, null];
  return tidy(() => {
    const s = activationRaw(binaryRaw('sub', a, b), 'sign');
    return [
      a.requiresGrad ? share(dy, s, larger, a.shape) : null,
      b.requiresGrad ? share(dy, s, larger > 0 ? -1 : 1, b.shape) : null,
    ];
  });
}

/** Gradient rule of `maximum`. */
export function maximumGrad(dy: Tensor, a: Tensor, b: Tensor): Array<Tensor | null> {
  return extremumGrad(dy, a, b, 1);
}
