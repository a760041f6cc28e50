/**
 * Shared machinery of the losses: argument conversion and shape alignment, the batch mean, and
 * {@link pointwiseLoss}, which turns "per-element value and derivative" into a differentiable
 * mean loss recorded as one autograd node (rule: src/autograd/rules/loss.ts).
 */
import { record, willRecord } from '../autograd/record.js';
import { lossGrad } from '../autograd/rules/loss.js';
import { ShapeError, fmtShape } from '../errors.js';
import { empty, toTensor } from '../ops/create.js';
import { reshapeRaw } from '../ops/shape.js';
import type { Tensor, TensorLike } from '../tensor.js';

function same(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function squeeze(s: readonly number[]): number[] {
  return s.filter((d) => d !== 1);
}

/**
 * Converts pred and target to tensors with pred's shape. Shapes must match, except that size-1
 * axes may differ (`[N, 1]` vs `[N]`), in which case the target is reshaped — never broadcast:
 * silently broadcasting `[N, 1]` against `[N]` to `[N, N]` is a classic bug.
 */
export function predTarget(fn: string, pred: TensorLike, target: TensorLike): { p: Tensor; t: Tensor; t0: Tensor } {
  const p = toTensor(pred, fn, 'pred');
  const t0 = toTensor(target, fn, 'target');
  if (same(p.shape, t0.shape)) return { p, t: t0, t0 };
  if (p.size === t0.size && same(squeeze(p.shape), squeeze(t0.shape))) return { p, t: reshapeRaw(t0, p.shape), t0 };
  throw new ShapeError(`${fn}: pred shape ${fmtShape(p.shape)} and target shape ${fmtShape(t0.shape)} differ (losses do not broadcast)`);
}

/** Mean of every element as a rank-0 tensor (NaN for an empty tensor, as torch). */
export function meanAll(e: Tensor): Tensor {
  const out = empty([]);
  e.backend.reduce('mean', e.storage, out.storage, 1, e.size, 1);
  return out;
}

/** What a pointwise loss computes: the per-element loss and, when asked, ∂loss_i/∂pred_i. */
export interface Pointwise {
  value: Tensor;
  grad?: Tensor;
}

/**
 * `mean(value(p, t))` with one autograd node. `compute(p, t, needGrad)` returns fresh tensors
 * (owned here); its `grad` is scaled by 1/n and saved for backward. `targetGrad`: the loss
 * depends on `p − t` only, so the target's gradient is the negated one. `check(p, target)`, if
 * given, validates the values (the target as given, before any reshape) before anything is
 * computed; tensors made here from arrays are freed when it throws.
 */
export function pointwiseLoss(
  fn: string,
  pred: TensorLike,
  target: TensorLike,
  targetGrad: boolean,
  compute: (p: Tensor, t: Tensor, needGrad: boolean) => Pointwise,
  check?: (p: Tensor, target: Tensor) => void,
): Tensor {
  const { p, t, t0 } = predTarget(fn, pred, target);
  if (check) {
    try {
      check(p, t0);
    } catch (e) {
      for (const [x, given] of [[t, t0], [p, pred], [t0, target]] as const) if (x !== given) x.dispose();
      throw e;
    }
  }
  const needGrad = willRecord(p) || (targetGrad && willRecord(t0));
  let value: Tensor;
  let grad: Tensor | undefined;
  try {
    ({ value, grad } = compute(p, t, needGrad));
  } finally {
    if (t !== t0) t.dispose();
  }
  const out = meanAll(value);
  value.dispose();
  let result = out;
  if (needGrad && grad) {
    if (grad.size > 0) grad.backend.scale(grad.storage, grad.storage, grad.size, 1 / grad.size);
    const g = grad;
    result = record(out, fn, [p, t0], (dy) => lossGrad(dy, g, t0, targetGrad));
    if (result.node === null) g.dispose();
  } else grad?.dispose();
  // Tensors made here from plain arrays: the rule only reads their shape and requiresGrad.
  if (p !== pred) p.dispose();
  if (t0 !== target) t0.dispose();
  return result;
}
