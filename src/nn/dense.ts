/**
 * Dense (fully connected) layer: `y = act(x·W + b)` with W `[in, out]` (Keras layout, batch-
 * first rows) and b `[out]`. The product, bias and activation run as one fused GEMM, recorded
 * as a single autograd node (rule: src/autograd/rules/dense.ts).
 */
import { record, willRecord } from '../autograd/record.js';
import { denseGrad } from '../autograd/rules/dense.js';
import { ArgumentError, ShapeError, checkName, checkOptions, describeValue, fmtShape } from '../errors.js';
import { ACTIVATIONS, type Activation as KernelActivation } from '../kernels/kernels.js';
import { toTensor, variable } from '../ops/create.js';
import { denseRaw } from '../ops/matmul.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { applyActivation, checkActivation, checkAlpha, type ActivationName } from './activations.js';
import { getConstraint, type Constraint, type ConstraintConfig, type ConstraintLike } from './constraints.js';
import { getInitializer, initTensor, type Initializer, type InitializerName } from './init.js';
import { Module, type ModuleConfig } from './module.js';
import { getRegularizer, kernelBiasPenalty, type Regularizer, type RegularizerConfig, type RegularizerLike } from './regularizers.js';
import { checkSeed } from './seed.js';
import { assignWeights, copyWeights } from './weights.js';
import { uninitialized } from '../ops/scratch.js';

/** Options of {@link Dense}. */
export interface DenseOptions {
  /** Activation applied after the bias (default 'linear'); 'softmax' runs as a separate op. */
  activation?: ActivationName;
  /** leakyRelu's slope / elu's alpha. */
  alpha?: number;
  /** Kernel initialiser, a name or a function (default 'glorotUniform', as Keras). */
  init?: InitializerName | Initializer;
  /** Bias initialiser (default 'zeros'). */
  biasInit?: InitializerName | Initializer;
  /** Whether the layer has a bias (default true). */
  bias?: boolean;
  /** Penalty on W added by `regularizationLoss()`. */
  kernelRegularizer?: RegularizerLike | null;
  /** Penalty on b. */
  biasRegularizer?: RegularizerLike | null;
  /** Constraint on W applied by `applyConstraints()` (alias of `kernelConstraint`). */
  constraint?: ConstraintLike | null;
  /** Constraint on W applied by `applyConstraints()`. */
  kernelConstraint?: ConstraintLike | null;
  /** Constraint on b. */
  biasConstraint?: ConstraintLike | null;
  /** Seed of the initialisers (default: the next process-wide default seed). */
  seed?: number;
}

const DENSE_KEYS = ['activation', 'alpha', 'init', 'biasInit', 'bias', 'kernelRegularizer', 'biasRegularizer', 'constraint', 'kernelConstraint', 'biasConstraint', 'seed'];

/**
 * Activations whose derivative kernel gives the same result when handed the output in place
 * of the pre-activation (sign and (−1, 1) membership are preserved), so the fully fused GEMM
 * can be used while training too.
 */
function outputSuffices(act: KernelActivation, alpha: number | undefined): boolean {
  if (act === 'leakyRelu') return (alpha ?? 0.01) >= 0;
  return act === 'linear' || act === 'relu' || act === 'hardTanh' || act === 'step' || act === 'sign';
}

function positiveInt(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ArgumentError(`${fn}: argument '${arg}' expected a positive integer, given ${describeValue(v)}`);
  return v;
}

/**
 * `act(x·w + b)` with autograd, as one fused GEMM and one graph node. x `[batch, in]`,
 * w `[in, out]`, b `[out]` or null.
 */
export function dense(x: TensorLike, w: Tensor, b: Tensor | null = null, activation: KernelActivation = 'linear', alpha?: number): Tensor {
  checkName('dense', 'activation', activation, ACTIVATIONS);
  const tx = toTensor(x, 'dense', 'x');
  w.assertLive('dense', 'w');
  b?.assertLive('dense', 'b');
  const inputs = b ? [tx, w, b] : [tx, w];
  let out: Tensor;
  let pre: Tensor | null = null;
  if (!willRecord(...inputs) || outputSuffices(activation, alpha)) {
    out = denseRaw(tx, w, b, activation, alpha);
  } else {
    // The derivative needs the pre-activation: keep z, apply the activation as a second pass.
    pre = denseRaw(tx, w, b, 'linear');
    out = uninitialized(pre.shape);
    if (out.size > 0) out.backend.activation(activation, pre.storage, out.storage, out.size, alpha);
  }
  const z = pre;
  return record(out, 'dense', inputs, (dy) => denseGrad(dy, tx, w, b, z, out, activation, alpha));
}

