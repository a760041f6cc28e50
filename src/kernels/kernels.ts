/**
 * THE KERNEL CONTRACT (DESIGN §3).
 *
 * Every backend (`js` reference, `wasm`, `webgpu`) implements {@link Kernels}; the tensor,
 * autograd and nn layers above talk to nothing else. A kernel takes storage handles plus sizes,
 * writes into an output handle and returns nothing. Reading back is a separate {@link Storage}
 * call, which is what lets the synchronous wasm backend and the asynchronous WebGPU backend
 * share one interface.
 *
 * Conventions that hold for every kernel unless its doc says otherwise:
 * - All data is float32, dense, row-major. Integer data (class labels, argmax results) is
 *   stored as float32 holding an exact integer (exact up to 2^24).
 * - Sizes are element counts (not bytes). A size of 0 is legal and writes nothing.
 * - A handle must hold at least the number of elements the kernel touches; extra elements
 *   are left alone.
 * - Aliasing: a kernel marked *in-place OK* accepts `out` equal to an input handle (the very
 *   same handle, not an overlapping one). Kernels not marked so require outputs that are
 *   distinct from every input; backends validate this and throw.
 * - Backends validate handles (owned by this backend, not disposed, large enough) and sizes
 *   (non-negative integers) before touching memory, and throw an {@link KernelError} naming the
 *   kernel, the argument, what was expected and what was given. Kernels themselves trust those
 *   checks.
 */
import { AxonError, checkName, type AxonErrorCode } from '../errors.js';

/** Elementwise activations, each with a derivative kernel. DESIGN §5 gives the definitions. */
export type Activation =
  | 'linear'
  | 'relu'
  | 'leakyRelu'
  | 'elu'
  | 'selu'
  | 'gelu'
  | 'geluTanh'
  | 'silu'
  | 'sigmoid'
  | 'tanh'
  | 'softplus'
  | 'softsign'
  | 'hardTanh'
  | 'step'
  | 'sign'
  | 'bipolarSigmoid';

/** Every activation name, in a fixed order (the order is also the wasm ABI's activation code). */
export const ACTIVATIONS: readonly Activation[] = [
  'linear',
  'relu',
  'leakyRelu',
  'elu',
  'selu',
  'gelu',
  'geluTanh',
  'silu',
  'sigmoid',
  'tanh',
  'softplus',
  'softsign',
  'hardTanh',
  'step',
  'sign',
  'bipolarSigmoid',
];

/** The default `alpha` of an activation: leakyRelu's slope 0.01, elu's alpha 1 (others ignore it). */
export function defaultActivationAlpha(act: Activation): number {
  checkName('defaultActivationAlpha', 'activation', act, ACTIVATIONS);
  return act === 'leakyRelu' ? 0.01 : 1;
}

/** Elementwise math used by the tensor layer (no parameters). Order = wasm ABI code. */
export type UnaryMath = 'neg' | 'abs' | 'exp' | 'log' | 'sqrt' | 'square' | 'reciprocal' | 'rsqrt';
/** Every unary math op name, in ABI order. */
export const UNARY_MATH: readonly UnaryMath[] = ['neg', 'abs', 'exp', 'log', 'sqrt', 'square', 'reciprocal', 'rsqrt'];

/**
 * Elementwise binary ops. `pow` follows C's `powf` (and torch): pow(1, NaN) = 1, pow(−1, ±Inf) = 1,
 * unlike JavaScript's `**`. `max`/`min` propagate NaN. Order = wasm ABI code.
 */
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'max' | 'min' | 'pow';
/** Every binary op name, in ABI order. */
export const BINARY_OPS: readonly BinaryOp[] = ['add', 'sub', 'mul', 'div', 'max', 'min', 'pow'];

/**
 * How an operand of a 2-D binary op is laid over the `[rows, cols]` output:
 * `full` = `[rows, cols]`, `row` = a `[cols]` vector repeated for every row,
 * `col` = a `[rows]` vector repeated along each row, `scalar` = one element.
 * Order = wasm ABI code.
 */
export type Broadcast = 'full' | 'row' | 'col' | 'scalar';
/** Every broadcast mode, in ABI order. */
export const BROADCASTS: readonly Broadcast[] = ['full', 'row', 'col', 'scalar'];

