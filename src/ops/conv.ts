/**
 * 2-D convolution over NCHW tensors (PyTorch's layout and semantics: cross-correlation,
 * weight `[outChannels, inChannels, kH, kW]`), and the NCHW ↔ NHWC layout helpers.
 *
 * conv2d runs as im2col → one GEMM → a strided copy: the patches of a chunk of images become
 * rows `cols [n·outH·outW, C·kH·kW]`, `cols · Wᵀ` (W viewed as `[outC, C·kH·kW]`, the transpose
 * folded into the GEMM) gives channels-last rows `[n·outH·outW, outC]` with the bias and the
 * activation fused into the GEMM's epilogue, and a strided copy moves them to NCHW. Batches
 * whose columns would exceed the workspace cap (`setConvWorkspaceLimit`, default 16M floats)
 * run in chunks of whole images, so memory stays bounded for any batch size; columns that are
 * not kept for the backward pass (inference) run in cache-sized chunks on the CPU backends.
 */
import { record, willRecord } from '../autograd/record.js';
import { conv2dGrad } from '../autograd/rules/conv2d.js';
import { ArgumentError, ShapeError, checkName, checkOptions, describeValue, fmtShape } from '../errors.js';
import { ACTIVATIONS, type Activation, type Storage } from '../kernels/kernels.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { chunkSize, chunks, checkPadding, geometry, kernelGeometry, mayKeepColumns, pair, type Padding2d, type ResolvedGeometry, type Size2d } from './conv-geometry.js';
import { empty, toTensor } from './create.js';
import { transpose } from './transpose.js';
import { scratch, uninitialized } from './scratch.js';

/** Options of {@link conv2d}. */
export interface Conv2dOptions {
  /** Step between windows, per axis (default 1). */
  stride?: Size2d;
  /** 'valid' (default), 'same', a number, [padH, padW] or [top, bottom, left, right]; see conv-geometry.ts. */
  padding?: Padding2d;
  /** Spacing between kernel taps (default 1). */
  dilation?: Size2d;
  /** Activation fused into the GEMM epilogue (default 'linear'). */
  activation?: Activation;
  /** leakyRelu's slope / elu's alpha. */
  alpha?: number;
}

const CONV_KEYS = ['stride', 'padding', 'dilation', 'activation', 'alpha'];

/**
 * Columns per chunk, at most, when the forward pass does not keep them (inference, frozen
 * weights): 1M floats (4 MiB) stay in the last-level cache from im2col to the GEMM that reads
 * them. Whole-batch columns did not — batch-256 inference of the LeNet-style MNIST CNN, whose
 * conv2 columns are 13M floats, ran ~20 % slower on 1 and 2 threads (bench/cnn.bench.ts).
 */
const CACHED_COLUMNS = 1 << 20;

/** Activations whose derivative can be computed from the output (so the fused epilogue also serves training). */
export function outputSuffices(act: Activation, alpha: number | undefined): boolean {
  if (act === 'leakyRelu') return (alpha ?? 0.01) >= 0;
  return act === 'linear' || act === 'relu' || act === 'hardTanh' || act === 'step' || act === 'sign';
}

/** Checks conv2d's operands and options; returns the geometry. */
function convGeometry(fn: string, x: Tensor, w: Tensor, b: Tensor | null, o: Conv2dOptions): ResolvedGeometry {
  if (w.rank !== 4) throw new ShapeError(`${fn}: argument 'weight' expected a 4-D tensor [outChannels, inChannels, kernelH, kernelW], given shape ${fmtShape(w.shape)}`);
  if (x.rank !== 4) throw new ShapeError(`${fn}: argument 'x' expected a 4-D tensor [batch, channels, height, width] (NCHW), given shape ${fmtShape(x.shape)}`);
  const [outC, inC, kH, kW] = w.shape as [number, number, number, number];
  if (x.shape[1] !== inC) {
    throw new ShapeError(`${fn}: input has ${x.shape[1]} channels (x ${fmtShape(x.shape)}) but the weight expects ${inC} (weight ${fmtShape(w.shape)} is [outChannels, inChannels, kH, kW])`);
  }
  if (kH < 1 || kW < 1 || outC < 1) throw new ShapeError(`${fn}: argument 'weight' has an empty dimension, given shape ${fmtShape(w.shape)}`);
  if (b && (b.rank !== 1 || b.shape[0] !== outC)) throw new ShapeError(`${fn}: argument 'bias' expected shape [${outC}], given ${fmtShape(b.shape)}`);
  return geometry(fn, x.shape, {
    kernel: [kH, kW],
    stride: pair(fn, 'stride', o.stride ?? 1),
    dilation: pair(fn, 'dilation', o.dilation ?? 1),
    padding: checkPadding(fn, o.padding ?? 'valid'),
  });
}

