/**
 * Argument checks shared by every backend. Each `check*` function validates one kernel call
 * completely before any memory is touched and throws a {@link KernelError} naming the kernel,
 * the argument, what was expected and what was given.
 */
import {
  ACTIVATIONS,
  BINARY_OPS,
  BROADCASTS,
  KernelError,
  REDUCE_OPS,
  UNARY_MATH,
  type AdadeltaParams,
  type AdagradParams,
  type AdamParams,
  type BatchNormBackwardParams,
  type BatchNormForwardParams,
  type Broadcast,
  type Conv2dGeometry,
  type GemmParams,
  type RmspropParams,
  type SgdParams,
  type Storage,
} from './kernels.js';

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}

/** A non-negative safe integer element count. */
export function checkSize(kernel: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new KernelError(kernel, arg, 'a non-negative integer', describe(v));
  }
  return v;
}

/** A finite number. */
export function checkFinite(kernel: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new KernelError(kernel, arg, 'a finite number', describe(v));
  }
  return v;
}

/** Any number, NaN and ±Inf included (fill values, clip bounds). */
export function checkNumber(kernel: string, arg: string, v: unknown): number {
  if (typeof v !== 'number') throw new KernelError(kernel, arg, 'a number', describe(v));
  return v;
}

/** One of the allowed names. */
export function checkEnum<T extends string>(kernel: string, arg: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new KernelError(kernel, arg, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, describe(v));
  }
  return v as T;
}

/**
 * A live handle of this backend holding at least `need` elements. `isOwn` tells whether the
 * handle belongs to the calling backend (each backend knows its own storage class).
 */
export function checkStorage(kernel: string, arg: string, s: unknown, need: number, isOwn: (s: Storage) => boolean, backend: string): Storage {
  if (s === null || typeof s !== 'object' || typeof (s as Storage).size !== 'number') {
    throw new KernelError(kernel, arg, `a ${backend} storage handle`, describe(s));
  }
  const st = s as Storage;
  if (st.disposed) throw new KernelError(kernel, arg, 'a live storage handle', 'a disposed one', 'DISPOSED');
  if (!isOwn(st)) {
    if (st.backend === backend) throw new KernelError(kernel, arg, `a storage handle of this '${backend}' backend instance`, 'one from another instance');
    throw new KernelError(kernel, arg, `a storage handle of the '${backend}' backend`, `one of '${st.backend}'`);
  }
  if (st.size < need) throw new KernelError(kernel, arg, `at least ${need} elements`, `${st.size}`, 'SHAPE_MISMATCH');
  return st;
}

/** Throws unless `out` is distinct from every listed input. */
export function checkDistinct(kernel: string, outArg: string, out: Storage, inputs: Record<string, Storage | undefined>): void {
  // for-in, not Object.entries: this runs on every gemm, and the entry arrays were a tenth of a
  // batch-1 predict() (profiled).
  for (const name in inputs) {
    const s = inputs[name];
    if (s !== undefined && s === out) {
      throw new KernelError(kernel, outArg, `a handle distinct from '${name}'`, 'the same handle');
    }
  }
}

/** Number of elements a broadcast operand needs for a `[rows, cols]` output. */
export function broadcastNeed(mode: Broadcast, rows: number, cols: number): number {
  const total = rows * cols;
  if (total === 0) return 0;
  switch (mode) {
    case 'full':
      return total;
    case 'row':
      return cols;
    case 'col':
      return rows;
    case 'scalar':
      return 1;
  }
}

/** Element counts of a validated {@link Conv2dGeometry}. */
export interface Conv2dSizes {
  /** `batch·channels·height·width` (x, dx). */
  input: number;
  /** `batch·channels·outH·outW` (pooling out, argmax, dy). */
  output: number;
  /** `batch·outH·outW·channels·kernelH·kernelW` (im2col's cols). */
  cols: number;
}

const GEOMETRY_FIELDS = [
  'batch', 'channels', 'height', 'width', 'kernelH', 'kernelW', 'strideH', 'strideW',
  'padTop', 'padLeft', 'dilationH', 'dilationW', 'outH', 'outW',
] as const satisfies readonly (keyof Conv2dGeometry)[];

/** Largest geometry field: keeps every window coordinate inside an i32 (wasm, WGSL). */
const GEOMETRY_MAX = 2 ** 31 - 1;