/** Reductions over one axis. `max`/`min` propagate NaN; over an empty axis `sum` = 0, `mean` = NaN, `max` = −Inf, `min` = +Inf. */
export type ReduceOp = 'sum' | 'mean' | 'max' | 'min';
/** Every reduction name, in ABI order. */
export const REDUCE_OPS: readonly ReduceOp[] = ['sum', 'mean', 'max', 'min'];

/** Distance metrics for {@link Kernels.pairwiseDistance}: squared Euclidean or Manhattan. */
export type DistanceMetric = 'l2sq' | 'l1';

/**
 * A backend-owned buffer of `size` float32 elements. Created by {@link Kernels.alloc} or
 * {@link Kernels.upload}; freed by {@link Storage.dispose} (idempotent).
 */
export interface Storage {
  /** Owning backend's name ('js' | 'wasm' | 'webgpu'). */
  readonly backend: string;
  /** Number of float32 elements. */
  readonly size: number;
  /** True once disposed; a disposed handle is rejected by every kernel. */
  readonly disposed: boolean;
  /** A copy of the contents. Resolves after all previously issued kernels have run. */
  read(): Promise<Float32Array>;
  /** A synchronous copy of the contents; backends that cannot (webgpu) throw a clear error. */
  readSync(): Float32Array;
  /** Releases the memory. Safe to call twice. */
  dispose(): void;
}

/** Parameters of {@link Kernels.gemm}. */
export interface GemmParams {
  /** `op(A)` is `[m, k]`: A is stored `[m, k]`, or `[k, m]` when `transA`. */
  a: Storage;
  /** `op(B)` is `[k, n]`: B is stored `[k, n]`, or `[n, k]` when `transB`. */
  b: Storage;
  /** Output `[m, n]`; read when `beta != 0`. Must not alias `a`, `b` or `bias`. */
  c: Storage;
  m: number;
  n: number;
  k: number;
  transA?: boolean;
  transB?: boolean;
  /** Default 1. */
  alpha?: number;
  /** Default 0; with 0 the old contents of C are ignored (NaN in C does not leak). */
  beta?: number;
  /** Optional `[n]` vector added to every row after the product (fused epilogue). */
  bias?: Storage;
  /** Optional activation applied last (fused epilogue): `C = act(alpha·op(A)·op(B) + beta·C + bias)`. */
  activation?: Activation;
  /** Parameter of `leakyRelu` (slope, default 0.01) and `elu` (alpha, default 1). */
  activationAlpha?: number;
}

/** Parameters of {@link Kernels.batchNormForward}. x is viewed as `[outer, channels, inner]`. */
export interface BatchNormForwardParams {
  x: Storage;
  /** Per-channel mean `[channels]`. */
  mean: Storage;
  /** Per-channel (biased) variance `[channels]`. */
  variance: Storage;
  /** Per-channel scale `[channels]`, or omitted for 1. */
  gamma?: Storage;
  /** Per-channel shift `[channels]`, or omitted for 0. */
  beta?: Storage;
  /** Output, same layout as x; in-place OK (`out === x`). */
  out: Storage;
  outer: number;
  channels: number;
  inner: number;
  eps: number;
}

/** Parameters of {@link Kernels.batchNormBackward}. All tensors are viewed as `[outer, channels, inner]`. */
export interface BatchNormBackwardParams {
  /** The forward input. */
  x: Storage;
  /** Batch mean and biased variance used in the forward pass (`[channels]`). */
  mean: Storage;
  variance: Storage;
  /** Scale `[channels]`, or omitted for 1. */
  gamma?: Storage;
  /** Upstream gradient, same layout as x. */
  dy: Storage;
  /** Gradient w.r.t. x (training-mode batch norm: statistics depend on x). Distinct from all inputs. */
  dx: Storage;
  /** Gradient w.r.t. gamma `[channels]`: Σ dy·x̂ (overwritten, not accumulated). */
  dgamma?: Storage;
  /** Gradient w.r.t. beta `[channels]`: Σ dy (overwritten, not accumulated). */
  dbeta?: Storage;
  outer: number;
  channels: number;
  inner: number;
  eps: number;
}

