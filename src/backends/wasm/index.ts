/**
 * The wasm backend: the kernel contract over the AssemblyScript SIMD module. Every method
 * validates its arguments with the shared {@link Validator} (so a bad call never reaches linear
 * memory), then passes byte addresses and sizes to the matching `*_f32` export.
 */
import { Arena } from '../../../bindings/arena.js';
import type { ActivationBackward, ActivationForward, AxonWasmExports } from '../../../bindings/abi.js';
import { detectFeatures } from '../../../bindings/features.js';
import { instantiateWasm, type InstantiateOptions, type WasmSource } from '../../../bindings/instantiate.js';
import {
  ACTIVATIONS,
  BINARY_OPS,
  BROADCASTS,
  KernelError,
  REDUCE_OPS,
  UNARY_MATH,
  defaultActivationAlpha,
  type Activation,
  type AdadeltaParams,
  type AdagradParams,
  type AdamParams,
  type BackendInfo,
  type BatchNormBackwardParams,
  type BatchNormForwardParams,
  type BinaryOp,
  type Broadcast,
  type DistanceMetric,
  type GemmParams,
  type Kernels,
  type ReduceOp,
  type RmspropParams,
  type SgdParams,
  type Storage,
  type UnaryMath,
} from '../../kernels/kernels.js';
import { seedKey } from '../../kernels/philox.js';
import { Validator } from '../../kernels/validate.js';

/** A float32 buffer in the module's linear memory. */
export class WasmStorage implements Storage {
  readonly backend = 'wasm';
  private _disposed = false;
  constructor(
    readonly owner: WasmBackend,
    /** Byte address in linear memory (16-byte aligned). */
    readonly ptr: number,
    readonly size: number,
  ) {}

  /** True once disposed, or once its backend was disposed. */
  get disposed(): boolean {
    return this._disposed || this.owner.isDisposed;
  }

  read(): Promise<Float32Array> {
    try {
      return Promise.resolve(this.readSync());
    } catch (e) {
      return Promise.reject(e);
    }
  }

  readSync(): Float32Array {
    if (this.disposed) throw new KernelError('read', 'storage', 'a live storage handle', 'a disposed one');
    const start = this.ptr >>> 2;
    return this.owner.arena.f32().slice(start, start + this.size);
  }

  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    this.owner.releaseStorage(this);
  }
}

/** Options for {@link WasmBackend.create}. */
export interface WasmBackendOptions extends InstantiateOptions {
  /** The compiled module, its bytes, or its URL; default: the build next to this package. */
  wasm?: WasmSource;
}

const ACT_CODE = new Map(ACTIVATIONS.map((a, i) => [a, i]));
const bool = (b: boolean | undefined): number => (b ? 1 : 0);

/** The wasm SIMD backend. Create with `await WasmBackend.create()`. */
export class WasmBackend implements Kernels {
  readonly name = 'wasm';
  readonly info: BackendInfo;
  readonly arena: Arena;
  private readonly ex: AxonWasmExports;
  private readonly v: Validator;
  private readonly fwd: ActivationForward[];
  private readonly bwd: ActivationBackward[];
  private wsPtr = 0;
  private wsBytes = 0;
  private readonly smallPtr: number; // 3 × 6 i32: shape and two stride arrays (binaryStrided, stridedCopy)
  private disposedAll = false;

  /** True after {@link WasmBackend.dispose}: every handle is then invalid. */
  get isDisposed(): boolean {
    return this.disposedAll;
  }

  /** Loads and instantiates the module, then wraps it. */
  static async create(options: WasmBackendOptions = {}): Promise<WasmBackend> {
    return new WasmBackend(await instantiateWasm(options.wasm, options));
  }

