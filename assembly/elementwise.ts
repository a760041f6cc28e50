// Elementwise kernels: fill, copy, scale, axpy, binary ops (2-D broadcast and general strided),
// unary math and clip. ABI: bindings/abi.ts. Buffers start 16-byte aligned, but row starts and
// offsets may not be, so every vector access is an unaligned-tolerant v128.load/store.
// binaryStrided_f32 keeps its coalesced shape in a small per-thread block (assembly/scratch.ts).

import { EW_DIMS as DIMS } from './scratch';
import { exp4, log4 } from './simdmath';

// BINARY_OPS order (src/kernels/kernels.ts).
const ADD = 0;
const SUB = 1;
const MUL = 2;
const DIV = 3;
const MAX = 4;
const MIN = 5;

// BROADCASTS order.
const FULL = 0;
const ROW = 1;
const COL = 2;

// UNARY_MATH order.
const NEG = 0;
const ABS = 1;
const EXP = 2;
const LOG = 3;
const SQRT = 4;
const SQUARE = 5;
const RECIPROCAL = 6;
const RSQRT = 7;

/** `out[i] = value` for i < n. */
export function fill_f32(out: usize, n: i32, value: f32): void {
  const v = f32x4.splat(value);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), v);
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), value);
}

/** Copies n floats from x to out (ranges must not overlap). */
export function copy_f32(x: usize, out: usize, n: i32): void {
  if (n > 0) memory.copy(out, x, <usize>n << 2);
}

/** `out[i] = alpha·x[i]`; in-place OK. */
export function scale_f32(x: usize, out: usize, n: i32, alpha: f32): void {
  const va = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.mul(va, v128.load(x + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, alpha * load<f32>(x + o));
  }
}

/** `y[i] += alpha·x[i]` (BLAS axpy). */
export function axpy_f32(alpha: f32, x: usize, y: usize, n: i32): void {
  const va = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(va, v128.load(x + o))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(y + o) + alpha * load<f32>(x + o));
  }
}

// ---- binary ops ---------------------------------------------------------------------------

// Each op is a zero-size class whose @inline methods the generic row loops call through a null
// instance (`changetype<Op>(0)`): every (loop, op) pair compiles to its own specialised loop
// with the op inlined, and the op dispatch happens once per call, outside the loops.

@final @unmanaged class Add {
  @inline v(a: v128, b: v128): v128 { return f32x4.add(a, b); }
  @inline s(a: f32, b: f32): f32 { return a + b; }
}
@final @unmanaged class Sub {
  @inline v(a: v128, b: v128): v128 { return f32x4.sub(a, b); }
  @inline s(a: f32, b: f32): f32 { return a - b; }
}
@final @unmanaged class Mul {
  @inline v(a: v128, b: v128): v128 { return f32x4.mul(a, b); }
  @inline s(a: f32, b: f32): f32 { return a * b; }
}
@final @unmanaged class Div {
  @inline v(a: v128, b: v128): v128 { return f32x4.div(a, b); }
  @inline s(a: f32, b: f32): f32 { return a / b; }
}
// wasm's f32x4.max/min and f32.max/min propagate NaN (unlike pmax/pmin), as the contract asks.
@final @unmanaged class Max {
  @inline v(a: v128, b: v128): v128 { return f32x4.max(a, b); }
  @inline s(a: f32, b: f32): f32 { return max<f32>(a, b); }
}
@final @unmanaged class Min {
  @inline v(a: v128, b: v128): v128 { return f32x4.min(a, b); }
  @inline s(a: f32, b: f32): f32 { return min<f32>(a, b); }
}
/**
 * a ** b with C/torch special cases: pow(1, y) = 1 and pow(−1, ±Inf) = 1, where AS's Math.pow
 * (like JS `**`) gives NaN. Through f64, so the float32 result is (almost always) correctly rounded.
 */
function powC(a: f32, b: f32): f32 {
  if (a == 1 || (a == -1 && abs<f32>(b) == Infinity)) return 1;
  return <f32>Math.pow(<f64>a, <f64>b);
}

@final @unmanaged class Pow {
  @inline v(a: v128, b: v128): v128 {
    let r = f32x4.splat(this.s(f32x4.extract_lane(a, 0), f32x4.extract_lane(b, 0)));
    r = f32x4.replace_lane(r, 1, this.s(f32x4.extract_lane(a, 1), f32x4.extract_lane(b, 1)));
    r = f32x4.replace_lane(r, 2, this.s(f32x4.extract_lane(a, 2), f32x4.extract_lane(b, 2)));
    return f32x4.replace_lane(r, 3, this.s(f32x4.extract_lane(a, 3), f32x4.extract_lane(b, 3)));
  }
  @inline s(a: f32, b: f32): f32 { return powC(a, b); }
}

