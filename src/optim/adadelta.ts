/**
 * Adadelta: torch.optim.Adadelta — `lr=1.0` (scales the computed delta), `rho=0.9`, `eps=1e-6`,
 * `weightDecay=0`.
 */
import type { Tensor } from '../tensor.js';
import { BASE_KEYS, FusedOptimizer, parseBase, type BaseConfig, type BaseOptions, type OptimizerSpec } from './fused.js';
import { numOption } from './options.js';

/** Options of {@link Adadelta}. */
export interface AdadeltaOptions extends BaseOptions {
  /** Decay rate of the running averages, in [0, 1]; default 0.9. */
  rho?: number;
  /** Added inside both square roots (≥ 0), default 1e-6. */
  eps?: number;
}

/** Parsed options of {@link Adadelta}. */
export interface AdadeltaConfig extends BaseConfig {
  rho: number;
  eps: number;
}

const SPEC: OptimizerSpec<AdadeltaConfig> = {
  type: 'Adadelta',
  keys: [...BASE_KEYS, 'rho', 'eps'],
  parse: (fn, o) => ({
    ...parseBase(fn, o, 1.0),
    rho: numOption(fn, o, 'rho', 0.9, { min: 0, max: 1 }),
    eps: numOption(fn, o, 'eps', 1e-6, { min: 0 }),
  }),
  slotNames: () => ['squareAvg', 'accDelta'],
  update(k, param, grad, n, bufs, _step, c) {
    k.adadeltaStep({ param, grad, n, lr: c.lr, weightDecay: c.weightDecay, squareAvg: bufs['squareAvg']!, accDelta: bufs['accDelta']!, rho: c.rho, eps: c.eps });
  },
};

/** Adadelta (see the file comment). */
export class Adadelta extends FusedOptimizer<AdadeltaConfig> {
  constructor(options?: AdadeltaOptions);
  constructor(params: readonly Tensor[], options?: AdadeltaOptions);
  constructor(a?: readonly Tensor[] | AdadeltaOptions, b?: AdadeltaOptions) {
    super(SPEC, a, b);
  }
}
