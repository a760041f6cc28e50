/**
 * Conv2d: a 2-D convolution layer over NCHW input (torch.nn.Conv2d's layout and semantics):
 * x `[N, inChannels, H, W]` → `[N, outChannels, outH, outW]`, weight W
 * `[outChannels, inChannels, kH, kW]` and bias b `[outChannels]`. im2col, the GEMM with the bias
 * and activation fused, and the layout copy run as one autograd node (src/ops/conv.ts).
 *
 * Initialisers see the weight in Keras's layout `[kH, kW, inChannels, outChannels]`, so fan-in
 * is `inChannels·kH·kW` and fan-out `outChannels·kH·kW` (torch's fans); the draw is then
 * permuted to torch's layout. The default is glorotUniform, as for Dense.
 */
import { ArgumentError, ShapeError, checkOptions, describeValue, fmtShape } from '../errors.js';
import { conv2d } from '../ops/conv.js';
import { checkPadding, geometry, pair, type Padding2d, type Size2d } from '../ops/conv-geometry.js';
import { toTensor, variable } from '../ops/create.js';
import { permuteRaw } from '../ops/strided.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { applyActivation, checkActivation, checkAlpha, type ActivationName } from './activations.js';
import { getInitializer, initTensor, type Initializer, type InitializerName } from './init.js';
import { Module, type ModuleConfig } from './module.js';
import { getRegularizer, kernelBiasPenalty, type Regularizer, type RegularizerConfig, type RegularizerLike } from './regularizers.js';
import { checkSeed } from './seed.js';
import { assignWeights, copyWeights } from './weights.js';

/** Options of {@link Conv2d}. */
export interface Conv2dLayerOptions {
  /** Step between windows (default 1). */
  stride?: Size2d;
  /** 'valid' (default), 'same', a number, [padH, padW] or [top, bottom, left, right]. */
  padding?: Padding2d;
  /** Spacing between kernel taps (default 1). */
  dilation?: Size2d;
  /** Whether the layer has a bias (default true). */
  bias?: boolean;
  /** Activation fused after the bias (default 'linear'); 'softmax' runs over the channel axis as a separate op. */
  activation?: ActivationName;
  /** leakyRelu's slope / elu's alpha. */
  alpha?: number;
  /** Kernel initialiser (default 'glorotUniform'); see the file comment for its fans. */
  init?: InitializerName | Initializer;
  /** Bias initialiser (default 'zeros'). */
  biasInit?: InitializerName | Initializer;
  /** Penalty on W added by `regularizationLoss()`. */
  kernelRegularizer?: RegularizerLike | null;
  /** Penalty on b. */
  biasRegularizer?: RegularizerLike | null;
  /** Seed of the initialisers (default: the next process-wide default seed). */
  seed?: number;
}

const CONV_KEYS = ['stride', 'padding', 'dilation', 'bias', 'activation', 'alpha', 'init', 'biasInit', 'kernelRegularizer', 'biasRegularizer', 'seed'];

function positiveInt(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ArgumentError(`${fn}: argument '${arg}' expected a positive integer, given ${describeValue(v)}`);
  return v;
}