/** Scalar `a (op) b` for the BINARY_OPS index (used outside loops). */
function binS(op: i32, a: f32, b: f32): f32 {
  switch (op) {
    case ADD: return a + b;
    case SUB: return a - b;
    case MUL: return a * b;
    case DIV: return a / b;
    case MAX: return max<f32>(a, b);
    case MIN: return min<f32>(a, b);
    default: return powC(a, b);
  }
}

/** out[i] = a[i] op b[i], both contiguous. */
function rowVV<Op>(a: usize, b: usize, out: usize, n: i32): void {
  const op = changetype<Op>(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    const r0 = op.v(v128.load(a + o), v128.load(b + o));
    const r1 = op.v(v128.load(a + o, 16), v128.load(b + o, 16));
    v128.store(out + o, r0);
    v128.store(out + o, r1, 16);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, op.s(load<f32>(a + o), load<f32>(b + o)));
  }
}

/** out[i] = a[i] op s, a contiguous, s a scalar. */
function rowVS<Op>(a: usize, s: f32, out: usize, n: i32): void {
  const op = changetype<Op>(0);
  const vs = f32x4.splat(s);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    const r0 = op.v(v128.load(a + o), vs);
    const r1 = op.v(v128.load(a + o, 16), vs);
    v128.store(out + o, r0);
    v128.store(out + o, r1, 16);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, op.s(load<f32>(a + o), s));
  }
}

/** out[i] = s op b[i], s a scalar, b contiguous. */
function rowSV<Op>(s: f32, b: usize, out: usize, n: i32): void {
  const op = changetype<Op>(0);
  const vs = f32x4.splat(s);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    const r0 = op.v(vs, v128.load(b + o));
    const r1 = op.v(vs, v128.load(b + o, 16));
    v128.store(out + o, r0);
    v128.store(out + o, r1, 16);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, op.s(s, load<f32>(b + o)));
  }
}

/** General element strides (in floats) for both operands; out contiguous. */
function rowStrided<Op>(a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  const op = changetype<Op>(0);
  const da = <usize>sa << 2;
  const db = <usize>sb << 2;
  for (let i = 0; i < n; i++) {
    store<f32>(out + (<usize>i << 2), op.s(load<f32>(a), load<f32>(b)));
    a += da;
    b += db;
  }
}

/** The row loop for one op type; strides 0 (broadcast), 1 (contiguous) or anything else. */
@inline function rowFor<Op>(a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  if (sa == 1 && sb == 1) rowVV<Op>(a, b, out, n);
  else if (sa == 1 && sb == 0) rowVS<Op>(a, load<f32>(b), out, n);
  else if (sa == 0 && sb == 1) rowSV<Op>(load<f32>(a), b, out, n);
  else rowStrided<Op>(a, sa, b, sb, out, n);
}

/** One output row of n floats; each operand has element stride 0 (broadcast), 1 or other. */
function binaryRow(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  if (sa == 0 && sb == 0) {
    fill_f32(out, n, binS(op, load<f32>(a), load<f32>(b)));
    return;
  }
  switch (op) {
    case ADD: rowFor<Add>(a, sa, b, sb, out, n); break;
    case SUB: rowFor<Sub>(a, sa, b, sb, out, n); break;
    case MUL: rowFor<Mul>(a, sa, b, sb, out, n); break;
    case DIV: rowFor<Div>(a, sa, b, sb, out, n); break;
    case MAX: rowFor<Max>(a, sa, b, sb, out, n); break;
    case MIN: rowFor<Min>(a, sa, b, sb, out, n); break;
    default: rowFor<Pow>(a, sa, b, sb, out, n);
  }
}

/**
 * `out[r, c] = a (op) b` over a `[rows, cols]` output; each operand is laid out by its mode
 * (full `[rows, cols]`, row `[cols]`, col `[rows]`, scalar). `op` indexes BINARY_OPS.
 */