/** One spatial axis of a convolution geometry (see {@link Validator.conv2dGeometry}). */
function geometryAxis(kernel: string, axis: 'H' | 'W', size: number, k: number, stride: number, padBefore: number, dilation: number, out: number): void {
  const outArg = `g.out${axis}`;
  const sizeName = axis === 'H' ? 'height' : 'width';
  const padName = axis === 'H' ? 'padTop' : 'padLeft';
  const span = dilation * (k - 1) + 1;
  if (span > GEOMETRY_MAX) throw new KernelError(kernel, `g.dilation${axis}`, `a window span dilation·(kernel − 1) + 1 below 2^31`, String(span));
  if (size + 2 * padBefore + 2 * span > GEOMETRY_MAX) {
    throw new KernelError(kernel, `g.${padName}`, `${sizeName} + 2·${padName} + 2·window span below 2^31 (${sizeName} ${size}, span ${span})`, String(padBefore));
  }
  const reach = size + padBefore - span; // last start of a window that fits without padding after
  const least = reach >= 0 ? Math.floor(reach / stride) + 1 : 1;
  // Any larger out is some explicit padding after the input; only window coordinates must fit an i32.
  const most = Math.floor((GEOMETRY_MAX - 2 * span - size - 2 * padBefore) / stride) + 1;
  if (out < least || out > most) {
    throw new KernelError(
      kernel, outArg,
      `an integer in [${least}, ${most}] (${sizeName} ${size}, kernel ${k}, stride ${stride}, ${padName} ${padBefore}, dilation ${dilation}: out = floor((${sizeName} + ${padName} + padAfter − ${span}) / ${stride}) + 1 for some padAfter ≥ 0)`,
      String(out),
    );
  }
}

/** Max pooling's argmax holds `ih·width + iw` as float32: exact only for planes up to 2^24 elements. */
function argmaxPlane(kernel: string, g: Conv2dGeometry): void {
  if (g.height * g.width > 2 ** 24) throw new KernelError(kernel, 'g.height', `height·width ≤ 2^24 (argmax indices are float32)`, `${g.height}·${g.width}`);
}

/**
 * Validation bound to one backend: `v.storage(kernel, arg, s, need)` etc. Backends create one
 * and call the per-kernel checks below from each kernel method.
 */
export class Validator {
  constructor(
    readonly backend: string,
    readonly isOwn: (s: Storage) => boolean,
  ) {}

  storage(kernel: string, arg: string, s: unknown, need: number): Storage {
    return checkStorage(kernel, arg, s, need, this.isOwn, this.backend);
  }

  optStorage(kernel: string, arg: string, s: unknown, need: number): Storage | undefined {
    return s === undefined || s === null ? undefined : this.storage(kernel, arg, s, need);
  }

  fill(out: Storage, n: number, value: number): void {
    checkSize('fill', 'n', n);
    checkNumber('fill', 'value', value);
    this.storage('fill', 'out', out, n);
  }

  copy(x: Storage, out: Storage, n: number, xOffset: number, outOffset: number): void {
    checkSize('copy', 'n', n);
    checkSize('copy', 'xOffset', xOffset);
    checkSize('copy', 'outOffset', outOffset);
    this.storage('copy', 'x', x, xOffset + n);
    this.storage('copy', 'out', out, outOffset + n);
    if (x === out && n > 0 && xOffset !== outOffset && Math.abs(xOffset - outOffset) < n) {
      throw new KernelError('copy', 'outOffset', 'a range not overlapping the source range', `${outOffset} (source at ${xOffset}, n = ${n})`);
    }
  }

  scale(x: Storage, out: Storage, n: number, alpha: number): void {
    checkSize('scale', 'n', n);
    checkNumber('scale', 'alpha', alpha);
    this.storage('scale', 'x', x, n);
    this.storage('scale', 'out', out, n);
  }

  axpy(alpha: number, x: Storage, y: Storage, n: number): void {
    checkSize('axpy', 'n', n);
    checkNumber('axpy', 'alpha', alpha);
    this.storage('axpy', 'x', x, n);
    this.storage('axpy', 'y', y, n);
    checkDistinct('axpy', 'y', y, { x });
  }