/** Shared fields of the fused optimiser updates: update `param` in place from `grad`, `n` elements. */
export interface OptimBase {
  param: Storage;
  grad: Storage;
  n: number;
  lr: number;
  /** L2 penalty added to the gradient (`g += wd·p`), or decoupled for AdamW. Default 0. */
  weightDecay?: number;
}

/** torch.optim.SGD for one parameter. `momentumBuffer` is required when `momentum != 0`. */
export interface SgdParams extends OptimBase {
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  momentumBuffer?: Storage;
  /** True on the first step: torch initialises the buffer to the gradient (no dampening). */
  firstStep?: boolean;
}

/** torch.optim.Adam / AdamW for one parameter. `step` is the 1-based step count after increment. */
export interface AdamParams extends OptimBase {
  m: Storage;
  v: Storage;
  beta1: number;
  beta2: number;
  eps: number;
  step: number;
  /** AdamW: decay the parameter by `lr·weightDecay` instead of adding to the gradient. */
  decoupled?: boolean;
  /** AMSGrad: keep the running max of v in `vMax` and use it in the denominator. */
  amsgrad?: boolean;
  vMax?: Storage;
}

/** torch.optim.RMSprop for one parameter. */
export interface RmspropParams extends OptimBase {
  squareAvg: Storage;
  alpha: number;
  eps: number;
  momentum?: number;
  /** Required when `momentum > 0`. */
  momentumBuffer?: Storage;
  centered?: boolean;
  /** Required when `centered`. */
  gradAvg?: Storage;
}

/** torch.optim.Adagrad for one parameter. `lr` here is already `lr / (1 + (step−1)·lrDecay)`. */
export interface AdagradParams extends OptimBase {
  sum: Storage;
  eps: number;
}

/** torch.optim.Adadelta for one parameter. */
export interface AdadeltaParams extends OptimBase {
  squareAvg: Storage;
  accDelta: Storage;
  rho: number;
  eps: number;
}

/**
 * Geometry of a 2-D convolution or pooling window over NCHW data (DESIGN: layout is NCHW —
 * batch, channels, height, width, row-major). Output size per axis:
 * `out = floor((in + padBefore + padAfter − dilation·(kernel − 1) − 1) / stride) + 1`; the caller
 * computes `outH`/`outW` (which fixes the implied bottom/right padding) and validates them.
 * Padded positions read as 0 for convolution, are skipped by max pooling and (unless
 * `countIncludePad`) by average pooling.
 */
export interface Conv2dGeometry {
  batch: number;
  channels: number;
  height: number;
  width: number;
  kernelH: number;
  kernelW: number;
  strideH: number;
  strideW: number;
  /** Zero rows added above the input. */
  padTop: number;
  /** Zero columns added left of the input. */
  padLeft: number;
  dilationH: number;
  dilationW: number;
  outH: number;
  outW: number;
}

/** Static facts about a backend, for `getBackend().info`. */
export interface BackendInfo {
  simd?: boolean;
  relaxedSimd?: boolean;
  threads?: number;
  /**
   * Which build of the backend runs. wasm: 'simd' | 'relaxed' | 'threads' | 'relaxed-threads',
   * read from the module itself (so also for a module passed with `init({ wasm })`).
   */
  build?: string;
  /** Free-form notes (e.g. why threads are off). */
  notes?: string[];
}

/**
 * The operations every backend provides. Shapes are in elements, row-major.
 * "in-place OK" means `out` may be the same handle as the named input.
 */
export interface Kernels {
  /** 'js' | 'wasm' | 'webgpu'. */
  readonly name: string;
  /** Capabilities and notes. */
  readonly info: BackendInfo;

  // ---- memory -------------------------------------------------------------------------
  /** A new zero-filled buffer of `size` elements. */
  alloc(size: number): Storage;
  /**
   * A new buffer of `size` elements with unspecified contents (a freed buffer's old values may
   * remain), for an output the next kernel overwrites completely: it skips `alloc`'s zero fill.
   * Optional; callers fall back to `alloc`. Under {@link setUninitializedPoison} (the test
   * suite) it is filled with NaN, so a kernel that leaves part of its output unwritten shows up.
   */
  allocUninitialized?(size: number): Storage;
  /** A new buffer holding a copy of `data`. */
  upload(data: Float32Array): Storage;
  /** Copies `data` into `dst` starting at element `offset` (default 0). */
  write(dst: Storage, data: Float32Array, offset?: number): void;
  /** Frees everything this backend holds (pools, workers). Handles become invalid. */
  dispose(): void;
  /** Bytes currently allocated to live handles. */
  liveBytes(): number;

