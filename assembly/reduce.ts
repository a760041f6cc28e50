// Reductions over the middle axis of x viewed as [outer, len, inner], and argmax.
// ABI: bindings/abi.ts. Sums accumulate in float32 vectors over short blocks and flush each
// block into float64, so a sum over millions of values keeps ~float64 accuracy at SIMD speed.

// REDUCE_OPS order (src/kernels/kernels.ts).
const SUM = 0;
const MEAN = 1;
const MAX = 2;

/** Floats per float32 block of a contiguous sum before it is flushed into float64. */
const ROW_BLOCK = 256;
/** Rows per float32 block of a strided (column) sum before the flush. */
const COL_BLOCK = 32;

/** Adds the four lanes of an f32x4 into an f64x2 accumulator (both halves promoted exactly). */
@inline function flush(acc: v128, v: v128): v128 {
  acc = f64x2.add(acc, f64x2.promote_low_f32x4(v));
  return f64x2.add(acc, f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0)));
}

@inline function hsum64(acc: v128): f64 {
  return f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
}

/** Σ p[0..n) of contiguous floats, accumulated as described above. */
function sumContig(p: usize, n: i32): f64 {
  let acc = f64x2.splat(0);
  let i = 0;
  while (i + 16 <= n) {
    const stop = min<i32>(n, i + ROW_BLOCK);
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    for (; i + 16 <= stop; i += 16) {
      const q = p + (<usize>i << 2);
      a0 = f32x4.add(a0, v128.load(q));
      a1 = f32x4.add(a1, v128.load(q, 16));
      a2 = f32x4.add(a2, v128.load(q, 32));
      a3 = f32x4.add(a3, v128.load(q, 48));
    }
    acc = flush(acc, f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)));
  }
  let s = hsum64(acc);
  for (; i < n; i++) s += <f64>load<f32>(p + (<usize>i << 2));
  return s;
}

// max/min accumulate with pmax/pmin (one x86 instruction each, where the NaN-propagating
// f32x4.max/min take several) and track NaN in a separate mask: pmax(acc, x) ignores a NaN x.

/** Max (or min) of n contiguous floats; NaN propagates; −Inf (+Inf) when n = 0. */
@inline function extremeContig(p: usize, n: i32, isMax: bool): f32 {
  const init: f32 = isMax ? -Infinity : Infinity;
  let a0 = f32x4.splat(init), a1 = a0, a2 = a0, a3 = a0;
  let nan = i32x4.splat(0);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const q = p + (<usize>i << 2);
    const x0 = v128.load(q), x1 = v128.load(q, 16), x2 = v128.load(q, 32), x3 = v128.load(q, 48);
    if (isMax) {
      a0 = f32x4.pmax(a0, x0);
      a1 = f32x4.pmax(a1, x1);
      a2 = f32x4.pmax(a2, x2);
      a3 = f32x4.pmax(a3, x3);
    } else {
      a0 = f32x4.pmin(a0, x0);
      a1 = f32x4.pmin(a1, x1);
      a2 = f32x4.pmin(a2, x2);
      a3 = f32x4.pmin(a3, x3);
    }
    nan = v128.or(nan, v128.or(v128.or(f32x4.ne(x0, x0), f32x4.ne(x1, x1)), v128.or(f32x4.ne(x2, x2), f32x4.ne(x3, x3))));
  }
  if (v128.any_true(nan)) return NaN;
  const a = isMax ? f32x4.pmax(f32x4.pmax(a0, a1), f32x4.pmax(a2, a3)) : f32x4.pmin(f32x4.pmin(a0, a1), f32x4.pmin(a2, a3));
  let r: f32 = isMax
    ? max<f32>(max<f32>(f32x4.extract_lane(a, 0), f32x4.extract_lane(a, 1)), max<f32>(f32x4.extract_lane(a, 2), f32x4.extract_lane(a, 3)))
    : min<f32>(min<f32>(f32x4.extract_lane(a, 0), f32x4.extract_lane(a, 1)), min<f32>(f32x4.extract_lane(a, 2), f32x4.extract_lane(a, 3)));
  for (; i < n; i++) {
    const v = load<f32>(p + (<usize>i << 2));
    r = isMax ? max<f32>(r, v) : min<f32>(r, v);
  }
  return r;
}

/**
 * Sums 16 adjacent columns down `len` rows `stride` bytes apart, starting at p, into out[0..16).
 * Float32 blocks of COL_BLOCK rows are flushed into eight f64x2 accumulators.
 */
