/**
 * Shapes of 2-D convolution and pooling over NCHW tensors (batch, channels, height, width):
 * parsing `kernelSize` / `stride` / `dilation` / `padding` options, the output size, the
 * kernel contract's {@link Conv2dGeometry}, and the batch chunks that keep the im2col
 * workspace under a cap.
 *
 * Padding: `'valid'` (none), a number (every side), `[ph, pw]` (top = bottom = ph,
 * left = right = pw), `[top, bottom, left, right]`, or `'same'`. `'same'` follows TensorFlow's
 * rule, which for stride 1 is also PyTorch's: per axis `out = ceil(in / stride)` and the
 * total padding `max((out − 1)·stride + dilation·(k − 1) + 1 − in, 0)` is split with the odd
 * element after (bottom / right). PyTorch only accepts 'same' with stride 1; with stride 1 the
 * two agree exactly, with stride > 1 this is TensorFlow's 'SAME'.
 */
import { ArgumentError, ShapeError, describeValue, fmtShape } from '../errors.js';
import type { Conv2dGeometry } from '../kernels/kernels.js';

/** A padding specification; see the file comment. */
export type Padding2d = 'same' | 'valid' | number | readonly [number, number] | readonly [number, number, number, number];

/** A size per spatial axis: one number for both, or `[height, width]`. */
export type Size2d = number | readonly [number, number];

