/**
 * BatchNorm1d and BatchNorm2d with torch's semantics (DESIGN §5). BatchNorm1d takes `[N, C]` or
 * `[N, C, L]`, BatchNorm2d takes NCHW `[N, C, H, W]`; statistics per channel C over N (and L,
 * or H·W) — the same kernels with `inner` = L or H·W. Training: normalise with the batch mean and biased variance, then
 * update the running statistics (`rm ← (1−m)·rm + m·mean`, `rv ← (1−m)·rv + m·unbiased var`).
 * Evaluation: normalise with the running statistics. `eps = 1e-5`, `momentum = 0.1`, affine γ
 * (ones) and β (zeros) by default.
 */
import { record } from '../autograd/record.js';
import { batchNormEvalGrad, batchNormTrainGrad, type BnDims } from '../autograd/rules/batchnorm.js';
import { keepAlive } from '../engine.js';
import { ArgumentError, ShapeError, checkOptions, describeValue, fmtShape } from '../errors.js';
import { copyTensor, full, ones, toTensor, variable, zeros } from '../ops/create.js';
import { sizeOf, type Tensor, type TensorLike } from '../tensor.js';
import { Module, type ModuleConfig } from './module.js';
import { assignWeights, copyWeights } from './weights.js';
import { uninitialized } from '../ops/scratch.js';

/** Options of {@link BatchNorm1d}. */
export interface BatchNormOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Weight of the new batch in the running statistics (default 0.1). */
  momentum?: number;
  /** Learnable per-channel scale γ and shift β (default true). */
  affine?: boolean;
}

