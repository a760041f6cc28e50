/**
 * `compile`: binds an optimiser, a loss and metrics to a model. The state lives on the model in
 * one field, `_training`, which `fit`/`evaluate`/`save` read; using a model before `compile`
 * is an `AxonError('NOT_COMPILED')`.
 */
import { AxonError, ArgumentError, checkOptions, describeValue } from '../errors.js';
import type { Module } from '../nn/module.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { Tensor } from '../tensor.js';
import { resolveMetric, type Metric, type MetricSpec } from './metrics.js';
import { resolveLoss, resolveOptimizer, type LossKind } from './resolve.js';
import { checkModule } from '../nn/module.js';

/** A loss function: predictions and targets to a scalar tensor (with autograd). */
export type LossFn = (pred: Tensor, target: Tensor) => Tensor;

/** Options of `model.compile`. */
export interface CompileOptions {
  /** An optimiser instance (`new ax.Adam({ lr: 1e-3 })`) or a name with default options ('adam', 'sgd', …). */
  optimizer: Optimizer | string;
  /** A loss name ('crossEntropy', 'mse', …) or a function `(pred, target) => scalar tensor`. */
  loss: string | LossFn;
  /** Metrics to log: 'accuracy', 'topKAccuracy' (k = 5), { name: 'topKAccuracy', k }, 'mse', 'mae', or custom {@link Metric}s. */
  metrics?: MetricSpec[];
}

/** JSON form of the compile options, stored by `save` (a loss function is stored as null). */
export interface CompileConfig {
  /** The optimiser's `getConfig()` (`{ type: 'Adam', lr, … }`). */
  optimizer: Record<string, unknown>;
  loss: string | null;
  metrics: Array<string | { name: string; k?: number }>;
}

/** What `compile` attaches to the model. */
export interface TrainingState {
  optimizer: Optimizer;
  loss: LossFn;
  /** The loss's name, or null for a function. */
  lossName: string | null;
  /** How targets are checked and shaped (see resolve.ts). */
  lossKind: LossKind;
  metrics: Metric[];
  config: CompileConfig;
}

/** A model that may carry compile state. */
export type TrainableModel = Module & { _training?: TrainingState };

/** The model's compile state; throws `NOT_COMPILED` naming `fn` when there is none. */
export function trainingState(model: Module, fn: string): TrainingState {
  const st = (model as TrainableModel)._training;
  if (!st) throw new AxonError('NOT_COMPILED', `${fn}: the model is not compiled; call model.compile({ optimizer, loss, metrics }) first`);
  return st;
}

/**
 * Validates the options (unknown names list the valid ones), binds the optimiser to the
 * model's parameters and stores the state on the model. Nothing changes if any check fails.
 * Re-compiling replaces the previous state (the old optimiser's buffers are freed unless it is
 * the same instance).
 */
export function compileModel(model: Module, options: CompileOptions): void {
  const fn = 'compile';
  checkModule(fn, model);
  if (options === null || typeof options !== 'object') throw new ArgumentError(`${fn}: options expected { optimizer, loss, metrics }, given ${describeValue(options)}`);
  checkOptions(fn, options, ['optimizer', 'loss', 'metrics']);
  if (options.optimizer === undefined) throw new ArgumentError(`${fn}: option 'optimizer' is required (an optimiser instance such as new ax.Adam({ lr: 1e-3 }), or a name such as 'adam')`);
  if (options.loss === undefined) throw new ArgumentError(`${fn}: option 'loss' is required (a name such as 'crossEntropy' or 'mse', or a function)`);
  const loss = resolveLoss(fn, options.loss);
  const metricsIn = options.metrics ?? [];
  if (!Array.isArray(metricsIn)) throw new ArgumentError(`${fn}: option 'metrics' expected an array such as ['accuracy'], given ${describeValue(metricsIn)}`);
  const threshold = loss.name === 'binaryCrossEntropyWithLogits' ? 0 : 0.5;
  const metrics = metricsIn.map((m) => resolveMetric(m, threshold));
  const names = new Set<string>();
  for (const m of metrics) {
    if (names.has(m.name) || m.name === 'loss' || m.name === 'lr' || m.name.startsWith('val')) throw new ArgumentError(`${fn}: metric name '${m.name}' is used twice or reserved (loss, lr, val…)`);
    names.add(m.name);
  }
  const optimizer = resolveOptimizer(fn, options.optimizer);
  const prev = (model as TrainableModel)._training;
  optimizer.setParameters(model.parameters());
  if (prev && prev.optimizer !== optimizer) prev.optimizer.dispose();
  (model as TrainableModel)._training = {
    optimizer,
    loss: loss.fn,
    lossName: loss.name,
    lossKind: loss.kind,
    metrics,
    config: {
      optimizer: optimizer.getConfig(),
      loss: loss.name,
      metrics: metricsIn.map((m) => (typeof m === 'string' ? m : typeof (m as Metric).compute === 'function' ? (m as Metric).name : { name: 'topKAccuracy', k: (m as { k?: number }).k ?? 5 })),
    },
  };
}
