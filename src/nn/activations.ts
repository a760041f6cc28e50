/**
 * Activation layers (DESIGN §5): a generic {@link Activation}(name) and one class per
 * activation (`ReLU`, `LeakyReLU(alpha)`, `GELU({approximate})`, `Softmax(axis)`, …). Each
 * is a thin wrapper over the differentiable op of the same name.
 */
import { ArgumentError, checkName, checkOptions, describeValue } from '../errors.js';
import { ACTIVATIONS, type Activation as KernelActivation } from '../kernels/kernels.js';
import * as ops from '../ops/index.js';
import type { Tensor } from '../tensor.js';
import { Module, type ModuleConfig } from './module.js';

/** Every activation name a layer accepts: the elementwise ones plus `softmax` / `logSoftmax` (per row, over `axis`). */
export type ActivationName = KernelActivation | 'softmax' | 'logSoftmax';

/** All names of {@link ActivationName}. */
export const ACTIVATION_NAMES: readonly ActivationName[] = [...ACTIVATIONS, 'softmax', 'logSoftmax'];

/** Options of the generic {@link Activation} layer. */
export interface ActivationOptions {
  /** leakyRelu's slope (0.01) or elu's alpha (1); ignored by the others. */
  alpha?: number;
  /** Axis of softmax / logSoftmax (default −1). */
  axis?: number;
}

/** Validates an activation name (listing the valid ones on error). */
export function checkActivation(fn: string, name: unknown): ActivationName {
  return checkName(fn, 'activation', name, ACTIVATION_NAMES);
}

/** Validates an activation parameter (finite number or undefined). */
export function checkAlpha(fn: string, alpha: unknown): number | undefined {
  if (alpha === undefined) return undefined;
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) throw new ArgumentError(`${fn}: option 'alpha' expected a finite number, given ${describeValue(alpha)}`);
  return alpha;
}

/** `name(x)` as a recorded op; `linear` returns x itself. */
export function applyActivation(x: Tensor, name: ActivationName, alpha?: number, axis = -1): Tensor {
  if (name === 'linear') return ops.toTensor(x, 'linear', 'x');
  if (name === 'softmax') return ops.softmax(x, axis);
  if (name === 'logSoftmax') return ops.logSoftmax(x, axis);
  return ops.activation(x, name, alpha);
}

/** A layer applying one activation elementwise (or softmax over an axis). */
export class Activation extends Module {
  readonly activation: ActivationName;
  readonly alpha: number | undefined;
  readonly axis: number;

  /** `fn` names the class in error messages (subclasses pass theirs). */
  constructor(name: ActivationName, options: ActivationOptions = {}, fn = 'Activation') {
    super();
    this.activation = checkActivation(fn, name);
    checkOptions(fn, options, ['alpha', 'axis']);
    this.alpha = checkAlpha(fn, options.alpha);
    const axis = options.axis ?? -1;
    if (!Number.isInteger(axis)) throw new ArgumentError(`${fn}: option 'axis' expected an integer, given ${describeValue(axis)}`);
    this.axis = axis;
  }

  forward(x: Tensor): Tensor {
    return applyActivation(x, this.activation, this.alpha, this.axis);
  }

  getConfig(): ModuleConfig {
    const opts: ActivationOptions = {};
    if (this.alpha !== undefined) opts.alpha = this.alpha;
    if (this.axis !== -1) opts.axis = this.axis;
    return { type: 'Activation', args: [this.activation, opts] };
  }

  override toString(): string {
    return `${this.constructor.name}(${this.constructor === Activation ? this.activation : ''})`;
  }
}