  constructor(exports: AxonWasmExports) {
    this.ex = exports;
    this.arena = new Arena(exports.memory, exports.heapBase());
    this.v = new Validator('wasm', (s) => s instanceof WasmStorage && s.owner === this);
    const missing = (name: string) => () => {
      throw new KernelError(name, 'module', `a wasm build exporting ${name}`, 'a build without it');
    };
    this.fwd = ACTIVATIONS.map((a) => (exports[`${a}_f32`] as ActivationForward | undefined) ?? missing(`${a}_f32`));
    this.bwd = ACTIVATIONS.map((a) => (exports[`${a}Backward_f32`] as ActivationBackward | undefined) ?? missing(`${a}Backward_f32`));
    const f = detectFeatures();
    this.info = { simd: f.simd, relaxedSimd: false, threads: 1, notes: [] };
    this.smallPtr = this.arena.alloc(72);
  }

  // ---- memory -------------------------------------------------------------------------

  alloc(size: number): Storage {
    this.checkAlive('alloc');
    if (!Number.isSafeInteger(size) || size < 0) throw new KernelError('alloc', 'size', 'a non-negative integer', String(size));
    const ptr = this.arena.alloc(size * 4);
    const s = new WasmStorage(this, ptr, size);
    this.arena.f32().fill(0, ptr >>> 2, (ptr >>> 2) + size);
    return s;
  }

  upload(data: Float32Array): Storage {
    this.checkAlive('upload');
    if (!(data instanceof Float32Array)) throw new KernelError('upload', 'data', 'a Float32Array', typeof data);
    const ptr = this.arena.alloc(data.length * 4);
    this.arena.f32().set(data, ptr >>> 2);
    return new WasmStorage(this, ptr, data.length);
  }

  write(dst: Storage, data: Float32Array, offset = 0): void {
    if (!(data instanceof Float32Array)) throw new KernelError('write', 'data', 'a Float32Array', typeof data);
    if (!Number.isSafeInteger(offset) || offset < 0) throw new KernelError('write', 'offset', 'a non-negative integer', String(offset));
    const d = this.v.storage('write', 'dst', dst, offset + data.length) as WasmStorage;
    this.arena.f32().set(data, (d.ptr >>> 2) + offset);
  }

  /** Called by {@link WasmStorage.dispose}. */
  releaseStorage(s: WasmStorage): void {
    if (!this.disposedAll) this.arena.release(s.ptr);
  }

  liveBytes(): number {
    // The backend's own scratch blocks are not user data.
    return this.arena.liveBytes - 72 - (this.wsPtr ? this.wsBytes : 0);
  }

  dispose(): void {
    this.disposedAll = true;
    this.arena.reset();
  }

  private checkAlive(kernel: string): void {
    if (this.disposedAll) throw new KernelError(kernel, 'backend', 'a live wasm backend', 'one that was disposed');
  }

  /** A scratch block of at least `bytes`, kept and grown across calls. */
  private workspace(bytes: number): number {
    if (bytes <= this.wsBytes && this.wsPtr) return this.wsPtr;
    if (this.wsPtr) this.arena.release(this.wsPtr);
    this.wsPtr = 0;
    const size = Math.max(bytes, Math.ceil(this.wsBytes * 1.5));
    this.wsPtr = this.arena.alloc(size);
    this.wsBytes = size;
    return this.wsPtr;
  }

  // ---- elementwise --------------------------------------------------------------------

  fill(out: Storage, n: number, value: number): void {
    this.v.fill(out, n, value);
    this.ex.fill_f32(p(out), n, value);
  }

  copy(x: Storage, out: Storage, n: number, xOffset = 0, outOffset = 0): void {
    this.v.copy(x, out, n, xOffset, outOffset);
    if (n === 0 || (x === out && xOffset === outOffset)) return;
    this.ex.copy_f32(p(x) + 4 * xOffset, p(out) + 4 * outOffset, n);
  }

  scale(x: Storage, out: Storage, n: number, alpha: number): void {
    this.v.scale(x, out, n, alpha);
    this.ex.scale_f32(p(x), p(out), n, alpha);
  }

  axpy(alpha: number, x: Storage, y: Storage, n: number): void {
    this.v.axpy(alpha, x, y, n);
    this.ex.axpy_f32(alpha, p(x), p(y), n);
  }

