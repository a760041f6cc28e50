/**
 * The JS reference backend (DESIGN §1): scalar, obvious loops over `Float32Array`s, math in
 * float64. It is the oracle other backends are tested against and the "plain JS loops"
 * baseline of the benchmarks. Every method validates its arguments with the shared
 * {@link Validator} first, then delegates to one file per kernel family.
 */
import {
  KernelError,
  type Activation,
  type AdadeltaParams,
  type AdagradParams,
  type AdamParams,
  type BackendInfo,
  type BatchNormBackwardParams,
  type BatchNormForwardParams,
  type BinaryOp,
  type Broadcast,
  type Conv2dGeometry,
  type DistanceMetric,
  type GemmParams,
  type Kernels,
  type ReduceOp,
  type RmspropParams,
  type SgdParams,
  type Storage,
  type UnaryMath,
} from '../../kernels/kernels.js';
import { checkSize, Validator } from '../../kernels/validate.js';
import { uninitializedPoison } from '../../kernels/poison.js';
import * as act from './activations.js';
import * as bn from './batchnorm.js';
import * as conv from './conv.js';
import { pairwiseDistance } from './distance.js';
import * as ew from './elementwise.js';
import { gemm } from './gemm.js';
import * as optim from './optim.js';
import * as rnd from './random.js';
import * as red from './reduce.js';
import * as sm from './softmax.js';
import { JsStorage } from './storage.js';

export { JsStorage } from './storage.js';

/** The backing array of a validated handle. */
function d(s: Storage): Float32Array {
  return (s as JsStorage).data;
}

/** Backing array of an optional validated handle. */
function od(s: Storage | undefined): Float32Array | undefined {
  return s ? (s as JsStorage).data : undefined;
}

/** The reference backend: `name = 'js'`, storage on the JS heap. */
export class JsBackend implements Kernels {
  readonly name = 'js';
  readonly info: BackendInfo = {};
  private readonly v = new Validator('js', (s) => s instanceof JsStorage && this.live.has(s));
  private readonly live = new Set<JsStorage>();
  private readonly forget = (s: JsStorage): void => {
    this.live.delete(s);
  };

  // ---- memory -------------------------------------------------------------------------

  alloc(size: number): Storage {
    checkSize('alloc', 'size', size);
    return this.adopt(new Float32Array(size));
  }

  allocUninitialized(size: number): Storage {
    checkSize('allocUninitialized', 'size', size);
    const data = new Float32Array(size); // typed arrays start zeroed: nothing to skip here
    if (uninitializedPoison()) data.fill(NaN);
    return this.adopt(data);
  }

  upload(data: Float32Array): Storage {
    if (!(data instanceof Float32Array)) throw new KernelError('upload', 'data', 'a Float32Array', describe(data));
    return this.adopt(data.slice());
  }

  write(dst: Storage, data: Float32Array, offset = 0): void {
    if (!(data instanceof Float32Array)) throw new KernelError('write', 'data', 'a Float32Array', describe(data));
    checkSize('write', 'offset', offset);
    this.v.storage('write', 'dst', dst, offset + data.length);
    d(dst).set(data, offset);
  }

  dispose(): void {
    for (const s of [...this.live]) s.dispose();
  }

  liveBytes(): number {
    let elements = 0;
    for (const s of this.live) elements += s.size;
    return 4 * elements;
  }

  private adopt(data: Float32Array): JsStorage {
    const s = new JsStorage(data, this.forget);
    this.live.add(s);
    return s;
  }

  // ---- elementwise --------------------------------------------------------------------

  fill(out: Storage, n: number, value: number): void {
    this.v.fill(out, n, value);
    ew.fill(d(out), n, value);
  }

  copy(x: Storage, out: Storage, n: number, xOffset = 0, outOffset = 0): void {
    this.v.copy(x, out, n, xOffset, outOffset);
    ew.copy(d(x), d(out), n, xOffset, outOffset);
  }

