/**
 * Binary cross-entropy (DESIGN §5), both torch forms, mean over all elements:
 * - on probabilities (BCELoss): −(t·log p + (1 − t)·log(1 − p)) with each log clamped at −100,
 *   gradient (p − t)/max(p·(1 − p), 1e-12) — torch's values exactly, so p = 0 or 1 stays finite;
 * - on logits (BCEWithLogitsLoss): softplus(x) − x·t, stable for any x, gradient σ(x) − t.
 * Targets are constants (no gradient).
 *
 * Like torch.nn.BCELoss, probabilities outside [0, 1] (NaN included) are an error, and so are
 * targets outside [0, 1] (torch 1.13 accepts those and returns a meaningless value). The values
 * are checked where the backend reads synchronously (js, wasm: a copy of each tensor, before any
 * kernel runs); on webgpu the check runs when an asynchronous read arrives and its error is
 * thrown by the next `await tensor.data()` (src/deferred.ts). Arrays are checked on the host,
 * at once, on every backend.
 */
import { checkedValues } from '../deferred.js';
import { ArgumentError } from '../errors.js';
import { binaryRaw } from '../ops/arithmetic.js';
import { flattenNested, scalarLike } from '../ops/create.js';
import { activationRaw, scaleInPlace, unaryRaw } from '../ops/math.js';
import { Tensor, type NestedArray, type TensorLike } from '../tensor.js';
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

/** Throws unless every value is in [0, 1] (NaN is not). */
function checkUnit(fn: string, arg: string, what: string, hint: string): (values: Float32Array) => void {
  return (values) => {
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!(v >= 0 && v <= 1)) throw new ArgumentError(`${fn}: argument '${arg}' expected ${what} in [0, 1], given ${v} at index ${i}${hint}`);
    }
  };
}

/** Runs `check` on a tensor's values (deferred on webgpu) or on host arrays as given (at once, on every backend). */
function checkValues(given: TensorLike, t: Tensor, check: (values: Float32Array) => void): void {
  if (given instanceof Tensor) checkedValues(t, check);
  else check(given instanceof Float32Array ? given : flattenNested(given as NestedArray).data);
}

const PROB_HINT = '; it takes probabilities (e.g. a sigmoid output): for raw scores use binaryCrossEntropyWithLogits';
const checkProb = checkUnit('binaryCrossEntropy', 'prob', 'probabilities', PROB_HINT);
const checkTarget = checkUnit('binaryCrossEntropy', 'target', 'targets', '');

/**
 * Mean BCE of probabilities `prob` against `target` (same shape, both in [0, 1]); a scalar
 * tensor. Values outside [0, 1] are an `INVALID_ARGUMENT` error (see the file comment for when
 * it is thrown on webgpu).
 */
export function binaryCrossEntropy(prob: TensorLike, target: TensorLike): Tensor {
  const check = (p: Tensor, t: Tensor): void => {
    checkValues(prob, p, checkProb);
    checkValues(target, t, checkTarget);
  };
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
  }, check);
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
