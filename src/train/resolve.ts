/**
 * Name resolution for `compile`: loss names to loss functions (from src/nn) and optimiser
 * names to optimiser classes (from src/optim), with errors that list the valid names.
 */
import { AxonError, ArgumentError, checkName, describeValue } from '../errors.js';
import { getLoss, LOSS_NAMES, LOSS_TARGETS } from '../losses/index.js';
import { createOptimizer, OPTIMIZER_NAMES } from '../optim/registry.js';
import { Optimizer } from '../optim/optimizer.js';
import type { LossFn } from './compile.js';

/**
 * How a loss reads its targets: 'classification' (class indices [n] or one-hot rows),
 * 'binary' (values in [0, 1] shaped like the predictions), 'elementwise' (shaped like the
 * predictions), or 'custom' (a user function: targets passed as given).
 */
export type LossKind = 'classification' | 'binary' | 'elementwise' | 'custom';

/** A resolved loss. */
export interface ResolvedLoss {
  fn: LossFn;
  name: string | null;
  kind: LossKind;
}

/** Resolves `compile`'s `loss` option. */
export function resolveLoss(fn: string, loss: unknown): ResolvedLoss {
  if (typeof loss === 'function') return { fn: loss as LossFn, name: null, kind: 'custom' };
  if (typeof loss !== 'string') throw new ArgumentError(`${fn}: option 'loss' expected a loss name (${LOSS_NAMES.join(', ')}) or a function (pred, target) => scalar tensor, given ${describeValue(loss)}`);
  const name = checkName(fn, 'loss', loss, LOSS_NAMES);
  const kind: LossKind = name === 'binaryCrossEntropy' || name === 'binaryCrossEntropyWithLogits' ? 'binary' : LOSS_TARGETS[name];
  return { fn: getLoss(name), name, kind };
}

/** Resolves `compile`'s `optimizer` option: an instance, or a name with default options ('sgd': lr 0.01). */
export function resolveOptimizer(fn: string, opt: unknown): Optimizer {
  if (opt instanceof Optimizer) return opt;
  if (typeof opt !== 'string') throw new ArgumentError(`${fn}: option 'optimizer' expected an optimiser instance (new ax.Adam({ lr })) or a name (${OPTIMIZER_NAMES.join(', ')}), given ${describeValue(opt)}`);
  try {
    // torch's SGD has no default lr; by name it gets Keras' 0.01 so every name works bare.
    return createOptimizer(opt, opt.toLowerCase() === 'sgd' ? { lr: 0.01 } : undefined);
  } catch (e) {
    if (e instanceof AxonError) e.message = `${fn}: option 'optimizer': ${e.message}`;
    throw e;
  }
}