  binary(op: string, a: Storage, aMode: string, b: Storage, bMode: string, out: Storage, rows: number, cols: number): void {
    const k = 'binary';
    checkEnum(k, 'op', op, BINARY_OPS);
    const am = checkEnum(k, 'aMode', aMode, BROADCASTS);
    const bm = checkEnum(k, 'bMode', bMode, BROADCASTS);
    checkSize(k, 'rows', rows);
    checkSize(k, 'cols', cols);
    this.storage(k, 'a', a, broadcastNeed(am, rows, cols));
    this.storage(k, 'b', b, broadcastNeed(bm, rows, cols));
    this.storage(k, 'out', out, rows * cols);
    if (out === a && am !== 'full') throw new KernelError(k, 'out', "a handle distinct from 'a' (a is broadcast)", 'the same handle');
    if (out === b && bm !== 'full') throw new KernelError(k, 'out', "a handle distinct from 'b' (b is broadcast)", 'the same handle');
  }

  binaryStrided(op: string, a: Storage, aStrides: readonly number[], b: Storage, bStrides: readonly number[], out: Storage, shape: readonly number[]): void {
    const k = 'binaryStrided';
    checkEnum(k, 'op', op, BINARY_OPS);
    if (!Array.isArray(shape) || shape.length > 6) throw new KernelError(k, 'shape', 'an array of at most 6 sizes', describe(shape));
    if (!Array.isArray(aStrides) || aStrides.length !== shape.length) throw new KernelError(k, 'aStrides', `an array of ${shape.length} strides`, describe(aStrides));
    if (!Array.isArray(bStrides) || bStrides.length !== shape.length) throw new KernelError(k, 'bStrides', `an array of ${shape.length} strides`, describe(bStrides));
    let total = 1;
    let aNeed = 1;
    let bNeed = 1;
    const contiguous: number[] = new Array(shape.length);
    for (let d = shape.length - 1; d >= 0; d--) {
      const s = checkSize(k, `shape[${d}]`, shape[d]);
      contiguous[d] = total;
      total *= s;
      aNeed += (s - 1) * checkSize(k, `aStrides[${d}]`, aStrides[d]);
      bNeed += (s - 1) * checkSize(k, `bStrides[${d}]`, bStrides[d]);
    }
    if (total === 0) {
      aNeed = 0;
      bNeed = 0;
    }
    this.storage(k, 'a', a, aNeed);
    this.storage(k, 'b', b, bNeed);
    this.storage(k, 'out', out, total);
    const same = (st: readonly number[]) => shape.every((s, d) => s <= 1 || st[d] === contiguous[d]);
    if (out === a && !same(aStrides)) throw new KernelError(k, 'out', "a handle distinct from 'a' (a is not laid out like out)", 'the same handle');
    if (out === b && !same(bStrides)) throw new KernelError(k, 'out', "a handle distinct from 'b' (b is not laid out like out)", 'the same handle');
  }

  unary(op: string, x: Storage, out: Storage, n: number): void {
    checkEnum('unary', 'op', op, UNARY_MATH);
    checkSize('unary', 'n', n);
    this.storage('unary', 'x', x, n);
    this.storage('unary', 'out', out, n);
  }

  clip(x: Storage, out: Storage, n: number, lo: number, hi: number): void {
    checkSize('clip', 'n', n);
    checkNumber('clip', 'lo', lo);
    checkNumber('clip', 'hi', hi);
    if (lo > hi) throw new KernelError('clip', 'hi', `a value ≥ lo (${lo})`, String(hi));
    this.storage('clip', 'x', x, n);
    this.storage('clip', 'out', out, n);
  }

