/**
 * d clip(x, lo, hi) = dy where lo ≤ x ≤ hi (closed interval, as torch.clamp), else 0. An
 * infinite bound contributes no mask, so ±∞ inputs are handled exactly.
 */
import { tidy } from '../../engine.js';
import { binaryRaw } from '../../ops/arithmetic.js';
import { scalarLike } from '../../ops/create.js';
import type { Tensor } from '../../tensor.js';
import { greaterEqual } from './masks.js';

/** Gradient rule of `clip`. */
export function clipGrad(dy: Tensor, x: Tensor, lo: number, hi: number): Tensor {
  return tidy(() => {
    let g = dy;
    if (lo !== -Infinity) g = binaryRaw('mul', g, greaterEqual(x, scalarLike(lo)));
    if (hi !== Infinity) g = binaryRaw('mul', g, greaterEqual(scalarLike(hi), x));
    return g; // dy itself when both bounds are infinite (the sweep copies it as needed)
  });
}
