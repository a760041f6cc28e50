/**
 * The WebGPU backend: every kernel of the contract (src/kernels/kernels.ts) as a WGSL compute
 * shader. Each method validates its arguments with the shared {@link Validator} (so bad input
 * throws the same KernelError as on js and wasm, before anything is queued), then enqueues its
 * dispatches; nothing waits for the GPU except `Storage.read()`.
 *
 * GPU-side failures (validation errors, out of memory, a lost device) are reported by the
 * runtime as a {@link WebGpuError} naming the kernel, from the next kernel call or read.
 */
import {
  defaultActivationAlpha,
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
} from '../kernels/kernels.js';
import { checkSize, Validator } from '../kernels/validate.js';
import { uninitializedPoison } from '../kernels/poison.js';
import { checkOptions } from '../errors.js';
import { randomNormal as hostRandomNormal } from '../backends/js/random.js';
import * as act from './activations.js';
import * as bn from './batchnorm.js';
import * as conv from './conv.js';
import { acquireDevice } from './device.js';
import * as ew from './elementwise.js';
import { gemm, pairwiseDistance } from './gemm.js';
import type { GpuBuffer } from './gputypes.js';
import * as optim from './optim.js';
import * as rnd from './random.js';
import * as red from './reduce.js';
import { GpuRuntime } from './runtime.js';
import * as sm from './softmax.js';
import { WebGpuStorage } from './storage.js';

/** Options of {@link WebGpuBackend.create}. */
export interface WebGpuOptions {
  /** A `GPU` object (e.g. the `webgpu` npm package's `create([])` in Node); default `navigator.gpu`. */
  gpu?: unknown;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}

/** The WebGPU backend: `name = 'webgpu'`, storage in pooled GPU buffers. */
export class WebGpuBackend implements Kernels {
  readonly name = 'webgpu';
  readonly info: BackendInfo;
  private readonly live = new Set<WebGpuStorage>();
  private readonly v = new Validator('webgpu', (s) => s instanceof WebGpuStorage && this.live.has(s));
  private readonly buf = (s: Storage): GpuBuffer => (s as WebGpuStorage).buffer;
  private readonly owner = {
    readStorage: (s: WebGpuStorage) => this.rt.read(s.buffer, 4 * s.size),
    releaseStorage: (s: WebGpuStorage) => {
      if (this.live.delete(s)) this.rt.storage.release(s.buffer);
    },
  };

  /**
   * @param rt the device runtime
   * @param gpu the GPU object the device came from, kept reachable for as long as the backend
   *   lives (Dawn's Node binding crashes if it is garbage-collected while a device is in use)
   */
  constructor(private readonly rt: GpuRuntime, readonly gpu: unknown, adapter: string) {
    this.info = {
      notes: [
        `adapter: ${adapter}`,
        'reads are asynchronous only: use await tensor.data(); dataSync()/readSync() throw',
        'randomNormal runs on the host (float64 Box–Muller, bit-identical to js/wasm) and is uploaded',
      ],
    };
  }

  /** A backend on a new device of `options.gpu` or `navigator.gpu`; throws BackendUnavailableError saying why not. */
  static async create(options: WebGpuOptions = {}): Promise<WebGpuBackend> {
    checkOptions('WebGpuBackend.create', options, ['gpu']);
    const { device, description } = await acquireDevice(options.gpu);
    const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
    return new WebGpuBackend(new GpuRuntime(device), options.gpu ?? nav?.gpu, description);
  }

  /** Pipelines compiled and buffer-pool counters (for diagnostics and tests). */
  stats(): { pipelines: number; pool: ReturnType<GpuRuntime['storage']['snapshot']> } {
    return { pipelines: this.rt.pipelines.size, pool: this.rt.storage.snapshot() };
  }

  /** Resolves when every kernel queued so far has run; rejects with the first GPU error. */
  flush(): Promise<void> {
    return this.rt.flush();
  }

  // ---- memory -------------------------------------------------------------------------

  private adopt(buffer: GpuBuffer, size: number): WebGpuStorage {
    const s = new WebGpuStorage(buffer, size, this.owner);
    this.live.add(s);
    return s;
  }

  alloc(size: number): Storage {
    checkSize('alloc', 'size', size);
    this.rt.check('alloc');
    const b = this.rt.storage.acquire(4 * size);
    this.rt.clear(b, 4 * size);
    return this.adopt(b, size);
  }

  allocUninitialized(size: number): Storage {
    checkSize('allocUninitialized', 'size', size);
    this.rt.check('allocUninitialized');
    const st = this.adopt(this.rt.storage.acquire(4 * size), size);
    if (uninitializedPoison() && size > 0) this.fill(st, size, NaN);
    return st;
  }

