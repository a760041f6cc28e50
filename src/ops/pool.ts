/**
 * Pooling over NCHW tensors with PyTorch's semantics: `maxPool2d` (padding never wins; NaN
 * propagates; ties go to the first maximum), `avgPool2d` (`countIncludePad` default true, like
 * torch), and `globalAvgPool2d` (the mean over height and width). The window's stride defaults
 * to its size. Padding may be at most half the (dilated) window per side, as in torch, so every
 * window overlaps the input.
 */
import { record } from '../autograd/record.js';
import { avgPool2dGrad, maxPool2dGrad } from '../autograd/rules/pool.js';
import { ArgumentError, ShapeError, checkOptions, describeValue, fmtShape } from '../errors.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { checkPadding, geometry, kernelGeometry, pair, type Padding2d, type ResolvedGeometry, type Size2d } from './conv-geometry.js';
import { toTensor } from './create.js';
import { mean } from './reduce.js';
import { uninitialized } from './scratch.js';

/** Options of {@link maxPool2d}. */
export interface MaxPool2dOptions {
  /** Step between windows (default: the window size). */
  stride?: Size2d;
  /** 'valid' (default), 'same', a number, [padH, padW] or [top, bottom, left, right]. */
  padding?: Padding2d;
  /** Spacing between window taps (default 1). */
  dilation?: Size2d;
}

/** Options of {@link avgPool2d}. */
export interface AvgPool2dOptions {
  /** Step between windows (default: the window size). */
  stride?: Size2d;
  /** 'valid' (default), 'same', a number, [padH, padW] or [top, bottom, left, right]. */
  padding?: Padding2d;
  /** Divide by the whole window (true, torch's default) or by its in-image part only. */
  countIncludePad?: boolean;
}

/** The geometry of a pooling window over x, with torch's padding limit. */
export function poolGeometry(fn: string, x: Tensor, kernelSize: Size2d, o: MaxPool2dOptions): ResolvedGeometry {
  const kernel = pair(fn, 'kernelSize', kernelSize);
  const g = geometry(fn, x.shape, {
    kernel,
    stride: pair(fn, 'stride', o.stride ?? kernel),
    dilation: pair(fn, 'dilation', o.dilation ?? 1),
    padding: checkPadding(fn, o.padding ?? 'valid'),
  });
  const halfH = Math.floor((g.dilationH * (g.kernelH - 1) + 1) / 2);
  const halfW = Math.floor((g.dilationW * (g.kernelW - 1) + 1) / 2);
  const p = g.pads;
  if (Math.max(p.top, p.bottom) > halfH || Math.max(p.left, p.right) > halfW) {
    throw new ShapeError(
      `${fn}: padding (top ${p.top}, bottom ${p.bottom}, left ${p.left}, right ${p.right}) may be at most half the ${g.kernelH}×${g.kernelW} window (${halfH} rows, ${halfW} columns per side), as in torch`,
    );
  }
  return g;
}

/**
 * Max pooling of x `[N, C, H, W]` over `kernelSize` windows → `[N, C, outH, outW]`
 * (torch.nn.functional.max_pool2d without ceil mode).
 */
export function maxPool2d(x: TensorLike, kernelSize: Size2d, options: MaxPool2dOptions = {}): Tensor {
  const fn = 'maxPool2d';
  checkOptions(fn, options, ['stride', 'padding', 'dilation']);
  const t = toTensor(x, fn, 'x');
  const g = poolGeometry(fn, t, kernelSize, options);
  const kg = kernelGeometry(g);
  const shape = [g.batch, g.channels, g.outH, g.outW];
  const out = uninitialized(shape); // maxPool2d writes every output and index
  const argmax = uninitialized(shape);
  if (out.size > 0) t.backend.maxPool2d(t.storage, out.storage, argmax.storage, kg);
  record(out, 'maxPool2d', [t], (dy) => [maxPool2dGrad(dy, argmax, t.shape, kg)]);
  if (out.node === null) argmax.dispose(); // not recorded: nobody needs the indices
  return out;
}

/**
 * Average pooling of x `[N, C, H, W]` over `kernelSize` windows → `[N, C, outH, outW]`
 * (torch.nn.functional.avg_pool2d without ceil mode).
 */
export function avgPool2d(x: TensorLike, kernelSize: Size2d, options: AvgPool2dOptions = {}): Tensor {
  const fn = 'avgPool2d';
  checkOptions(fn, options, ['stride', 'padding', 'countIncludePad']);
  const t = toTensor(x, fn, 'x');
  const cip = options.countIncludePad ?? true;
  if (typeof cip !== 'boolean') throw new ArgumentError(`${fn}: option 'countIncludePad' expected a boolean, given ${describeValue(cip)}`);
  const g = poolGeometry(fn, t, kernelSize, { stride: options.stride, padding: options.padding });
  const kg = kernelGeometry(g);
  const out = uninitialized([g.batch, g.channels, g.outH, g.outW]);
  if (out.size > 0) t.backend.avgPool2d(t.storage, out.storage, kg, cip);
  return record(out, 'avgPool2d', [t], (dy) => [avgPool2dGrad(dy, t.shape, kg, cip)]);
}

/**
 * Mean over height and width of x `[N, C, H, W]`: `[N, C]`, or `[N, C, 1, 1]` with `keepDims`
 * (torch's AdaptiveAvgPool2d(1)).
 */
export function globalAvgPool2d(x: TensorLike, options: { keepDims?: boolean } = {}): Tensor {
  const fn = 'globalAvgPool2d';
  checkOptions(fn, options, ['keepDims']);
  const t = toTensor(x, fn, 'x');
  if (t.rank !== 4) throw new ShapeError(`${fn}: argument 'x' expected a 4-D tensor [batch, channels, height, width] (NCHW), given shape ${fmtShape(t.shape)}`);
  const keep = options.keepDims ?? false;
  if (typeof keep !== 'boolean') throw new ArgumentError(`${fn}: option 'keepDims' expected a boolean, given ${describeValue(keep)}`);
  if (t.shape[2] === 0 || t.shape[3] === 0) throw new ShapeError(`${fn}: the input has no pixels to average (shape ${fmtShape(t.shape)})`);
  return mean(t, [2, 3], keep);
}
