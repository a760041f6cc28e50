/**
 * 0/1 comparison masks for gradient rules, built from the `step` and `sign` activation kernels
 * (the kernel contract has no comparison ops). `step(d)` is `d > 0`, so `a > b` is
 * `step(a − b)` and `a ≥ b` is `1 − step(b − a)`. Exact for finite values (float subtraction of
 * distinct floats is never 0 with gradual underflow); a NaN input, or ∞ − ∞, gives NaN.
 * Run inside `tidy`: intermediates are not disposed here.
 */
import { binaryRaw } from '../../ops/arithmetic.js';
import { scalarLike } from '../../ops/create.js';
import { activationRaw, unaryRaw } from '../../ops/math.js';
import type { Tensor } from '../../tensor.js';

/** `a > b` as 1/0 (broadcast shape). */
export function greater(a: Tensor, b: Tensor): Tensor {
  return activationRaw(binaryRaw('sub', a, b), 'step');
}

/** `a ≥ b` as 1/0 (broadcast shape). */
export function greaterEqual(a: Tensor, b: Tensor): Tensor {
  return oneMinus(greater(b, a));
}

/** `1 − m`. */
export function oneMinus(m: Tensor): Tensor {
  return binaryRaw('sub', scalarLike(1), m);
}

/** `x == 0` as 1/0: `1 − sign(|x|)`. */
export function isZero(x: Tensor): Tensor {
  return oneMinus(activationRaw(unaryRaw('abs', x), 'sign'));
}
