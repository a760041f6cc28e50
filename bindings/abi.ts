/**
 * The binary interface of the compiled AssemblyScript module (`build/axon-*.wasm`): every export
 * the wasm backend calls, with its exact parameter order. `assembly/index.ts` must export all of
 * these; `bindings/instantiate.ts` checks that it does.
 *
 * Conventions:
 * - A `Ptr` is a byte address in linear memory, 16-byte aligned for every float32 buffer.
 *   0 means "absent" for optional buffers (no valid buffer lives at address 0).
 * - Sizes are element counts (i32). Flags are i32 0/1.
 * - Enumerations are passed as their index in the ordered lists of `src/kernels/kernels.ts`
 *   (ACTIVATIONS, UNARY_MATH, BINARY_OPS, BROADCASTS, REDUCE_OPS).
 * - Random streams: `seedLo`/`seedHi` are the two uint32 halves of the seed (passed as i32),
 *   `offset` is an f64 holding an integer < 2^53 (element index of the first output).
 * - Kernels that need scratch memory say so through a `*Workspace_f32` export returning the
 *   number of bytes; the backend passes a 16-byte-aligned block of at least that size.
 * - Kernels never allocate and never grow memory.
 * - Builds: `axon-simd.wasm`, `axon-relaxed.wasm` (relaxed SIMD), `axon-threads.wasm` and
 *   `axon-relaxed-threads.wasm`; the last two import their memory as `env.memory` (shared, with
 *   a maximum) so that worker instances can run kernels on it, and every export is the same.
 */
export type Ptr = number;

/** Per-activation exports: `${name}_f32` and `${name}Backward_f32` for every name in ACTIVATIONS. */
export type ActivationForward = (x: Ptr, out: Ptr, n: number, alpha: number) => void;
export type ActivationBackward = (x: Ptr, y: Ptr, dy: Ptr, dx: Ptr, n: number, alpha: number) => void;

/** The 14 Conv2dGeometry fields as i32 arguments, in declaration order (conv.ts exports). */
export type Conv2dGeometryArgs = [
  batch: number, channels: number, height: number, width: number, kernelH: number, kernelW: number,
  strideH: number, strideW: number, padTop: number, padLeft: number, dilationH: number, dilationW: number,
  outH: number, outW: number,
];

export interface AxonWasmExports {
  readonly memory: WebAssembly.Memory;
  /** First byte after the module's static data, rounded up to 16: the arena starts here. */
  heapBase(): Ptr;
  /** Compile-time features as bits: 1 = relaxed SIMD, 2 = threads (imported shared memory). */
  buildFeatures(): number;
  /** Bytes of per-thread scratch (16-byte aligned block) a worker instance needs. */
  threadScratchBytes(): number;
  /** Points this instance's kernel scratch at `ptr` (threadScratchBytes bytes); 0 = its static block. */
  setThreadScratch(ptr: Ptr): void;

  // elementwise.ts
  fill_f32(out: Ptr, n: number, value: number): void;
  /** Non-overlapping copy of n floats. */
  copy_f32(x: Ptr, out: Ptr, n: number): void;
  scale_f32(x: Ptr, out: Ptr, n: number, alpha: number): void;
  axpy_f32(alpha: number, x: Ptr, y: Ptr, n: number): void;
  binary_f32(op: number, a: Ptr, aMode: number, b: Ptr, bMode: number, out: Ptr, rows: number, cols: number): void;
  /**
   * General broadcast; `rank` ≤ 6. `shape`, `aStrides`, `bStrides` point to `rank` i32 values each
   * (element strides; 0 broadcasts).
   */
  binaryStrided_f32(op: number, a: Ptr, b: Ptr, out: Ptr, rank: number, shape: Ptr, aStrides: Ptr, bStrides: Ptr): void;
  unary_f32(op: number, x: Ptr, out: Ptr, n: number): void;
  clip_f32(x: Ptr, out: Ptr, n: number, lo: number, hi: number): void;
  /**
   * `out[Σ idx·outStrides] = x[Σ idx·xStrides]` over `shape`; `rank` ≤ 6. `x` and `out` already
   * include the element offsets (so they may be only 4-byte aligned); `shape`, `xStrides`,
   * `outStrides` point to `rank` i32 values each (element strides, non-negative).
   */
  stridedCopy_f32(x: Ptr, out: Ptr, rank: number, shape: Ptr, xStrides: Ptr, outStrides: Ptr): void;
  /** `out[r, c] = c == labels[r] ? 1 : 0` over `[rows, cols]`; a label outside [0, cols) gives a zero row. */
  oneHot_f32(labels: Ptr, out: Ptr, rows: number, cols: number): void;

