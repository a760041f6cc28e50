/**
 * Linear classifiers from the notes: scores `s = x·W + b` (one Dense layer, W `[features,
 * classes]`), trained by mini-batch gradient descent with any of axon's optimisers through the
 * ordinary `Sequential` + `compile` + `fit` machinery.
 *
 * - {@link SoftmaxRegression}: softmax of the scores, cross-entropy loss (multinomial logistic
 *   regression).
 * - {@link LinearSVM}: the multiclass SVM (Weston–Watkins / cs231n) hinge loss
 *   `Σ_{j≠y} max(0, s_j − s_y + margin)`, mean over the batch.
 *
 * Both add `l2·ΣW²` (weights only, not the bias; cs231n's `reg·Σ W*W`) to the loss when `l2 > 0`.
 * Like scikit-learn, every `fit` trains a fresh model from a seeded initialisation (0.01·N(0, 1)
 * weights, zero bias); everything is checked before the previous model is replaced.
 */
import { AxonError, ArgumentError, ShapeError, checkName, checkOptions, describeValue, fmtShape } from '../errors.js';
import { hinge } from '../losses/hinge.js';
import { Dense } from '../nn/dense.js';
import { l2 as l2Penalty } from '../nn/regularizers.js';
import { Sequential } from '../nn/sequential.js';
import { flattenNested, tensor, toTensor } from '../ops/create.js';
import { argmax } from '../ops/extrema.js';
import { reshapeRaw } from '../ops/shape.js';
import { softmax } from '../ops/softmax.js';
import { OPTIMIZER_NAMES, createOptimizer } from '../optim/registry.js';
import { Optimizer } from '../optim/optimizer.js';
import { Tensor, sizeOf, type NestedArray } from '../tensor.js';
import type { Callback } from '../train/callbacks.js';
import type { LossFn } from '../train/compile.js';
import type { History } from '../train/history.js';

/** Inputs of the linear classifiers: `[N, features]` (or `[N, …]`, flattened) as a tensor or nested arrays. */
export type LinearInput = Tensor | NestedArray[] | Float32Array;

/** Class labels: indices `[N]` (tensor, number array or typed array) or one-hot rows `[N, C]`. */
export type LinearLabels = Tensor | NestedArray[] | ArrayLike<number>;

/** Options of the linear classifiers (constructor defaults; `fit` may override any of them). */
export interface LinearClassifierOptions {
  /** Passes over the training data. Default 100. */
  epochs?: number;
  /** Samples per step. Default 32. */
  batchSize?: number;
  /**
   * An optimiser instance (`new ax.SGD({ lr: 0.1, momentum: 0.9 })`) or a name ('adam', 'sgd',
   * …; created with `lr`). Default 'adam'.
   */
  optimizer?: Optimizer | string;
  /** Learning rate when `optimizer` is a name. Default 0.01. */
  lr?: number;
  /** L2 regularisation strength λ: `λ·ΣW²` is added to the loss (weights only). Default 0. */
  l2?: number;
  /** Seed of the initial weights and of the shuffling (non-negative integer). Default 0. */
  seed?: number;
  /** Number of classes. Default: the one-hot width, or the largest label + 1. */
  numClasses?: number;
  /** Shuffle every epoch. Default true. */
  shuffle?: boolean;
  /** Fraction held out for validation (see `model.fit`). Default 0. */
  validationSplit?: number;
  /** `[x, y]` evaluated after every epoch. */
  validationData?: [LinearInput, LinearLabels];
  /** Callbacks passed to `fit` (`ax.earlyStopping(…)`, …). */
  callbacks?: Callback[];
  /** 1 prints one line per epoch. Default 0. */
  verbose?: 0 | 1 | boolean;
}

/** Options of {@link LinearSVM}: those of every linear classifier plus the hinge margin. */
export interface LinearSVMOptions extends LinearClassifierOptions {
  /** The hinge margin Δ (> 0). Default 1. */
  margin?: number;
}

