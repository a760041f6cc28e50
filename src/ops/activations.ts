/**
 * Activation functions as tensor ops (DESIGN §5), each differentiable through the backend's
 * fused derivative kernel `activationBackward`.
 */
import { record } from '../autograd/record.js';
import { activationGrad } from '../autograd/rules/activation.js';
import { ArgumentError, checkName, checkOptions, describeValue } from '../errors.js';
import { ACTIVATIONS, type Activation } from '../kernels/kernels.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { toTensor } from './create.js';
import { atomic } from '../engine.js';
import { uninitialized } from './scratch.js';

/** `act(x)` elementwise; `alpha` is leakyRelu's slope or elu's alpha. */
export function activation(x: TensorLike, act: Activation, alpha?: number): Tensor {
  return atomic(() => {
    const name = checkName('activation', 'activation', act, ACTIVATIONS);
    if (alpha !== undefined && (typeof alpha !== 'number' || !Number.isFinite(alpha))) {
      throw new ArgumentError(`${name}: argument 'alpha' expected a finite number, given ${describeValue(alpha)}`);
    }
    const t = toTensor(x, name, 'x');
    const out = uninitialized(t.shape);
    if (t.size > 0) t.backend.activation(name, t.storage, out.storage, t.size, alpha);
    return record(out, name, [t], (dy) => [activationGrad(dy, t, out, name, alpha)]);
  });
}

/** Identity. */
export const linear = (x: TensorLike): Tensor => activation(x, 'linear');
/** max(x, 0). */
export const relu = (x: TensorLike): Tensor => activation(x, 'relu');
/** x > 0 ? x : alpha·x (alpha = 0.01). */
export const leakyRelu = (x: TensorLike, alpha = 0.01): Tensor => activation(x, 'leakyRelu', alpha);
/** x > 0 ? x : alpha·(eˣ − 1) (alpha = 1). */
export const elu = (x: TensorLike, alpha = 1): Tensor => activation(x, 'elu', alpha);
/** Self-normalising ELU with torch's constants. */
export const selu = (x: TensorLike): Tensor => activation(x, 'selu');
/** GELU: exact erf form, or `{ approximate: 'tanh' }`. */
export const gelu = (x: TensorLike, options?: { approximate?: 'none' | 'tanh' }): Tensor => {
  checkOptions('gelu', options, ['approximate']);
  const approximate = checkName('gelu', "option 'approximate'", options?.approximate ?? 'none', ['none', 'tanh'] as const);
  return activation(x, approximate === 'tanh' ? 'geluTanh' : 'gelu');
};
/** x·σ(x). */
export const silu = (x: TensorLike): Tensor => activation(x, 'silu');
/** 1/(1 + e⁻ˣ). */
export const sigmoid = (x: TensorLike): Tensor => activation(x, 'sigmoid');
/** Hyperbolic tangent. */
export const tanh = (x: TensorLike): Tensor => activation(x, 'tanh');
/** log(1 + eˣ). */
export const softplus = (x: TensorLike): Tensor => activation(x, 'softplus');
/** x/(1 + |x|). */
export const softsign = (x: TensorLike): Tensor => activation(x, 'softsign');
/** Clip to [−1, 1]. */
export const hardTanh = (x: TensorLike): Tensor => activation(x, 'hardTanh');
/** x > 0 ? 1 : 0 (zero derivative). */
export const step = (x: TensorLike): Tensor => activation(x, 'step');
/** −1, 0 or 1 (zero derivative). */
export const sign = (x: TensorLike): Tensor => activation(x, 'sign');
/** 2/(1 + e⁻ˣ) − 1. */
export const bipolarSigmoid = (x: TensorLike): Tensor => activation(x, 'bipolarSigmoid');