export function binary_f32(op: i32, a: usize, aMode: i32, b: usize, bMode: i32, out: usize, rows: i32, cols: i32): void {
  if (rows <= 0 || cols <= 0) return;
  // Modes that do not change from row to row collapse to one long row.
  const aFlat = aMode == FULL || aMode > COL;
  const bFlat = bMode == FULL || bMode > COL;
  if (aFlat && bFlat) {
    binaryRow(op, a, aMode == FULL ? 1 : 0, b, bMode == FULL ? 1 : 0, out, rows * cols);
    return;
  }
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    let pa = a, pb = b;
    let sa = 1, sb = 1;
    if (aMode == FULL) pa = a + <usize>r * rowBytes;
    else if (aMode == COL) { pa = a + (<usize>r << 2); sa = 0; }
    else if (aMode != ROW) sa = 0;
    if (bMode == FULL) pb = b + <usize>r * rowBytes;
    else if (bMode == COL) { pb = b + (<usize>r << 2); sb = 0; }
    else if (bMode != ROW) sb = 0;
    binaryRow(op, pa, sa, pb, sb, out + <usize>r * rowBytes, cols);
  }
}

// DIMS: the coalesced shape of binaryStrided_f32, 6 dims × (shape, aStride, bStride).

@inline function dimShape(k: i32): i32 { return load<i32>(DIMS + (<usize>k << 2)); }
@inline function dimA(k: i32): i32 { return load<i32>(DIMS + 24 + (<usize>k << 2)); }
@inline function dimB(k: i32): i32 { return load<i32>(DIMS + 48 + (<usize>k << 2)); }

/**
 * NumPy-style broadcast: `out[idx] = a[Σ idx·aStrides] (op) b[Σ idx·bStrides]` over `shape`
 * (rank ≤ 6, i32 arrays at `shape`, `aStrides`, `bStrides`; strides in elements, 0 broadcasts).
 * Size-1 axes are dropped and axes that are contiguous for both operands are merged, so the
 * innermost loop is as long, and as often vectorisable, as the layout allows.
 */
export function binaryStrided_f32(op: i32, a: usize, b: usize, out: usize, rank: i32, shape: usize, aStrides: usize, bStrides: usize): void {
  let total: i64 = 1;
  for (let k = 0; k < rank; k++) total *= <i64>load<i32>(shape + (<usize>k << 2));
  if (total <= 0) return;
  // Coalesce into DIMS, outermost first.
  let d = 0;
  for (let k = 0; k < rank; k++) {
    const o = <usize>k << 2;
    const n = load<i32>(shape + o);
    if (n == 1) continue;
    const sa = load<i32>(aStrides + o);
    const sb = load<i32>(bStrides + o);
    if (d > 0) {
      const p = d - 1;
      const pn = dimShape(p);
      if (dimA(p) == sa * n && dimB(p) == sb * n) {
        store<i32>(DIMS + (<usize>p << 2), pn * n);
        store<i32>(DIMS + 24 + (<usize>p << 2), sa);
        store<i32>(DIMS + 48 + (<usize>p << 2), sb);
        continue;
      }
    }
    store<i32>(DIMS + (<usize>d << 2), n);
    store<i32>(DIMS + 24 + (<usize>d << 2), sa);
    store<i32>(DIMS + 48 + (<usize>d << 2), sb);
    d++;
  }
  if (d == 0) {
    store<f32>(out, binS(op, load<f32>(a), load<f32>(b)));
    return;
  }
  // Pad to 6 axes in front so the loop nest below is fixed.
  const shift = 6 - d;
  for (let k = d - 1; k >= 0; k--) {
    const o = <usize>k << 2;
    const t = <usize>(k + shift) << 2;
    store<i32>(DIMS + t, load<i32>(DIMS + o));
    store<i32>(DIMS + 24 + t, load<i32>(DIMS + 24 + o));
    store<i32>(DIMS + 48 + t, load<i32>(DIMS + 48 + o));
  }
  for (let k = 0; k < shift; k++) {
    const o = <usize>k << 2;
    store<i32>(DIMS + o, 1);
    store<i32>(DIMS + 24 + o, 0);
    store<i32>(DIMS + 48 + o, 0);
  }
  const n5 = dimShape(5);
  const a5 = dimA(5), b5 = dimB(5);
  const rowBytes = <usize>n5 << 2;
  let po = out;
  for (let i0 = 0; i0 < dimShape(0); i0++) {
    const a0 = a + ((<usize>i0 * <usize>dimA(0)) << 2), b0 = b + ((<usize>i0 * <usize>dimB(0)) << 2);
    for (let i1 = 0; i1 < dimShape(1); i1++) {
      const a1 = a0 + ((<usize>i1 * <usize>dimA(1)) << 2), b1 = b0 + ((<usize>i1 * <usize>dimB(1)) << 2);
      for (let i2 = 0; i2 < dimShape(2); i2++) {
        const a2 = a1 + ((<usize>i2 * <usize>dimA(2)) << 2), b2 = b1 + ((<usize>i2 * <usize>dimB(2)) << 2);
        for (let i3 = 0; i3 < dimShape(3); i3++) {
          const a3 = a2 + ((<usize>i3 * <usize>dimA(3)) << 2), b3 = b2 + ((<usize>i3 * <usize>dimB(3)) << 2);
          for (let i4 = 0; i4 < dimShape(4); i4++) {
            const a4 = a3 + ((<usize>i4 * <usize>dimA(4)) << 2), b4 = b3 + ((<usize>i4 * <usize>dimB(4)) << 2);
            binaryRow(op, a4, a5, b4, b5, po, n5);
            po += rowBytes;
          }
        }
      }
    }
  }
}