  upload(data: Float32Array): Storage {
    if (!(data instanceof Float32Array)) throw new KernelError('upload', 'data', 'a Float32Array', describe(data));
    this.rt.check('upload');
    const b = this.rt.storage.acquire(4 * data.length);
    this.rt.write('upload', b, 0, data);
    return this.adopt(b, data.length);
  }

  write(dst: Storage, data: Float32Array, offset = 0): void {
    if (!(data instanceof Float32Array)) throw new KernelError('write', 'data', 'a Float32Array', describe(data));
    checkSize('write', 'offset', offset);
    this.v.storage('write', 'dst', dst, offset + data.length);
    this.rt.write('write', this.buf(dst), 4 * offset, data);
  }

  dispose(): void {
    for (const s of [...this.live]) s.dispose();
    this.rt.destroy();
  }

  liveBytes(): number {
    let elements = 0;
    for (const s of this.live) elements += s.size;
    return 4 * elements;
  }

  // ---- elementwise --------------------------------------------------------------------

  fill(out: Storage, n: number, value: number): void {
    this.v.fill(out, n, value);
    ew.fill(this.rt, this.buf(out), n, value);
  }

  copy(x: Storage, out: Storage, n: number, xOffset = 0, outOffset = 0): void {
    this.v.copy(x, out, n, xOffset, outOffset);
    ew.copy(this.rt, this.buf(x), this.buf(out), n, xOffset, outOffset);
  }

  scale(x: Storage, out: Storage, n: number, alpha: number): void {
    this.v.scale(x, out, n, alpha);
    ew.scale(this.rt, this.buf(x), this.buf(out), n, alpha);
  }

  axpy(alpha: number, x: Storage, y: Storage, n: number): void {
    this.v.axpy(alpha, x, y, n);
    ew.axpy(this.rt, alpha, this.buf(x), this.buf(y), n);
  }

  binary(op: BinaryOp, a: Storage, aMode: Broadcast, b: Storage, bMode: Broadcast, out: Storage, rows: number, cols: number): void {
    this.v.binary(op, a, aMode, b, bMode, out, rows, cols);
    ew.binary(this.rt, op, this.buf(a), aMode, this.buf(b), bMode, this.buf(out), rows, cols);
  }

  binaryStrided(op: BinaryOp, a: Storage, aStrides: readonly number[], b: Storage, bStrides: readonly number[], out: Storage, shape: readonly number[]): void {
    this.v.binaryStrided(op, a, aStrides, b, bStrides, out, shape);
    ew.binaryStrided(this.rt, op, this.buf(a), aStrides, this.buf(b), bStrides, this.buf(out), shape);
  }

  unary(op: UnaryMath, x: Storage, out: Storage, n: number): void {
    this.v.unary(op, x, out, n);
    ew.unary(this.rt, op, this.buf(x), this.buf(out), n);
  }

  clip(x: Storage, out: Storage, n: number, lo: number, hi: number): void {
    this.v.clip(x, out, n, lo, hi);
    ew.clip(this.rt, this.buf(x), this.buf(out), n, lo, hi);
  }

  stridedCopy(
    x: Storage, xOffset: number, xStrides: readonly number[],
    out: Storage, outOffset: number, outStrides: readonly number[], shape: readonly number[],
  ): void {
    this.v.stridedCopy(x, xOffset, xStrides, out, outOffset, outStrides, shape);
    ew.stridedCopy(this.rt, this.buf(x), xOffset, xStrides, this.buf(out), outOffset, outStrides, shape);
  }

  oneHot(labels: Storage, out: Storage, rows: number, cols: number): void {
    this.v.oneHot(labels, out, rows, cols);
    ew.oneHot(this.rt, this.buf(labels), this.buf(out), rows, cols);
  }

  // ---- activations --------------------------------------------------------------------

  activation(a: Activation, x: Storage, out: Storage, n: number, alpha?: number): void {
    this.v.activation(a, x, out, n, alpha);
    act.activation(this.rt, a, this.buf(x), this.buf(out), n, alpha ?? defaultActivationAlpha(a));
  }

  activationBackward(a: Activation, x: Storage, y: Storage, dy: Storage, dx: Storage, n: number, alpha?: number): void {
    this.v.activationBackward(a, x, y, dy, dx, n, alpha);
    act.activationBackward(this.rt, a, this.buf(x), this.buf(dy), this.buf(dx), n, alpha ?? defaultActivationAlpha(a));
  }

  // ---- softmax family -----------------------------------------------------------------