const BASE_KEYS = ['epochs', 'batchSize', 'optimizer', 'lr', 'l2', 'seed', 'numClasses', 'shuffle', 'validationSplit', 'validationData', 'callbacks', 'verbose'];

function positiveInt(fn: string, key: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw new ArgumentError(`${fn}: option '${key}' expected a positive integer, given ${describeValue(v)}`);
  return v;
}

function nonNegative(fn: string, key: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ArgumentError(`${fn}: option '${key}' expected a finite number ≥ 0, given ${describeValue(v)}`);
  return v;
}

/** Inputs as a tensor on the current backend; `own` when created here. */
function inputTensor(fn: string, arg: string, x: unknown): { t: Tensor; own: boolean } {
  if (x instanceof Tensor) return { t: toTensor(x, fn, arg), own: false };
  if (Array.isArray(x) || x instanceof Float32Array) {
    let t: Tensor;
    try {
      t = tensor(x as NestedArray);
    } catch (e) {
      throw new ArgumentError(`${fn}: argument '${arg}': ${(e as Error).message}`);
    }
    return { t, own: true };
  }
  throw new ArgumentError(`${fn}: argument '${arg}' expected a Tensor or nested arrays of shape [samples, features], given ${describeValue(x)}`);
}

/** `x` as `[N, features]`: itself when rank 2, else a flattened copy (added to `owned`). */
function rows(x: Tensor, owned: Tensor[]): Tensor {
  if (x.rank === 2) return x;
  const r = reshapeRaw(x, [x.shape[0]!, sizeOf(x.shape.slice(1))]);
  owned.push(r);
  return r;
}