// ---- unary math ---------------------------------------------------------------------------

// Same specialisation scheme as the binary ops.

@final @unmanaged class Neg {
  @inline v(x: v128): v128 { return f32x4.neg(x); }
  @inline s(x: f32): f32 { return -x; }
}
@final @unmanaged class Abs {
  @inline v(x: v128): v128 { return f32x4.abs(x); }
  @inline s(x: f32): f32 { return abs<f32>(x); }
}
// exp and log: the f32x4 approximations of simdmath.ts (rel. error ≤ ~3e-7); the scalar tail
// runs the same vector code on a splat, so every element gets the same bits wherever it sits.
@final @unmanaged class Exp {
  @inline v(x: v128): v128 { return exp4(x); }
  @inline s(x: f32): f32 { return f32x4.extract_lane(exp4(f32x4.splat(x)), 0); }
}
@final @unmanaged class Log {
  @inline v(x: v128): v128 { return log4(x); }
  @inline s(x: f32): f32 { return f32x4.extract_lane(log4(f32x4.splat(x)), 0); }
}
@final @unmanaged class Sqrt {
  @inline v(x: v128): v128 { return f32x4.sqrt(x); }
  @inline s(x: f32): f32 { return sqrt<f32>(x); }
}
@final @unmanaged class Square {
  @inline v(x: v128): v128 { return f32x4.mul(x, x); }
  @inline s(x: f32): f32 { return x * x; }
}
@final @unmanaged class Reciprocal {
  @inline v(x: v128): v128 { return f32x4.div(f32x4.splat(1), x); }
  @inline s(x: f32): f32 { return <f32>1 / x; }
}
// 1/sqrt(x) with two correctly rounded steps (no approximate rsqrt instruction in wasm SIMD).
@final @unmanaged class Rsqrt {
  @inline v(x: v128): v128 { return f32x4.div(f32x4.splat(1), f32x4.sqrt(x)); }
  @inline s(x: f32): f32 { return <f32>1 / sqrt<f32>(x); }
}

function unaryLoop<Op>(x: usize, out: usize, n: i32): void {
  const op = changetype<Op>(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, op.v(v128.load(x + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, op.s(load<f32>(x + o)));
  }
}

/** `out[i] = f(x[i])` for the UNARY_MATH op index `op`; in-place OK. */
export function unary_f32(op: i32, x: usize, out: usize, n: i32): void {
  switch (op) {
    case NEG: unaryLoop<Neg>(x, out, n); break;
    case ABS: unaryLoop<Abs>(x, out, n); break;
    case EXP: unaryLoop<Exp>(x, out, n); break;
    case LOG: unaryLoop<Log>(x, out, n); break;
    case SQRT: unaryLoop<Sqrt>(x, out, n); break;
    case SQUARE: unaryLoop<Square>(x, out, n); break;
    case RECIPROCAL: unaryLoop<Reciprocal>(x, out, n); break;
    default: unaryLoop<Rsqrt>(x, out, n);
  }
}

/**
 * `out[i] = clamp(x[i], lo, hi)` (lo ≤ hi); NaN stays NaN. pmax/pmin with the data first are
 * `x < lo ? lo : x` and `hi < y ? hi : y`: one instruction each, and a NaN x falls through both.
 * In-place OK.
 */
export function clip_f32(x: usize, out: usize, n: i32, lo: f32, hi: f32): void {
  const vlo = f32x4.splat(lo);
  const vhi = f32x4.splat(hi);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.pmin(f32x4.pmax(v128.load(x + o), vlo), vhi));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = load<f32>(x + o);
    const c = v < lo ? lo : v;
    store<f32>(out + o, hi < c ? hi : c);
  }
}