  // ---- elementwise --------------------------------------------------------------------
  /** `out[i] = value` for i < n. */
  fill(out: Storage, n: number, value: number): void;
  /** `out[outOffset + i] = x[xOffset + i]` for i < n. Offsets default to 0; same-handle overlapping ranges are not allowed. */
  copy(x: Storage, out: Storage, n: number, xOffset?: number, outOffset?: number): void;
  /** `out[i] = alpha·x[i]`. In-place OK. */
  scale(x: Storage, out: Storage, n: number, alpha: number): void;
  /** `y[i] += alpha·x[i]` (BLAS axpy). `x` must not alias `y`. */
  axpy(alpha: number, x: Storage, y: Storage, n: number): void;
  /**
   * `out[r, c] = a[r, c] (op) b[r, c]` over a `[rows, cols]` output, each operand laid out by
   * its {@link Broadcast} mode. In-place OK for a `full` operand.
   */
  binary(op: BinaryOp, a: Storage, aMode: Broadcast, b: Storage, bMode: Broadcast, out: Storage, rows: number, cols: number): void;
  /**
   * General NumPy broadcasting: `out[idx] = a[Σ idx·aStrides] (op) b[Σ idx·bStrides]` for every
   * index of `shape` (rank ≤ 6; a stride of 0 broadcasts that axis). In-place OK when the
   * aliased operand's strides are the output's contiguous strides.
   */
  binaryStrided(op: BinaryOp, a: Storage, aStrides: readonly number[], b: Storage, bStrides: readonly number[], out: Storage, shape: readonly number[]): void;
  /** `out[i] = f(x[i])` for the math ops. In-place OK. */
  unary(op: UnaryMath, x: Storage, out: Storage, n: number): void;
  /** `out[i] = clamp(x[i], lo, hi)`; NaN stays NaN. In-place OK. */
  clip(x: Storage, out: Storage, n: number, lo: number, hi: number): void;
  /**
   * Strided copy (the one data-movement kernel behind transpose, slice, concat, stack and their
   * gradients): `out[outOffset + Σ idx·outStrides] = x[xOffset + Σ idx·xStrides]` for every index
   * of `shape` (rank ≤ 6; offsets and strides in elements, non-negative). An x stride of 0
   * repeats a value along that axis; an out stride of 0 on an axis longer than 1 is rejected
   * (every index must write its own element — backends do not check overlap beyond that).
   * Elements of `out` not addressed are left alone. `out` must be a different handle from `x`.
   */
  stridedCopy(
    x: Storage, xOffset: number, xStrides: readonly number[],
    out: Storage, outOffset: number, outStrides: readonly number[], shape: readonly number[],
  ): void;
  /**
   * One-hot encoding: `out[r, c] = c === labels[r] ? 1 : 0` for `labels` `[rows]` (class indices
   * as float) and `out` `[rows, cols]`. The caller validates the labels; a label that is not an
   * integer in `[0, cols)` (NaN included) gives an all-zero row on every backend.
   */
  oneHot(labels: Storage, out: Storage, rows: number, cols: number): void;

  // ---- activations --------------------------------------------------------------------
  /**
   * `out[i] = act(x[i])`. `alpha` is leakyRelu's slope (0.01) or elu's alpha (1). NaN propagates
   * through every activation (including `step` and `sign`, where torch gives 0). In-place OK.
   */
  activation(act: Activation, x: Storage, out: Storage, n: number, alpha?: number): void;
  /**
   * `dx[i] = dy[i]·act'(x[i])`, where `y = act(x)` is the forward output (backends may use
   * either). `step`/`sign` have zero derivative; relu'(0) = 0, hardTanh' is 1 inside (−1, 1).
   * In-place OK for `dx === dy`.
   */
  activationBackward(act: Activation, x: Storage, y: Storage, dy: Storage, dx: Storage, n: number, alpha?: number): void;

