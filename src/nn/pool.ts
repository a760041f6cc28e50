/**
 * Pooling layers over NCHW input (torch.nn semantics, src/ops/pool.ts): `MaxPool2d`,
 * `AvgPool2d` (stride defaults to the window size) and `GlobalAvgPool2d` (`[N, C, H, W]` →
 * `[N, C]`, ready for a Dense layer; `keepDims` gives `[N, C, 1, 1]`). No parameters.
 */
import { ArgumentError, ShapeError, checkOptions, describeValue } from '../errors.js';
import { checkPadding, pair, resolvePadding, type Padding2d, type Size2d } from '../ops/conv-geometry.js';
import { avgPool2d, globalAvgPool2d, maxPool2d } from '../ops/pool.js';
import type { Tensor } from '../tensor.js';
import { Module, type ModuleConfig } from './module.js';

/** Options of {@link MaxPool2d}. */
export interface MaxPool2dLayerOptions {
  /** Step between windows (default: the window size). */
  stride?: Size2d;
  /** 'valid' (default), 'same', a number, [padH, padW] or [top, bottom, left, right]; at most half the window per side. */
  padding?: Padding2d;
  /** Spacing between window taps (default 1). */
  dilation?: Size2d;
}

/** Options of {@link AvgPool2d}. */
export interface AvgPool2dLayerOptions {
  /** Step between windows (default: the window size). */
  stride?: Size2d;
  /** 'valid' (default), 'same', a number, [padH, padW] or [top, bottom, left, right]; at most half the window per side. */
  padding?: Padding2d;
  /** Divide by the whole window including padding (default true, as torch). */
  countIncludePad?: boolean;
}

/** Rejects explicit padding larger than half the window up front (the op checks 'same' per input). */
function checkPoolPadding(fn: string, padding: Padding2d, kernel: [number, number], dilation: [number, number]): void {
  if (padding === 'same' || padding === 'valid') return;
  const p = resolvePadding(padding, 0, 0, kernel, [1, 1], dilation);
  const halfH = Math.floor((dilation[0] * (kernel[0] - 1) + 1) / 2);
  const halfW = Math.floor((dilation[1] * (kernel[1] - 1) + 1) / 2);
  if (Math.max(p.top, p.bottom) > halfH || Math.max(p.left, p.right) > halfW) {
    throw new ShapeError(`${fn}: padding ${JSON.stringify(padding)} may be at most half the ${kernel[0]}×${kernel[1]} window (${halfH} rows, ${halfW} columns per side), as in torch`);
  }
}

function sizeText(s: [number, number]): string {
  return s[0] === s[1] ? `${s[0]}` : `${s[0]}×${s[1]}`;
}

/** Max pooling; see the file comment. */
export class MaxPool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: Padding2d;
  readonly dilation: [number, number];

  constructor(kernelSize: Size2d, options: MaxPool2dLayerOptions = {}) {
    super();
    const fn = 'MaxPool2d';
    this.kernelSize = pair(fn, 'kernelSize', kernelSize);
    checkOptions(fn, options, ['stride', 'padding', 'dilation']);
    this.stride = pair(fn, 'stride', options.stride ?? this.kernelSize);
    this.dilation = pair(fn, 'dilation', options.dilation ?? 1);
    this.padding = checkPadding(fn, options.padding ?? 'valid');
    checkPoolPadding(fn, this.padding, this.kernelSize, this.dilation);
  }

  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding, dilation: this.dilation });
  }

  getConfig(): ModuleConfig {
    return { type: 'MaxPool2d', args: [this.kernelSize, { stride: this.stride, padding: this.padding, dilation: this.dilation }] };
  }

  override toString(): string {
    const extra = this.stride[0] !== this.kernelSize[0] || this.stride[1] !== this.kernelSize[1] ? `, stride ${sizeText(this.stride)}` : '';
    return `MaxPool2d(${sizeText(this.kernelSize)}${extra})`;
  }
}

/** Average pooling; see the file comment. */
export class AvgPool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: Padding2d;
  readonly countIncludePad: boolean;

  constructor(kernelSize: Size2d, options: AvgPool2dLayerOptions = {}) {
    super();
    const fn = 'AvgPool2d';
    this.kernelSize = pair(fn, 'kernelSize', kernelSize);
    checkOptions(fn, options, ['stride', 'padding', 'countIncludePad']);
    this.stride = pair(fn, 'stride', options.stride ?? this.kernelSize);
    this.padding = checkPadding(fn, options.padding ?? 'valid');
    const cip = options.countIncludePad ?? true;
    if (typeof cip !== 'boolean') throw new ArgumentError(`${fn}: option 'countIncludePad' expected a boolean, given ${describeValue(cip)}`);
    this.countIncludePad = cip;
    checkPoolPadding(fn, this.padding, this.kernelSize, [1, 1]);
  }

  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding, countIncludePad: this.countIncludePad });
  }

  getConfig(): ModuleConfig {
    return { type: 'AvgPool2d', args: [this.kernelSize, { stride: this.stride, padding: this.padding, countIncludePad: this.countIncludePad }] };
  }

  override toString(): string {
    const extra = this.stride[0] !== this.kernelSize[0] || this.stride[1] !== this.kernelSize[1] ? `, stride ${sizeText(this.stride)}` : '';
    return `AvgPool2d(${sizeText(this.kernelSize)}${extra})`;
  }
}

/** Global average pooling; see the file comment. */
export class GlobalAvgPool2d extends Module {
  readonly keepDims: boolean;

  constructor(options: { keepDims?: boolean } = {}) {
    super();
    checkOptions('GlobalAvgPool2d', options, ['keepDims']);
    const keep = options.keepDims ?? false;
    if (typeof keep !== 'boolean') throw new ArgumentError(`GlobalAvgPool2d: option 'keepDims' expected a boolean, given ${describeValue(keep)}`);
    this.keepDims = keep;
  }

  forward(x: Tensor): Tensor {
    return globalAvgPool2d(x, { keepDims: this.keepDims });
  }

  getConfig(): ModuleConfig {
    return { type: 'GlobalAvgPool2d', args: [{ keepDims: this.keepDims }] };
  }

  override toString(): string {
    return 'GlobalAvgPool2d()';
  }
}