/** Resolved padding in elements. */
export interface Pads2d {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** A geometry plus the padding it implies (bottom/right are fixed by outH/outW). */
export interface ResolvedGeometry extends Conv2dGeometry {
  pads: Pads2d;
}

/** Default cap on the im2col workspace, in float32 elements (16M = 64 MiB). */
export const DEFAULT_CONV_WORKSPACE = 1 << 24;
let workspaceCap = DEFAULT_CONV_WORKSPACE;

/**
 * Sets the cap on conv2d's im2col workspace (float32 elements; at least one image's columns are
 * always used) and returns the previous cap. Larger batches run in chunks of whole images.
 */
export function setConvWorkspaceLimit(elements: number): number {
  if (typeof elements !== 'number' || !Number.isInteger(elements) || elements < 1) {
    throw new ArgumentError(`setConvWorkspaceLimit: argument 'elements' expected a positive integer, given ${describeValue(elements)}`);
  }
  const prev = workspaceCap;
  workspaceCap = elements;
  return prev;
}

/** Images per chunk so that `perImage·chunk ≤ cap` (at least 1, at most `batch`). */
export function chunkSize(batch: number, perImage: number): number {
  if (perImage <= 0) return Math.max(batch, 1);
  return Math.max(1, Math.min(batch, Math.floor(workspaceCap / perImage)));
}

/**
 * True when the forward pass may keep a layer's whole-batch columns (`elements` floats) for its
 * backward pass instead of recomputing them: at most half the workspace cap, so a few conv
 * layers' saved columns stay well bounded.
 */
export function mayKeepColumns(elements: number): boolean {
  return elements <= workspaceCap / 2;
}

/** `[start, count]` of each chunk of `batch` images, `size` images at a time. */
export function chunks(batch: number, size: number): Array<[number, number]> {
  if (!(Number.isInteger(size) && size >= 1)) throw new ArgumentError(`chunks: argument 'size' expected a positive integer, given ${describeValue(size)}`);
  const out: Array<[number, number]> = [];
  for (let n0 = 0; n0 < batch; n0 += size) out.push([n0, Math.min(size, batch - n0)]);
  return out;
}

/** A positive integer, or a pair of them, as `[h, w]`. */
export function pair(fn: string, arg: string, v: unknown, min = 1): [number, number] {
  const ok = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= min;
  if (ok(v)) return [v, v];
  if (Array.isArray(v) && v.length === 2 && ok(v[0]) && ok(v[1])) return [v[0], v[1]];
  const what = min === 1 ? 'a positive integer' : `an integer ≥ ${min}`;
  throw new ArgumentError(`${fn}: argument '${arg}' expected ${what} or a pair [height, width] of them, given ${Array.isArray(v) ? fmtShape(v as number[]) : describeValue(v)}`);
}

/** Checks a padding option's form (without the input size, which 'same' needs). */
export function checkPadding(fn: string, padding: unknown): Padding2d {
  if (padding === 'same' || padding === 'valid') return padding;
  const nonNeg = (x: unknown): boolean => typeof x === 'number' && Number.isInteger(x) && x >= 0;
  if (nonNeg(padding)) return padding as number;
  if (Array.isArray(padding) && (padding.length === 2 || padding.length === 4) && padding.every(nonNeg)) {
    return [...padding] as unknown as Padding2d;
  }
  throw new ArgumentError(
    `${fn}: option 'padding' expected 'same', 'valid', a non-negative integer, [padH, padW] or [top, bottom, left, right], given ${Array.isArray(padding) ? fmtShape(padding as number[]) : describeValue(padding)}`,
  );
}

function sameAxis(size: number, k: number, stride: number, dilation: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + dilation * (k - 1) + 1 - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** Padding in elements for an input of `h × w`; see the file comment for 'same'. */
export function resolvePadding(padding: Padding2d, h: number, w: number, k: [number, number], stride: [number, number], dilation: [number, number]): Pads2d {
  if (padding === 'valid') return { top: 0, bottom: 0, left: 0, right: 0 };
  if (padding === 'same') {
    const [top, bottom] = sameAxis(h, k[0], stride[0], dilation[0]);
    const [left, right] = sameAxis(w, k[1], stride[1], dilation[1]);
    return { top, bottom, left, right };
  }
  if (typeof padding === 'number') return { top: padding, bottom: padding, left: padding, right: padding };
  if (padding.length === 2) return { top: padding[0], bottom: padding[0], left: padding[1], right: padding[1] };
  return { top: padding[0], bottom: padding[1], left: padding[2], right: padding[3] };
}

/** What {@link geometry} needs besides the input shape. */
export interface WindowSpec {
  kernel: [number, number];
  stride: [number, number];
  dilation: [number, number];
  padding: Padding2d;
}

/**
 * The geometry of a window `spec` sliding over x `[N, C, H, W]`; throws a ShapeError naming `fn`
 * when x is not 4-D or the (dilated) window is larger than the padded input.
 */
export function geometry(fn: string, xShape: readonly number[], spec: WindowSpec, arg = 'x'): ResolvedGeometry {
  if (xShape.length !== 4) {
    throw new ShapeError(`${fn}: argument '${arg}' expected a 4-D tensor [batch, channels, height, width] (NCHW), given shape ${fmtShape(xShape)}`);
  }
  const [batch, channels, height, width] = xShape as [number, number, number, number];
  const pads = resolvePadding(spec.padding, height, width, spec.kernel, spec.stride, spec.dilation);
  const effH = spec.dilation[0] * (spec.kernel[0] - 1) + 1;
  const effW = spec.dilation[1] * (spec.kernel[1] - 1) + 1;
  const padH = height + pads.top + pads.bottom;
  const padW = width + pads.left + pads.right;
  if (effH > padH || effW > padW) {
    const dil = spec.dilation[0] > 1 || spec.dilation[1] > 1 ? ` (dilated to ${effH}×${effW})` : '';
    throw new ShapeError(
      `${fn}: the ${spec.kernel[0]}×${spec.kernel[1]} window${dil} is larger than the padded input ${padH}×${padW} (input ${fmtShape(xShape)}, padding top ${pads.top}, bottom ${pads.bottom}, left ${pads.left}, right ${pads.right})`,
    );
  }
  const outH = Math.floor((padH - effH) / spec.stride[0]) + 1;
  const outW = Math.floor((padW - effW) / spec.stride[1]) + 1;
  return {
    batch, channels, height, width,
    kernelH: spec.kernel[0], kernelW: spec.kernel[1],
    strideH: spec.stride[0], strideW: spec.stride[1],
    padTop: pads.top, padLeft: pads.left,
    dilationH: spec.dilation[0], dilationW: spec.dilation[1],
    outH, outW, pads,
  };
}

/** The kernel-contract part of a geometry, for `batch` images (a chunk). */
export function kernelGeometry(g: ResolvedGeometry, batch = g.batch): Conv2dGeometry {
  return {
    batch, channels: g.channels, height: g.height, width: g.width,
    kernelH: g.kernelH, kernelW: g.kernelW, strideH: g.strideH, strideW: g.strideW,
    padTop: g.padTop, padLeft: g.padLeft, dilationH: g.dilationH, dilationW: g.dilationW,
    outH: g.outH, outW: g.outW,
  };
}
