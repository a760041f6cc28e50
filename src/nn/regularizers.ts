/**
 * Weight regularisers (DESIGN §5), Keras conventions: `l1(λ)` adds λ·Σ|w|, `l2(λ)` adds λ·Σw²
 * (no ½ factor — Keras's convention, so its gradient is 2λw), `l1l2(λ1, λ2)` adds both. Layers
 * take them as `kernelRegularizer` / `biasRegularizer`; `model.regularizationLoss()` returns
 * the sum of every penalty as a differentiable scalar to add to the loss.
 *
 * `ax.l1` is shared with the mean-absolute-error loss: `l1(λ)` (one number or nothing) makes a
 * regulariser, `l1(pred, target)` computes the loss (also available as `l1Loss`).
 */
import { record } from '../autograd/record.js';
import { penaltyGrad } from '../autograd/rules/penalty.js';
import { ArgumentError, AxonError, checkName, describeValue } from '../errors.js';
import { add } from '../ops/arithmetic.js';
import { empty } from '../ops/create.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { l1Loss } from '../losses/l1.js';

/** Serialised form of a {@link Regularizer}. */
export interface RegularizerConfig {
  type: 'l1' | 'l2' | 'l1l2';
  l1: number;
  l2: number;
}

function lambda(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ArgumentError(`${fn}: argument '${arg}' expected a finite number ≥ 0, given ${describeValue(v)}`);
  return v;
}

/**
 * The penalty of a layer with a kernel `w` and an optional bias `b` (Dense, Conv2d): the sum of
 * each regulariser's penalty on its tensor, or null when neither applies.
 */
export function kernelBiasPenalty(kernelRegularizer: Regularizer | null, w: Tensor, biasRegularizer: Regularizer | null, b: Tensor | null): Tensor | null {
  const kp = kernelRegularizer?.penalty(w) ?? null;
  const bp = b && biasRegularizer ? biasRegularizer.penalty(b) : null;
  if (kp && bp) return add(kp, bp);
  return kp ?? bp;
}

/** A weight penalty λ1·Σ|w| + λ2·Σw². Create with {@link l1}, {@link l2} or {@link l1l2}. */
export class Regularizer {
  readonly type: 'l1' | 'l2' | 'l1l2';
  readonly l1: number;
  readonly l2: number;

  constructor(type: 'l1' | 'l2' | 'l1l2', l1: number, l2: number) {
    this.type = checkName('Regularizer', 'type', type, ['l1', 'l2', 'l1l2'] as const);
    this.l1 = lambda(type, 'l1', l1);
    this.l2 = lambda(type, 'l2', l2);
  }

  /** The penalty of `w` as a scalar tensor, recorded for autograd when `w` requires grad. */
  penalty(w: Tensor): Tensor {
    if (!(w instanceof Tensor)) throw new ArgumentError(`${this.type}: argument 'w' expected a Tensor, given ${describeValue(w)}`);
    w.assertLive(this.type, 'w');
    const out = empty([]);
    const k = w.backend;
    const n = w.size;
    if (n > 0) {
      // tmp = λ1·|w| + λ2·w², then one sum.
      const tmp = empty(w.shape);
      if (this.l2 === 0 || this.l1 !== 0) {
        k.unary('abs', w.storage, tmp.storage, n);
        k.scale(tmp.storage, tmp.storage, n, this.l1);
      }
      if (this.l2 !== 0 && this.l1 === 0) {
        k.unary('square', w.storage, tmp.storage, n);
        k.scale(tmp.storage, tmp.storage, n, this.l2);
      } else if (this.l2 !== 0) {
        const sq = empty(w.shape);
        k.unary('square', w.storage, sq.storage, n);
        k.axpy(this.l2, sq.storage, tmp.storage, n);
        sq.dispose();
      }
      k.reduce('sum', tmp.storage, out.storage, 1, n, 1);
      tmp.dispose();
    }
    const { l1, l2 } = this;
    return record(out, `${this.type}Penalty`, [w], (dy) => [penaltyGrad(dy, w, l1, l2)]);
  }

  /** Plain JSON for save/load. */
  getConfig(): RegularizerConfig {
    return { type: this.type, l1: this.l1, l2: this.l2 };
  }

  toString(): string {
    return this.type === 'l1l2' ? `l1l2(${this.l1}, ${this.l2})` : `${this.type}(${this.type === 'l1' ? this.l1 : this.l2})`;
  }
}

/** L2 penalty λ·Σw² (Keras convention; default λ = 0.01). */
export function l2(lambda = 0.01): Regularizer {
  return new Regularizer('l2', 0, lambda);
}

/** L1 + L2 penalty λ1·Σ|w| + λ2·Σw² (defaults 0.01 each). */
export function l1l2(l1Lambda = 0.01, l2Lambda = 0.01): Regularizer {
  return new Regularizer('l1l2', l1Lambda, l2Lambda);
}

/** L1 penalty λ·Σ|w| (default λ = 0.01). */
export function l1Regularizer(lambda = 0.01): Regularizer {
  return new Regularizer('l1', lambda, 0);
}

/**
 * `l1(λ)` — the L1 regulariser λ·Σ|w| (default λ = 0.01); `l1(pred, target)` — the mean
 * absolute error loss ({@link l1Loss}).
 */
export function l1(lambda?: number): Regularizer;
export function l1(pred: TensorLike, target: TensorLike): Tensor;
export function l1(a?: TensorLike, b?: TensorLike): Regularizer | Tensor {
  if (b === undefined && (a === undefined || typeof a === 'number')) return l1Regularizer(a);
  if (b === undefined) throw new ArgumentError(`l1: expected l1(λ) for a regulariser or l1(pred, target) for the loss, given one ${describeValue(a)}`);
  return l1Loss(a as TensorLike, b);
}

/** Names accepted where a regulariser is expected (with default λ = 0.01). */
export const REGULARIZER_NAMES = ['l1', 'l2', 'l1l2'] as const;

/** A regulariser, its name, or its config. */
export type RegularizerLike = Regularizer | (typeof REGULARIZER_NAMES)[number] | RegularizerConfig;

/** Resolves a {@link RegularizerLike} (undefined/null stays null). */
export function getRegularizer(r: RegularizerLike | null | undefined, fn = 'getRegularizer', arg = 'regularizer'): Regularizer | null {
  if (r === undefined || r === null) return null;
  if (r instanceof Regularizer) return r;
  if (typeof r === 'string') {
    const name = checkName(fn, arg, r, REGULARIZER_NAMES);
    return name === 'l1' ? l1Regularizer() : name === 'l2' ? l2() : l1l2();
  }
  if (typeof r === 'object' && typeof (r as RegularizerConfig).type === 'string') {
    const c = r as RegularizerConfig;
    const type = checkName(fn, `${arg} type`, c.type, REGULARIZER_NAMES);
    return new Regularizer(type, c.l1 ?? 0, c.l2 ?? 0);
  }
  throw new AxonError('INVALID_ARGUMENT', `${fn}: option '${arg}' expected a Regularizer (l1(λ), l2(λ), l1l2(λ1, λ2)), one of ${REGULARIZER_NAMES.join(', ')}, or a config, given ${describeValue(r)}`);
}
