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
import { Sequential } from '../nn/sequential.js';
import { argmax } from '../ops/extrema.js';
import { softmax } from '../ops/softmax.js';
import { OPTIMIZER_NAMES } from '../optim/registry.js';
import { Optimizer } from '../optim/optimizer.js';
import { Tensor, sizeOf, type NestedArray } from '../tensor.js';
import type { Callback } from '../train/callbacks.js';
import type { LossFn } from '../train/compile.js';
import type { History } from '../train/history.js';
import { inputTensor, rows } from './linear-input.js';
import type { ParsedLinearOptions } from './linear-train.js';

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

  private parse(fn: string, o: LinearSVMOptions): ParsedLinearOptions {
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
    const rest: ParsedLinearOptions['rest'] = {};
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
    // The training loop loads on the first fit (it is not part of the core bundle).
    const { trainLinear } = await import('./linear-train.js');
    const r = await trainLinear(fn, x, y, o, (margin) => this.loss(margin));
    this.release();
    this._model = r.model;
    this._ownedOptimizer = r.ownedOptimizer;
    this._numClasses = r.classes;
    this._features = r.features;
    return r.history;
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
      const { hostLabels } = await import('./linear-train.js');
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