// ---- strided copy and one-hot -------------------------------------------------------------

/** One row of a strided copy: n floats, element strides sx (source) and so (destination). */
function copyRow(x: usize, sx: i32, out: usize, so: i32, n: i32): void {
  if (so == 1) {
    if (sx == 1) {
      // Long rows: the engine's memmove; short ones: an inline vector loop (no call overhead).
      if (n >= 64) {
        memory.copy(out, x, <usize>n << 2);
        return;
      }
      let i = 0;
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        v128.store(out + o, v128.load(x + o));
      }
      for (; i < n; i++) {
        const o = <usize>i << 2;
        store<f32>(out + o, load<f32>(x + o));
      }
      return;
    }
    if (sx == 0) {
      fill_f32(out, n, load<f32>(x));
      return;
    }
  }
  const dx = <usize>sx << 2;
  const dout = <usize>so << 2;
  for (let i = 0; i < n; i++) {
    store<f32>(out, load<f32>(x));
    x += dx;
    out += dout;
  }
}

/**
 * `out[r·osR + c] = x[r + c·xsC]` for r < rows, c < cols: a 2-D transpose block (x has unit
 * stride along the output's rows, out along its columns). Four x vectors (four output columns)
 * are shuffled into four output row vectors, instead of gathering one float per cache line.
 */
function transposeBlock(x: usize, xsC: i32, out: usize, osR: i32, rows: i32, cols: i32): void {
  const xr = <usize>xsC << 2;
  const orow = <usize>osR << 2;
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      const src = x + (<usize>r << 2) + <usize>c * xr;
      const a = v128.load(src); // out[r..r+3, c]
      const b = v128.load(src + xr); // out[r..r+3, c+1]
      const cc = v128.load(src + 2 * xr);
      const dd = v128.load(src + 3 * xr);
      const ab0 = v128.shuffle<f32>(a, b, 0, 4, 1, 5);
      const ab1 = v128.shuffle<f32>(a, b, 2, 6, 3, 7);
      const cd0 = v128.shuffle<f32>(cc, dd, 0, 4, 1, 5);
      const cd1 = v128.shuffle<f32>(cc, dd, 2, 6, 3, 7);
      const dst = out + <usize>r * orow + (<usize>c << 2);
      v128.store(dst, v128.shuffle<f32>(ab0, cd0, 0, 1, 4, 5));
      v128.store(dst + orow, v128.shuffle<f32>(ab0, cd0, 2, 3, 6, 7));
      v128.store(dst + 2 * orow, v128.shuffle<f32>(ab1, cd1, 0, 1, 4, 5));
      v128.store(dst + 3 * orow, v128.shuffle<f32>(ab1, cd1, 2, 3, 6, 7));
    }
    for (; c < cols; c++) {
      for (let i = 0; i < 4; i++) {
        store<f32>(out + <usize>(r + i) * orow + (<usize>c << 2), load<f32>(x + (<usize>(r + i) << 2) + <usize>c * xr));
      }
    }
  }
  for (; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      store<f32>(out + <usize>r * orow + (<usize>c << 2), load<f32>(x + (<usize>r << 2) + <usize>c * xr));
    }
  }
}

/**
 * `out[Σ idx·outStrides] = x[Σ idx·xStrides]` over `shape` (rank ≤ 6; i32 arrays at `shape`,
 * `xStrides`, `outStrides`; element strides, non-negative). `x` and `out` already include the
 * caller's offsets. Axes are coalesced as in binaryStrided_f32; a transpose of the two innermost
 * axes is done in 4×4 register blocks, 32×32 tiles at a time.
 */
