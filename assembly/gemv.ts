// Small-m GEMM: `C = alpha·op(A)·op(B) + beta·C + bias` for a few rows of C (batch-1 … batch-8
// inference, per-sample gradients), reading B where it lies instead of packing it.
//
// Why: the packed path (gemm.ts) copies all of op(B) into micro-panels on every call and runs
// 5-row tiles, so at m = 1 it moves B three times (read, write, read again) and wastes 4 of 5
// rows of every tile; for a 784×256 layer that packing alone costs more than the product. Here
// B is read once per group of ≤ 4 rows (NN, TN) or ≤ 2 rows (NT), from cache after the first:
// - B not transposed (NN, TN): B is [k, n]; stream its rows p, f32x4 over n, multiplying by a
//   splat of A[i, p] into register accumulators that cover a block of columns (1 row × 24,
//   2 × 16, 3 × 8 or 4 × 8 columns). V8 issues all of a step's loads before its arithmetic, so
//   accumulators + loaded vectors + splats must fit the 15 vector registers it allocates (13,
//   14, 11, 14 here); more spill, an accumulator among them, putting a store→load round trip
//   into its chain (1 × 32 columns measured 1.25× slower than 1 × 24 at 784×256).
// - B transposed (NT): B is [n, k]; every C element is a dot product of two contiguous rows,
//   f32x4 over k with a horizontal sum at the end (1 row × 4 columns or 2 × 4 per block).
// TT with m > 1 reads A with a stride along k on both sides and stays on the packed path.
//
// Every column is computed the same way whichever block covers it: blocks only group lanes, the
// last < 4 columns of NN are lanes of the vector ending at column j1 (scalar only when n < 4),
// the k tail of NT is scalar (multiply-adds fused in the relaxed build, like the vectors), and
// horizontal sums always add lanes as (l0 + l1) + (l2 + l3); rows never interact. So a column
// range that starts on a multiple of 4 and ends on one or at n, over any rows, gives the bits of
// the full call, which the threaded split (gemmRange_f32: columns cut on multiples of 8, rows on
// multiples of 5) relies on.

/**
 * Largest m the small path takes (gemm.ts also leaves it the products it computes as Cᵀ).
 * Measured against the packed path on the MLP layer shapes (784×256, 256×128, 256×784, 128×10;
 * NN, TN, NT; simd and relaxed builds, 2-core EPYC): 3–4× faster at m = 1, 1.5–2× at m = 4,
 * even at m = 5 (one full packed tile), 1.2–1.7× at m = 6–8, even to slightly ahead at 9.
 */
export const SMALL_M: i32 = 8;

/** True when {@link gemmSmall} handles op(A) of m rows with these transposes. */
// @ts-ignore: decorator
@inline export function smallGemm(m: i32, transA: i32, transB: i32): bool {
  // m = 1: A is one row whatever transA says, so TT is NT.
  return m <= SMALL_M && (!transA || !transB || m == 1);
}

// @ts-ignore: decorator
@inline function madd(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

/** {@link madd} on one float: fused in the relaxed build too, so every accumulation step rounds alike. */
// @ts-ignore: decorator
@inline function madd1(acc: f32, a: f32, b: f32): f32 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.extract_lane(f32x4.relaxed_madd(f32x4.splat(a), f32x4.splat(b), f32x4.splat(acc)), 0);
  return acc + a * b;
}

/** Finishes 4 columns of one row: `C = alpha·acc + bias + beta·C` (C not read when beta = 0). */
// @ts-ignore: decorator
@inline function put4(c: usize, acc: v128, va: v128, beta: f32, vb: v128, bias: usize): void {
  let y = f32x4.mul(acc, va);
  if (bias) y = f32x4.add(y, v128.load(bias));
  if (beta != 0) y = f32x4.add(y, f32x4.mul(v128.load(c), vb));
  v128.store(c, y);
}

/** {@link put4} for one column, with the same operations in the same order. */
// @ts-ignore: decorator
@inline function put1(c: usize, acc: f32, alpha: f32, beta: f32, bias: usize): void {
  let y = acc * alpha;
  if (bias) y += load<f32>(bias);
  if (beta != 0) y += load<f32>(c) * beta;
  store<f32>(c, y);
}

// ---- B not transposed: rows of B [k, n] streamed, f32x4 over n ------------------------------
// `a` is A[i, 0] of the block's first row; `sap`/`sai` are A's byte steps along p and i; `b` is
// B[0, j]; `ldb` B's row pitch in bytes; `c` is C[i, j]; `ldc` C's row pitch in bytes.