/** Identity. */
export class Linear extends Activation {
  constructor() { super('linear'); }
  override getConfig(): ModuleConfig { return { type: 'Linear', args: [] }; }
}
/** max(x, 0). */
export class ReLU extends Activation {
  constructor() { super('relu'); }
  override getConfig(): ModuleConfig { return { type: 'ReLU', args: [] }; }
}
/** x > 0 ? x : alpha·x (alpha = 0.01). */
export class LeakyReLU extends Activation {
  constructor(alpha = 0.01) { super('leakyRelu', { alpha }, 'LeakyReLU'); }
  override getConfig(): ModuleConfig { return { type: 'LeakyReLU', args: [this.alpha] }; }
}
/** x > 0 ? x : alpha·(eˣ − 1) (alpha = 1). */
export class ELU extends Activation {
  constructor(alpha = 1) { super('elu', { alpha }, 'ELU'); }
  override getConfig(): ModuleConfig { return { type: 'ELU', args: [this.alpha] }; }
}
/** Self-normalising ELU (torch's constants). */
export class SELU extends Activation {
  constructor() { super('selu'); }
  override getConfig(): ModuleConfig { return { type: 'SELU', args: [] }; }
}
/** GELU, exact erf form by default; `{ approximate: 'tanh' }` for the tanh approximation. */
export class GELU extends Activation {
  readonly approximate: 'none' | 'tanh';
  constructor(options: { approximate?: 'none' | 'tanh' } = {}) {
    checkOptions('GELU', options, ['approximate']);
    const approximate = checkName('GELU', 'approximate', options.approximate ?? 'none', ['none', 'tanh'] as const);
    super(approximate === 'tanh' ? 'geluTanh' : 'gelu');
    this.approximate = approximate;
  }
  override getConfig(): ModuleConfig { return { type: 'GELU', args: [{ approximate: this.approximate }] }; }
}
/** x·σ(x) (swish). */
export class SiLU extends Activation {
  constructor() { super('silu'); }
  override getConfig(): ModuleConfig { return { type: 'SiLU', args: [] }; }
}
/** 1/(1 + e⁻ˣ). */
export class Sigmoid extends Activation {
  constructor() { super('sigmoid'); }
  override getConfig(): ModuleConfig { return { type: 'Sigmoid', args: [] }; }
}
/** Hyperbolic tangent. */
export class Tanh extends Activation {
  constructor() { super('tanh'); }
  override getConfig(): ModuleConfig { return { type: 'Tanh', args: [] }; }
}
/** log(1 + eˣ) (x itself above 20, like torch). */
export class Softplus extends Activation {
  constructor() { super('softplus'); }
  override getConfig(): ModuleConfig { return { type: 'Softplus', args: [] }; }
}
/** x/(1 + |x|). */
export class Softsign extends Activation {
  constructor() { super('softsign'); }
  override getConfig(): ModuleConfig { return { type: 'Softsign', args: [] }; }
}
/** Clips to [−1, 1]; derivative 1 inside (−1, 1), else 0. */
export class HardTanh extends Activation {
  constructor() { super('hardTanh'); }
  override getConfig(): ModuleConfig { return { type: 'HardTanh', args: [] }; }
}
/** x > 0 ? 1 : 0; zero derivative. */
export class Step extends Activation {
  constructor() { super('step'); }
  override getConfig(): ModuleConfig { return { type: 'Step', args: [] }; }
}
/** −1, 0 or 1; zero derivative. */
export class Sign extends Activation {
  constructor() { super('sign'); }
  override getConfig(): ModuleConfig { return { type: 'Sign', args: [] }; }
}
/** 2/(1 + e⁻ˣ) − 1 (= tanh(x/2)). */
export class BipolarSigmoid extends Activation {
  constructor() { super('bipolarSigmoid'); }
  override getConfig(): ModuleConfig { return { type: 'BipolarSigmoid', args: [] }; }
}
/** Softmax over `axis` (default −1, the class axis of `[batch, classes]`). */
export class Softmax extends Activation {
  constructor(axis = -1) { super('softmax', { axis }, 'Softmax'); }
  override getConfig(): ModuleConfig { return { type: 'Softmax', args: [this.axis] }; }
}
/** Log-softmax over `axis` (default −1). */
export class LogSoftmax extends Activation {
  constructor(axis = -1) { super('logSoftmax', { axis }, 'LogSoftmax'); }
  override getConfig(): ModuleConfig { return { type: 'LogSoftmax', args: [this.axis] }; }
}
