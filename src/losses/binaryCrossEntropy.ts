/**
 * Binary cross-entropy (DESIGN §5), both torch forms, mean over all elements:
 * - on probabilities (BCELoss): −(t·log p + (1 − t)·log(1 − p)) with each log clamped at −100,
 *   gradient (p − t)/max(p·(1 − p), 1e-12) — torch's values exactly, so p = 0 or 1 stays finite;
 * - on logits (BCEWithLogitsLoss): softplus(x) − x·t, stable for any x, gradient σ(x) − t.
 * Targets are constants (no gradient). Probabilities outside [0, 1] give NaN (not checked:
 * that would need a read-back).
 */
import { binaryRaw } from '../ops/arithmetic.js';
import { scalarLike } from '../ops/create.js';
import { activationRaw, scaleInPlace, unaryRaw } from '../ops/math.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { pointwiseLoss } from './common.js';

/** torch's clamp of log p and log(1 − p). */
const LOG_FLOOR = -100;
/** torch's floor of p·(1 − p) in the gradient. */
const GRAD_EPS = 1e-12;

function clampedLog(x: Tensor): Tensor {
  const l = unaryRaw('log', x);
  if (l.size > 0) l.backend.clip(l.storage, l.storage, l.size, LOG_FLOOR, Infinity);
  return l;
}

/** Mean BCE of probabilities `prob` against `target` (same shape); a scalar tensor. */
export function binaryCrossEntropy(prob: TensorLike, target: TensorLike): Tensor {
  return pointwiseLoss('binaryCrossEntropy', prob, target, false, (p, t, needGrad) => {
    const one = scalarLike(1);
    const q = binaryRaw('sub', one, p);
    const lp = clampedLog(p);
    const lq = clampedLog(q);
    // −(lq + t·(lp − lq))
    const diff = binaryRaw('sub', lp, lq);
    const td = binaryRaw('mul', t, diff, 'binaryCrossEntropy');
    const value = scaleInPlace(binaryRaw('add', lq, td), -1);
    let grad: Tensor | undefined;
    if (needGrad) {
      const num = binaryRaw('sub', p, t);
      const pq = binaryRaw('mul', p, q);
      const eps = scalarLike(GRAD_EPS);
      const den = binaryRaw('max', pq, eps);
      grad = binaryRaw('div', num, den);
      for (const x of [num, pq, eps, den]) x.dispose();
    }
    for (const x of [one, q, lp, lq, diff, td]) x.dispose();
    return { value, grad };
  });
}

/** Mean BCE of `logits` against `target` (same shape), computed stably from the logits; a scalar tensor. */
export function binaryCrossEntropyWithLogits(logits: TensorLike, target: TensorLike): Tensor {
  return pointwiseLoss('binaryCrossEntropyWithLogits', logits, target, false, (x, t, needGrad) => {
    const sp = activationRaw(x, 'softplus');
    const xt = binaryRaw('mul', x, t, 'binaryCrossEntropyWithLogits');
    const value = binaryRaw('sub', sp, xt);
    sp.dispose();
    xt.dispose();
    let grad: Tensor | undefined;
    if (needGrad) {
      const s = activationRaw(x, 'sigmoid');
      grad = binaryRaw('sub', s, t);
      s.dispose();
    }
    return { value, grad };
  });
}