/** Byte offset of float index `j`. */
// @ts-ignore: decorator
@inline function o(j: i32): usize {
  return <usize>j << 2;
}

/**
 * One row × 24 columns. Six accumulators, not eight: V8 loads all of a step's B vectors before
 * the arithmetic, so 8 accumulators + 8 B vectors + the splat (17) would spill two registers per
 * step (see the file comment); 6 + 6 + 1 = 13 of the 15 fit.
 */
function nn1x24(a: usize, sap: usize, b: usize, ldb: usize, k: i32, c: usize, va: v128, beta: f32, vb: v128, bias: usize): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  let c4 = f32x4.splat(0), c5 = f32x4.splat(0);
  for (let p = 0; p < k; p++) {
    const x = v128.load32_splat(a);
    c0 = madd(c0, x, v128.load(b));
    c1 = madd(c1, x, v128.load(b, 16));
    c2 = madd(c2, x, v128.load(b, 32));
    c3 = madd(c3, x, v128.load(b, 48));
    c4 = madd(c4, x, v128.load(b, 64));
    c5 = madd(c5, x, v128.load(b, 80));
    a += sap;
    b += ldb;
  }
  put4(c, c0, va, beta, vb, bias);
  put4(c + 16, c1, va, beta, vb, bias ? bias + 16 : 0);
  put4(c + 32, c2, va, beta, vb, bias ? bias + 32 : 0);
  put4(c + 48, c3, va, beta, vb, bias ? bias + 48 : 0);
  put4(c + 64, c4, va, beta, vb, bias ? bias + 64 : 0);
  put4(c + 80, c5, va, beta, vb, bias ? bias + 80 : 0);
}

/** One row × 8 columns (what is left of 24-column blocks, 8 at a time: two accumulator chains). */
function nn1x8(a: usize, sap: usize, b: usize, ldb: usize, k: i32, c: usize, va: v128, beta: f32, vb: v128, bias: usize): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  for (let p = 0; p < k; p++) {
    const x = v128.load32_splat(a);
    c0 = madd(c0, x, v128.load(b));
    c1 = madd(c1, x, v128.load(b, 16));
    a += sap;
    b += ldb;
  }
  put4(c, c0, va, beta, vb, bias);
  put4(c + 16, c1, va, beta, vb, bias ? bias + 16 : 0);
}

/** Two rows × 16 columns. */
function nn2x16(a: usize, sap: usize, sai: usize, b: usize, ldb: usize, k: i32, c: usize, ldc: usize, va: v128, beta: f32, vb: v128, bias: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
  for (let p = 0; p < k; p++) {
    const x0 = v128.load32_splat(a), x1 = v128.load32_splat(a + sai);
    let y = v128.load(b);
    c00 = madd(c00, x0, y); c10 = madd(c10, x1, y);
    y = v128.load(b, 16);
    c01 = madd(c01, x0, y); c11 = madd(c11, x1, y);
    y = v128.load(b, 32);
    c02 = madd(c02, x0, y); c12 = madd(c12, x1, y);
    y = v128.load(b, 48);
    c03 = madd(c03, x0, y); c13 = madd(c13, x1, y);
    a += sap;
    b += ldb;
  }
  for (let r = 0; r < 2; r++) {
    const cr = c + <usize>r * ldc;
    const v0 = r ? c10 : c00, v1 = r ? c11 : c01, v2 = r ? c12 : c02, v3 = r ? c13 : c03;
    put4(cr, v0, va, beta, vb, bias);
    put4(cr + 16, v1, va, beta, vb, bias ? bias + 16 : 0);
    put4(cr + 32, v2, va, beta, vb, bias ? bias + 32 : 0);
    put4(cr + 48, v3, va, beta, vb, bias ? bias + 48 : 0);
  }
}

/** Three rows × 8 columns. */
function nn3x8(a: usize, sap: usize, sai: usize, b: usize, ldb: usize, k: i32, c: usize, ldc: usize, va: v128, beta: f32, vb: v128, bias: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  const s2 = sai << 1;
  for (let p = 0; p < k; p++) {
    const y0 = v128.load(b), y1 = v128.load(b, 16);
    let x = v128.load32_splat(a);
    c00 = madd(c00, x, y0); c01 = madd(c01, x, y1);
    x = v128.load32_splat(a + sai);
    c10 = madd(c10, x, y0); c11 = madd(c11, x, y1);
    x = v128.load32_splat(a + s2);
    c20 = madd(c20, x, y0); c21 = madd(c21, x, y1);
    a += sap;
    b += ldb;
  }
  const b16 = bias ? bias + 16 : 0;
  put4(c, c00, va, beta, vb, bias); put4(c + 16, c01, va, beta, vb, b16);
  c += ldc;
  put4(c, c10, va, beta, vb, bias); put4(c + 16, c11, va, beta, vb, b16);
  c += ldc;
  put4(c, c20, va, beta, vb, bias); put4(c + 16, c21, va, beta, vb, b16);
}