/** The shared implementation; see the file comment. */
abstract class BatchNormNd extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number;
  readonly affine: boolean;
  /** Scale γ `[C]` (a variable), or null when not affine. */
  readonly gamma: Tensor | null;
  /** Shift β `[C]` (a variable), or null when not affine. */
  readonly beta: Tensor | null;
  /** Running mean `[C]` (a buffer, not trained by gradients). */
  readonly runningMean: Tensor;
  /** Running unbiased variance `[C]`. */
  readonly runningVar: Tensor;

  /** The class name used in messages and configs ('BatchNorm1d', 'BatchNorm2d'). */
  protected abstract readonly kind: string;

  constructor(fn: string, numFeatures: number, options: BatchNormOptions = {}) {
    super();
    if (typeof numFeatures !== 'number' || !Number.isInteger(numFeatures) || numFeatures < 1) {
      throw new ArgumentError(`${fn}: argument 'numFeatures' expected a positive integer, given ${describeValue(numFeatures)}`);
    }
    checkOptions(fn, options, ['eps', 'momentum', 'affine']);
    const eps = options.eps ?? 1e-5;
    const momentum = options.momentum ?? 0.1;
    const affine = options.affine ?? true;
    if (typeof eps !== 'number' || !Number.isFinite(eps) || eps < 0) throw new ArgumentError(`${fn}: option 'eps' expected a finite number ≥ 0, given ${describeValue(eps)}`);
    if (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1)) throw new ArgumentError(`${fn}: option 'momentum' expected a number in [0, 1], given ${describeValue(momentum)}`);
    if (typeof affine !== 'boolean') throw new ArgumentError(`${fn}: option 'affine' expected a boolean, given ${describeValue(affine)}`);
    this.numFeatures = numFeatures;
    this.eps = eps;
    this.momentum = momentum;
    this.affine = affine;
    if (affine) {
      const g = ones([numFeatures]);
      const b = zeros([numFeatures]);
      this.gamma = this.addParameter(variable(g), 'gamma');
      this.beta = this.addParameter(variable(b), 'beta');
      g.dispose();
      b.dispose();
    } else {
      this.gamma = null;
      this.beta = null;
    }
    this.runningMean = zeros([numFeatures]);
    this.runningVar = full([numFeatures], 1);
    keepAlive(this.runningMean);
    keepAlive(this.runningVar);
    this.runningMean.name = `${fn}.runningMean`;
    this.runningVar.name = `${fn}.runningVar`;
  }

  /** Checks the input's shape (throwing a ShapeError naming `kind.forward`). */
  protected abstract checkInput(x: Tensor): void;

  private dims(x: Tensor): BnDims {
    this.checkInput(x);
    return { outer: x.shape[0]!, channels: this.numFeatures, inner: sizeOf(x.shape.slice(2)), eps: this.eps };
  }

  forward(x: Tensor): Tensor {
    const t = toTensor(x, `${this.kind}.forward`, 'x');
    const d = this.dims(t);
    const k = t.backend;
    const { gamma, beta } = this;
    const params = [gamma, beta].filter((p): p is Tensor => p !== null);
    if (this.training && d.outer * d.inner < 2) {
      throw new ShapeError(`${this.kind}.forward: expected more than 1 value per channel when training, given input shape ${fmtShape(t.shape)} (use eval() for single samples)`);
    }
    // batchNormForward writes every output, batchNormStats every channel's mean and variance
    const out = uninitialized(t.shape);
    if (this.training) {
      const count = d.outer * d.inner;
      const mean = uninitialized([d.channels]);
      const variance = uninitialized([d.channels]);
      k.batchNormStats(t.storage, mean.storage, variance.storage, d.outer, d.channels, d.inner);
      k.batchNormForward({ x: t.storage, mean: mean.storage, variance: variance.storage, gamma: gamma?.storage, beta: beta?.storage, out: out.storage, ...d });
      k.batchNormRunningUpdate(this.runningMean.storage, this.runningVar.storage, mean.storage, variance.storage, d.channels, this.momentum, count);
      record(out, this.opName(), [t, ...params], (dy) => batchNormTrainGrad(dy, t, mean, variance, gamma, beta, d));
      if (out.node === null) {
        mean.dispose();
        variance.dispose();
      }
      return out;
    }
    k.batchNormForward({ x: t.storage, mean: this.runningMean.storage, variance: this.runningVar.storage, gamma: gamma?.storage, beta: beta?.storage, out: out.storage, ...d });
    if (!t.requiresGrad && !params.some((p) => p.requiresGrad)) return out;
    // Snapshot the running statistics: a later training step must not change this gradient.
    const rm = copyTensor(this.runningMean);
    const rv = copyTensor(this.runningVar);
    record(out, this.opName(), [t, ...params], (dy) => batchNormEvalGrad(dy, t, rm, rv, gamma, beta, d));
    if (out.node === null) {
      rm.dispose();
      rv.dispose();
    }
    return out;
  }

  /** Copies of `[gamma, beta, runningMean, runningVar]` (`[runningMean, runningVar]` when not affine). */
  override getWeights(): Tensor[] {
    return copyWeights(this.stateTensors());
  }

  /** Writes the list {@link getWeights} returns; validates all before changing anything. */
  override setWeights(weights: readonly TensorLike[]): void {
    const names = this.affine ? ['gamma', 'beta', 'runningMean', 'runningVar'] : ['runningMean', 'runningVar'];
    assignWeights(`${this.kind}.setWeights`, this.stateTensors(), names, weights);
  }

  private opName(): string {
    return `batchNorm${this.kind.slice('BatchNorm'.length)}`;
  }

  private stateTensors(): Tensor[] {
    return [...this.parameters(), this.runningMean, this.runningVar];
  }

  getConfig(): ModuleConfig {
    return { type: this.kind, args: [this.numFeatures, { eps: this.eps, momentum: this.momentum, affine: this.affine }] };
  }

  override dispose(): void {
    super.dispose();
    this.runningMean.dispose();
    this.runningVar.dispose();
  }

  override toString(): string {
    return `${this.kind}(${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}${this.affine ? '' : ', affine=false'})`;
  }
}

/**
 * torch.nn.BatchNorm1d: input `[N, C]` or `[N, C, L]`. `parameters()` is `[gamma, beta]`;
 * `getWeights()` is `[gamma, beta, runningMean, runningVar]`.
 */
export class BatchNorm1d extends BatchNormNd {
  protected readonly kind = 'BatchNorm1d';

  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super('BatchNorm1d', numFeatures, options);
  }

  protected checkInput(x: Tensor): void {
    if ((x.rank !== 2 && x.rank !== 3) || x.shape[1] !== this.numFeatures) {
      throw new ShapeError(`BatchNorm1d.forward: input expected shape [batch, ${this.numFeatures}] or [batch, ${this.numFeatures}, length], given ${fmtShape(x.shape)}`);
    }
  }
}

/**
 * torch.nn.BatchNorm2d: NCHW input `[N, C, H, W]`, statistics per channel over N·H·W.
 * `parameters()` is `[gamma, beta]`; `getWeights()` is `[gamma, beta, runningMean, runningVar]`.
 */
export class BatchNorm2d extends BatchNormNd {
  protected readonly kind = 'BatchNorm2d';

  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super('BatchNorm2d', numFeatures, options);
  }

  protected checkInput(x: Tensor): void {
    if (x.rank !== 4 || x.shape[1] !== this.numFeatures) {
      throw new ShapeError(`BatchNorm2d.forward: input expected shape [batch, ${this.numFeatures}, height, width] (NCHW), given ${fmtShape(x.shape)}`);
    }
  }
}