/** See the file comment. `parameters()` is `[W, b]`; `getWeights()` returns copies of them. */
export class Dense extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly activation: ActivationName;
  readonly alpha: number | undefined;
  /** Kernel `[in, out]` (a variable). */
  readonly W: Tensor;
  /** Bias `[out]` (a variable), or null with `bias: false`. */
  readonly b: Tensor | null;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  readonly seed: number;
  private readonly initName: string | undefined;
  private readonly biasInitName: string | undefined;

  constructor(inFeatures: number, outFeatures: number, options: DenseOptions = {}) {
    super();
    const fn = 'Dense';
    this.inFeatures = positiveInt(fn, 'inFeatures', inFeatures);
    this.outFeatures = positiveInt(fn, 'outFeatures', outFeatures);
    checkOptions(fn, options, DENSE_KEYS);
    this.activation = checkActivation(fn, options.activation ?? 'linear');
    this.alpha = checkAlpha(fn, options.alpha);
    const hasBias = options.bias ?? true;
    if (typeof hasBias !== 'boolean') throw new ArgumentError(`${fn}: option 'bias' expected a boolean, given ${describeValue(hasBias)}`);
    if (options.constraint != null && options.kernelConstraint != null) {
      throw new ArgumentError(`${fn}: give either option 'constraint' or 'kernelConstraint' (they are the same), not both`);
    }
    const init = getInitializer(options.init ?? 'glorotUniform', fn, 'init');
    const biasInit = getInitializer(options.biasInit ?? 'zeros', fn, 'biasInit');
    this.kernelRegularizer = getRegularizer(options.kernelRegularizer, fn, 'kernelRegularizer');
    this.biasRegularizer = getRegularizer(options.biasRegularizer, fn, 'biasRegularizer');
    this.kernelConstraint = getConstraint(options.kernelConstraint ?? options.constraint, fn, 'kernelConstraint');
    this.biasConstraint = getConstraint(options.biasConstraint, fn, 'biasConstraint');
    if (!hasBias && (this.biasRegularizer || this.biasConstraint)) throw new ArgumentError(`${fn}: bias options given but 'bias' is false`);
    this.seed = checkSeed(fn, options.seed);
    this.initName = typeof options.init === 'string' ? options.init : undefined;
    this.biasInitName = typeof options.biasInit === 'string' ? options.biasInit : undefined;

    const wShape = [this.inFeatures, this.outFeatures];
    const w0 = initTensor(init, wShape, { seed: this.seed, offset: 0 }, fn);
    this.W = this.addParameter(variable(w0), 'W');
    w0.dispose();
    if (hasBias) {
      // Continue the same stream after W's elements, so W and b are independent draws.
      const b0 = initTensor(biasInit, [this.outFeatures], { seed: this.seed, offset: this.inFeatures * this.outFeatures }, fn);
      this.b = this.addParameter(variable(b0), 'b');
      b0.dispose();
    } else this.b = null;
  }

  forward(x: Tensor): Tensor {
    const t = toTensor(x, 'Dense.forward', 'x');
    if (t.rank !== 2 || t.shape[1] !== this.inFeatures) {
      throw new ShapeError(`Dense.forward: input expected shape [batch, ${this.inFeatures}], given ${fmtShape(t.shape)}`);
    }
    const act = this.activation;
    if (act === 'softmax' || act === 'logSoftmax') return applyActivation(dense(t, this.W, this.b, 'linear'), act, this.alpha);
    return dense(t, this.W, this.b, act, this.alpha);
  }

  /** Copies `[W, b]` (or `[W]` without bias). */
  override getWeights(): Tensor[] {
    return copyWeights(this.parameters());
  }

  /** Writes `[W, b]` (W `[in, out]`, b `[out]`); validates all before changing anything. */
  override setWeights(weights: readonly TensorLike[]): void {
    assignWeights('Dense.setWeights', this.parameters(), this.b ? ['W', 'b'] : ['W'], weights);
  }

  override regularizationLoss(): Tensor | null {
    return kernelBiasPenalty(this.kernelRegularizer, this.W, this.biasRegularizer, this.b);
  }

  override applyConstraints(): void {
    this.kernelConstraint?.apply(this.W);
    if (this.b) this.biasConstraint?.apply(this.b);
    super.applyConstraints();
  }

  getConfig(): ModuleConfig {
    const o: Record<string, unknown> = { activation: this.activation, bias: this.b !== null, seed: this.seed };
    if (this.alpha !== undefined) o['alpha'] = this.alpha;
    if (this.initName) o['init'] = this.initName;
    if (this.biasInitName) o['biasInit'] = this.biasInitName;
    if (this.kernelRegularizer) o['kernelRegularizer'] = this.kernelRegularizer.getConfig() satisfies RegularizerConfig;
    if (this.biasRegularizer) o['biasRegularizer'] = this.biasRegularizer.getConfig() satisfies RegularizerConfig;
    if (this.kernelConstraint) o['kernelConstraint'] = this.kernelConstraint.getConfig() satisfies ConstraintConfig;
    if (this.biasConstraint) o['biasConstraint'] = this.biasConstraint.getConfig() satisfies ConstraintConfig;
    return { type: 'Dense', args: [this.inFeatures, this.outFeatures, o] };
  }

  override toString(): string {
    return `Dense(${this.inFeatures} → ${this.outFeatures}${this.activation !== 'linear' ? `, ${this.activation}` : ''}${this.b ? '' : ', no bias'})`;
  }
}