  scale(x: Storage, out: Storage, n: number, alpha: number): void {
    this.v.scale(x, out, n, alpha);
    ew.scale(d(x), d(out), n, alpha);
  }

  axpy(alpha: number, x: Storage, y: Storage, n: number): void {
    this.v.axpy(alpha, x, y, n);
    ew.axpy(alpha, d(x), d(y), n);
  }

  binary(op: BinaryOp, a: Storage, aMode: Broadcast, b: Storage, bMode: Broadcast, out: Storage, rows: number, cols: number): void {
    this.v.binary(op, a, aMode, b, bMode, out, rows, cols);
    ew.binary(op, d(a), aMode, d(b), bMode, d(out), rows, cols);
  }

  binaryStrided(op: BinaryOp, a: Storage, aStrides: readonly number[], b: Storage, bStrides: readonly number[], out: Storage, shape: readonly number[]): void {
    this.v.binaryStrided(op, a, aStrides, b, bStrides, out, shape);
    ew.binaryStrided(op, d(a), aStrides, d(b), bStrides, d(out), shape);
  }

  unary(op: UnaryMath, x: Storage, out: Storage, n: number): void {
    this.v.unary(op, x, out, n);
    ew.unary(op, d(x), d(out), n);
  }

  clip(x: Storage, out: Storage, n: number, lo: number, hi: number): void {
    this.v.clip(x, out, n, lo, hi);
    ew.clip(d(x), d(out), n, lo, hi);
  }

  stridedCopy(
    x: Storage, xOffset: number, xStrides: readonly number[],
    out: Storage, outOffset: number, outStrides: readonly number[], shape: readonly number[],
  ): void {
    this.v.stridedCopy(x, xOffset, xStrides, out, outOffset, outStrides, shape);
    ew.stridedCopy(d(x), xOffset, xStrides, d(out), outOffset, outStrides, shape);
  }

  oneHot(labels: Storage, out: Storage, rows: number, cols: number): void {
    this.v.oneHot(labels, out, rows, cols);
    ew.oneHot(d(labels), d(out), rows, cols);
  }

  // ---- activations --------------------------------------------------------------------

  activation(a: Activation, x: Storage, out: Storage, n: number, alpha?: number): void {
    this.v.activation(a, x, out, n, alpha);
    act.activation(a, d(x), d(out), n, alpha);
  }

  activationBackward(a: Activation, x: Storage, y: Storage, dy: Storage, dx: Storage, n: number, alpha?: number): void {
    this.v.activationBackward(a, x, y, dy, dx, n, alpha);
    act.activationBackward(a, d(x), d(y), d(dy), d(dx), n, alpha);
  }

  // ---- softmax family -----------------------------------------------------------------

  softmax(x: Storage, out: Storage, rows: number, cols: number): void {
    this.v.softmax('softmax', x, out, rows, cols);
    sm.softmax(d(x), d(out), rows, cols);
  }

  logSoftmax(x: Storage, out: Storage, rows: number, cols: number): void {
    this.v.softmax('logSoftmax', x, out, rows, cols);
    sm.logSoftmax(d(x), d(out), rows, cols);
  }

  softmaxBackward(y: Storage, dy: Storage, dx: Storage, rows: number, cols: number): void {
    this.v.softmaxBackward('softmaxBackward', y, dy, dx, rows, cols);
    sm.softmaxBackward(d(y), d(dy), d(dx), rows, cols);
  }

  logSoftmaxBackward(y: Storage, dy: Storage, dx: Storage, rows: number, cols: number): void {
    this.v.softmaxBackward('logSoftmaxBackward', y, dy, dx, rows, cols);
    sm.logSoftmaxBackward(d(y), d(dy), d(dx), rows, cols);
  }

  softmaxCrossEntropy(logits: Storage, labels: Storage, oneHot: boolean, probs: Storage, loss: Storage, rows: number, cols: number): void {
    this.v.softmaxCrossEntropy(logits, labels, oneHot, probs, loss, rows, cols);
    sm.softmaxCrossEntropy(d(logits), d(labels), oneHot, d(probs), d(loss), rows, cols);
  }