  stridedCopy(
    x: Storage, xOffset: number, xStrides: readonly number[],
    out: Storage, outOffset: number, outStrides: readonly number[], shape: readonly number[],
  ): void {
    const k = 'stridedCopy';
    if (!Array.isArray(shape) || shape.length > 6) throw new KernelError(k, 'shape', 'an array of at most 6 sizes', describe(shape));
    if (!Array.isArray(xStrides) || xStrides.length !== shape.length) throw new KernelError(k, 'xStrides', `an array of ${shape.length} strides`, describe(xStrides));
    if (!Array.isArray(outStrides) || outStrides.length !== shape.length) throw new KernelError(k, 'outStrides', `an array of ${shape.length} strides`, describe(outStrides));
    checkSize(k, 'xOffset', xOffset);
    checkSize(k, 'outOffset', outOffset);
    let total = 1;
    // Index of the last element touched: offset + Σ (shape − 1)·stride.
    let xLast = xOffset;
    let outLast = outOffset;
    for (let d = 0; d < shape.length; d++) {
      const s = checkSize(k, `shape[${d}]`, shape[d]);
      const xs = checkSize(k, `xStrides[${d}]`, xStrides[d]);
      const os = checkSize(k, `outStrides[${d}]`, outStrides[d]);
      total *= s;
      xLast += Math.max(s - 1, 0) * xs;
      outLast += Math.max(s - 1, 0) * os;
    }
    for (let d = 0; d < shape.length && total > 0; d++) {
      if (outStrides[d] === 0 && shape[d]! > 1) throw new KernelError(k, `outStrides[${d}]`, `a positive stride (axis ${d} has ${shape[d]} elements)`, '0');
    }
    if (!Number.isSafeInteger(xLast) || xLast > 2 ** 31) throw new KernelError(k, 'xStrides', 'addresses below 2^31', `a last index of ${xLast}`);
    if (!Number.isSafeInteger(outLast) || outLast > 2 ** 31) throw new KernelError(k, 'outStrides', 'addresses below 2^31', `a last index of ${outLast}`);
    this.storage(k, 'x', x, total === 0 ? 0 : xLast + 1);
    this.storage(k, 'out', out, total === 0 ? 0 : outLast + 1);
    checkDistinct(k, 'out', out, { x });
  }

  oneHot(labels: Storage, out: Storage, rows: number, cols: number): void {
    const k = 'oneHot';
    this.rowsCols(k, rows, cols);
    this.storage(k, 'labels', labels, rows);
    this.storage(k, 'out', out, rows * cols);
    checkDistinct(k, 'out', out, { labels });
  }

  activation(act: string, x: Storage, out: Storage, n: number, alpha: number | undefined): void {
    checkEnum('activation', 'act', act, ACTIVATIONS);
    checkSize('activation', 'n', n);
    if (alpha !== undefined) checkFinite('activation', 'alpha', alpha);
    this.storage('activation', 'x', x, n);
    this.storage('activation', 'out', out, n);
  }

  activationBackward(act: string, x: Storage, y: Storage, dy: Storage, dx: Storage, n: number, alpha: number | undefined): void {
    const k = 'activationBackward';
    checkEnum(k, 'act', act, ACTIVATIONS);
    checkSize(k, 'n', n);
    if (alpha !== undefined) checkFinite(k, 'alpha', alpha);
    this.storage(k, 'x', x, n);
    this.storage(k, 'y', y, n);
    this.storage(k, 'dy', dy, n);
    this.storage(k, 'dx', dx, n);
    checkDistinct(k, 'dx', dx, { x, y });
  }

  rowsCols(k: string, rows: number, cols: number): void {
    checkSize(k, 'rows', rows);
    checkSize(k, 'cols', cols);
  }

  softmax(k: 'softmax' | 'logSoftmax', x: Storage, out: Storage, rows: number, cols: number): void {
    this.rowsCols(k, rows, cols);
    this.storage(k, 'x', x, rows * cols);
    this.storage(k, 'out', out, rows * cols);
  }

  softmaxBackward(k: 'softmaxBackward' | 'logSoftmaxBackward', y: Storage, dy: Storage, dx: Storage, rows: number, cols: number): void {
    this.rowsCols(k, rows, cols);
    this.storage(k, 'y', y, rows * cols);
    this.storage(k, 'dy', dy, rows * cols);
    this.storage(k, 'dx', dx, rows * cols);
    checkDistinct(k, 'dx', dx, { y });
  }

  softmaxCrossEntropy(logits: Storage, labels: Storage, oneHot: boolean, probs: Storage, loss: Storage, rows: number, cols: number): void {
    const k = 'softmaxCrossEntropy';
    this.rowsCols(k, rows, cols);
    if (typeof oneHot !== 'boolean') throw new KernelError(k, 'oneHot', 'a boolean', describe(oneHot));
    if (rows > 0 && cols === 0) throw new KernelError(k, 'cols', 'at least 1 class', '0');
    this.storage(k, 'logits', logits, rows * cols);
    this.storage(k, 'labels', labels, oneHot ? rows * cols : rows);
    this.storage(k, 'probs', probs, rows * cols);
    this.storage(k, 'loss', loss, rows);
    checkDistinct(k, 'probs', probs, { labels, loss });
    checkDistinct(k, 'loss', loss, { logits, labels });
  }

