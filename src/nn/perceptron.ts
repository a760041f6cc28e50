/**
 * Rosenblatt's perceptron: one unit with a step output, `ŷ = step(x·w + b)` (1 when
 * x·w + b > 0, else 0), trained online with the perceptron rule `w ← w + lr·(t − ŷ)·x`,
 * `b ← b + lr·(t − ŷ)` — no gradients. It converges on linearly separable data (OR, AND) and
 * never on XOR.
 */
import { noGrad } from '../engine.js';
import { ArgumentError, ShapeError, checkOptions, describeValue, fmtShape } from '../errors.js';
import { toTensor, variable } from '../ops/create.js';
import { readAsync, readSync, requireSyncReads, type Reads } from '../readback.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { dense } from './dense.js';
import { getInitializer, initTensor, type Initializer, type InitializerName } from './init.js';
import { Module, type ModuleConfig } from './module.js';
import { checkSeed } from './seed.js';
import { assignWeights, copyWeights } from './weights.js';

/** Options of {@link Perceptron}. */
export interface PerceptronOptions {
  /** Learning rate (default 1). */
  lr?: number;
  /** Seed of the initial weights. */
  seed?: number;
  /** Initial weights (default 'small' = 0.01·N(0, 1); 'zeros' is Rosenblatt's classic start). */
  init?: InitializerName | Initializer;
}

/** What {@link Perceptron.fit} reports. */
export interface PerceptronHistory {
  /** Misclassified samples in each epoch (before that epoch's updates took effect on later samples). */
  errors: number[];
  /** True when an epoch ended with no mistake (training stops there). */
  converged: boolean;
  /** Epochs run. */
  epochs: number;
}

/** See the file comment. W is `[inputs, 1]`, b `[1]`. */
export class Perceptron extends Module {
  readonly inputs: number;
  lr: number;
  readonly seed: number;
  readonly W: Tensor;
  readonly b: Tensor;