  // softmax.ts
  softmax_f32(x: Ptr, out: Ptr, rows: number, cols: number): void;
  logSoftmax_f32(x: Ptr, out: Ptr, rows: number, cols: number): void;
  softmaxBackward_f32(y: Ptr, dy: Ptr, dx: Ptr, rows: number, cols: number): void;
  logSoftmaxBackward_f32(y: Ptr, dy: Ptr, dx: Ptr, rows: number, cols: number): void;
  softmaxCrossEntropy_f32(logits: Ptr, labels: Ptr, oneHot: number, probs: Ptr, loss: Ptr, rows: number, cols: number): void;
  softmaxCrossEntropyBackward_f32(probs: Ptr, labels: Ptr, oneHot: number, dlogits: Ptr, rows: number, cols: number, scale: number): void;

  // reduce.ts
  reduce_f32(op: number, x: Ptr, out: Ptr, outer: number, len: number, inner: number): void;
  argmax_f32(x: Ptr, out: Ptr, outer: number, len: number, inner: number): void;

  // gemm.ts
  /** Bytes of scratch `gemm_f32` needs for these sizes (packed panels). */
  gemmWorkspace_f32(m: number, n: number, k: number, transA: number, transB: number): number;
  /** `act` is the ACTIVATIONS index (0 = linear = none); `bias` 0 = none. */
  gemm_f32(
    a: Ptr, b: Ptr, c: Ptr, m: number, n: number, k: number, transA: number, transB: number,
    alpha: number, beta: number, bias: Ptr, act: number, actAlpha: number, ws: Ptr, wsBytes: number,
  ): void;
  /** 1 when gemm_f32 computes this product as Cᵀ (the orientation gemmRange_f32 counts in). */
  gemmSwapped_f32(m: number, n: number): number;
  /**
   * gemm_f32 (k > 0) restricted to rows [r0, r1) × columns [c0, c1) of the computed product;
   * bit-identical to the full call when r0, r1 are multiples of 5 (or m) and c0, c1 of 8 (or n).
   */
  gemmRange_f32(
    a: Ptr, b: Ptr, c: Ptr, m: number, n: number, k: number, transA: number, transB: number,
    alpha: number, beta: number, bias: Ptr, act: number, actAlpha: number, ws: Ptr, wsBytes: number,
    r0: number, r1: number, c0: number, c1: number,
  ): void;

  // distance.ts (metric 0 = l2sq, 1 = l1)
  pairwiseDistanceWorkspace_f32(metric: number, m: number, n: number, d: number): number;
  pairwiseDistance_f32(metric: number, a: Ptr, b: Ptr, out: Ptr, m: number, n: number, d: number, ws: Ptr, wsBytes: number): void;

  // batchnorm.ts
  batchNormStats_f32(x: Ptr, mean: Ptr, variance: Ptr, outer: number, channels: number, inner: number): void;
  batchNormForward_f32(x: Ptr, mean: Ptr, variance: Ptr, gamma: Ptr, beta: Ptr, out: Ptr, outer: number, channels: number, inner: number, eps: number): void;
  batchNormBackwardWorkspace_f32(channels: number): number;
  batchNormBackward_f32(
    x: Ptr, mean: Ptr, variance: Ptr, gamma: Ptr, dy: Ptr, dx: Ptr, dgamma: Ptr, dbeta: Ptr,
    outer: number, channels: number, inner: number, eps: number, ws: Ptr, wsBytes: number,
  ): void;
  /** batchNormStats_f32 for channels [c0, c1) only. */
  batchNormStatsRange_f32(x: Ptr, mean: Ptr, variance: Ptr, outer: number, channels: number, inner: number, c0: number, c1: number): void;
  /** batchNormBackward_f32 for channels [c0, c1) only (no workspace). */
  batchNormBackwardRange_f32(
    x: Ptr, mean: Ptr, variance: Ptr, gamma: Ptr, dy: Ptr, dx: Ptr, dgamma: Ptr, dbeta: Ptr,
    outer: number, channels: number, inner: number, eps: number, c0: number, c1: number,
  ): void;
  batchNormRunningUpdate_f32(runningMean: Ptr, runningVar: Ptr, mean: Ptr, variance: Ptr, channels: number, momentum: number, count: number): void;

  // random.ts
  randomUniform_f32(out: Ptr, n: number, seedLo: number, seedHi: number, offset: number, low: number, high: number): void;
  randomNormal_f32(out: Ptr, n: number, seedLo: number, seedHi: number, offset: number, mean: number, std: number): void;
  /** Keep iff word ≥ threshold (uint32 passed as i32 bits); kept value = `scale`. */
  dropoutMask_f32(mask: Ptr, n: number, threshold: number, scale: number, seedLo: number, seedHi: number, offset: number): void;