/** Four rows × 8 columns. */
function nn4x8(a: usize, sap: usize, sai: usize, b: usize, ldb: usize, k: i32, c: usize, ldc: usize, va: v128, beta: f32, vb: v128, bias: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const s2 = sai << 1, s3 = s2 + sai;
  for (let p = 0; p < k; p++) {
    const y0 = v128.load(b), y1 = v128.load(b, 16);
    let x = v128.load32_splat(a);
    c00 = madd(c00, x, y0); c01 = madd(c01, x, y1);
    x = v128.load32_splat(a + sai);
    c10 = madd(c10, x, y0); c11 = madd(c11, x, y1);
    x = v128.load32_splat(a + s2);
    c20 = madd(c20, x, y0); c21 = madd(c21, x, y1);
    x = v128.load32_splat(a + s3);
    c30 = madd(c30, x, y0); c31 = madd(c31, x, y1);
    a += sap;
    b += ldb;
  }
  const b16 = bias ? bias + 16 : 0;
  put4(c, c00, va, beta, vb, bias); put4(c + 16, c01, va, beta, vb, b16);
  c += ldc;
  put4(c, c10, va, beta, vb, bias); put4(c + 16, c11, va, beta, vb, b16);
  c += ldc;
  put4(c, c20, va, beta, vb, bias); put4(c + 16, c21, va, beta, vb, b16);
  c += ldc;
  put4(c, c30, va, beta, vb, bias); put4(c + 16, c31, va, beta, vb, b16);
}

/** One row × 4 columns (the column remainder), accumulated as in the blocks above. */
function nnRow4(a: usize, sap: usize, b: usize, ldb: usize, k: i32): v128 {
  let acc = f32x4.splat(0);
  for (let p = 0; p < k; p++) {
    acc = madd(acc, v128.load32_splat(a), v128.load(b));
    a += sap;
    b += ldb;
  }
  return acc;
}

/** Lane `l` (0–3, not a constant) of `v`. */
// @ts-ignore: decorator
@inline function lane(v: v128, l: i32): f32 {
  if (l == 0) return f32x4.extract_lane(v, 0);
  if (l == 1) return f32x4.extract_lane(v, 1);
  if (l == 2) return f32x4.extract_lane(v, 2);
  return f32x4.extract_lane(v, 3);
}

/** One row × 1 column (n < 4). */
function nnRow1(a: usize, sap: usize, b: usize, ldb: usize, k: i32): f32 {
  let acc: f32 = 0;
  for (let p = 0; p < k; p++) {
    acc = madd1(acc, load<f32>(a), load<f32>(b));
    a += sap;
    b += ldb;
  }
  return acc;
}

