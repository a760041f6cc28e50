/**
 * SGD: torch.optim.SGD — `lr` (required), `momentum=0`, `dampening=0`, `nesterov=false`,
 * `weightDecay=0`. With momentum the buffer starts as the first gradient (no dampening), then
 * `buf = momentum·buf + (1 − dampening)·g`; the step is `buf`, or `g + momentum·buf` with Nesterov.
 */
import { ArgumentError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { BASE_KEYS, FusedOptimizer, parseBase, type BaseConfig, type BaseOptions, type OptimizerSpec } from './fused.js';
import { boolOption, numOption } from './options.js';

/** Options of {@link SGD}. */
export interface SGDOptions extends BaseOptions {
  /** Learning rate (≥ 0); required, as in torch. */
  lr: number;
  /** Momentum factor (≥ 0), default 0. */
  momentum?: number;
  /** Dampening of the momentum (finite), default 0. */
  dampening?: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0), default false. */
  nesterov?: boolean;
}

/** Parsed options of {@link SGD}. */
export interface SGDConfig extends BaseConfig {
  momentum: number;
  dampening: number;
  nesterov: boolean;
}

const SPEC: OptimizerSpec<SGDConfig> = {
  type: 'SGD',
  keys: [...BASE_KEYS, 'momentum', 'dampening', 'nesterov'],
  parse(fn, o) {
    const c: SGDConfig = {
      ...parseBase(fn, o, undefined),
      momentum: numOption(fn, o, 'momentum', 0, { min: 0 }),
      dampening: numOption(fn, o, 'dampening', 0, {}),
      nesterov: boolOption(fn, o, 'nesterov', false),
    };
    if (c.nesterov && (c.momentum <= 0 || c.dampening !== 0)) {
      throw new ArgumentError(`${fn}: Nesterov momentum requires momentum > 0 and dampening = 0, given momentum ${c.momentum}, dampening ${c.dampening}`);
    }
    return c;
  },
  slotNames: (c) => (c.momentum !== 0 ? ['momentumBuffer'] : []),
  update(k, param, grad, n, bufs, step, c) {
    k.sgdStep({
      param, grad, n, lr: c.lr, weightDecay: c.weightDecay,
      momentum: c.momentum, dampening: c.dampening, nesterov: c.nesterov,
      momentumBuffer: bufs['momentumBuffer'], firstStep: step === 1,
    });
  },
};

/** Stochastic gradient descent (see the file comment). `new SGD(params, { lr })` or `new SGD({ lr })` for compile. */
export class SGD extends FusedOptimizer<SGDConfig> {
  constructor(options: SGDOptions);
  constructor(params: readonly Tensor[], options: SGDOptions);
  constructor(a?: readonly Tensor[] | SGDOptions, b?: SGDOptions) {
    super(SPEC, a, b);
  }
}
