/**
 * Weight constraints, applied in place after each optimiser step by `applyConstraints()`.
 * `maxNorm(c, axis = 0)` has Keras's semantics: the L2 norm of each slice along `axis` (for a
 * Dense kernel `[in, out]` and axis 0: each output unit's incoming weight vector) is clipped to
 * at most `c` via `w ← w · clip(‖w‖, 0, c) / (1e-7 + ‖w‖)`.
 */
import { noGrad } from '../engine.js';
import { ArgumentError, AxonError, checkName, describeValue } from '../errors.js';
import { binaryRaw } from '../ops/arithmetic.js';
import { normAxis } from '../ops/axes.js';
import { empty, full } from '../ops/create.js';
import { reduceRaw } from '../ops/reduce.js';
import type { Tensor } from '../tensor.js';

/** Serialised form of a constraint. */
export interface ConstraintConfig {
  type: 'maxNorm';
  maxValue: number;
  axis: number;
}

/** Something that projects a weight back into its allowed set, in place. */
export interface Constraint {
  /** Modifies `w`'s values in place (no autograd). */
  apply(w: Tensor): void;
  /** Plain JSON for save/load. */
  getConfig(): ConstraintConfig;
}

/** Keras's fuzz factor in the max-norm rescaling. */
const EPSILON = 1e-7;

/** See {@link maxNorm}. */
export class MaxNorm implements Constraint {
  readonly maxValue: number;
  readonly axis: number;

  constructor(maxValue = 2, axis = 0) {
    if (typeof maxValue !== 'number' || !Number.isFinite(maxValue) || maxValue < 0) {
      throw new ArgumentError(`maxNorm: argument 'maxValue' expected a finite number ≥ 0, given ${describeValue(maxValue)}`);
    }
    if (typeof axis !== 'number' || !Number.isInteger(axis)) throw new ArgumentError(`maxNorm: argument 'axis' expected an integer, given ${describeValue(axis)}`);
    this.maxValue = maxValue;
    this.axis = axis;
  }

  apply(w: Tensor): void {
    w.assertLive('maxNorm', 'w');
    if (w.size === 0) return;
    const axis = normAxis('maxNorm', this.axis, w.rank);
    noGrad(() => {
      const k = w.backend;
      const sq = empty(w.shape);
      k.unary('square', w.storage, sq.storage, w.size);
      const norms = reduceRaw('sum', sq, [axis]); // axis kept as size 1
      sq.dispose();
      k.unary('sqrt', norms.storage, norms.storage, norms.size);
      const desired = empty(norms.shape);
      k.clip(norms.storage, desired.storage, norms.size, 0, this.maxValue);
      const eps = full([], EPSILON);
      const denom = binaryRaw('add', norms, eps);
      const factor = binaryRaw('div', desired, denom);
      const scaled = binaryRaw('mul', w, factor);
      k.copy(scaled.storage, w.storage, w.size);
      for (const t of [norms, desired, eps, denom, factor, scaled]) t.dispose();
    });
  }

  getConfig(): ConstraintConfig {
    return { type: 'maxNorm', maxValue: this.maxValue, axis: this.axis };
  }

  toString(): string {
    return `maxNorm(${this.maxValue}, ${this.axis})`;
  }
}

/** Clips the L2 norm of each slice along `axis` (default 0: per output unit of a Dense kernel) to at most `c` (default 2). */
export function maxNorm(c = 2, axis = 0): MaxNorm {
  return new MaxNorm(c, axis);
}

/** Names accepted where a constraint is expected (with defaults). */
export const CONSTRAINT_NAMES = ['maxNorm'] as const;

/** A constraint, its name, or its config. */
export type ConstraintLike = Constraint | (typeof CONSTRAINT_NAMES)[number] | ConstraintConfig;

/** Resolves a {@link ConstraintLike} (undefined/null stays null). */
export function getConstraint(c: ConstraintLike | null | undefined, fn = 'getConstraint', arg = 'constraint'): Constraint | null {
  if (c === undefined || c === null) return null;
  if (typeof c === 'string') {
    checkName(fn, arg, c, CONSTRAINT_NAMES);
    return maxNorm();
  }
  if (typeof c === 'object' && typeof (c as Constraint).apply === 'function' && typeof (c as Constraint).getConfig === 'function') return c as Constraint;
  if (typeof c === 'object' && typeof (c as ConstraintConfig).type === 'string') {
    const cfg = c as ConstraintConfig;
    checkName(fn, `${arg} type`, cfg.type, CONSTRAINT_NAMES);
    return maxNorm(cfg.maxValue, cfg.axis);
  }
  throw new AxonError('INVALID_ARGUMENT', `${fn}: option '${arg}' expected a constraint (maxNorm(c)), 'maxNorm' or a config, given ${describeValue(c)}`);
}