/** Rows [i0, i1) × columns [j0, j1) for B [k, n]; `transA` selects A [m, k] or [k, m]. */
function smallNN(
  a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, transA: i32,
  alpha: f32, beta: f32, bias: usize, i0: i32, i1: i32, j0: i32, j1: i32,
): void {
  const sap: usize = transA ? <usize>m << 2 : 4;
  const sai: usize = transA ? 4 : <usize>k << 2;
  const ldb = <usize>n << 2, ldc = ldb;
  const va = f32x4.splat(alpha), vb = f32x4.splat(beta);
  for (let i = i0; i < i1; i += 4) {
    const rows = min(4, i1 - i);
    const ar = a + <usize>i * sai;
    const cr = c + <usize>i * ldc;
    let j = j0;
    if (rows == 1) {
      for (; j + 24 <= j1; j += 24) nn1x24(ar, sap, b + o(j), ldb, k, cr + o(j), va, beta, vb, bias ? bias + o(j) : 0);
      for (; j + 8 <= j1; j += 8) nn1x8(ar, sap, b + o(j), ldb, k, cr + o(j), va, beta, vb, bias ? bias + o(j) : 0);
    } else if (rows == 2) {
      for (; j + 16 <= j1; j += 16) nn2x16(ar, sap, sai, b + o(j), ldb, k, cr + o(j), ldc, va, beta, vb, bias ? bias + o(j) : 0);
    } else if (rows == 3) {
      for (; j + 8 <= j1; j += 8) nn3x8(ar, sap, sai, b + o(j), ldb, k, cr + o(j), ldc, va, beta, vb, bias ? bias + o(j) : 0);
    } else {
      for (; j + 8 <= j1; j += 8) nn4x8(ar, sap, sai, b + o(j), ldb, k, cr + o(j), ldc, va, beta, vb, bias ? bias + o(j) : 0);
    }
    for (; j + 4 <= j1; j += 4) {
      for (let r = 0; r < rows; r++) {
        put4(cr + <usize>r * ldc + o(j), nnRow4(ar + <usize>r * sai, sap, b + o(j), ldb, k), va, beta, vb, bias ? bias + o(j) : 0);
      }
    }
    if (j >= j1) continue;
    if (j1 >= 4) {
      // The last < 4 columns: lanes of the vector that ends at j1 (a lane's bits do not depend
      // on the vector it is in, and a scalar loop would be one long latency chain).
      const jv = j1 - 4;
      for (let r = 0; r < rows; r++) {
        const v = nnRow4(ar + <usize>r * sai, sap, b + o(jv), ldb, k);
        const cv = cr + <usize>r * ldc + o(jv);
        const bv = bias ? bias + o(jv) : 0;
        for (let l = j - jv; l < 4; l++) put1(cv + o(l), lane(v, l), alpha, beta, bv ? bv + o(l) : 0);
      }
    } else {
      for (; j < j1; j++) {
        for (let r = 0; r < rows; r++) {
          put1(cr + <usize>r * ldc + o(j), nnRow1(ar + <usize>r * sai, sap, b + o(j), ldb, k), alpha, beta, bias ? bias + o(j) : 0);
        }
      }
    }
  }
}

// ---- B transposed: dot products of contiguous rows of A [m, k] and B [n, k] ------------------

/** `[h(x0), h(x1), h(x2), h(x3)]` with `h(x) = (x₀ + x₁) + (x₂ + x₃)`, the order {@link hsum} uses. */
// @ts-ignore: decorator
@inline function hsum4(x0: v128, x1: v128, x2: v128, x3: v128): v128 {
  const p = f32x4.add(v128.shuffle<f32>(x0, x1, 0, 2, 4, 6), v128.shuffle<f32>(x0, x1, 1, 3, 5, 7));
  const q = f32x4.add(v128.shuffle<f32>(x2, x3, 0, 2, 4, 6), v128.shuffle<f32>(x2, x3, 1, 3, 5, 7));
  return f32x4.add(v128.shuffle<f32>(p, q, 0, 2, 4, 6), v128.shuffle<f32>(p, q, 1, 3, 5, 7));
}

/** `(x₀ + x₁) + (x₂ + x₃)`. */
// @ts-ignore: decorator
@inline function hsum(x: v128): f32 {
  return (f32x4.extract_lane(x, 0) + f32x4.extract_lane(x, 1)) + (f32x4.extract_lane(x, 2) + f32x4.extract_lane(x, 3));
}

/** `s + Σ_{k4 ≤ p < k} a[p]·b[p]`, in order (the k tail, scalar). */
// @ts-ignore: decorator
@inline function tailDot(s: f32, a: usize, b: usize, k4: i32, k: i32): f32 {
  for (let p = k4; p < k; p++) s = madd1(s, load<f32>(a + (<usize>p << 2)), load<f32>(b + (<usize>p << 2)));
  return s;
}

/** Adds the k tail to four horizontal sums: lane l belongs to B row `b + l·ldb`. */
function finish4(s: v128, a: usize, b: usize, ldb: usize, k4: i32, k: i32): v128 {
  if (k4 == k) return s;
  s = f32x4.replace_lane(s, 0, tailDot(f32x4.extract_lane(s, 0), a, b, k4, k));
  s = f32x4.replace_lane(s, 1, tailDot(f32x4.extract_lane(s, 1), a, b + ldb, k4, k));
  s = f32x4.replace_lane(s, 2, tailDot(f32x4.extract_lane(s, 2), a, b + 2 * ldb, k4, k));
  return f32x4.replace_lane(s, 3, tailDot(f32x4.extract_lane(s, 3), a, b + 3 * ldb, k4, k));
}

/**
 * One row × 4 columns: 4 dot products of A's row `a` with B rows `b`, …, `b + 3·ldb`. (Eight
 * columns would need 8 accumulators + 8 loaded vectors + 1 = 17 registers: see smallNN's blocks.)
 */
