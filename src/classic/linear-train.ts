/**
 * The linear classifiers' training loop (`fit`) and label reading (`fit`, `score`): both async,
 * so this module is imported on their first call instead of being part of the core bundle.
 */
import { AxonError, ArgumentError, ShapeError, describeValue, fmtShape } from '../errors.js';
import { Dense } from '../nn/dense.js';
import { l2 as l2Penalty } from '../nn/regularizers.js';
import { Sequential } from '../nn/sequential.js';
import { flattenNested, tensor, toTensor } from '../ops/create.js';
import { createOptimizer } from '../optim/registry.js';
import { Optimizer } from '../optim/optimizer.js';
import { Tensor, sizeOf, type NestedArray } from '../tensor.js';
import type { Callback } from '../train/callbacks.js';
import type { LossFn } from '../train/compile.js';
import type { History } from '../train/history.js';
import type { LinearInput, LinearLabels } from './linear.js';
import { inputTensor, rows } from './linear-input.js';

/** Labels read to the host: class indices, or one-hot rows turned into indices. */
export async function hostLabels(fn: string, arg: string, y: unknown, n: number): Promise<{ indices: Float32Array; width?: number }> {
  let values: Float32Array;
  let shape: number[];
  if (y instanceof Tensor) {
    toTensor(y, fn, arg);
    values = await y.data();
    shape = [...y.shape];
  } else if (Array.isArray(y)) {
    // Flattened on the host: no tensor round trip (which would need a synchronous read).
    let h: { data: Float32Array; shape: number[] };
    try {
      h = flattenNested(y as NestedArray);
    } catch (e) {
      throw new ArgumentError(`${fn}: argument '${arg}': ${(e as Error).message}`);
    }
    values = h.data;
    shape = h.shape;
  } else if (ArrayBuffer.isView(y) && !(y instanceof DataView)) {
    values = Float32Array.from(y as unknown as ArrayLike<number>);
    shape = [values.length];
  } else {
    throw new ArgumentError(`${fn}: argument '${arg}' expected class indices [${n}] (tensor, array or typed array) or one-hot rows [${n}, C], given ${describeValue(y)}`);
  }
  if (shape[0] !== n || shape.length > 2 || shape.length === 0) {
    throw new ShapeError(`${fn}: argument '${arg}' expected class indices of shape [${n}] or one-hot rows [${n}, C] (one per sample of x), given ${fmtShape(shape)}`);
  }
  if (shape.length === 1) {
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (!Number.isInteger(v) || v < 0) throw new ArgumentError(`${fn}: ${arg}[${i}] = ${v} is not a class index (an integer ≥ 0)`);
    }
    return { indices: values };
  }
  const c = shape[1]!;
  const indices = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let best = -1;
    for (let j = 0; j < c; j++) {
      const v = values[i * c + j]!;
      if (v !== 0 && v !== 1) throw new ArgumentError(`${fn}: ${arg}[${i}][${j}] = ${v}; one-hot rows hold only 0 and 1`);
      if (v === 1) {
        if (best >= 0) throw new ArgumentError(`${fn}: ${arg}[${i}] has more than one 1; one-hot rows hold exactly one`);
        best = j;
      }
    }
    if (best < 0) throw new ArgumentError(`${fn}: ${arg}[${i}] has no 1; one-hot rows hold exactly one`);
    indices[i] = best;
  }
  return { indices, width: c };
}

/** The classifier's options after checking (defaults filled in). */
export interface ParsedLinearOptions {
  epochs: number;
  batchSize: number;
  optimizer: Optimizer | string;
  lr: number | undefined;
  l2: number;
  seed: number;
  numClasses: number | undefined;
  margin: number;
  rest: { shuffle?: boolean; validationSplit?: number; callbacks?: Callback[]; verbose?: 0 | 1 | boolean };
  validationData: [LinearInput, LinearLabels] | undefined;
}

/** What a successful {@link trainLinear} hands to the classifier (which then owns the model and optimiser). */
export interface TrainedLinear {
  history: History;
  model: Sequential;
  ownedOptimizer: Optimizer | null;
  classes: number;
  features: number;
}

