/**
 * RMSprop: torch.optim.RMSprop — `lr=1e-2`, `alpha=0.99`, `eps=1e-8` (added after the square
 * root), `momentum=0`, `centered=false` (divide by the estimated standard deviation rather than
 * the root mean square), `weightDecay=0`.
 */
import type { Tensor } from '../tensor.js';
import { BASE_KEYS, FusedOptimizer, parseBase, type BaseConfig, type BaseOptions, type OptimizerSpec } from './fused.js';
import { boolOption, numOption } from './options.js';

/** Options of {@link RMSprop}. */
export interface RMSpropOptions extends BaseOptions {
  /** Smoothing constant of the squared-gradient average, in [0, 1]; default 0.99. */
  alpha?: number;
  /** Added to the denominator (≥ 0), default 1e-8. */
  eps?: number;
  /** Momentum factor (≥ 0), default 0. */
  momentum?: number;
  /** Centered RMSprop, default false. */
  centered?: boolean;
}

/** Parsed options of {@link RMSprop}. */
export interface RMSpropConfig extends BaseConfig {
  alpha: number;
  eps: number;
  momentum: number;
  centered: boolean;
}

const SPEC: OptimizerSpec<RMSpropConfig> = {
  type: 'RMSprop',
  keys: [...BASE_KEYS, 'alpha', 'eps', 'momentum', 'centered'],
  parse: (fn, o) => ({
    ...parseBase(fn, o, 1e-2),
    alpha: numOption(fn, o, 'alpha', 0.99, { min: 0, max: 1 }),
    eps: numOption(fn, o, 'eps', 1e-8, { min: 0 }),
    momentum: numOption(fn, o, 'momentum', 0, { min: 0 }),
    centered: boolOption(fn, o, 'centered', false),
  }),
  slotNames(c) {
    const names = ['squareAvg'];
    if (c.momentum > 0) names.push('momentumBuffer');
    if (c.centered) names.push('gradAvg');
    return names;
  },
  update(k, param, grad, n, bufs, _step, c) {
    k.rmspropStep({
      param, grad, n, lr: c.lr, weightDecay: c.weightDecay,
      squareAvg: bufs['squareAvg']!, alpha: c.alpha, eps: c.eps,
      momentum: c.momentum, momentumBuffer: bufs['momentumBuffer'], centered: c.centered, gradAvg: bufs['gradAvg'],
    });
  },
};

/** RMSprop (see the file comment). */
export class RMSprop extends FusedOptimizer<RMSpropConfig> {
  constructor(options?: RMSpropOptions);
  constructor(params: readonly Tensor[], options?: RMSpropOptions);
  constructor(a?: readonly Tensor[] | RMSpropOptions, b?: RMSpropOptions) {
    super(SPEC, a, b);
  }
}
