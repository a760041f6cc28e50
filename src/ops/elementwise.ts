/**
 * Binary elementwise math beyond + − × ÷, with NumPy broadcasting and autograd: `pow` (C/torch
 * powf semantics), `maximum`, `minimum` (NaN propagates; ties split the gradient equally, as
 * torch), and `clip` (torch.clamp: gradient 1 on the closed interval [lo, hi]).
 */
import { record } from '../autograd/record.js';
import { clipGrad } from '../autograd/rules/clip.js';
import { maximumGrad } from '../autograd/rules/maximum.js';
import { minimumGrad } from '../autograd/rules/minimum.js';
import { powGrad } from '../autograd/rules/pow.js';
import { ArgumentError, describeValue } from '../errors.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { binaryOp } from './arithmetic.js';
import { empty, toTensor } from './create.js';
import { atomic } from '../engine.js';

/**
 * `a ** b` elementwise with broadcasting, following C's `powf` (and torch): pow(x, 0) = 1 and
 * pow(1, y) = 1 even for NaN, pow(−1, ±Inf) = 1, a negative base with a non-integer exponent
 * is NaN. Gradients: `b·a^(b−1)` for a (0 where b = 0) and `log(a)·a^b` for b (0 where a = 0
 * and b ≥ 0), the latter only computed when b requires grad.
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('pow', 'pow', a, b, powGrad);
}

/**
 * Elementwise maximum with broadcasting; NaN propagates. The gradient goes to the larger
 * operand; where a = b it is split ½ / ½ (torch.maximum).
 */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('max', 'maximum', a, b, maximumGrad);
}

/** Elementwise minimum with broadcasting; NaN propagates; ties split the gradient ½ / ½ (torch.minimum). */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('min', 'minimum', a, b, minimumGrad);
}

function bound(name: 'lo' | 'hi', v: unknown, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number' || Number.isNaN(v)) throw new ArgumentError(`clip: argument '${name}' expected a number (±Infinity allowed), given ${describeValue(v)}`);
  return v;
}

/**
 * `min(max(x, lo), hi)` elementwise (torch.clamp); NaN stays NaN. Omit a bound (or pass
 * ±Infinity) to clip on one side only. The gradient is dy where lo ≤ x ≤ hi (bounds
 * included, as torch), else 0.
 */
export function clip(x: TensorLike, lo?: number, hi?: number): Tensor {
  return atomic(() => {
    const l = bound('lo', lo, -Infinity);
    const h = bound('hi', hi, Infinity);
    if (l > h) throw new ArgumentError(`clip: argument 'lo' (${l}) must not exceed 'hi' (${h})`);
    const t = toTensor(x, 'clip', 'x');
    const out = empty(t.shape);
    if (t.size > 0) t.backend.clip(t.storage, out.storage, t.size, l, h);
    return record(out, 'clip', [t], (dy) => [clipGrad(dy, t, l, h)]);
  });
}