/**
 * Trains a fresh one-layer model on `x` `[N, features]` (or `[N, …]`, flattened) and labels `y`
 * (indices `[N]` or one-hot `[N, C]`) with the checked options `o` and the classifier's loss.
 * On any error everything made here is freed and the error propagates.
 */
export async function trainLinear(fn: string, x: LinearInput, y: LinearLabels, o: ParsedLinearOptions, loss: (margin: number) => string | LossFn): Promise<TrainedLinear> {
  const { t: xt, own: ownX } = inputTensor(fn, 'x', x);
  const cleanup: Tensor[] = ownX ? [xt] : [];
  let model: Sequential | null = null;
  let ownedOpt: Optimizer | null = null;
  try {
    if (xt.rank < 2) throw new ShapeError(`${fn}: argument 'x' expected shape [samples, features], given ${fmtShape(xt.shape)}`);
    const n = xt.shape[0]!;
    if (n === 0) throw new ShapeError(`${fn}: argument 'x' has no samples`);
    const features = sizeOf(xt.shape.slice(1));
    const labels = await hostLabels(fn, 'y', y, n);
    let maxLabel = 0;
    for (const v of labels.indices) maxLabel = Math.max(maxLabel, v);
    const classes = o.numClasses ?? labels.width ?? maxLabel + 1;
    if (labels.width !== undefined && labels.width !== classes) throw new ShapeError(`${fn}: y has one-hot rows of ${labels.width} classes but option 'numClasses' is ${classes}`);
    if (maxLabel >= classes) throw new ArgumentError(`${fn}: label ${maxLabel} is out of range for numClasses ${classes}`);
    if (classes < 2) throw new ArgumentError(`${fn}: every label is 0, so there is only one class; pass more classes in y or set option 'numClasses'`);
    const yt = tensor(labels.indices, [n]);
    cleanup.push(yt);
    let validationData: [Tensor, Tensor] | undefined;
    if (o.validationData !== undefined) {
      const vd = o.validationData;
      if (!Array.isArray(vd) || vd.length !== 2) throw new ArgumentError(`${fn}: option 'validationData' expected [x, y], given ${describeValue(vd)}`);
      const vx = inputTensor(fn, 'validationData[0]', vd[0]);
      if (vx.own) cleanup.push(vx.t);
      if (vx.t.rank < 2 || sizeOf(vx.t.shape.slice(1)) !== features) {
        throw new ShapeError(`${fn}: validationData[0] expected ${features} features per sample (as x), given shape ${fmtShape(vx.t.shape)}`);
      }
      const vn = vx.t.shape[0]!;
      const vl = await hostLabels(fn, 'validationData[1]', vd[1], vn);
      const vy = tensor(vl.indices, [vn]);
      cleanup.push(vy);
      validationData = [rows(vx.t, cleanup), vy];
    }
    let optimizer: Optimizer;
    if (o.optimizer instanceof Optimizer) optimizer = o.optimizer;
    else {
      try {
        optimizer = createOptimizer(o.optimizer, { lr: o.lr ?? 0.01 });
      } catch (e) {
        if (e instanceof AxonError) e.message = `${fn}: option 'optimizer': ${e.message}`;
        throw e;
      }
      ownedOpt = optimizer;
    }
    const dense = new Dense(features, classes, { init: 'small', seed: o.seed, kernelRegularizer: o.l2 > 0 ? l2Penalty(o.l2) : null });
    model = new Sequential([dense]);
    model.compile({ optimizer, loss: loss(o.margin), metrics: ['accuracy'] });
    const x2 = rows(xt, cleanup);
    const history = await model.fit(x2, yt, {
      epochs: o.epochs,
      batchSize: o.batchSize,
      seed: o.seed,
      ...o.rest,
      ...(validationData ? { validationData } : {}),
    });
    const trained = { history, model, ownedOptimizer: ownedOpt, classes, features };
    model = null; // ownership passes to the classifier
    ownedOpt = null;
    return trained;
  } finally {
    for (const t of cleanup) t.dispose();
    model?.dispose();
    ownedOpt?.dispose();
  }
}