/** What {@link conv2dRaw} returns: the NCHW output, and the columns when asked to keep them. */
export interface Conv2dResult {
  out: Tensor;
  /** `[N·outH·outW, C·kH·kW]` im2col of the whole batch, when `keepCols` and it fit in one chunk. */
  cols: Tensor | null;
}

/**
 * The convolution without autograd: `act(conv(x, w) + b)` as NCHW `[N, outC, outH, outW]`.
 * With `keepCols` (and a batch that fits one chunk under {@link mayKeepColumns}) the im2col
 * columns are returned too, so the backward pass need not recompute them. Exported for the
 * gradient rule and layers; use {@link conv2d}.
 */
export function conv2dRaw(x: Tensor, w: Tensor, b: Tensor | null, g: ResolvedGeometry, activation: Activation = 'linear', alpha?: number, keepCols = false): Conv2dResult {
  const outC = w.shape[0]!;
  const P = g.outH * g.outW;
  const K = g.channels * g.kernelH * g.kernelW;
  if (g.batch * outC * P === 0) return { out: empty([g.batch, outC, g.outH, g.outW]), cols: null };
  // Every buffer below is overwritten whole by its kernel (stridedCopy, im2col, gemm, copy).
  const out = uninitialized([g.batch, outC, g.outH, g.outW]);
  const k = x.backend;
  const whole = chunkSize(g.batch, P * K);
  const imageIn = g.channels * g.height * g.width;
  const kept = keepCols && whole >= g.batch && mayKeepColumns(g.batch * P * K) ? uninitialized([g.batch * P, K]) : null;
  // Columns nobody keeps go through in cache-sized chunks (same results: each output row is
  // one GEMM row whatever the chunk). Not on a GPU, where each chunk is only more dispatches.
  const cached = kept || k.name === 'webgpu' ? whole : Math.max(1, Math.floor(CACHED_COLUMNS / (P * K)));
  const per = Math.min(whole, cached);
  const cols = kept ? kept.storage : scratch(k, per * P * K);
  const rows = scratch(k, per * P * outC);
  const xChunk = per < g.batch ? scratch(k, per * imageIn) : null;
  try {
    for (const [n0, nb] of chunks(g.batch, per)) {
      let src: Storage = x.storage;
      if (xChunk) {
        k.copy(x.storage, xChunk, nb * imageIn, n0 * imageIn, 0);
        src = xChunk;
      }
      k.im2col(src, cols, kernelGeometry(g, nb));
      k.gemm({ a: cols, b: w.storage, c: rows, m: nb * P, n: outC, k: K, transB: true, bias: b?.storage, activation, activationAlpha: alpha });
      rowsToNchw(k, rows, out.storage, n0, nb, P, outC);
    }
  } finally {
    if (!kept) cols.dispose();
    rows.dispose();
    xChunk?.dispose();
  }
  return { out, cols: kept };
}