function sumCols16(p: usize, stride: usize, len: i32, out: usize, scale: f64): void {
  let c0 = f64x2.splat(0), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
  let l = 0;
  while (l < len) {
    const stop = min<i32>(len, l + COL_BLOCK);
    let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
    for (; l < stop; l++) {
      a0 = f32x4.add(a0, v128.load(p));
      a1 = f32x4.add(a1, v128.load(p, 16));
      a2 = f32x4.add(a2, v128.load(p, 32));
      a3 = f32x4.add(a3, v128.load(p, 48));
      p += stride;
    }
    c0 = f64x2.add(c0, f64x2.promote_low_f32x4(a0));
    c1 = f64x2.add(c1, f64x2.promote_low_f32x4(i64x2.shuffle(a0, a0, 1, 0)));
    c2 = f64x2.add(c2, f64x2.promote_low_f32x4(a1));
    c3 = f64x2.add(c3, f64x2.promote_low_f32x4(i64x2.shuffle(a1, a1, 1, 0)));
    c4 = f64x2.add(c4, f64x2.promote_low_f32x4(a2));
    c5 = f64x2.add(c5, f64x2.promote_low_f32x4(i64x2.shuffle(a2, a2, 1, 0)));
    c6 = f64x2.add(c6, f64x2.promote_low_f32x4(a3));
    c7 = f64x2.add(c7, f64x2.promote_low_f32x4(i64x2.shuffle(a3, a3, 1, 0)));
  }
  const vs = f64x2.splat(scale);
  v128.store(out, i64x2.shuffle(f32x4.demote_f64x2_zero(f64x2.mul(c0, vs)), f32x4.demote_f64x2_zero(f64x2.mul(c1, vs)), 0, 2));
  v128.store(out, i64x2.shuffle(f32x4.demote_f64x2_zero(f64x2.mul(c2, vs)), f32x4.demote_f64x2_zero(f64x2.mul(c3, vs)), 0, 2), 16);
  v128.store(out, i64x2.shuffle(f32x4.demote_f64x2_zero(f64x2.mul(c4, vs)), f32x4.demote_f64x2_zero(f64x2.mul(c5, vs)), 0, 2), 32);
  v128.store(out, i64x2.shuffle(f32x4.demote_f64x2_zero(f64x2.mul(c6, vs)), f32x4.demote_f64x2_zero(f64x2.mul(c7, vs)), 0, 2), 48);
}

/** Scalar column sum (float64) down `len` rows, times `scale`. */
function sumCol1(p: usize, stride: usize, len: i32, scale: f64): f32 {
  let s: f64 = 0;
  for (let l = 0; l < len; l++) {
    s += <f64>load<f32>(p);
    p += stride;
  }
  return <f32>(s * scale);
}

/** Column max/min over `len` rows for 4 adjacent columns; NaN propagates. */
@inline function extremeCols4(p: usize, stride: usize, len: i32, isMax: bool): v128 {
  let a = f32x4.splat(isMax ? -Infinity : Infinity);
  let nan = i32x4.splat(0);
  for (let l = 0; l < len; l++) {
    const x = v128.load(p);
    a = isMax ? f32x4.pmax(a, x) : f32x4.pmin(a, x);
    nan = v128.or(nan, f32x4.ne(x, x));
    p += stride;
  }
  return v128.or(a, nan); // an all-ones lane is a NaN
}

@inline function extremeCol1(p: usize, stride: usize, len: i32, isMax: bool): f32 {
  let r: f32 = isMax ? -Infinity : Infinity;
  for (let l = 0; l < len; l++) {
    const v = load<f32>(p);
    r = isMax ? max<f32>(r, v) : min<f32>(r, v);
    p += stride;
  }
  return r;
}

function reduceExtreme(x: usize, out: usize, outer: i32, len: i32, inner: i32, isMax: bool): void {
  const stride = <usize>inner << 2;
  const slab = <usize>len * stride;
  for (let o = 0; o < outer; o++) {
    const base = x + <usize>o * slab;
    const ob = out + <usize>o * stride;
    if (inner == 1) {
      store<f32>(ob, isMax ? extremeContig(base, len, true) : extremeContig(base, len, false));
      continue;
    }
    let j = 0;
    for (; j + 4 <= inner; j += 4) {
      const q = <usize>j << 2;
      v128.store(ob + q, isMax ? extremeCols4(base + q, stride, len, true) : extremeCols4(base + q, stride, len, false));
    }
    for (; j < inner; j++) {
      const q = <usize>j << 2;
      store<f32>(ob + q, isMax ? extremeCol1(base + q, stride, len, true) : extremeCol1(base + q, stride, len, false));
    }
  }
}