function nt1x4(a: usize, b: usize, ldb: usize, k: i32, c: usize, va: v128, beta: f32, vb: v128, bias: usize): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  const b1 = b + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
  const k4 = k & ~3;
  for (let p = 0; p < k4; p += 4) {
    const q = <usize>p << 2;
    const x = v128.load(a + q);
    c0 = madd(c0, x, v128.load(b + q));
    c1 = madd(c1, x, v128.load(b1 + q));
    c2 = madd(c2, x, v128.load(b2 + q));
    c3 = madd(c3, x, v128.load(b3 + q));
  }
  put4(c, finish4(hsum4(c0, c1, c2, c3), a, b, ldb, k4, k), va, beta, vb, bias);
}

/** Two rows (`a`, `a + lda`) × 4 columns. */
function nt2x4(a: usize, lda: usize, b: usize, ldb: usize, k: i32, c: usize, ldc: usize, va: v128, beta: f32, vb: v128, bias: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
  const a1 = a + lda, b1 = b + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
  const k4 = k & ~3;
  for (let p = 0; p < k4; p += 4) {
    const q = <usize>p << 2;
    const x0 = v128.load(a + q), x1 = v128.load(a1 + q);
    let y = v128.load(b + q);
    c00 = madd(c00, x0, y); c10 = madd(c10, x1, y);
    y = v128.load(b1 + q);
    c01 = madd(c01, x0, y); c11 = madd(c11, x1, y);
    y = v128.load(b2 + q);
    c02 = madd(c02, x0, y); c12 = madd(c12, x1, y);
    y = v128.load(b3 + q);
    c03 = madd(c03, x0, y); c13 = madd(c13, x1, y);
  }
  put4(c, finish4(hsum4(c00, c01, c02, c03), a, b, ldb, k4, k), va, beta, vb, bias);
  put4(c + ldc, finish4(hsum4(c10, c11, c12, c13), a1, b, ldb, k4, k), va, beta, vb, bias);
}

/** One dot product of contiguous rows, summed as in the blocks above. */
function ntDot(a: usize, b: usize, k: i32): f32 {
  let acc = f32x4.splat(0);
  const k4 = k & ~3;
  for (let p = 0; p < k4; p += 4) {
    const q = <usize>p << 2;
    acc = madd(acc, v128.load(a + q), v128.load(b + q));
  }
  return tailDot(hsum(acc), a, b, k4, k);
}

/** Rows [i0, i1) × columns [j0, j1) for A [m, k] and B [n, k]. */
function smallNT(
  a: usize, b: usize, c: usize, n: i32, k: i32,
  alpha: f32, beta: f32, bias: usize, i0: i32, i1: i32, j0: i32, j1: i32,
): void {
  const lda = <usize>k << 2, ldb = lda, ldc = <usize>n << 2;
  const va = f32x4.splat(alpha), vb = f32x4.splat(beta);
  // Pairs of rows (B is re-read per pair, from cache after the first: 4 times at m = 8).
  for (let i = i0; i < i1; i += 2) {
    const rows = min(2, i1 - i);
    const ar = a + <usize>i * lda;
    const cr = c + <usize>i * ldc;
    let j = j0;
    if (rows == 1) {
      for (; j + 4 <= j1; j += 4) nt1x4(ar, b + <usize>j * ldb, ldb, k, cr + (<usize>j << 2), va, beta, vb, bias ? bias + (<usize>j << 2) : 0);
    } else {
      for (; j + 4 <= j1; j += 4) nt2x4(ar, lda, b + <usize>j * ldb, ldb, k, cr + (<usize>j << 2), ldc, va, beta, vb, bias ? bias + (<usize>j << 2) : 0);
    }
    for (; j < j1; j++) {
      for (let r = 0; r < rows; r++) {
        put1(cr + <usize>r * ldc + (<usize>j << 2), ntDot(ar + <usize>r * lda, b + <usize>j * ldb, k), alpha, beta, bias ? bias + (<usize>j << 2) : 0);
      }
    }
  }
}

/**
 * Rows [i0, i1) × columns [j0, j1) of `C = alpha·op(A)·op(B) + beta·C + bias` (no activation: the
 * caller's epilogue applies it), for shapes where {@link smallGemm} holds; k ≥ 1. Same operand
 * layouts as gemm_f32. C is not read when beta = 0.
 */
export function gemmSmall(
  a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, transA: i32, transB: i32,
  alpha: f32, beta: f32, bias: usize, i0: i32, i1: i32, j0: i32, j1: i32,
): void {
  if (transB) smallNT(a, b, c, n, k, alpha, beta, bias, i0, i1, j0, j1);
  else smallNN(a, b, c, m, n, k, m == 1 ? 0 : transA, alpha, beta, bias, i0, i1, j0, j1);
}
