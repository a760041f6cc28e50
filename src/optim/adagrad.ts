/**
 * Adagrad: torch.optim.Adagrad — `lr=1e-2`, `lrDecay=0` (the step size of a parameter's t-th
 * update is `lr / (1 + (t − 1)·lrDecay)`), `weightDecay=0`, `initialAccumulatorValue=0` (the
 * squared-gradient sum starts there), `eps=1e-10`.
 */
import type { Tensor } from '../tensor.js';
import { BASE_KEYS, FusedOptimizer, parseBase, type BaseConfig, type BaseOptions, type OptimizerSpec } from './fused.js';
import { numOption } from './options.js';

/** Options of {@link Adagrad}. */
export interface AdagradOptions extends BaseOptions {
  /** Learning-rate decay per step (≥ 0), default 0. */
  lrDecay?: number;
  /** Starting value of the squared-gradient sum (≥ 0), default 0. */
  initialAccumulatorValue?: number;
  /** Added to the denominator (≥ 0), default 1e-10. */
  eps?: number;
}

/** Parsed options of {@link Adagrad}. */
export interface AdagradConfig extends BaseConfig {
  lrDecay: number;
  initialAccumulatorValue: number;
  eps: number;
}

const SPEC: OptimizerSpec<AdagradConfig> = {
  type: 'Adagrad',
  keys: [...BASE_KEYS, 'lrDecay', 'initialAccumulatorValue', 'eps'],
  parse: (fn, o) => ({
    ...parseBase(fn, o, 1e-2),
    lrDecay: numOption(fn, o, 'lrDecay', 0, { min: 0 }),
    initialAccumulatorValue: numOption(fn, o, 'initialAccumulatorValue', 0, { min: 0 }),
    eps: numOption(fn, o, 'eps', 1e-10, { min: 0 }),
  }),
  slotNames: () => ['sum'],
  initSlot(k, _name, s, n, c) {
    if (c.initialAccumulatorValue !== 0) k.fill(s, n, c.initialAccumulatorValue);
  },
  update(k, param, grad, n, bufs, step, c) {
    const lr = c.lr / (1 + (step - 1) * c.lrDecay);
    k.adagradStep({ param, grad, n, lr, weightDecay: c.weightDecay, sum: bufs['sum']!, eps: c.eps });
  },
};

/** Adagrad (see the file comment). */
export class Adagrad extends FusedOptimizer<AdagradConfig> {
  constructor(options?: AdagradOptions);
  constructor(params: readonly Tensor[], options?: AdagradOptions);
  constructor(a?: readonly Tensor[] | AdagradOptions, b?: AdagradOptions) {
    super(SPEC, a, b);
  }
}