/** Labels read to the host: class indices, or one-hot rows turned into indices. */
async function hostLabels(fn: string, arg: string, y: unknown, n: number): Promise<{ indices: Float32Array; width?: number }> {
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

interface ParsedOptions {
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

/**
 * The shared machinery of {@link SoftmaxRegression} and {@link LinearSVM}: option handling,
 * label checks, the one-layer model, predict/score. Not constructed directly.
 */
export abstract class LinearClassifier<O extends LinearClassifierOptions = LinearClassifierOptions> {
  /** The constructor's options (defaults for every `fit`). */
  readonly options: Readonly<O>;
  private _model: Sequential | null = null;
  private _ownedOptimizer: Optimizer | null = null;
  private _numClasses = 0;
  private _features = 0;

  /** The class name used in messages ('SoftmaxRegression', 'LinearSVM'). */
  readonly name: string;

  protected constructor(name: string, options: O, keys: readonly string[]) {
    this.name = name;
    checkOptions(this.name, options, keys);
    this.options = { ...options };
    this.parse(this.name, this.options); // reject bad defaults now, not at the first fit
  }

  /** The training loss for the given margin (ignored by softmax regression). */
  protected abstract loss(margin: number): string | LossFn;

  /** The trained model (`Sequential([Dense(features, classes)])`; inputs flattened to `[N, features]`), or null before `fit`. */
  get model(): Sequential | null {
    return this._model;
  }

  /** The Dense layer holding W `[features, classes]` and b `[classes]`. */
  get dense(): Dense | null {
    return this._model ? (this._model.layers[0] as Dense) : null;
  }

  /** Number of classes (0 before `fit`). */
  get numClasses(): number {
    return this._numClasses;
  }

  /** Features per sample (0 before `fit`). */
  get nFeatures(): number {
    return this._features;
  }

  private parse(fn: string, o: LinearSVMOptions): ParsedOptions {
    const optimizer = o.optimizer ?? 'adam';
    if (!(optimizer instanceof Optimizer) && typeof optimizer !== 'string') {
      throw new ArgumentError(`${fn}: option 'optimizer' expected an optimiser instance (new ax.Adam({ lr })) or a name ('adam', 'sgd', …), given ${describeValue(optimizer)}`);
    }
    if (typeof optimizer === 'string') checkName(fn, "option 'optimizer'", optimizer.toLowerCase(), OPTIMIZER_NAMES);
    if (optimizer instanceof Optimizer && o.lr !== undefined) {
      throw new ArgumentError(`${fn}: option 'lr' applies only when 'optimizer' is a name; set the learning rate on the optimiser instance instead`);
    }
    const lr = o.lr === undefined ? undefined : nonNegative(fn, 'lr', o.lr);
    const seed = o.seed ?? 0;
    if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) throw new ArgumentError(`${fn}: option 'seed' expected a non-negative integer, given ${describeValue(seed)}`);
    const numClasses = o.numClasses === undefined ? undefined : positiveInt(fn, 'numClasses', o.numClasses);
    if (numClasses === 1) throw new ArgumentError(`${fn}: option 'numClasses' expected at least 2, given 1`);
    const margin = o.margin ?? 1;
    if (typeof margin !== 'number' || !Number.isFinite(margin) || margin <= 0) throw new ArgumentError(`${fn}: option 'margin' expected a finite number > 0, given ${describeValue(margin)}`);
    const rest: ParsedOptions['rest'] = {};
    if (o.shuffle !== undefined) rest.shuffle = o.shuffle;
    if (o.validationSplit !== undefined) rest.validationSplit = o.validationSplit;
    if (o.callbacks !== undefined) rest.callbacks = o.callbacks;
    if (o.verbose !== undefined) rest.verbose = o.verbose;
    return {
      epochs: positiveInt(fn, 'epochs', o.epochs ?? 100),
      batchSize: positiveInt(fn, 'batchSize', o.batchSize ?? 32),
      optimizer,
      lr,
      l2: nonNegative(fn, 'l2', o.l2 ?? 0),
      seed,
      numClasses,
      margin,
      rest,
      validationData: o.validationData,
    };
  }

  /**
   * Trains a fresh model on `x` `[N, features]` (or `[N, …]`, flattened) and labels `y`
   * (indices `[N]` or one-hot `[N, C]`); `options` override the constructor's. Resolves to the
   * per-epoch History (`loss`, `accuracy`, `valLoss`, `valAccuracy`, `lr`). On any error the
   * previous model (if any) is kept.
   */
  async fit(x: LinearInput, y: LinearLabels, options: O = {} as O): Promise<History> {
    const fn = `${this.name}.fit`;
    checkOptions(fn, options, this.optionKeys());
    const o = this.parse(fn, { ...this.options, ...options });
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
      model.compile({ optimizer, loss: this.loss(o.margin), metrics: ['accuracy'] });
      const x2 = rows(xt, cleanup);
      const history = await model.fit(x2, yt, {
        epochs: o.epochs,
        batchSize: o.batchSize,
        seed: o.seed,
        ...o.rest,
        ...(validationData ? { validationData } : {}),
      });
      this.release();
      this._model = model;
      this._ownedOptimizer = ownedOpt;
      this._numClasses = classes;
      this._features = features;
      model = null;
      ownedOpt = null;
      return history;
    } finally {
      for (const t of cleanup) t.dispose();
      model?.dispose();
      ownedOpt?.dispose();
    }
  }

  /** The option names `fit` and the constructor accept. */
  protected optionKeys(): readonly string[] {
    return BASE_KEYS;
  }

  private fitted(fn: string): Sequential {
    if (!this._model) throw new AxonError('NOT_COMPILED', `${fn}: the classifier is not trained; call fit(x, y) first`);
    return this._model;
  }

  /** Class scores `s = x·W + b`, `[N, classes]` (a new tensor, no gradient). */
  decisionFunction(x: LinearInput): Tensor {
    const fn = `${this.name}.decisionFunction`;
    const model = this.fitted(fn);
    const { t, own } = inputTensor(fn, 'x', x);
    const tmp: Tensor[] = own ? [t] : [];
    try {
      if (t.rank < 2 || sizeOf(t.shape.slice(1)) !== this._features) {
        throw new ShapeError(`${fn}: argument 'x' expected ${this._features} features per sample (as in fit), given shape ${fmtShape(t.shape)}`);
      }
      return model.predict(rows(t, tmp), { batchSize: 1024 });
    } finally {
      for (const u of tmp) u.dispose();
    }
  }

  /** Predicted class indices `[N]` (float32 values; the argmax of the scores). */
  predict(x: LinearInput): Tensor {
    const s = this.decisionFunction(x);
    try {
      return argmax(s, 1);
    } finally {
      s.dispose();
    }
  }

  /** Mean accuracy in [0, 1] of the predictions against labels (indices `[N]` or one-hot `[N, C]`). */
  async score(x: LinearInput, y: LinearLabels): Promise<number> {
    const fn = `${this.name}.score`;
    this.fitted(fn);
    const p = this.predict(x);
    try {
      const n = p.shape[0]!;
      const { indices } = await hostLabels(fn, 'y', y, n);
      const pred = await p.data();
      let right = 0;
      for (let i = 0; i < n; i++) if (pred[i] === indices[i]) right++;
      return n === 0 ? Number.NaN : right / n;
    } finally {
      p.dispose();
    }
  }

  /** Copies of `[W, b]`: W `[features, classes]`, b `[classes]` (the caller owns them). */
  getWeights(): Tensor[] {
    return this.fitted(`${this.name}.getWeights`).getWeights();
  }

  private release(): void {
    this._model?.dispose();
    this._ownedOptimizer?.dispose();
    this._model = null;
    this._ownedOptimizer = null;
  }

  /** Frees the model's weights and the optimiser state this classifier created. */
  dispose(): void {
    this.release();
    this._numClasses = 0;
    this._features = 0;
  }

  /** e.g. `SoftmaxRegression(4 features → 3 classes)` or `LinearSVM(untrained)`. */
  toString(): string {
    return this._model ? `${this.name}(${this.nFeatures} features → ${this._numClasses} classes)` : `${this.name}(untrained)`;
  }
}

