/**
 * Losses (DESIGN §5) as functions on tensors — each returns a differentiable scalar tensor, the
 * mean over the batch — and by name for `compile` via {@link getLoss}.
 */
import { checkName, describeValue, ArgumentError } from '../errors.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { binaryCrossEntropy, binaryCrossEntropyWithLogits } from './binaryCrossEntropy.js';
import { crossEntropy } from './crossEntropy.js';
import { hinge } from './hinge.js';
import { huber } from './huber.js';
import { l1Loss } from './l1.js';
import type { LabelsLike } from './labels.js';
import { mse } from './mse.js';

export { binaryCrossEntropy, binaryCrossEntropyWithLogits } from './binaryCrossEntropy.js';
export { crossEntropy } from './crossEntropy.js';
export { hinge } from './hinge.js';
export { huber } from './huber.js';
export { l1Loss } from './l1.js';
export { mse } from './mse.js';
export type { LabelsLike } from './labels.js';

/** A loss: predictions and targets to a scalar tensor. */
export type LossFunction = (pred: Tensor, target: Tensor) => Tensor;

/** Loss names accepted by {@link getLoss} and `compile({ loss })`. */
export const LOSS_NAMES = ['mse', 'crossEntropy', 'binaryCrossEntropy', 'binaryCrossEntropyWithLogits', 'hinge', 'l1', 'huber'] as const;

/** A name from {@link LOSS_NAMES}. */
export type LossName = (typeof LOSS_NAMES)[number];

const BY_NAME: Record<LossName, LossFunction> = {
  mse: (p, t) => mse(p, t),
  crossEntropy: (p, t) => crossEntropy(p, t as LabelsLike),
  binaryCrossEntropy: (p, t) => binaryCrossEntropy(p, t),
  binaryCrossEntropyWithLogits: (p, t) => binaryCrossEntropyWithLogits(p, t),
  hinge: (p, t) => hinge(p, t as LabelsLike),
  l1: (p, t) => l1Loss(p, t as TensorLike),
  huber: (p, t) => huber(p, t),
};

/**
 * How each named loss reads its targets: 'classification' (class indices `[N]` or one-hot rows
 * `[N, C]`) or 'elementwise' (shaped like the predictions).
 */
export const LOSS_TARGETS: Record<LossName, 'classification' | 'elementwise'> = {
  mse: 'elementwise',
  crossEntropy: 'classification',
  binaryCrossEntropy: 'elementwise',
  binaryCrossEntropyWithLogits: 'elementwise',
  hinge: 'classification',
  l1: 'elementwise',
  huber: 'elementwise',
};

/** Resolves a loss name (listing the valid names on error) or passes a function through. */
export function getLoss(loss: LossName | LossFunction): LossFunction {
  if (typeof loss === 'function') return loss;
  if (typeof loss !== 'string') throw new ArgumentError(`getLoss: expected a loss name (${LOSS_NAMES.join(', ')}) or a function, given ${describeValue(loss)}`);
  return BY_NAME[checkName('getLoss', 'loss', loss, LOSS_NAMES)];
}