  // ---- softmax family (per row of [rows, cols]) --------------------------------------
  /** Max-subtracted softmax of each row. In-place OK. */
  softmax(x: Storage, out: Storage, rows: number, cols: number): void;
  /** `x − max − log Σ exp(x − max)` per row. In-place OK. */
  logSoftmax(x: Storage, out: Storage, rows: number, cols: number): void;
  /** `dx = y ⊙ (dy − Σ_row dy ⊙ y)` given the softmax output y. In-place OK for `dx === dy`. */
  softmaxBackward(y: Storage, dy: Storage, dx: Storage, rows: number, cols: number): void;
  /** `dx = dy − exp(y) · Σ_row dy` given the logSoftmax output y. In-place OK for `dx === dy`. */
  logSoftmaxBackward(y: Storage, dy: Storage, dx: Storage, rows: number, cols: number): void;
  /**
   * Fused softmax + cross-entropy forward. Writes `probs` `[rows, cols]` (softmax of logits) and
   * `loss` `[rows]` (−log p of the target, computed from the log-sum-exp, so finite even when p
   * underflows). `labels` are class indices `[rows]` (`oneHot` false) or a `[rows, cols]`
   * distribution (`oneHot` true; loss = −Σ t·logp). Invalid indices are checked by the caller.
   * In-place OK for `probs === logits`; `loss` must be distinct from every other handle.
   */
  softmaxCrossEntropy(logits: Storage, labels: Storage, oneHot: boolean, probs: Storage, loss: Storage, rows: number, cols: number): void;
  /**
   * `dlogits = scale · (probs − target)` where target is one-hot of the index labels or the given
   * distribution. Use `scale = 1/rows` for a batch-mean loss. In-place OK for `dlogits === probs`.
   */
  softmaxCrossEntropyBackward(probs: Storage, labels: Storage, oneHot: boolean, dlogits: Storage, rows: number, cols: number, scale: number): void;

  // ---- reductions ---------------------------------------------------------------------
  /**
   * Reduces the middle axis of x viewed as `[outer, len, inner]` into out `[outer, inner]`.
   * (A per-row reduction of `[r, c]` is `outer=r, len=c, inner=1`; per column `outer=1, len=r, inner=c`.)
   */
  reduce(op: ReduceOp, x: Storage, out: Storage, outer: number, len: number, inner: number): void;
  /** Index (as float) of the first maximum along the middle axis of `[outer, len, inner]`; NaN counts as maximal; an empty axis gives NaN. */
  argmax(x: Storage, out: Storage, outer: number, len: number, inner: number): void;

  // ---- matrix products and distances --------------------------------------------------
  /** `C = act(alpha·op(A)·op(B) + beta·C + bias)`; see {@link GemmParams}. */
  gemm(p: GemmParams): void;
  /**
   * `out[i, j] = dist(a_i, b_j)` for `a` `[m, d]`, `b` `[n, d]`, `out` `[m, n]`. `l2sq` is the
   * squared Euclidean distance (clamped at 0), `l1` the Manhattan distance.
   */
  pairwiseDistance(metric: DistanceMetric, a: Storage, b: Storage, out: Storage, m: number, n: number, d: number): void;

  // ---- convolution and pooling (NCHW, see Conv2dGeometry) -----------------------------
  /**
   * Unfolds image patches: `cols` is `[batch·outH·outW, channels·kernelH·kernelW]`, row
   * `(n, oh, ow)`, column `(c, ki, kj)`, holding
   * `x[n, c, oh·strideH − padTop + ki·dilationH, ow·strideW − padLeft + kj·dilationW]` or 0 where
   * that falls in the padding. A convolution is then `cols · Wᵀ` with W `[outC, channels·kH·kW]`.
   */
  im2col(x: Storage, cols: Storage, g: Conv2dGeometry): void;
  /**
   * The adjoint of {@link Kernels.im2col}: `x` `[batch, channels, height, width]` is overwritten with
   * the sum, over every `cols` entry, of the entry at the input position it was read from
   * (padding entries are dropped). Used for the input gradient of a convolution.
   */
  col2im(cols: Storage, x: Storage, g: Conv2dGeometry): void;
  /**
   * Max pooling: `out` `[batch, channels, outH, outW]` = the window maximum (padding skipped; NaN
   * counts as maximal, first maximum wins), and `argmax` (same shape) the flat index `ih·width + iw`
   * of that element within its input plane, as float. A window entirely in padding gives −Inf and
   * index −1.
   */
  maxPool2d(x: Storage, out: Storage, argmax: Storage, g: Conv2dGeometry): void;
  /**
   * Max pooling's gradient: `dx` (overwritten, `[batch, channels, height, width]`) = Σ of `dy` routed
   * to each `argmax`. `argmax` must be what {@link Kernels.maxPool2d} wrote for the same geometry
   * (an index outside its own window is not routed the same way on every backend).
   */
  maxPool2dBackward(dy: Storage, argmax: Storage, dx: Storage, g: Conv2dGeometry): void;
  /**
   * Average pooling: `out` = window sum / divisor, where the divisor is `kernelH·kernelW` when
   * `countIncludePad` (torch's default) or the number of in-image positions otherwise.
   */
  avgPool2d(x: Storage, out: Storage, g: Conv2dGeometry, countIncludePad: boolean): void;
  /** Average pooling's gradient: `dx` (overwritten) receives `dy / divisor` at every position of each window. */
  avgPool2dBackward(dy: Storage, dx: Storage, g: Conv2dGeometry, countIncludePad: boolean): void;

