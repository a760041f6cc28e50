/**
 * Elementwise kernels of the JS reference backend: fill, copy, scale, axpy, binary ops with
 * row/column/scalar broadcast, general strided broadcast, unary math and clip. Plain loops
 * over float32 arrays; arithmetic in float64, one rounding on store.
 */
import type { BinaryOp, Broadcast, UnaryMath } from '../../kernels/kernels.js';

/** `out[i] = value` for i < n. */
export function fill(out: Float32Array, n: number, value: number): void {
  for (let i = 0; i < n; i++) out[i] = value;
}

/** `out[outOffset + i] = x[xOffset + i]` for i < n (ranges must not overlap when x === out). */
export function copy(x: Float32Array, out: Float32Array, n: number, xOffset = 0, outOffset = 0): void {
  for (let i = 0; i < n; i++) out[outOffset + i] = x[xOffset + i]!;
}

/** `out[i] = alpha·x[i]`. In-place safe. */
export function scale(x: Float32Array, out: Float32Array, n: number, alpha: number): void {
  for (let i = 0; i < n; i++) out[i] = alpha * x[i]!;
}

/** `y[i] += alpha·x[i]`. */
export function axpy(alpha: number, x: Float32Array, y: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) y[i] = y[i]! + alpha * x[i]!;
}

/**
 * `a ** b` with C/IEEE `pow` special cases (as torch and AssemblyScript's Math.pow):
 * pow(1, y) = 1 and pow(−1, ±Inf) = 1 even for NaN/Inf exponents, where JS `**` gives NaN.
 */
export function powC(a: number, b: number): number {
  if (a === 1) return 1;
  if (a === -1 && (b === Infinity || b === -Infinity)) return 1;
  return a ** b;
}

/** One binary op on float64 values; max/min propagate NaN. */
export function applyBinary(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case 'add': return a + b;
    case 'sub': return a - b;
    case 'mul': return a * b;
    case 'div': return a / b;
    case 'max': return Math.max(a, b);
    case 'min': return Math.min(a, b);
    case 'pow': return powC(a, b);
  }
}

/** Element index of a broadcast operand for output position (r, c) of a `[rows, cols]` grid. */
function at(mode: Broadcast, r: number, c: number, cols: number): number {
  switch (mode) {
    case 'full': return r * cols + c;
    case 'row': return c;
    case 'col': return r;
    case 'scalar': return 0;
  }
}

/** `out[r, c] = a[·] (op) b[·]` over `[rows, cols]`, operands laid out per their broadcast mode. */
export function binary(op: BinaryOp, a: Float32Array, aMode: Broadcast, b: Float32Array, bMode: Broadcast, out: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      out[r * cols + c] = applyBinary(op, a[at(aMode, r, c, cols)]!, b[at(bMode, r, c, cols)]!);
    }
  }
}

/**
 * General broadcast: for every index of `shape` (row-major), `out[flat] = a[Σ idx·aStrides]
 * (op) b[Σ idx·bStrides]`. Rank 0 (`shape = []`) is a single element.
 */
export function binaryStrided(op: BinaryOp, a: Float32Array, aStrides: readonly number[], b: Float32Array, bStrides: readonly number[], out: Float32Array, shape: readonly number[]): void {
  const rank = shape.length;
  let total = 1;
  for (let d = 0; d < rank; d++) total *= shape[d]!;
  const idx = new Array<number>(rank).fill(0);
  let ai = 0;
  let bi = 0;
  for (let flat = 0; flat < total; flat++) {
    out[flat] = applyBinary(op, a[ai]!, b[bi]!);
    // odometer increment of idx, keeping the operand offsets in step
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      ai += aStrides[d]!;
      bi += bStrides[d]!;
      if (idx[d]! < shape[d]!) break;
      ai -= idx[d]! * aStrides[d]!;
      bi -= idx[d]! * bStrides[d]!;
      idx[d] = 0;
    }
  }
}

/** One unary math op in float64. */
export function applyUnary(op: UnaryMath, x: number): number {
  switch (op) {
    case 'neg': return -x;
    case 'abs': return Math.abs(x);
    case 'exp': return Math.exp(x);
    case 'log': return Math.log(x);
    case 'sqrt': return Math.sqrt(x);
    case 'square': return x * x;
    case 'reciprocal': return 1 / x;
    case 'rsqrt': return 1 / Math.sqrt(x);
  }
}

/** `out[i] = f(x[i])`. In-place safe. */
export function unary(op: UnaryMath, x: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = applyUnary(op, x[i]!);
}

/** `out[i] = clamp(x[i], lo, hi)`, NaN kept. In-place safe. */
export function clip(x: Float32Array, out: Float32Array, n: number, lo: number, hi: number): void {
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    out[i] = v < lo ? lo : v > hi ? hi : v;
  }
}

/**
 * `out[outOffset + Σ idx·outStrides] = x[xOffset + Σ idx·xStrides]` for every index of `shape`
 * (row-major odometer, like {@link binaryStrided}). Rank 0 copies one element.
 */
export function stridedCopy(
  x: Float32Array, xOffset: number, xStrides: readonly number[],
  out: Float32Array, outOffset: number, outStrides: readonly number[], shape: readonly number[],
): void {
  const rank = shape.length;
  let total = 1;
  for (let d = 0; d < rank; d++) total *= shape[d]!;
  const idx = new Array<number>(rank).fill(0);
  let xi = xOffset;
  let oi = outOffset;
  for (let flat = 0; flat < total; flat++) {
    out[oi] = x[xi]!;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      xi += xStrides[d]!;
      oi += outStrides[d]!;
      if (idx[d]! < shape[d]!) break;
      xi -= idx[d]! * xStrides[d]!;
      oi -= idx[d]! * outStrides[d]!;
      idx[d] = 0;
    }
  }
}

/** `out[r, c] = c === labels[r] ? 1 : 0`; a label that is not an integer in [0, cols) gives a zero row. */
export function oneHot(labels: Float32Array, out: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const l = labels[r]!;
    for (let c = 0; c < cols; c++) out[r * cols + c] = c === l ? 1 : 0;
  }
}