  softmax(x: Storage, out: Storage, rows: number, cols: number): void {
    this.v.softmax('softmax', x, out, rows, cols);
    sm.softmax(this.rt, this.buf(x), this.buf(out), rows, cols);
  }

  logSoftmax(x: Storage, out: Storage, rows: number, cols: number): void {
    this.v.softmax('logSoftmax', x, out, rows, cols);
    sm.logSoftmax(this.rt, this.buf(x), this.buf(out), rows, cols);
  }

  softmaxBackward(y: Storage, dy: Storage, dx: Storage, rows: number, cols: number): void {
    this.v.softmaxBackward('softmaxBackward', y, dy, dx, rows, cols);
    sm.softmaxBackward(this.rt, this.buf(y), this.buf(dy), this.buf(dx), rows, cols);
  }

  logSoftmaxBackward(y: Storage, dy: Storage, dx: Storage, rows: number, cols: number): void {
    this.v.softmaxBackward('logSoftmaxBackward', y, dy, dx, rows, cols);
    sm.logSoftmaxBackward(this.rt, this.buf(y), this.buf(dy), this.buf(dx), rows, cols);
  }

  softmaxCrossEntropy(logits: Storage, labels: Storage, oneHot: boolean, probs: Storage, loss: Storage, rows: number, cols: number): void {
    this.v.softmaxCrossEntropy(logits, labels, oneHot, probs, loss, rows, cols);
    sm.softmaxCrossEntropy(this.rt, this.buf(logits), this.buf(labels), oneHot, this.buf(probs), this.buf(loss), rows, cols);
  }

  softmaxCrossEntropyBackward(probs: Storage, labels: Storage, oneHot: boolean, dlogits: Storage, rows: number, cols: number, scale: number): void {
    this.v.softmaxCrossEntropyBackward(probs, labels, oneHot, dlogits, rows, cols, scale);
    sm.softmaxCrossEntropyBackward(this.rt, this.buf(probs), this.buf(labels), oneHot, this.buf(dlogits), rows, cols, scale);
  }

  // ---- reductions ---------------------------------------------------------------------

  reduce(op: ReduceOp, x: Storage, out: Storage, outer: number, len: number, inner: number): void {
    this.v.reduce('reduce', op, x, out, outer, len, inner);
    red.reduce(this.rt, op, this.buf(x), this.buf(out), outer, len, inner);
  }

  argmax(x: Storage, out: Storage, outer: number, len: number, inner: number): void {
    this.v.reduce('argmax', undefined, x, out, outer, len, inner);
    red.argmax(this.rt, this.buf(x), this.buf(out), outer, len, inner);
  }

  // ---- matrix products and distances --------------------------------------------------

  gemm(p: GemmParams): void {
    this.v.gemm(p);
    const activation = p.activation ?? 'linear';
    gemm(this.rt, {
      a: this.buf(p.a), b: this.buf(p.b), c: this.buf(p.c), bias: p.bias ? this.buf(p.bias) : undefined,
      m: p.m, n: p.n, k: p.k, transA: p.transA ?? false, transB: p.transB ?? false, alpha: p.alpha ?? 1, beta: p.beta ?? 0,
      activation, activationAlpha: p.activationAlpha ?? defaultActivationAlpha(activation),
    });
  }

  pairwiseDistance(metric: DistanceMetric, a: Storage, b: Storage, out: Storage, m: number, n: number, d: number): void {
    this.v.pairwiseDistance(metric, a, b, out, m, n, d);
    pairwiseDistance(this.rt, metric, this.buf(a), this.buf(b), this.buf(out), m, n, d);
  }

  // ---- convolution and pooling (NCHW) ------------------------------------------------

  im2col(x: Storage, cols: Storage, g: Conv2dGeometry): void {
    this.v.im2col(x, cols, g);
    conv.im2col(this.rt, this.buf(x), this.buf(cols), g);
  }

  col2im(cols: Storage, x: Storage, g: Conv2dGeometry): void {
    this.v.col2im(cols, x, g);
    conv.col2im(this.rt, this.buf(cols), this.buf(x), g);
  }

  maxPool2d(x: Storage, out: Storage, argmax: Storage, g: Conv2dGeometry): void {
    this.v.maxPool2d(x, out, argmax, g);
    conv.maxPool2d(this.rt, this.buf(x), this.buf(out), this.buf(argmax), g);
  }

  maxPool2dBackward(dy: Storage, argmax: Storage, dx: Storage, g: Conv2dGeometry): void {
    this.v.maxPool2dBackward(dy, argmax, dx, g);
    conv.maxPool2dBackward(this.rt, this.buf(dy), this.buf(argmax), this.buf(dx), g);
  }