/** Copies channels-last rows `[nb, P, C]` into images `n0…n0+nb` of an NCHW buffer `[·, C, P]`. */
export function rowsToNchw(k: Tensor['backend'], rows: Storage, out: Storage, n0: number, nb: number, P: number, C: number): void {
  if (nb * P * C === 0) return;
  // Walked in the output's order (P innermost, unit stride on the written side): the wasm
  // stridedCopy then takes its tiled-transpose path, ~3× faster than scattering each row's C
  // values P apart (LeNet conv1 at batch 64: 0.55 → 0.19 ms). Same elements, same values.
  k.stridedCopy(rows, 0, [P * C, 1, C], out, n0 * C * P, [C * P, P, 1], [nb, C, P]);
}

/** Copies images `n0…n0+nb` of an NCHW buffer `[·, C, P]` into channels-last rows `[nb, P, C]`. */
export function nchwToRows(k: Tensor['backend'], x: Storage, rows: Storage, n0: number, nb: number, P: number, C: number): void {
  if (nb * P * C === 0) return;
  k.stridedCopy(x, n0 * C * P, [C * P, 1, P], rows, 0, [P * C, C, 1], [nb, P, C]);
}

/**
 * 2-D convolution (cross-correlation, as torch.nn.functional.conv2d) of x `[N, C, H, W]` with
 * weight `[outC, C, kH, kW]` and optional bias `[outC]`, giving `[N, outC, outH, outW]` with
 * `out = floor((in + padBefore + padAfter − dilation·(k − 1) − 1) / stride) + 1` per axis.
 * An optional activation is fused (one graph node, like `dense`).
 */
export function conv2d(x: TensorLike, weight: TensorLike, bias: TensorLike | null = null, options: Conv2dOptions = {}): Tensor {
  const fn = 'conv2d';
  checkOptions(fn, options, CONV_KEYS);
  const tx = toTensor(x, fn, 'x');
  const tw = toTensor(weight, fn, 'weight');
  const tb = bias === null || bias === undefined ? null : toTensor(bias, fn, 'bias');
  const act = checkName(fn, 'activation', options.activation ?? 'linear', ACTIVATIONS);
  const alpha = options.alpha;
  if (alpha !== undefined && (typeof alpha !== 'number' || !Number.isFinite(alpha))) throw new ArgumentError(`${fn}: option 'alpha' expected a finite number, given ${describeValue(alpha)}`);
  const g = convGeometry(fn, tx, tw, tb, options);
  const inputs = tb ? [tx, tw, tb] : [tx, tw];
  const recording = willRecord(...inputs);
  let out: Tensor;
  let pre: Tensor | null = null;
  let cols: Tensor | null;
  if (!recording || outputSuffices(act, alpha)) {
    ({ out, cols } = conv2dRaw(tx, tw, tb, g, act, alpha, recording && tw.requiresGrad));
  } else {
    // The derivative needs the pre-activation: keep z, apply the activation as a second pass.
    ({ out: pre, cols } = conv2dRaw(tx, tw, tb, g, 'linear', undefined, tw.requiresGrad));
    out = uninitialized(pre.shape);
    if (out.size > 0) out.backend.activation(act, pre.storage, out.storage, out.size, alpha);
  }
  const z = pre;
  const saved = cols;
  return record(out, 'conv2d', inputs, (dy) => conv2dGrad(dy, tx, tw, tb, z, out, act, alpha, g, saved));
}

function check4d(fn: string, t: Tensor): void {
  if (t.rank !== 4) throw new ShapeError(`${fn}: argument 'x' expected a 4-D tensor, given shape ${fmtShape(t.shape)}`);
}

/** NCHW `[N, C, H, W]` → channels-last NHWC `[N, H, W, C]` (a copy, with autograd). */
export function toChannelsLast(x: TensorLike): Tensor {
  const t = toTensor(x, 'toChannelsLast', 'x');
  check4d('toChannelsLast', t);
  return transpose(t, [0, 2, 3, 1]);
}

/** Channels-last NHWC `[N, H, W, C]` → NCHW `[N, C, H, W]` (a copy, with autograd). */
export function toChannelsFirst(x: TensorLike): Tensor {
  const t = toTensor(x, 'toChannelsFirst', 'x');
  check4d('toChannelsFirst', t);
  return transpose(t, [0, 3, 1, 2]);
}