function reduceSum(x: usize, out: usize, outer: i32, len: i32, inner: i32, scale: f64): void {
  const stride = <usize>inner << 2;
  const slab = <usize>len * stride;
  for (let o = 0; o < outer; o++) {
    const base = x + <usize>o * slab;
    const ob = out + <usize>o * stride;
    if (inner == 1) {
      store<f32>(ob, <f32>(sumContig(base, len) * scale));
      continue;
    }
    let j = 0;
    for (; j + 16 <= inner; j += 16) sumCols16(base + (<usize>j << 2), stride, len, ob + (<usize>j << 2), scale);
    for (; j < inner; j++) store<f32>(ob + (<usize>j << 2), sumCol1(base + (<usize>j << 2), stride, len, scale));
  }
}

/**
 * Reduces the middle axis of x `[outer, len, inner]` into out `[outer, inner]`; `op` indexes
 * REDUCE_OPS. Empty axis: sum 0, mean NaN, max −Inf, min +Inf. max/min propagate NaN.
 */
export function reduce_f32(op: i32, x: usize, out: usize, outer: i32, len: i32, inner: i32): void {
  if (outer <= 0 || inner <= 0) return;
  if (op == SUM) reduceSum(x, out, outer, len, inner, 1.0);
  else if (op == MEAN) reduceSum(x, out, outer, len, inner, 1.0 / <f64>len);
  else if (op == MAX) reduceExtreme(x, out, outer, len, inner, true);
  else reduceExtreme(x, out, outer, len, inner, false);
}

/** Index of the first maximum of n ≥ 1 contiguous floats (NaN counts as maximal). */
function argmaxContig(p: usize, n: i32): i32 {
  const m = extremeContig(p, n, true);
  let i = 0;
  if (m != m) {
    // The first NaN wins.
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(p + (<usize>i << 2));
      if (v128.any_true(f32x4.ne(v, v))) break;
    }
    for (; i < n; i++) {
      const v = load<f32>(p + (<usize>i << 2));
      if (v != v) return i;
    }
    return 0;
  }
  const vm = f32x4.splat(m);
  for (; i + 4 <= n; i += 4) {
    if (v128.any_true(f32x4.eq(v128.load(p + (<usize>i << 2)), vm))) break;
  }
  for (; i < n; i++) {
    if (load<f32>(p + (<usize>i << 2)) == m) return i;
  }
  return 0;
}

/**
 * Index (as float) of the first maximum along the middle axis of `[outer, len, inner]`; NaN
 * counts as maximal (the first NaN wins). An empty axis gives NaN.
 */
export function argmax_f32(x: usize, out: usize, outer: i32, len: i32, inner: i32): void {
  if (outer <= 0 || inner <= 0) return;
  const stride = <usize>inner << 2;
  const slab = <usize>len * stride;
  for (let o = 0; o < outer; o++) {
    const base = x + <usize>o * slab;
    const ob = out + <usize>o * stride;
    if (len <= 0) {
      for (let j = 0; j < inner; j++) store<f32>(ob + (<usize>j << 2), NaN);
      continue;
    }
    if (inner == 1) {
      store<f32>(ob, <f32>argmaxContig(base, len));
      continue;
    }
    let j = 0;
    for (; j + 4 <= inner; j += 4) {
      let p = base + (<usize>j << 2);
      let best = v128.load(p);
      let idx = i32x4.splat(0);
      for (let l = 1; l < len; l++) {
        p += stride;
        const v = v128.load(p);
        // Take v when strictly greater, or when v is the first NaN (best still a number).
        const upd = v128.or(f32x4.gt(v, best), v128.and(f32x4.ne(v, v), f32x4.eq(best, best)));
        best = v128.bitselect(v, best, upd);
        idx = v128.bitselect(i32x4.splat(l), idx, upd);
      }
      v128.store(ob + (<usize>j << 2), f32x4.convert_i32x4_s(idx));
    }
    for (; j < inner; j++) {
      let p = base + (<usize>j << 2);
      let best = load<f32>(p);
      let bi = 0;
      for (let l = 1; l < len; l++) {
        p += stride;
        const v = load<f32>(p);
        if (v > best || (v != v && best == best)) {
          best = v;
          bi = l;
        }
      }
      store<f32>(ob + (<usize>j << 2), <f32>bi);
    }
  }
}