  constructor(inputs: number, options: PerceptronOptions = {}) {
    super();
    if (typeof inputs !== 'number' || !Number.isInteger(inputs) || inputs < 1) throw new ArgumentError(`Perceptron: argument 'inputs' expected a positive integer, given ${describeValue(inputs)}`);
    checkOptions('Perceptron', options, ['lr', 'seed', 'init']);
    const lr = options.lr ?? 1;
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr <= 0) throw new ArgumentError(`Perceptron: option 'lr' expected a finite number > 0, given ${describeValue(lr)}`);
    this.inputs = inputs;
    this.lr = lr;
    this.seed = checkSeed('Perceptron', options.seed);
    const init = getInitializer(options.init ?? 'small', 'Perceptron', 'init');
    const w0 = initTensor(init, [inputs, 1], { seed: this.seed }, 'Perceptron');
    const b0 = initTensor(init, [1], { seed: this.seed, offset: inputs }, 'Perceptron');
    this.W = this.addParameter(variable(w0), 'W');
    this.b = this.addParameter(variable(b0), 'b');
    w0.dispose();
    b0.dispose();
  }

  private checkX(fn: string, x: Tensor): number {
    if (x.rank !== 2 || x.shape[1] !== this.inputs) throw new ShapeError(`${fn}: x expected shape [samples, ${this.inputs}], given ${fmtShape(x.shape)}`);
    return x.shape[0]!;
  }

  /** `step(x·W + b)`: `[N, 1]` of 0/1. */
  forward(x: Tensor): Tensor {
    const t = toTensor(x, 'Perceptron.forward', 'x');
    this.checkX('Perceptron.forward', t);
    return dense(t, this.W, this.b, 'step');
  }

  /** Predicted classes (0/1) `[N, 1]`, without autograd. */
  predict(x: TensorLike): Tensor {
    const t = toTensor(x, 'Perceptron.predict', 'x');
    const out = noGrad(() => this.forward(t));
    if (t !== x) t.dispose();
    return out;
  }

  /**
   * Online training for up to `epochs` passes over the samples in order, stopping after the
   * first epoch without a mistake. Targets are 0/1, shape `[N]` or `[N, 1]`. The rule runs on the
   * host, so the data and weights are read back synchronously: on webgpu this throws an
   * 'UNSUPPORTED' error; use {@link Perceptron.fitAsync} there.
   */
  fit(x: TensorLike, y: TensorLike, epochs = 100): PerceptronHistory {
    const body = this.fitReads('Perceptron.fit', x, y, epochs);
    requireSyncReads('Perceptron.fit', 'await perceptron.fitAsync(x, y, epochs)', this.W.backend);
    return readSync(body);
  }

  /** {@link Perceptron.fit} on every backend (webgpu included), reading the data and weights with `await`. */
  fitAsync(x: TensorLike, y: TensorLike, epochs = 100): Promise<PerceptronHistory> {
    return readAsync(this.fitReads('Perceptron.fitAsync', x, y, epochs));
  }

  private *fitReads(fn: string, x: TensorLike, y: TensorLike, epochs: number): Reads<PerceptronHistory> {
    if (typeof epochs !== 'number' || !Number.isInteger(epochs) || epochs < 0) throw new ArgumentError(`${fn}: argument 'epochs' expected a non-negative integer, given ${describeValue(epochs)}`);
    const tx = toTensor(x, fn, 'x');
    const ty = toTensor(y, fn, 'y');
    try {
      const n = this.checkX(fn, tx);
      if (ty.size !== n || !(ty.rank === 1 || (ty.rank === 2 && ty.shape[1] === 1))) {
        throw new ShapeError(`${fn}: y expected shape [${n}] or [${n}, 1], given ${fmtShape(ty.shape)}`);
      }
      const xs: Float32Array = yield tx;
      const ys: Float32Array = yield ty;
      ys.forEach((v, i) => {
        if (v !== 0 && v !== 1) throw new ArgumentError(`${fn}: y[${i}] = ${v}; targets must be 0 or 1`);
      });
      const d = this.inputs;
      // Float32 weights, as stored, so fit and predict agree on every decision.
      const w: Float32Array = yield this.W;
      const bb: Float32Array = yield this.b;
      let b = bb[0]!;
      const errors: number[] = [];
      let converged = false;
      for (let e = 0; e < epochs && !converged; e++) {
        let wrong = 0;
        for (let i = 0; i < n; i++) {
          let s = b;
          for (let j = 0; j < d; j++) s += w[j]! * xs[i * d + j]!;
          const err = ys[i]! - (s > 0 ? 1 : 0);
          if (err === 0) continue;
          wrong++;
          const step = this.lr * err;
          for (let j = 0; j < d; j++) w[j] = w[j]! + step * xs[i * d + j]!;
          b = Math.fround(b + step);
        }
        errors.push(wrong);
        converged = wrong === 0;
      }
      bb[0] = b;
      assignWeights(fn, [this.W, this.b], ['W', 'b'], [w, bb]);
      return { errors, converged, epochs: errors.length };
    } finally {
      if (tx !== x) tx.dispose();
      if (ty !== y) ty.dispose();
    }
  }

  /** Copies of `[W, b]`. */
  override getWeights(): Tensor[] {
    return copyWeights(this.parameters());
  }

  /** Writes `[W, b]` (W `[inputs, 1]`, b `[1]`). */
  override setWeights(weights: readonly TensorLike[]): void {
    assignWeights('Perceptron.setWeights', this.parameters(), ['W', 'b'], weights);
  }

  getConfig(): ModuleConfig {
    return { type: 'Perceptron', args: [this.inputs, { lr: this.lr, seed: this.seed }] };
  }

  override toString(): string {
    return `Perceptron(${this.inputs} inputs, lr=${this.lr})`;
  }
}