/** See the file comment. `parameters()` is `[W, b]`; `getWeights()` returns copies of them. */
export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: Padding2d;
  readonly dilation: [number, number];
  readonly activation: ActivationName;
  readonly alpha: number | undefined;
  /** Kernel `[outChannels, inChannels, kH, kW]` (a variable). */
  readonly W: Tensor;
  /** Bias `[outChannels]` (a variable), or null with `bias: false`. */
  readonly b: Tensor | null;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly seed: number;
  private readonly initName: string | undefined;
  private readonly biasInitName: string | undefined;

  constructor(inChannels: number, outChannels: number, kernelSize: Size2d, options: Conv2dLayerOptions = {}) {
    super();
    const fn = 'Conv2d';
    this.inChannels = positiveInt(fn, 'inChannels', inChannels);
    this.outChannels = positiveInt(fn, 'outChannels', outChannels);
    this.kernelSize = pair(fn, 'kernelSize', kernelSize);
    checkOptions(fn, options, CONV_KEYS);
    this.stride = pair(fn, 'stride', options.stride ?? 1);
    this.dilation = pair(fn, 'dilation', options.dilation ?? 1);
    this.padding = checkPadding(fn, options.padding ?? 'valid');
    this.activation = checkActivation(fn, options.activation ?? 'linear');
    this.alpha = checkAlpha(fn, options.alpha);
    const hasBias = options.bias ?? true;
    if (typeof hasBias !== 'boolean') throw new ArgumentError(`${fn}: option 'bias' expected a boolean, given ${describeValue(hasBias)}`);
    const init = getInitializer(options.init ?? 'glorotUniform', fn, 'init');
    const biasInit = getInitializer(options.biasInit ?? 'zeros', fn, 'biasInit');
    this.kernelRegularizer = getRegularizer(options.kernelRegularizer, fn, 'kernelRegularizer');
    this.biasRegularizer = getRegularizer(options.biasRegularizer, fn, 'biasRegularizer');
    if (!hasBias && this.biasRegularizer) throw new ArgumentError(`${fn}: option 'biasRegularizer' given but 'bias' is false`);
    this.seed = checkSeed(fn, options.seed);
    this.initName = typeof options.init === 'string' ? options.init : undefined;
    this.biasInitName = typeof options.biasInit === 'string' ? options.biasInit : undefined;

    const [kH, kW] = this.kernelSize;
    const keras = [kH, kW, this.inChannels, this.outChannels];
    const w0 = initTensor(init, keras, { seed: this.seed, offset: 0 }, fn);
    const w1 = permuteRaw(w0, [3, 2, 0, 1], fn); // → [outC, inC, kH, kW]
    this.W = this.addParameter(variable(w1), 'W');
    w0.dispose();
    w1.dispose();
    if (hasBias) {
      // Continue the same stream after W's elements, so W and b are independent draws.
      const b0 = initTensor(biasInit, [this.outChannels], { seed: this.seed, offset: this.W.size }, fn);
      this.b = this.addParameter(variable(b0), 'b');
      b0.dispose();
    } else this.b = null;
  }

  forward(x: Tensor): Tensor {
    const fn = 'Conv2d.forward';
    const t = toTensor(x, fn, 'x');
    if (t.rank !== 4 || t.shape[1] !== this.inChannels) {
      throw new ShapeError(`${fn}: input expected shape [batch, ${this.inChannels}, height, width] (NCHW), given ${fmtShape(t.shape)}`);
    }
    const opts = { stride: this.stride, padding: this.padding, dilation: this.dilation };
    const act = this.activation;
    if (act === 'softmax' || act === 'logSoftmax') return applyActivation(conv2d(t, this.W, this.b, opts), act, this.alpha, 1);
    return conv2d(t, this.W, this.b, { ...opts, activation: act, ...(this.alpha !== undefined ? { alpha: this.alpha } : {}) });
  }

  /** Output shape for an input of `[N, inChannels, H, W]` (throws like `forward` would). */
  outputShape(inputShape: readonly number[]): number[] {
    const fn = 'Conv2d.outputShape';
    if (inputShape.length !== 4 || inputShape[1] !== this.inChannels) {
      throw new ShapeError(`${fn}: input expected shape [batch, ${this.inChannels}, height, width] (NCHW), given ${fmtShape(inputShape)}`);
    }
    return convOutputShape(fn, inputShape, this.outChannels, this.kernelSize, this.stride, this.dilation, this.padding);
  }

  /** Copies `[W, b]` (or `[W]` without bias); W is `[outChannels, inChannels, kH, kW]`. */
  override getWeights(): Tensor[] {
    return copyWeights(this.parameters());
  }

  /** Writes `[W, b]` (W `[outChannels, inChannels, kH, kW]`, b `[outChannels]`); validates all before changing anything. */
  override setWeights(weights: readonly TensorLike[]): void {
    assignWeights('Conv2d.setWeights', this.parameters(), this.b ? ['W', 'b'] : ['W'], weights);
  }

  override regularizationLoss(): Tensor | null {
    return kernelBiasPenalty(this.kernelRegularizer, this.W, this.biasRegularizer, this.b);
  }

  getConfig(): ModuleConfig {
    const o: Record<string, unknown> = {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      activation: this.activation,
      bias: this.b !== null,
      seed: this.seed,
    };
    if (this.alpha !== undefined) o['alpha'] = this.alpha;
    if (this.initName) o['init'] = this.initName;
    if (this.biasInitName) o['biasInit'] = this.biasInitName;
    if (this.kernelRegularizer) o['kernelRegularizer'] = this.kernelRegularizer.getConfig() satisfies RegularizerConfig;
    if (this.biasRegularizer) o['biasRegularizer'] = this.biasRegularizer.getConfig() satisfies RegularizerConfig;
    return { type: 'Conv2d', args: [this.inChannels, this.outChannels, this.kernelSize, o] };
  }

  override toString(): string {
    const [kH, kW] = this.kernelSize;
    const parts = [`${this.inChannels} → ${this.outChannels}`, `${kH}×${kW}`];
    if (this.stride[0] !== 1 || this.stride[1] !== 1) parts.push(`stride ${this.stride.join('×')}`);
    if (this.padding !== 'valid' && this.padding !== 0) parts.push(`padding ${JSON.stringify(this.padding)}`);
    if (this.dilation[0] !== 1 || this.dilation[1] !== 1) parts.push(`dilation ${this.dilation.join('×')}`);
    if (this.activation !== 'linear') parts.push(this.activation);
    if (!this.b) parts.push('no bias');
    return `Conv2d(${parts.join(', ')})`;
  }
}

/** `[N, outChannels, outH, outW]` of a convolution window over `inputShape` (NCHW). */
export function convOutputShape(fn: string, inputShape: readonly number[], outChannels: number, kernel: [number, number], stride: [number, number], dilation: [number, number], padding: Padding2d): number[] {
  const g = geometry(fn, inputShape, { kernel, stride, dilation, padding });
  return [g.batch, outChannels, g.outH, g.outW];
}