  softmaxCrossEntropyBackward(probs: Storage, labels: Storage, oneHot: boolean, dlogits: Storage, rows: number, cols: number, scale: number): void {
    const k = 'softmaxCrossEntropyBackward';
    this.rowsCols(k, rows, cols);
    if (typeof oneHot !== 'boolean') throw new KernelError(k, 'oneHot', 'a boolean', describe(oneHot));
    checkFinite(k, 'scale', scale);
    this.storage(k, 'probs', probs, rows * cols);
    this.storage(k, 'labels', labels, oneHot ? rows * cols : rows);
    this.storage(k, 'dlogits', dlogits, rows * cols);
    checkDistinct(k, 'dlogits', dlogits, { labels });
  }

  reduce(k: 'reduce' | 'argmax', op: string | undefined, x: Storage, out: Storage, outer: number, len: number, inner: number): void {
    if (op !== undefined) checkEnum(k, 'op', op, REDUCE_OPS);
    checkSize(k, 'outer', outer);
    checkSize(k, 'len', len);
    checkSize(k, 'inner', inner);
    this.storage(k, 'x', x, outer * len * inner);
    this.storage(k, 'out', out, outer * inner);
    checkDistinct(k, 'out', out, { x });
  }

  gemm(p: GemmParams): void {
    const k = 'gemm';
    if (p === null || typeof p !== 'object') throw new KernelError(k, 'params', 'an object', describe(p));
    const m = checkSize(k, 'm', p.m);
    const n = checkSize(k, 'n', p.n);
    const kk = checkSize(k, 'k', p.k);
    if (p.alpha !== undefined) checkFinite(k, 'alpha', p.alpha);
    if (p.beta !== undefined) checkFinite(k, 'beta', p.beta);
    if (p.activation !== undefined) checkEnum(k, 'activation', p.activation, ACTIVATIONS);
    if (p.activationAlpha !== undefined) checkFinite(k, 'activationAlpha', p.activationAlpha);
    this.storage(k, 'a', p.a, m * kk);
    this.storage(k, 'b', p.b, kk * n);
    this.storage(k, 'c', p.c, m * n);
    const bias = this.optStorage(k, 'bias', p.bias, n);
    checkDistinct(k, 'c', p.c, { a: p.a, b: p.b, bias });
  }

  pairwiseDistance(metric: string, a: Storage, b: Storage, out: Storage, m: number, n: number, d: number): void {
    const k = 'pairwiseDistance';
    checkEnum(k, 'metric', metric, ['l2sq', 'l1'] as const);
    checkSize(k, 'm', m);
    checkSize(k, 'n', n);
    checkSize(k, 'd', d);
    this.storage(k, 'a', a, m * d);
    this.storage(k, 'b', b, n * d);
    this.storage(k, 'out', out, m * n);
    checkDistinct(k, 'out', out, { a, b });
  }

  // ---- convolution and pooling ---------------------------------------------------------