/**
 * Multinomial logistic (softmax) regression: `p = softmax(x·W + b)`, trained on the mean
 * cross-entropy. `new ax.SoftmaxRegression({ epochs, batchSize, optimizer, lr, l2, seed })`,
 * then `await clf.fit(x, y)`, `clf.predict(x)`, `clf.predictProba(x)`, `await clf.score(x, y)`.
 */
export class SoftmaxRegression extends LinearClassifier<LinearClassifierOptions> {
  constructor(options: LinearClassifierOptions = {}) {
    super('SoftmaxRegression', options, BASE_KEYS);
  }

  protected loss(): string {
    return 'crossEntropy';
  }

  /** Class probabilities `softmax(x·W + b)`, `[N, classes]` (rows sum to 1). */
  predictProba(x: LinearInput): Tensor {
    const s = this.decisionFunction(x);
    try {
      return softmax(s, 1);
    } finally {
      s.dispose();
    }
  }
}

/**
 * Multiclass linear SVM (cs231n): scores `x·W + b` trained on the mean hinge loss
 * `Σ_{j≠y} max(0, s_j − s_y + margin)` (+ `l2·ΣW²`). Same API as {@link SoftmaxRegression}
 * plus the `margin` option (default 1); `decisionFunction(x)` gives the scores.
 */
export class LinearSVM extends LinearClassifier<LinearSVMOptions> {
  constructor(options: LinearSVMOptions = {}) {
    super('LinearSVM', options, [...BASE_KEYS, 'margin']);
  }

  protected loss(margin: number): string | LossFn {
    return margin === 1 ? 'hinge' : (s: Tensor, y: Tensor) => hinge(s, y, margin);
  }

  protected override optionKeys(): readonly string[] {
    return [...BASE_KEYS, 'margin'];
  }
}

/** Either linear classifier (for code that accepts both). */
export type LinearModel = SoftmaxRegression | LinearSVM;