  binary(op: BinaryOp, a: Storage, aMode: Broadcast, b: Storage, bMode: Broadcast, out: Storage, rows: number, cols: number): void {
    this.v.binary(op, a, aMode, b, bMode, out, rows, cols);
    this.ex.binary_f32(BINARY_OPS.indexOf(op), p(a), BROADCASTS.indexOf(aMode), p(b), BROADCASTS.indexOf(bMode), p(out), rows, cols);
  }

  binaryStrided(op: BinaryOp, a: Storage, aStrides: readonly number[], b: Storage, bStrides: readonly number[], out: Storage, shape: readonly number[]): void {
    this.v.binaryStrided(op, a, aStrides, b, bStrides, out, shape);
    const rank = shape.length;
    const mem = new Int32Array(this.ex.memory.buffer, this.smallPtr, 18);
    for (let d = 0; d < rank; d++) {
      mem[d] = shape[d]!;
      mem[6 + d] = aStrides[d]!;
      mem[12 + d] = bStrides[d]!;
    }
    this.ex.binaryStrided_f32(BINARY_OPS.indexOf(op), p(a), p(b), p(out), rank, this.smallPtr, this.smallPtr + 24, this.smallPtr + 48);
  }

  unary(op: UnaryMath, x: Storage, out: Storage, n: number): void {
    this.v.unary(op, x, out, n);
    this.ex.unary_f32(UNARY_MATH.indexOf(op), p(x), p(out), n);
  }

  clip(x: Storage, out: Storage, n: number, lo: number, hi: number): void {
    this.v.clip(x, out, n, lo, hi);
    this.ex.clip_f32(p(x), p(out), n, lo, hi);
  }

  stridedCopy(
    x: Storage, xOffset: number, xStrides: readonly number[],
    out: Storage, outOffset: number, outStrides: readonly number[], shape: readonly number[],
  ): void {
    this.v.stridedCopy(x, xOffset, xStrides, out, outOffset, outStrides, shape);
    const rank = shape.length;
    const mem = new Int32Array(this.ex.memory.buffer, this.smallPtr, 18);
    for (let d = 0; d < rank; d++) {
      mem[d] = shape[d]!;
      mem[6 + d] = xStrides[d]!;
      mem[12 + d] = outStrides[d]!;
    }
    this.ex.stridedCopy_f32(p(x) + 4 * xOffset, p(out) + 4 * outOffset, rank, this.smallPtr, this.smallPtr + 24, this.smallPtr + 48);
  }

  oneHot(labels: Storage, out: Storage, rows: number, cols: number): void {
    this.v.oneHot(labels, out, rows, cols);
    this.ex.oneHot_f32(p(labels), p(out), rows, cols);
  }

  // ---- activations --------------------------------------------------------------------

  activation(act: Activation, x: Storage, out: Storage, n: number, alpha?: number): void {
    this.v.activation(act, x, out, n, alpha);
    this.fwd[ACT_CODE.get(act)!]!(p(x), p(out), n, alpha ?? defaultActivationAlpha(act));
  }

  activationBackward(act: Activation, x: Storage, y: Storage, dy: Storage, dx: Storage, n: number, alpha?: number): void {
    this.v.activationBackward(act, x, y, dy, dx, n, alpha);
    this.bwd[ACT_CODE.get(act)!]!(p(x), p(y), p(dy), p(dx), n, alpha ?? defaultActivationAlpha(act));
  }

  // ---- softmax family -----------------------------------------------------------------

  softmax(x: Storage, out: Storage, rows: number, cols: number): void {
    this.v.softmax('softmax', x, out, rows, cols);
    this.ex.softmax_f32(p(x), p(out), rows, cols);
  }

  logSoftmax(x: Storage, out: Storage, rows: number, cols: number): void {
    this.v.softmax('logSoftmax', x, out, rows, cols);
    this.ex.logSoftmax_f32(p(x), p(out), rows, cols);
  }

  softmaxBackward(y: Storage, dy: Storage, dx: Storage, rows: number, cols: number): void {
    this.v.softmaxBackward('softmaxBackward', y, dy, dx, rows, cols);
    this.ex.softmaxBackward_f32(p(y), p(dy), p(dx), rows, cols);
  }