  // ---- batch normalisation (x viewed as [outer, channels, inner]) ---------------------
  /** Per-channel mean and biased variance over `outer·inner` elements, numerically sound for large means; NaN when `outer·inner = 0`. */
  batchNormStats(x: Storage, mean: Storage, variance: Storage, outer: number, channels: number, inner: number): void;
  /** `out = gamma·(x − mean)/sqrt(var + eps) + beta`. */
  batchNormForward(p: BatchNormForwardParams): void;
  /** Gradients of training-mode batch norm for x, gamma and beta. */
  batchNormBackward(p: BatchNormBackwardParams): void;
  /**
   * torch's running-statistics update: `rm = (1−momentum)·rm + momentum·mean`,
   * `rv = (1−momentum)·rv + momentum·var·count/(count−1)` (unbiased; count = outer·inner of the batch).
   */
  batchNormRunningUpdate(runningMean: Storage, runningVar: Storage, mean: Storage, variance: Storage, channels: number, momentum: number, count: number): void;

  // ---- randomness (Philox-4x32-10, bit-identical across backends) ---------------------
  /**
   * Fills `out[0..n)` with element `offset + i` of the stream for `seed`: uniform in `[low, high)`
   * (24-bit resolution) or normal with `mean`, `std` (Box–Muller in float64 using only IEEE basic
   * operations, rounded to float32 once). See `src/kernels/philox.ts` for the exact stream layout.
   */
  randomUniform(out: Storage, n: number, seed: number, offset: number, low: number, high: number): void;
  /** Normal samples; see {@link Kernels.randomUniform}. */
  randomNormal(out: Storage, n: number, seed: number, offset: number, mean: number, std: number): void;
  /**
   * Inverted-dropout mask: `mask[i] = 1/(1−p)` when Philox word `offset + i` ≥ `floor(p·2^32)`,
   * else 0. With p = 0 every element is 1; p must be in [0, 1).
   */
  dropoutMask(mask: Storage, n: number, p: number, seed: number, offset: number): void;

  // ---- fused optimiser updates (PyTorch's rules, DESIGN §5) ---------------------------
  sgdStep(p: SgdParams): void;
  adamStep(p: AdamParams): void;
  rmspropStep(p: RmspropParams): void;
  adagradStep(p: AdagradParams): void;
  adadeltaStep(p: AdadeltaParams): void;
}

/**
 * Error thrown by backends for invalid kernel arguments: an {@link AxonError} (code
 * 'INVALID_ARGUMENT' unless the backend says otherwise: 'DISPOSED' for a freed handle,
 * 'SHAPE_MISMATCH' for a handle too small for the sizes). `kernel` and `argument` name the culprit.
 */
export class KernelError extends AxonError {
  readonly kernel: string;
  readonly argument: string;
  constructor(kernel: string, argument: string, expected: string, given: string, code: AxonErrorCode = 'INVALID_ARGUMENT') {
    super(code, `${kernel}: argument '${argument}' expected ${expected}, given ${given}`);
    this.name = 'KernelError';
    this.kernel = kernel;
    this.argument = argument;
  }
}
