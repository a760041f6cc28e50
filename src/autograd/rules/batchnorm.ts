/**
 * Batch-norm gradients, x viewed as `[outer, channels, inner]`.
 * Training mode (batch statistics depend on x): one fused `batchNormBackward` kernel gives
 * dx, dγ = Σ dy·x̂ and dβ = Σ dy.
 * Evaluation mode (running statistics are constants): dx = dy·γ/√(rv + ε), with the same dγ, dβ.
 */
import { binaryRaw } from '../../ops/arithmetic.js';
import { empty, full } from '../../ops/create.js';
import { reduceRaw } from '../../ops/reduce.js';
import type { Tensor } from '../../tensor.js';

/** Layout of a batch-norm input. */
export interface BnDims {
  outer: number;
  channels: number;
  inner: number;
  eps: number;
}

/** Gradient rule of training-mode batch norm: `[dx, dgamma, dbeta]` (null where not required). */
export function batchNormTrainGrad(dy: Tensor, x: Tensor, mean: Tensor, variance: Tensor, gamma: Tensor | null, beta: Tensor | null, d: BnDims): Array<Tensor | null> {
  x.assertLive('batchNorm backward', 'x');
  const dx = empty(x.shape);
  const dgamma = gamma?.requiresGrad ? empty([d.channels]) : null;
  const dbeta = beta?.requiresGrad ? empty([d.channels]) : null;
  if (x.size > 0) {
    x.backend.batchNormBackward({
      x: x.storage, mean: mean.storage, variance: variance.storage, gamma: gamma?.storage, dy: dy.storage,
      dx: dx.storage, dgamma: dgamma?.storage, dbeta: dbeta?.storage, ...d,
    });
  }
  const out: Array<Tensor | null> = [x.requiresGrad ? dx : null];
  if (!x.requiresGrad) dx.dispose();
  if (gamma) out.push(dgamma);
  if (beta) out.push(dbeta);
  return out;
}

/** Σ over every axis but the channel axis (1), as a `[channels]` tensor. */
function channelSum(t: Tensor, channels: number): Tensor {
  const axes = t.shape.map((_, i) => i).filter((i) => i !== 1);
  const r = reduceRaw('sum', t, axes);
  const out = empty([channels]);
  if (channels > 0) t.backend.copy(r.storage, out.storage, channels);
  r.dispose();
  return out;
}

/** Gradient rule of evaluation-mode batch norm (running statistics): `[dx, dgamma, dbeta]`. */
export function batchNormEvalGrad(dy: Tensor, x: Tensor, runMean: Tensor, runVar: Tensor, gamma: Tensor | null, beta: Tensor | null, d: BnDims): Array<Tensor | null> {
  x.assertLive('batchNorm backward', 'x');
  const k = x.backend;
  const out: Array<Tensor | null> = [null];
  if (x.requiresGrad) {
    // scale[c] = γ[c]/√(rv[c] + ε), laid out as [channels, 1, …] so it broadcasts over x.
    const bshape = [d.channels, ...x.shape.slice(2).map(() => 1)];
    const eps = full([], d.eps);
    const ve = binaryRaw('add', runVar, eps);
    const scale = empty(bshape);
    k.unary('rsqrt', ve.storage, scale.storage, d.channels);
    if (gamma) k.binary('mul', scale.storage, 'full', gamma.storage, 'full', scale.storage, 1, d.channels);
    out[0] = binaryRaw('mul', dy, scale);
    for (const t of [eps, ve, scale]) t.dispose();
  }
  if (gamma) {
    if (gamma.requiresGrad) {
      const xhat = empty(x.shape);
      if (x.size > 0) k.batchNormForward({ x: x.storage, mean: runMean.storage, variance: runVar.storage, out: xhat.storage, ...d });
      const p = binaryRaw('mul', dy, xhat);
      out.push(channelSum(p, d.channels));
      xhat.dispose();
      p.dispose();
    } else out.push(null);
  }
  if (beta) out.push(beta.requiresGrad ? channelSum(dy, d.channels) : null);
  return out;
}