  avgPool2d(x: Storage, out: Storage, g: Conv2dGeometry, countIncludePad: boolean): void {
    this.v.avgPool2d(x, out, g, countIncludePad);
    conv.avgPool2d(this.rt, this.buf(x), this.buf(out), g, countIncludePad);
  }

  avgPool2dBackward(dy: Storage, dx: Storage, g: Conv2dGeometry, countIncludePad: boolean): void {
    this.v.avgPool2dBackward(dy, dx, g, countIncludePad);
    conv.avgPool2dBackward(this.rt, this.buf(dy), this.buf(dx), g, countIncludePad);
  }

  // ---- batch normalisation ------------------------------------------------------------

  batchNormStats(x: Storage, mean: Storage, variance: Storage, outer: number, channels: number, inner: number): void {
    this.v.batchNormStats(x, mean, variance, outer, channels, inner);
    bn.batchNormStats(this.rt, this.buf(x), this.buf(mean), this.buf(variance), outer, channels, inner);
  }

  batchNormForward(p: BatchNormForwardParams): void {
    this.v.batchNormForward(p);
    bn.batchNormForward(this.rt, {
      x: this.buf(p.x), mean: this.buf(p.mean), variance: this.buf(p.variance),
      gamma: p.gamma ? this.buf(p.gamma) : undefined, beta: p.beta ? this.buf(p.beta) : undefined, out: this.buf(p.out),
      outer: p.outer, channels: p.channels, inner: p.inner, eps: p.eps,
    });
  }

  batchNormBackward(p: BatchNormBackwardParams): void {
    this.v.batchNormBackward(p);
    bn.batchNormBackward(this.rt, {
      x: this.buf(p.x), mean: this.buf(p.mean), variance: this.buf(p.variance), gamma: p.gamma ? this.buf(p.gamma) : undefined,
      dy: this.buf(p.dy), dx: this.buf(p.dx), dgamma: p.dgamma ? this.buf(p.dgamma) : undefined, dbeta: p.dbeta ? this.buf(p.dbeta) : undefined,
      outer: p.outer, channels: p.channels, inner: p.inner, eps: p.eps,
    });
  }

  batchNormRunningUpdate(runningMean: Storage, runningVar: Storage, mean: Storage, variance: Storage, channels: number, momentum: number, count: number): void {
    this.v.batchNormRunningUpdate(runningMean, runningVar, mean, variance, channels, momentum, count);
    bn.batchNormRunningUpdate(this.rt, this.buf(runningMean), this.buf(runningVar), this.buf(mean), this.buf(variance), channels, momentum, count);
  }

  // ---- randomness ---------------------------------------------------------------------

  randomUniform(out: Storage, n: number, seed: number, offset: number, low: number, high: number): void {
    this.v.randomUniform(out, n, seed, offset, low, high);
    rnd.randomUniform(this.rt, this.buf(out), n, seed, offset, low, high);
  }

  /**
   * Normal samples are defined in float64 (bit-identical across backends), which WGSL lacks: they
   * are computed on the host with the reference generator and uploaded (no GPU readback).
   */
  randomNormal(out: Storage, n: number, seed: number, offset: number, mean: number, std: number): void {
    this.v.randomNormal(out, n, seed, offset, mean, std);
    if (n === 0) return this.rt.check('randomNormal');
    const host = new Float32Array(n);
    hostRandomNormal(host, n, seed, offset, mean, std);
    this.rt.write('randomNormal', this.buf(out), 0, host);
  }

  dropoutMask(mask: Storage, n: number, p: number, seed: number, offset: number): void {
    this.v.dropoutMask(mask, n, p, seed, offset);
    rnd.dropoutMask(this.rt, this.buf(mask), n, p, seed, offset);
  }

  // ---- optimisers ---------------------------------------------------------------------

  sgdStep(p: SgdParams): void {
    this.v.sgdStep(p);
    optim.sgdStep(this.rt, this.buf, p);
  }

  adamStep(p: AdamParams): void {
    this.v.adamStep(p);
    optim.adamStep(this.rt, this.buf, p);
  }

  rmspropStep(p: RmspropParams): void {
    this.v.rmspropStep(p);
    optim.rmspropStep(this.rt, this.buf, p);
  }

  adagradStep(p: AdagradParams): void {
    this.v.adagradStep(p);
    optim.adagradStep(this.rt, this.buf, p);
  }

  adadeltaStep(p: AdadeltaParams): void {
    this.v.adadeltaStep(p);
    optim.adadeltaStep(this.rt, this.buf, p);
  }
}