  /**
   * Checks a {@link Conv2dGeometry} for `kernel` and returns its element counts. Every field is
   * an integer in [0, 2^31); kernel, stride and dilation are ≥ 1; per axis, `out ≥ 1` and `out`
   * equals the Conv2dGeometry formula for some bottom/right padding ≥ 0, i.e. the windows reach
   * the end of the input: `out ≥ floor((in + padBefore − span) / stride) + 1` with span =
   * `dilation·(kernel − 1) + 1` (a larger out is explicit padding after the input, e.g.
   * `[top, bottom]` with bottom > top). Window coordinates must fit an i32:
   * `in + 2·padBefore + 2·span ≤ 2^31 − 1` and `(out − 1)·stride` within the same budget.
   */
  conv2dGeometry(kernel: string, g: Conv2dGeometry): Conv2dSizes {
    if (g === null || typeof g !== 'object') throw new KernelError(kernel, 'g', 'a Conv2dGeometry object', describe(g));
    for (const f of GEOMETRY_FIELDS) {
      const v = g[f];
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > GEOMETRY_MAX) {
        throw new KernelError(kernel, `g.${f}`, 'an integer in [0, 2^31)', describe(v));
      }
    }
    for (const f of ['kernelH', 'kernelW', 'strideH', 'strideW', 'dilationH', 'dilationW'] as const) {
      if (g[f] < 1) throw new KernelError(kernel, `g.${f}`, 'an integer ≥ 1', String(g[f]));
    }
    geometryAxis(kernel, 'H', g.height, g.kernelH, g.strideH, g.padTop, g.dilationH, g.outH);
    geometryAxis(kernel, 'W', g.width, g.kernelW, g.strideW, g.padLeft, g.dilationW, g.outW);
    const planes = g.batch * g.channels;
    return {
      input: planes * g.height * g.width,
      output: planes * g.outH * g.outW,
      cols: g.batch * g.outH * g.outW * g.channels * g.kernelH * g.kernelW,
    };
  }

  im2col(x: Storage, cols: Storage, g: Conv2dGeometry): Conv2dSizes {
    const k = 'im2col';
    const s = this.conv2dGeometry(k, g);
    this.storage(k, 'x', x, s.input);
    this.storage(k, 'cols', cols, s.cols);
    checkDistinct(k, 'cols', cols, { x });
    return s;
  }

  col2im(cols: Storage, x: Storage, g: Conv2dGeometry): Conv2dSizes {
    const k = 'col2im';
    const s = this.conv2dGeometry(k, g);
    this.storage(k, 'cols', cols, s.cols);
    this.storage(k, 'x', x, s.input);
    checkDistinct(k, 'x', x, { cols });
    return s;
  }

  maxPool2d(x: Storage, out: Storage, argmax: Storage, g: Conv2dGeometry): Conv2dSizes {
    const k = 'maxPool2d';
    const s = this.conv2dGeometry(k, g);
    argmaxPlane(k, g);
    this.storage(k, 'x', x, s.input);
    this.storage(k, 'out', out, s.output);
    this.storage(k, 'argmax', argmax, s.output);
    checkDistinct(k, 'out', out, { x });
    checkDistinct(k, 'argmax', argmax, { x, out });
    return s;
  }

  maxPool2dBackward(dy: Storage, argmax: Storage, dx: Storage, g: Conv2dGeometry): Conv2dSizes {
    const k = 'maxPool2dBackward';
    const s = this.conv2dGeometry(k, g);
    argmaxPlane(k, g);
    this.storage(k, 'dy', dy, s.output);
    this.storage(k, 'argmax', argmax, s.output);
    this.storage(k, 'dx', dx, s.input);
    checkDistinct(k, 'dx', dx, { dy, argmax });
    return s;
  }

  avgPool2d(x: Storage, out: Storage, g: Conv2dGeometry, countIncludePad: boolean): Conv2dSizes {
    const k = 'avgPool2d';
    const s = this.conv2dGeometry(k, g);
    if (typeof countIncludePad !== 'boolean') throw new KernelError(k, 'countIncludePad', 'a boolean', describe(countIncludePad));
    this.storage(k, 'x', x, s.input);
    this.storage(k, 'out', out, s.output);
    checkDistinct(k, 'out', out, { x });
    return s;
  }

  avgPool2dBackward(dy: Storage, dx: Storage, g: Conv2dGeometry, countIncludePad: boolean): Conv2dSizes {
    const k = 'avgPool2dBackward';
    const s = this.conv2dGeometry(k, g);
    if (typeof countIncludePad !== 'boolean') throw new KernelError(k, 'countIncludePad', 'a boolean', describe(countIncludePad));
    this.storage(k, 'dy', dy, s.output);
    this.storage(k, 'dx', dx, s.input);
    checkDistinct(k, 'dx', dx, { dy });
    return s;
  }

  bnShape(k: string, outer: number, channels: number, inner: number): number {
    checkSize(k, 'outer', outer);
    checkSize(k, 'channels', channels);
    checkSize(k, 'inner', inner);
    return outer * channels * inner;
  }

  batchNormStats(x: Storage, mean: Storage, variance: Storage, outer: number, channels: number, inner: number): void {
    const k = 'batchNormStats';
    const total = this.bnShape(k, outer, channels, inner);
    this.storage(k, 'x', x, total);
    this.storage(k, 'mean', mean, channels);
    this.storage(k, 'variance', variance, channels);
    checkDistinct(k, 'mean', mean, { x, variance });
    checkDistinct(k, 'variance', variance, { x });
  }

  batchNormForward(p: BatchNormForwardParams): void {
    const k = 'batchNormForward';
    const total = this.bnShape(k, p.outer, p.channels, p.inner);
    checkFinite(k, 'eps', p.eps);
    if (p.eps < 0) throw new KernelError(k, 'eps', 'a value ≥ 0', String(p.eps));
    this.storage(k, 'x', p.x, total);
    this.storage(k, 'mean', p.mean, p.channels);
    this.storage(k, 'variance', p.variance, p.channels);
    const gamma = this.optStorage(k, 'gamma', p.gamma, p.channels);
    const beta = this.optStorage(k, 'beta', p.beta, p.channels);
    this.storage(k, 'out', p.out, total);
    checkDistinct(k, 'out', p.out, { mean: p.mean, variance: p.variance, gamma, beta });
  }

  batchNormBackward(p: BatchNormBackwardParams): void {
    const k = 'batchNormBackward';
    const total = this.bnShape(k, p.outer, p.channels, p.inner);
    checkFinite(k, 'eps', p.eps);
    if (p.eps < 0) throw new KernelError(k, 'eps', 'a value ≥ 0', String(p.eps));
    this.storage(k, 'x', p.x, total);
    this.storage(k, 'mean', p.mean, p.channels);
    this.storage(k, 'variance', p.variance, p.channels);
    const gamma = this.optStorage(k, 'gamma', p.gamma, p.channels);
    this.storage(k, 'dy', p.dy, total);
    this.storage(k, 'dx', p.dx, total);
    const dgamma = this.optStorage(k, 'dgamma', p.dgamma, p.channels);
    const dbeta = this.optStorage(k, 'dbeta', p.dbeta, p.channels);
    const inputs = { x: p.x, mean: p.mean, variance: p.variance, gamma, dy: p.dy };
    checkDistinct(k, 'dx', p.dx, { ...inputs, dgamma, dbeta });
    if (dgamma) checkDistinct(k, 'dgamma', dgamma, { ...inputs, dbeta });
    if (dbeta) checkDistinct(k, 'dbeta', dbeta, inputs);
  }

  batchNormRunningUpdate(runningMean: Storage, runningVar: Storage, mean: Storage, variance: Storage, channels: number, momentum: number, count: number): void {
    const k = 'batchNormRunningUpdate';
    checkSize(k, 'channels', channels);
    checkFinite(k, 'momentum', momentum);
    checkSize(k, 'count', count);
    if (count < 2 && channels > 0) throw new KernelError(k, 'count', 'at least 2 values per channel (unbiased variance)', String(count));
    this.storage(k, 'runningMean', runningMean, channels);
    this.storage(k, 'runningVar', runningVar, channels);
    this.storage(k, 'mean', mean, channels);
    this.storage(k, 'variance', variance, channels);
    checkDistinct(k, 'runningMean', runningMean, { runningVar, mean, variance });
    checkDistinct(k, 'runningVar', runningVar, { mean, variance });
  }

  seed(k: string, seed: number, offset: number, n: number, wordsPerElement: number): void {
    checkSize(k, 'n', n);
    checkSize(k, 'seed', seed);
    checkSize(k, 'offset', offset);
    if ((offset + n) * wordsPerElement > Number.MAX_SAFE_INTEGER) {
      throw new KernelError(k, 'offset', `offset + n ≤ ${Math.floor(Number.MAX_SAFE_INTEGER / wordsPerElement)}`, String(offset));
    }
  }

  randomUniform(out: Storage, n: number, seed: number, offset: number, low: number, high: number): void {
    const k = 'randomUniform';
    this.seed(k, seed, offset, n, 1);
    checkFinite(k, 'low', low);
    checkFinite(k, 'high', high);
    if (!(high >= low)) throw new KernelError(k, 'high', `a value ≥ low (${low})`, String(high));
    this.storage(k, 'out', out, n);
  }

  randomNormal(out: Storage, n: number, seed: number, offset: number, mean: number, std: number): void {
    const k = 'randomNormal';
    this.seed(k, seed, offset, n, 2);
    checkFinite(k, 'mean', mean);
    checkFinite(k, 'std', std);
    if (std < 0) throw new KernelError(k, 'std', 'a value ≥ 0', String(std));
    this.storage(k, 'out', out, n);
  }

  dropoutMask(mask: Storage, n: number, p: number, seed: number, offset: number): void {
    const k = 'dropoutMask';
    this.seed(k, seed, offset, n, 1);
    if (typeof p !== 'number' || !(p >= 0 && p < 1)) throw new KernelError(k, 'p', 'a probability in [0, 1)', describe(p));
    this.storage(k, 'mask', mask, n);
  }

  optimBase(k: string, p: { param: Storage; grad: Storage; n: number; lr: number; weightDecay?: number }): void {
    if (p === null || typeof p !== 'object') throw new KernelError(k, 'params', 'an object', describe(p));
    checkSize(k, 'n', p.n);
    checkFinite(k, 'lr', p.lr);
    if (p.weightDecay !== undefined) checkFinite(k, 'weightDecay', p.weightDecay);
    this.storage(k, 'param', p.param, p.n);
    this.storage(k, 'grad', p.grad, p.n);
    checkDistinct(k, 'param', p.param, { grad: p.grad });
  }

  /** Optimiser state buffers: present, sized, distinct from each other and from param/grad. */
  optimState(k: string, p: { param: Storage; grad: Storage; n: number }, states: Record<string, Storage | undefined>): void {
    const seen: Record<string, Storage> = { param: p.param, grad: p.grad };
    for (const [name, s] of Object.entries(states)) {
      if (s === undefined) continue;
      this.storage(k, name, s, p.n);
      checkDistinct(k, name, s, seen);
      seen[name] = s;
    }
  }

  sgdStep(p: SgdParams): void {
    const k = 'sgdStep';
    this.optimBase(k, p);
    const momentum = p.momentum ?? 0;
    checkFinite(k, 'momentum', momentum);
    checkFinite(k, 'dampening', p.dampening ?? 0);
    if (p.nesterov && (momentum <= 0 || (p.dampening ?? 0) !== 0)) {
      throw new KernelError(k, 'nesterov', 'momentum > 0 and dampening = 0', `momentum ${momentum}, dampening ${p.dampening ?? 0}`);
    }
    if (momentum !== 0 && !p.momentumBuffer) throw new KernelError(k, 'momentumBuffer', 'a storage handle when momentum != 0', 'undefined');
    this.optimState(k, p, { momentumBuffer: momentum !== 0 ? p.momentumBuffer : undefined });
  }

  adamStep(p: AdamParams): void {
    const k = 'adamStep';
    this.optimBase(k, p);
    checkFinite(k, 'beta1', p.beta1);
    checkFinite(k, 'beta2', p.beta2);
    checkFinite(k, 'eps', p.eps);
    if (!Number.isSafeInteger(p.step) || p.step < 1) throw new KernelError(k, 'step', 'an integer ≥ 1', describe(p.step));
    if (p.amsgrad && !p.vMax) throw new KernelError(k, 'vMax', 'a storage handle when amsgrad is on', 'undefined');
    this.optimState(k, p, { m: p.m, v: p.v, vMax: p.amsgrad ? p.vMax : undefined });
    if (!p.m) throw new KernelError(k, 'm', 'a storage handle', 'undefined');
    if (!p.v) throw new KernelError(k, 'v', 'a storage handle', 'undefined');
  }

  rmspropStep(p: RmspropParams): void {
    const k = 'rmspropStep';
    this.optimBase(k, p);
    checkFinite(k, 'alpha', p.alpha);
    checkFinite(k, 'eps', p.eps);
    const momentum = p.momentum ?? 0;
    checkFinite(k, 'momentum', momentum);
    if (!p.squareAvg) throw new KernelError(k, 'squareAvg', 'a storage handle', 'undefined');
    if (momentum > 0 && !p.momentumBuffer) throw new KernelError(k, 'momentumBuffer', 'a storage handle when momentum > 0', 'undefined');
    if (p.centered && !p.gradAvg) throw new KernelError(k, 'gradAvg', 'a storage handle when centered', 'undefined');
    this.optimState(k, p, {
      squareAvg: p.squareAvg,
      momentumBuffer: momentum > 0 ? p.momentumBuffer : undefined,
      gradAvg: p.centered ? p.gradAvg : undefined,
    });
  }

  adagradStep(p: AdagradParams): void {
    const k = 'adagradStep';
    this.optimBase(k, p);
    checkFinite(k, 'eps', p.eps);
    if (!p.sum) throw new KernelError(k, 'sum', 'a storage handle', 'undefined');
    this.optimState(k, p, { sum: p.sum });
  }

  adadeltaStep(p: AdadeltaParams): void {
    const k = 'adadeltaStep';
    this.optimBase(k, p);
    checkFinite(k, 'rho', p.rho);
    checkFinite(k, 'eps', p.eps);
    if (!p.squareAvg) throw new KernelError(k, 'squareAvg', 'a storage handle', 'undefined');
    if (!p.accDelta) throw new KernelError(k, 'accDelta', 'a storage handle', 'undefined');
    this.optimState(k, p, { squareAvg: p.squareAvg, accDelta: p.accDelta });
  }
}