  softmaxCrossEntropyBackward(probs: Storage, labels: Storage, oneHot: boolean, dlogits: Storage, rows: number, cols: number, scale: number): void {
    this.v.softmaxCrossEntropyBackward(probs, labels, oneHot, dlogits, rows, cols, scale);
    sm.softmaxCrossEntropyBackward(d(probs), d(labels), oneHot, d(dlogits), rows, cols, scale);
  }

  // ---- reductions ---------------------------------------------------------------------

  reduce(op: ReduceOp, x: Storage, out: Storage, outer: number, len: number, inner: number): void {
    this.v.reduce('reduce', op, x, out, outer, len, inner);
    red.reduce(op, d(x), d(out), outer, len, inner);
  }

  argmax(x: Storage, out: Storage, outer: number, len: number, inner: number): void {
    this.v.reduce('argmax', undefined, x, out, outer, len, inner);
    red.argmax(d(x), d(out), outer, len, inner);
  }

  // ---- matrix products and distances --------------------------------------------------

  gemm(p: GemmParams): void {
    this.v.gemm(p);
    gemm(d(p.a), d(p.b), d(p.c), p.m, p.n, p.k, {
      transA: p.transA ?? false,
      transB: p.transB ?? false,
      alpha: p.alpha ?? 1,
      beta: p.beta ?? 0,
      bias: od(p.bias ?? undefined),
      activation: p.activation ?? 'linear',
      activationAlpha: p.activationAlpha,
    });
  }

  pairwiseDistance(metric: DistanceMetric, a: Storage, b: Storage, out: Storage, m: number, n: number, dd: number): void {
    this.v.pairwiseDistance(metric, a, b, out, m, n, dd);
    pairwiseDistance(metric, d(a), d(b), d(out), m, n, dd);
  }

  // ---- convolution and pooling ---------------------------------------------------------

  im2col(x: Storage, cols: Storage, g: Conv2dGeometry): void {
    this.v.im2col(x, cols, g);
    conv.im2col(d(x), d(cols), g);
  }

  col2im(cols: Storage, x: Storage, g: Conv2dGeometry): void {
    this.v.col2im(cols, x, g);
    conv.col2im(d(cols), d(x), g);
  }

  maxPool2d(x: Storage, out: Storage, argmax: Storage, g: Conv2dGeometry): void {
    this.v.maxPool2d(x, out, argmax, g);
    conv.maxPool2d(d(x), d(out), d(argmax), g);
  }

  maxPool2dBackward(dy: Storage, argmax: Storage, dx: Storage, g: Conv2dGeometry): void {
    this.v.maxPool2dBackward(dy, argmax, dx, g);
    conv.maxPool2dBackward(d(dy), d(argmax), d(dx), g);
  }

  avgPool2d(x: Storage, out: Storage, g: Conv2dGeometry, countIncludePad: boolean): void {
    this.v.avgPool2d(x, out, g, countIncludePad);
    conv.avgPool2d(d(x), d(out), g, countIncludePad);
  }

  avgPool2dBackward(dy: Storage, dx: Storage, g: Conv2dGeometry, countIncludePad: boolean): void {
    this.v.avgPool2dBackward(dy, dx, g, countIncludePad);
    conv.avgPool2dBackward(d(dy), d(dx), g, countIncludePad);
  }

  // ---- batch normalisation ------------------------------------------------------------

  batchNormStats(x: Storage, mean: Storage, variance: Storage, outer: number, channels: number, inner: number): void {
    this.v.batchNormStats(x, mean, variance, outer, channels, inner);
    bn.batchNormStats(d(x), d(mean), d(variance), outer, channels, inner);
  }