export function stridedCopy_f32(x: usize, out: usize, rank: i32, shape: usize, xStrides: usize, outStrides: usize): void {
  let total: i64 = 1;
  for (let k = 0; k < rank; k++) total *= <i64>load<i32>(shape + (<usize>k << 2));
  if (total <= 0) return;
  let d = 0;
  for (let k = 0; k < rank; k++) {
    const o = <usize>k << 2;
    const n = load<i32>(shape + o);
    if (n == 1) continue;
    const sx = load<i32>(xStrides + o);
    const so = load<i32>(outStrides + o);
    if (d > 0) {
      const p = d - 1;
      if (dimA(p) == sx * n && dimB(p) == so * n) {
        store<i32>(DIMS + (<usize>p << 2), dimShape(p) * n);
        store<i32>(DIMS + 24 + (<usize>p << 2), sx);
        store<i32>(DIMS + 48 + (<usize>p << 2), so);
        continue;
      }
    }
    store<i32>(DIMS + (<usize>d << 2), n);
    store<i32>(DIMS + 24 + (<usize>d << 2), sx);
    store<i32>(DIMS + 48 + (<usize>d << 2), so);
    d++;
  }
  if (d == 0) {
    store<f32>(out, load<f32>(x));
    return;
  }
  const shift = 6 - d;
  for (let k = d - 1; k >= 0; k--) {
    const o = <usize>k << 2;
    const t = <usize>(k + shift) << 2;
    store<i32>(DIMS + t, load<i32>(DIMS + o));
    store<i32>(DIMS + 24 + t, load<i32>(DIMS + 24 + o));
    store<i32>(DIMS + 48 + t, load<i32>(DIMS + 48 + o));
  }
  for (let k = 0; k < shift; k++) {
    const o = <usize>k << 2;
    store<i32>(DIMS + o, 1);
    store<i32>(DIMS + 24 + o, 0);
    store<i32>(DIMS + 48 + o, 0);
  }
  const n5 = dimShape(5);
  const x5 = dimA(5), o5 = dimB(5);
  // The 2-D transpose pattern on the innermost pair: out unit-stride along axis 5, x unit-stride
  // along axis 4.
  const tr = d >= 2 && o5 == 1 && x5 != 1 && dimA(4) == 1 && n5 >= 4 && dimShape(4) >= 4;
  const n4 = dimShape(4);
  for (let i0 = 0; i0 < dimShape(0); i0++) {
    const x0 = x + ((<usize>i0 * <usize>dimA(0)) << 2), p0 = out + ((<usize>i0 * <usize>dimB(0)) << 2);
    for (let i1 = 0; i1 < dimShape(1); i1++) {
      const x1 = x0 + ((<usize>i1 * <usize>dimA(1)) << 2), p1 = p0 + ((<usize>i1 * <usize>dimB(1)) << 2);
      for (let i2 = 0; i2 < dimShape(2); i2++) {
        const x2 = x1 + ((<usize>i2 * <usize>dimA(2)) << 2), p2 = p1 + ((<usize>i2 * <usize>dimB(2)) << 2);
        for (let i3 = 0; i3 < dimShape(3); i3++) {
          const x3 = x2 + ((<usize>i3 * <usize>dimA(3)) << 2), p3 = p2 + ((<usize>i3 * <usize>dimB(3)) << 2);
          if (tr) {
            transposeTiled(x3, x5, p3, dimB(4), dimShape(4), n5);
            continue;
          }
          for (let i4 = 0; i4 < n4; i4++) {
            const x4 = x3 + ((<usize>i4 * <usize>dimA(4)) << 2), p4 = p3 + ((<usize>i4 * <usize>dimB(4)) << 2);
            copyRow(x4, x5, p4, o5, n5);
          }
        }
      }
    }
  }
}

/** {@link transposeBlock} over 32×32 tiles, so both sides stay in L1 while a tile is moved. */
function transposeTiled(x: usize, xsC: i32, out: usize, osR: i32, rows: i32, cols: i32): void {
  const T = 32;
  const xc = <usize>xsC << 2;
  const orow = <usize>osR << 2;
  for (let r = 0; r < rows; r += T) {
    const rn = min(T, rows - r);
    for (let c = 0; c < cols; c += T) {
      const cn = min(T, cols - c);
      transposeBlock(x + (<usize>r << 2) + <usize>c * xc, xsC, out + <usize>r * orow + (<usize>c << 2), osR, rn, cn);
    }
  }
}

/**
 * One-hot rows: `out[r, c] = c == labels[r] ? 1 : 0` over `[rows, cols]`. A label that is not an
 * integer in [0, cols) (NaN included) leaves its row all zero.
 */
export function oneHot_f32(labels: usize, out: usize, rows: i32, cols: i32): void {
  if (rows <= 0 || cols <= 0) return;
  const rowBytes = <usize>cols << 2;
  fill_f32(out, rows * cols, 0);
  for (let r = 0; r < rows; r++) {
    const l = <f64>load<f32>(labels + (<usize>r << 2));
    if (l >= 0 && l < <f64>cols && l == Math.floor(l)) {
      store<f32>(out + <usize>r * rowBytes + (<usize>(<i32>l) << 2), 1);
    }
  }
}