  logSoftmaxBackward(y: Storage, dy: Storage, dx: Storage, rows: number, cols: number): void {
    this.v.softmaxBackward('logSoftmaxBackward', y, dy, dx, rows, cols);
    this.ex.logSoftmaxBackward_f32(p(y), p(dy), p(dx), rows, cols);
  }

  softmaxCrossEntropy(logits: Storage, labels: Storage, oneHot: boolean, probs: Storage, loss: Storage, rows: number, cols: number): void {
    this.v.softmaxCrossEntropy(logits, labels, oneHot, probs, loss, rows, cols);
    this.ex.softmaxCrossEntropy_f32(p(logits), p(labels), bool(oneHot), p(probs), p(loss), rows, cols);
  }

  softmaxCrossEntropyBackward(probs: Storage, labels: Storage, oneHot: boolean, dlogits: Storage, rows: number, cols: number, scale: number): void {
    this.v.softmaxCrossEntropyBackward(probs, labels, oneHot, dlogits, rows, cols, scale);
    this.ex.softmaxCrossEntropyBackward_f32(p(probs), p(labels), bool(oneHot), p(dlogits), rows, cols, scale);
  }

  // ---- reductions ---------------------------------------------------------------------

  reduce(op: ReduceOp, x: Storage, out: Storage, outer: number, len: number, inner: number): void {
    this.v.reduce('reduce', op, x, out, outer, len, inner);
    this.ex.reduce_f32(REDUCE_OPS.indexOf(op), p(x), p(out), outer, len, inner);
  }

  argmax(x: Storage, out: Storage, outer: number, len: number, inner: number): void {
    this.v.reduce('argmax', undefined, x, out, outer, len, inner);
    this.ex.argmax_f32(p(x), p(out), outer, len, inner);
  }

  // ---- matrix products and distances --------------------------------------------------

  gemm(g: GemmParams): void {
    this.v.gemm(g);
    const ta = bool(g.transA);
    const tb = bool(g.transB);
    const bytes = this.ex.gemmWorkspace_f32(g.m, g.n, g.k, ta, tb);
    const ws = bytes > 0 ? this.workspace(bytes) : 0;
    const act = g.activation ?? 'linear';
    this.ex.gemm_f32(
      p(g.a), p(g.b), p(g.c), g.m, g.n, g.k, ta, tb, g.alpha ?? 1, g.beta ?? 0,
      g.bias ? p(g.bias) : 0, ACT_CODE.get(act)!, g.activationAlpha ?? defaultActivationAlpha(act), ws, this.wsBytes,
    );
  }

  pairwiseDistance(metric: DistanceMetric, a: Storage, b: Storage, out: Storage, m: number, n: number, d: number): void {
    this.v.pairwiseDistance(metric, a, b, out, m, n, d);
    const code = metric === 'l2sq' ? 0 : 1;
    const bytes = this.ex.pairwiseDistanceWorkspace_f32(code, m, n, d);
    const ws = bytes > 0 ? this.workspace(bytes) : 0;
    this.ex.pairwiseDistance_f32(code, p(a), p(b), p(out), m, n, d, ws, this.wsBytes);
  }

  // ---- batch normalisation ------------------------------------------------------------

  batchNormStats(x: Storage, mean: Storage, variance: Storage, outer: number, channels: number, inner: number): void {
    this.v.batchNormStats(x, mean, variance, outer, channels, inner);
    this.ex.batchNormStats_f32(p(x), p(mean), p(variance), outer, channels, inner);
  }

  batchNormForward(b: BatchNormForwardParams): void {
    this.v.batchNormForward(b);
    this.ex.batchNormForward_f32(p(b.x), p(b.mean), p(b.variance), opt(b.gamma), opt(b.beta), p(b.out), b.outer, b.channels, b.inner, b.eps);
  }

  batchNormBackward(b: BatchNormBackwardParams): void {
    this.v.batchNormBackward(b);
    const bytes = this.ex.batchNormBackwardWorkspace_f32(b.channels);
    const ws = bytes > 0 ? this.workspace(bytes) : 0;
    this.ex.batchNormBackward_f32(
      p(b.x), p(b.mean), p(b.variance), opt(b.gamma), p(b.dy), p(b.dx), opt(b.dgamma), opt(b.dbeta),
      b.outer, b.channels, b.inner, b.eps, ws, this.wsBytes,
    );
  }