  batchNormForward(p: BatchNormForwardParams): void {
    this.v.batchNormForward(p);
    bn.batchNormForward(d(p.x), d(p.mean), d(p.variance), od(p.gamma ?? undefined), od(p.beta ?? undefined), d(p.out), p.outer, p.channels, p.inner, p.eps);
  }

  batchNormBackward(p: BatchNormBackwardParams): void {
    this.v.batchNormBackward(p);
    bn.batchNormBackward(
      d(p.x), d(p.mean), d(p.variance), od(p.gamma ?? undefined), d(p.dy), d(p.dx),
      od(p.dgamma ?? undefined), od(p.dbeta ?? undefined), p.outer, p.channels, p.inner, p.eps,
    );
  }

  batchNormRunningUpdate(runningMean: Storage, runningVar: Storage, mean: Storage, variance: Storage, channels: number, momentum: number, count: number): void {
    this.v.batchNormRunningUpdate(runningMean, runningVar, mean, variance, channels, momentum, count);
    bn.batchNormRunningUpdate(d(runningMean), d(runningVar), d(mean), d(variance), channels, momentum, count);
  }

  // ---- randomness ---------------------------------------------------------------------

  randomUniform(out: Storage, n: number, seed: number, offset: number, low: number, high: number): void {
    this.v.randomUniform(out, n, seed, offset, low, high);
    rnd.randomUniform(d(out), n, seed, offset, low, high);
  }

  randomNormal(out: Storage, n: number, seed: number, offset: number, mean: number, std: number): void {
    this.v.randomNormal(out, n, seed, offset, mean, std);
    rnd.randomNormal(d(out), n, seed, offset, mean, std);
  }

  dropoutMask(mask: Storage, n: number, p: number, seed: number, offset: number): void {
    this.v.dropoutMask(mask, n, p, seed, offset);
    rnd.dropoutMask(d(mask), n, p, seed, offset);
  }

  // ---- optimisers ---------------------------------------------------------------------

  sgdStep(p: SgdParams): void {
    this.v.sgdStep(p);
    optim.sgdStep(d(p.param), d(p.grad), (p.momentum ?? 0) !== 0 ? od(p.momentumBuffer) : undefined, p.n, {
      lr: p.lr,
      momentum: p.momentum ?? 0,
      dampening: p.dampening ?? 0,
      nesterov: p.nesterov ?? false,
      weightDecay: p.weightDecay ?? 0,
      firstStep: p.firstStep ?? false,
    });
  }

  adamStep(p: AdamParams): void {
    this.v.adamStep(p);
    optim.adamStep(d(p.param), d(p.grad), d(p.m), d(p.v), p.amsgrad ? od(p.vMax) : undefined, p.n, {
      lr: p.lr,
      beta1: p.beta1,
      beta2: p.beta2,
      eps: p.eps,
      step: p.step,
      weightDecay: p.weightDecay ?? 0,
      decoupled: p.decoupled ?? false,
      amsgrad: p.amsgrad ?? false,
    });
  }

  rmspropStep(p: RmspropParams): void {
    this.v.rmspropStep(p);
    const momentum = p.momentum ?? 0;
    optim.rmspropStep(d(p.param), d(p.grad), d(p.squareAvg), p.centered ? od(p.gradAvg) : undefined, momentum > 0 ? od(p.momentumBuffer) : undefined, p.n, {
      lr: p.lr,
      alpha: p.alpha,
      eps: p.eps,
      weightDecay: p.weightDecay ?? 0,
      momentum,
      centered: p.centered ?? false,
    });
  }

  adagradStep(p: AdagradParams): void {
    this.v.adagradStep(p);
    optim.adagradStep(d(p.param), d(p.grad), d(p.sum), p.n, p.lr, p.eps, p.weightDecay ?? 0);
  }

  adadeltaStep(p: AdadeltaParams): void {
    this.v.adadeltaStep(p);
    optim.adadeltaStep(d(p.param), d(p.grad), d(p.squareAvg), d(p.accDelta), p.n, p.lr, p.rho, p.eps, p.weightDecay ?? 0);
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}