  // optim.ts (absent buffers are 0; flags 0/1)
  sgdStep_f32(param: Ptr, grad: Ptr, momentumBuffer: Ptr, n: number, lr: number, momentum: number, dampening: number, nesterov: number, weightDecay: number, firstStep: number): void;
  adamStep_f32(
    param: Ptr, grad: Ptr, m: Ptr, v: Ptr, vMax: Ptr, n: number, lr: number, beta1: number, beta2: number,
    eps: number, weightDecay: number, step: number, decoupled: number, amsgrad: number,
  ): void;
  rmspropStep_f32(
    param: Ptr, grad: Ptr, squareAvg: Ptr, gradAvg: Ptr, momentumBuffer: Ptr, n: number, lr: number,
    alpha: number, eps: number, weightDecay: number, momentum: number, centered: number,
  ): void;
  adagradStep_f32(param: Ptr, grad: Ptr, sum: Ptr, n: number, lr: number, eps: number, weightDecay: number): void;
  adadeltaStep_f32(param: Ptr, grad: Ptr, squareAvg: Ptr, accDelta: Ptr, n: number, lr: number, rho: number, eps: number, weightDecay: number): void;

  // conv.ts. `...g` is the 14 Conv2dGeometry fields in declaration order (batch, channels, height,
  // width, kernelH, kernelW, strideH, strideW, padTop, padLeft, dilationH, dilationW, outH, outW).
  // Each call covers the units [lo, hi): output rows n·outH + oh for im2col, planes n·channels + c
  // for the others; a call over [0, total) is the whole kernel, and any cut gives the same bits.
  im2col_f32(x: Ptr, cols: Ptr, ...g: [...Conv2dGeometryArgs, lo: number, hi: number]): void;
  col2im_f32(cols: Ptr, x: Ptr, ...g: [...Conv2dGeometryArgs, lo: number, hi: number]): void;
  maxPool2d_f32(x: Ptr, out: Ptr, argmax: Ptr, ...g: [...Conv2dGeometryArgs, lo: number, hi: number]): void;
  maxPool2dBackward_f32(dy: Ptr, argmax: Ptr, dx: Ptr, ...g: [...Conv2dGeometryArgs, lo: number, hi: number]): void;
  avgPool2d_f32(x: Ptr, out: Ptr, ...g: [...Conv2dGeometryArgs, countIncludePad: number, lo: number, hi: number]): void;
  avgPool2dBackward_f32(dy: Ptr, dx: Ptr, ...g: [...Conv2dGeometryArgs, countIncludePad: number, lo: number, hi: number]): void;

  // activations.ts: `${name}_f32: ActivationForward` and `${name}Backward_f32: ActivationBackward`
  // for each name in ACTIVATIONS (linear, relu, leakyRelu, …, bipolarSigmoid).
  [activationExport: string]: unknown;
}

/** Names of the non-activation exports, checked at instantiation. */
export const REQUIRED_EXPORTS: readonly string[] = [
  'memory', 'heapBase', 'buildFeatures', 'threadScratchBytes', 'setThreadScratch',
  'fill_f32', 'copy_f32', 'scale_f32', 'axpy_f32', 'binary_f32', 'binaryStrided_f32', 'unary_f32', 'clip_f32',
  'stridedCopy_f32', 'oneHot_f32',
  'softmax_f32', 'logSoftmax_f32', 'softmaxBackward_f32', 'logSoftmaxBackward_f32', 'softmaxCrossEntropy_f32', 'softmaxCrossEntropyBackward_f32',
  'reduce_f32', 'argmax_f32',
  'gemmWorkspace_f32', 'gemm_f32', 'gemmSwapped_f32', 'gemmRange_f32',
  'pairwiseDistanceWorkspace_f32', 'pairwiseDistance_f32',
  'batchNormStats_f32', 'batchNormForward_f32', 'batchNormBackwardWorkspace_f32', 'batchNormBackward_f32', 'batchNormRunningUpdate_f32',
  'batchNormStatsRange_f32', 'batchNormBackwardRange_f32',
  'randomUniform_f32', 'randomNormal_f32', 'dropoutMask_f32',
  'sgdStep_f32', 'adamStep_f32', 'rmspropStep_f32', 'adagradStep_f32', 'adadeltaStep_f32',
  'im2col_f32', 'col2im_f32', 'maxPool2d_f32', 'maxPool2dBackward_f32', 'avgPool2d_f32', 'avgPool2dBackward_f32',
];