  batchNormRunningUpdate(runningMean: Storage, runningVar: Storage, mean: Storage, variance: Storage, channels: number, momentum: number, count: number): void {
    this.v.batchNormRunningUpdate(runningMean, runningVar, mean, variance, channels, momentum, count);
    this.ex.batchNormRunningUpdate_f32(p(runningMean), p(runningVar), p(mean), p(variance), channels, momentum, count);
  }

  // ---- randomness ---------------------------------------------------------------------

  randomUniform(out: Storage, n: number, seed: number, offset: number, low: number, high: number): void {
    this.v.randomUniform(out, n, seed, offset, low, high);
    const [lo, hi] = seedKey(seed);
    this.ex.randomUniform_f32(p(out), n, lo | 0, hi | 0, offset, low, high);
  }

  randomNormal(out: Storage, n: number, seed: number, offset: number, mean: number, std: number): void {
    this.v.randomNormal(out, n, seed, offset, mean, std);
    const [lo, hi] = seedKey(seed);
    this.ex.randomNormal_f32(p(out), n, lo | 0, hi | 0, offset, mean, std);
  }

  dropoutMask(mask: Storage, n: number, prob: number, seed: number, offset: number): void {
    this.v.dropoutMask(mask, n, prob, seed, offset);
    const [lo, hi] = seedKey(seed);
    const threshold = Math.floor(prob * 4294967296) | 0;
    this.ex.dropoutMask_f32(p(mask), n, threshold, Math.fround(1 / (1 - prob)), lo | 0, hi | 0, offset);
  }

  // ---- optimisers ---------------------------------------------------------------------

  sgdStep(o: SgdParams): void {
    this.v.sgdStep(o);
    const momentum = o.momentum ?? 0;
    this.ex.sgdStep_f32(
      p(o.param), p(o.grad), momentum !== 0 ? p(o.momentumBuffer!) : 0, o.n, o.lr, momentum,
      o.dampening ?? 0, bool(o.nesterov), o.weightDecay ?? 0, bool(o.firstStep),
    );
  }

  adamStep(o: AdamParams): void {
    this.v.adamStep(o);
    this.ex.adamStep_f32(
      p(o.param), p(o.grad), p(o.m), p(o.v), o.amsgrad ? p(o.vMax!) : 0, o.n, o.lr, o.beta1, o.beta2,
      o.eps, o.weightDecay ?? 0, o.step, bool(o.decoupled), bool(o.amsgrad),
    );
  }

  rmspropStep(o: RmspropParams): void {
    this.v.rmspropStep(o);
    const momentum = o.momentum ?? 0;
    this.ex.rmspropStep_f32(
      p(o.param), p(o.grad), p(o.squareAvg), o.centered ? p(o.gradAvg!) : 0, momentum > 0 ? p(o.momentumBuffer!) : 0,
      o.n, o.lr, o.alpha, o.eps, o.weightDecay ?? 0, momentum, bool(o.centered),
    );
  }

  adagradStep(o: AdagradParams): void {
    this.v.adagradStep(o);
    this.ex.adagradStep_f32(p(o.param), p(o.grad), p(o.sum), o.n, o.lr, o.eps, o.weightDecay ?? 0);
  }

  adadeltaStep(o: AdadeltaParams): void {
    this.v.adadeltaStep(o);
    this.ex.adadeltaStep_f32(p(o.param), p(o.grad), p(o.squareAvg), p(o.accDelta), o.n, o.lr, o.rho, o.eps, o.weightDecay ?? 0);
  }
}

/** Byte address of a validated handle. */
function p(s: Storage): number {
  return (s as WasmStorage).ptr;
}

/** Byte address of an optional validated handle, 0 when absent. */
function opt(s: Storage | undefined): number {
  return s ? (s as WasmStorage).ptr : 0;
}
