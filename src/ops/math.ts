/**
 * Unary elementwise math with autograd: neg, abs, exp, log, sqrt, square, reciprocal, rsqrt
 * (the backend's `unary` kernel), plus the raw helpers gradient rules use (`unaryRaw`,
 * `scaleRaw`, `activationRaw`). Semantics are torch's: abs'(0) = 0, log(0) = −Inf,
 * sqrt/log of a negative number = NaN.
 */
import { record } from '../autograd/record.js';
import { absGrad } from '../autograd/rules/abs.js';
import { expGrad } from '../autograd/rules/exp.js';
import { logGrad } from '../autograd/rules/log.js';
import { negGrad } from '../autograd/rules/neg.js';
import { reciprocalGrad } from '../autograd/rules/reciprocal.js';
import { rsqrtGrad } from '../autograd/rules/rsqrt.js';
import { sqrtGrad } from '../autograd/rules/sqrt.js';
import { squareGrad } from '../autograd/rules/square.js';
import type { Activation, UnaryMath } from '../kernels/kernels.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { toTensor } from './create.js';
import { atomic } from '../engine.js';
import { tensorArg } from './checks.js';
import { uninitialized } from './scratch.js';

/** `f(x)` elementwise for a UNARY_MATH op; no autograd. */
export function unaryRaw(op: UnaryMath, x: Tensor): Tensor {
  return atomic(() => {
    tensorArg(x, 'unaryRaw', 'x');
    const out = uninitialized(x.shape);
    if (x.size > 0) x.backend.unary(op, x.storage, out.storage, x.size);
    return out;
  });
}

/** `alpha·x` as a new tensor; no autograd. */
export function scaleRaw(x: Tensor, alpha: number): Tensor {
  return atomic(() => {
    tensorArg(x, 'scaleRaw', 'x');
    const out = uninitialized(x.shape);
    if (x.size > 0) x.backend.scale(x.storage, out.storage, x.size, alpha);
    return out;
  });
}

/** Multiplies x by `alpha` in place (for fresh intermediates only); returns x. */
export function scaleInPlace(x: Tensor, alpha: number): Tensor {
  tensorArg(x, 'scaleInPlace', 'x');
  if (x.size > 0) x.backend.scale(x.storage, x.storage, x.size, alpha);
  return x;
}

/** `act(x)` elementwise through the activation kernel (e.g. 'step', 'sign' for masks); no autograd. */
export function activationRaw(x: Tensor, act: Activation): Tensor {
  return atomic(() => {
    tensorArg(x, 'activationRaw', 'x');
    const out = uninitialized(x.shape);
    if (x.size > 0) x.backend.activation(act, x.storage, out.storage, x.size);
    return out;
  });
}

type UnaryRule = (dy: Tensor, x: Tensor, out: Tensor) => Tensor;

function unaryOp(op: UnaryMath, x: TensorLike, rule: UnaryRule): Tensor {
  return atomic(() => {
    const t = toTensor(x, op, 'x');
    const out = unaryRaw(op, t);
    return record(out, op, [t], (dy) => [rule(dy, t, out)]);
  });
}

/** −x. */
export function neg(x: TensorLike): Tensor {
  return unaryOp('neg', x, negGrad);
}

/** |x| (gradient sign(x), 0 at 0). */
export function abs(x: TensorLike): Tensor {
  return unaryOp('abs', x, absGrad);
}

/** eˣ. */
export function exp(x: TensorLike): Tensor {
  return unaryOp('exp', x, expGrad);
}

/** Natural logarithm (−Inf at 0, NaN below). */
export function log(x: TensorLike): Tensor {
  return unaryOp('log', x, logGrad);
}

/** √x (NaN below 0). */
export function sqrt(x: TensorLike): Tensor {
  return unaryOp('sqrt', x, sqrtGrad);
}

/** x². */
export function square(x: TensorLike): Tensor {
  return unaryOp('square', x, squareGrad);
}

/** 1/x. */
export function reciprocal(x: TensorLike): Tensor {
  return unaryOp('reciprocal', x, reciprocalGrad);
}

/** 1/√x. */
export function rsqrt(x: TensorLike): Tensor {
  return unaryOp('rsqrt', x, rsqrtGrad);
}
