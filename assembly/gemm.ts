// Packed, register-blocked f32x4 GEMM (see bindings/abi.ts for the ABI).
//
// Layout of the work (BLIS style): C is cut into NC-column blocks, K into ≤ KC-deep blocks and M
// into MC-row blocks. For each (NC, KC) pair op(B) is packed into NR-column micro-panels and for
// each MC block op(A) into MR-row micro-panels, both k-major, so the micro-kernel reads two
// contiguous streams whatever the transposes are: transposes cost only in packing. Edge panels
// are zero-padded so the micro-kernel always runs a full MR×NR tile; only the store is masked.
//
// Why 5×8: plain wasm SIMD has no FMA, so `acc += a·b` needs a temporary for the product. V8 on
// x64 keeps v128 values in 16 XMM registers and reserves one as scratch, leaving 15: 5×2
// accumulators + 2 B vectors + 1 splat of A + 1 product = 14 fit, while 6×8 (16 live) spills an
// accumulator every step, and the store→load round trip on that spill cost a third of the speed
// (27 vs 41 GFLOP/s measured). Unrolling over k makes V8's scheduler hoist loads and spill as
// well, so the loop is kept single-step. The relaxed-SIMD build (FMA via `madd`) keeps 5×8 too:
// 6×8 with FMA measured slower there as well.
//
// When op(B) is narrow (a classifier head: n = 10) and op(A) tall, the problem is run transposed,
// Cᵀ = op(B)ᵀ·op(A)ᵀ, so that the short side fills the MR rows instead of wasting 6 of 16 columns.
//
// With few rows (m ≤ 8: batch-1 inference) packing B costs more than the product, and those
// calls go to gemv.ts, which reads B in place (same ABI, same epilogue; see SMALL_M there).

import { activationInPlace } from './activations';
import { gemmSmall, smallGemm } from './gemv';

/** Rows of the micro-tile (splats of packed A). */
// @ts-ignore: decorator
@inline const MR: i32 = 5;
/** Columns of the micro-tile (two f32x4 vectors of packed B). */
// @ts-ignore: decorator
@inline const NR: i32 = 8;
/** Largest depth of a packed block: A and B micro-panels (5 + 8 KiB at 256) stay in L1. */
// @ts-ignore: decorator
@inline const KC: i32 = 256;
/** Rows of a packed A block (multiple of MR): MC·KC·4 = 80 KiB, lives in L2. */
// @ts-ignore: decorator
@inline const MC: i32 = 80;
/** Columns of a packed B block (multiple of NR): NC·KC·4 = 512 KiB, lives in L2. */
// @ts-ignore: decorator
@inline const NC: i32 = 512;

// @ts-ignore: decorator
@inline function roundUp(x: i32, r: i32): i32 {
  return (x + r - 1) / r * r;
}

/** True when computing Cᵀ = op(B)ᵀ·op(A)ᵀ wastes clearly fewer padded lanes (narrow n, taller m). */
// @ts-ignore: decorator
@inline function swapped(m: i32, n: i32): bool {
  // Padded tile areas of both orientations; the transposed store costs extra, hence the 5/4.
  const normal = <i64>roundUp(m, MR) * <i64>roundUp(n, NR);
  const other = <i64>roundUp(n, MR) * <i64>roundUp(m, NR);
  return other * 5 < normal * 4;
}

// @ts-ignore: decorator
@inline function packAFloats(m: i32, k: i32): i32 {
  return (roundUp(min(m, MC), MR) * min(k, KC) + 3) & ~3;
}

// @ts-ignore: decorator
@inline function packBFloats(n: i32, k: i32): i32 {
  return roundUp(min(n, NC), NR) * min(k, KC);
}

/**
 * Bytes of scratch {@link gemm_f32} needs: one packed A block, one packed B block and one MR×NR
 * edge tile. With (m', n') = (m, n), or (n, m) when the narrow-n transposed path is taken:
 * `4·(ceil4(ceil5(min(m', 80))·min(k, 256)) + ceil8(min(n', 512))·min(k, 256) + 40)`.
 * Bounded (≤ 4·(80·256 + 512·256 + 40) ≈ 592 KiB) whatever the sizes; 0 when k, m or n is 0.
 */
export function gemmWorkspace_f32(m: i32, n: i32, k: i32, transA: i32, transB: i32): i32 {
  if (m <= 0 || n <= 0 || k <= 0) return 0;
  if (swapped(m, n)) {
    const t = m;
    m = n;
    n = t;
  }
  return (packAFloats(m, k) + packBFloats(n, k) + MR * NR) << 2;
}

// ---- packing ---------------------------------------------------------------------------------

/**
 * Packs rows [i0, i0+mc) × depth [p0, p0+kc) of op(A) into MR-row micro-panels: panel r holds,
 * for each p, MR consecutive floats (rows past `m` are zero).
 */
function packA(a: usize, lda: i32, transA: i32, m: i32, i0: i32, p0: i32, mc: i32, kc: i32, dst: usize): void {
  const ls = <usize>lda << 2;
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min(MR, m - i0 - ir);
    const d = dst + (<usize>(ir * kc) << 2);
    if (transA) {
      // op(A)[i, p] = A[p, i]: each p gives MR contiguous floats.
      let s = a + ((<usize>p0 * <usize>lda + <usize>(i0 + ir)) << 2);
      if (rows == MR) {
        // The 16-byte store spills into the next step's slot, which that step overwrites.
        for (let p = 0; p < kc; p++) {
          const o = d + <usize>(p * MR * 4);
          v128.store(o, v128.load(s));
          store<f32>(o, load<f32>(s, 16), 16);
          s += ls;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const o = d + <usize>(p * MR * 4);
          for (let t = 0; t < MR; t++) store<f32>(o + (<usize>t << 2), t < rows ? load<f32>(s + (<usize>t << 2)) : 0);
          s += ls;
        }
      }
    } else {
      // op(A)[i, p] = A[i, p]: rows are contiguous along p; transpose 4 rows × 4 p, then row 4.
      const s = a + ((<usize>(i0 + ir) * <usize>lda + <usize>p0) << 2);
      if (rows == MR) {
        const s1 = s + ls, s2 = s1 + ls, s3 = s2 + ls, s4 = s3 + ls;
        let p = 0;
        for (; p + 4 <= kc; p += 4) {
          const q = <usize>p << 2;
          const x0 = v128.load(s + q), x1 = v128.load(s1 + q), x2 = v128.load(s2 + q), x3 = v128.load(s3 + q);
          const u0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5), u1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
          const u2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7), u3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
          const x4 = v128.load(s4 + q);
          const o = d + <usize>(p * MR * 4);
          // Overlapping stores, in address order: each 4-row column then its row-4 element.
          v128.store(o, v128.shuffle<f32>(u0, u1, 0, 1, 4, 5));
          v128.store(o, v128.shuffle<f32>(u0, u1, 2, 3, 6, 7), 20);
          v128.store(o, v128.shuffle<f32>(u2, u3, 0, 1, 4, 5), 40);
          v128.store(o, v128.shuffle<f32>(u2, u3, 2, 3, 6, 7), 60);
          v128.store32_lane(o, x4, 0, 16);
          v128.store32_lane(o, x4, 1, 36);
          v128.store32_lane(o, x4, 2, 56);
          v128.store32_lane(o, x4, 3, 76);
        }
        for (; p < kc; p++) {
          const q = <usize>p << 2;
          const o = d + <usize>(p * MR * 4);
          store<f32>(o, load<f32>(s + q));
          store<f32>(o, load<f32>(s1 + q), 4);
          store<f32>(o, load<f32>(s2 + q), 8);
          store<f32>(o, load<f32>(s3 + q), 12);
          store<f32>(o, load<f32>(s4 + q), 16);
        }
      } else {
        for (let t = 0; t < MR; t++) {
          const st = s + <usize>t * ls;
          for (let p = 0; p < kc; p++) {
            store<f32>(d + (<usize>(p * MR + t) << 2), t < rows ? load<f32>(st + (<usize>p << 2)) : 0);
          }
        }
      }
    }
  }
}

/**
 * Packs depth [p0, p0+kc) × columns [j0, j0+nc) of op(B) into NR-column micro-panels: panel r
 * holds, for each p, NR consecutive floats (columns past `n` are zero).
 */
function packB(b: usize, ldb: i32, transB: i32, n: i32, j0: i32, p0: i32, nc: i32, kc: i32, dst: usize): void {
  const ls = <usize>ldb << 2;
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min(NR, n - j0 - jr);
    const d = dst + (<usize>(jr * kc) << 2);
    if (!transB) {
      // op(B)[p, j] = B[p, j]: each p gives NR contiguous floats.
      let s = b + ((<usize>p0 * <usize>ldb + <usize>(j0 + jr)) << 2);
      if (cols == NR) {
        for (let p = 0; p < kc; p++) {
          const o = d + <usize>(p * NR * 4);
          v128.store(o, v128.load(s));
          v128.store(o, v128.load(s, 16), 16);
          s += ls;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const o = d + <usize>(p * NR * 4);
          for (let t = 0; t < NR; t++) store<f32>(o + (<usize>t << 2), t < cols ? load<f32>(s + (<usize>t << 2)) : 0);
          s += ls;
        }
      }
    } else {
      // op(B)[p, j] = B[j, p]: rows of B are contiguous along p; transpose two 4×4 blocks.
      const s = b + ((<usize>(j0 + jr) * <usize>ldb + <usize>p0) << 2);
      if (cols == NR) {
        const s1 = s + ls, s2 = s1 + ls, s3 = s2 + ls, s4 = s3 + ls, s5 = s4 + ls, s6 = s5 + ls, s7 = s6 + ls;
        let p = 0;
        for (; p + 4 <= kc; p += 4) {
          const q = <usize>p << 2;
          const o = d + <usize>(p * NR * 4);
          let x0 = v128.load(s + q), x1 = v128.load(s1 + q), x2 = v128.load(s2 + q), x3 = v128.load(s3 + q);
          let u0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5), u1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
          let u2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7), u3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
          v128.store(o, v128.shuffle<f32>(u0, u1, 0, 1, 4, 5));
          v128.store(o, v128.shuffle<f32>(u0, u1, 2, 3, 6, 7), 32);
          v128.store(o, v128.shuffle<f32>(u2, u3, 0, 1, 4, 5), 64);
          v128.store(o, v128.shuffle<f32>(u2, u3, 2, 3, 6, 7), 96);
          x0 = v128.load(s4 + q); x1 = v128.load(s5 + q); x2 = v128.load(s6 + q); x3 = v128.load(s7 + q);
          u0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5); u1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
          u2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7); u3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
          v128.store(o, v128.shuffle<f32>(u0, u1, 0, 1, 4, 5), 16);
          v128.store(o, v128.shuffle<f32>(u0, u1, 2, 3, 6, 7), 48);
          v128.store(o, v128.shuffle<f32>(u2, u3, 0, 1, 4, 5), 80);
          v128.store(o, v128.shuffle<f32>(u2, u3, 2, 3, 6, 7), 112);
        }
        for (; p < kc; p++) {
          const q = <usize>p << 2;
          const o = d + <usize>(p * NR * 4);
          store<f32>(o, load<f32>(s + q));
          store<f32>(o, load<f32>(s1 + q), 4);
          store<f32>(o, load<f32>(s2 + q), 8);
          store<f32>(o, load<f32>(s3 + q), 12);
          store<f32>(o, load<f32>(s4 + q), 16);
          store<f32>(o, load<f32>(s5 + q), 20);
          store<f32>(o, load<f32>(s6 + q), 24);
          store<f32>(o, load<f32>(s7 + q), 28);
        }
      } else {
        for (let t = 0; t < NR; t++) {
          const st = s + <usize>t * ls;
          for (let p = 0; p < kc; p++) {
            store<f32>(d + (<usize>(p * NR + t) << 2), t < cols ? load<f32>(st + (<usize>p << 2)) : 0);
          }
        }
      }
    }
  }
}

// ---- micro-kernel ----------------------------------------------------------------------------

// @ts-ignore: decorator
@inline function madd(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

/** Stores one finished row of a full tile: `C = alpha·acc + beta·C + bias` (C not read when beta = 0). */
// @ts-ignore: decorator
@inline function storeRow(c: usize, x0: v128, x1: v128, va: v128, beta: f32, vb: v128, b0: v128, b1: v128): void {
  let y0 = f32x4.add(f32x4.mul(x0, va), b0);
  let y1 = f32x4.add(f32x4.mul(x1, va), b1);
  if (beta != 0) {
    y0 = madd(y0, v128.load(c), vb);
    y1 = madd(y1, v128.load(c, 16), vb);
  }
  v128.store(c, y0);
  v128.store(c, y1, 16);
}

/**
 * The inner product of one MR×NR tile: `tile = Σ_p pa[p] ⊗ pb[p]` over `kc` packed steps (tile is
 * MR·NR floats, row-major). Kept apart from the store so that nothing but the 10 accumulators and
 * the 3 operands competes for the 15 vector registers in the loop.
 */
function kernel5x8(pa: usize, pb: usize, kc: i32, tile: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(c00, a, b0); c01 = madd(c01, a, b1);
    a = v128.load32_splat(pa, 4);
    c10 = madd(c10, a, b0); c11 = madd(c11, a, b1);
    a = v128.load32_splat(pa, 8);
    c20 = madd(c20, a, b0); c21 = madd(c21, a, b1);
    a = v128.load32_splat(pa, 12);
    c30 = madd(c30, a, b0); c31 = madd(c31, a, b1);
    a = v128.load32_splat(pa, 16);
    c40 = madd(c40, a, b0); c41 = madd(c41, a, b1);
    pa += MR * 4;
    pb += NR * 4;
  }
  v128.store(tile, c00); v128.store(tile, c01, 16);
  v128.store(tile, c10, 32); v128.store(tile, c11, 48);
  v128.store(tile, c20, 64); v128.store(tile, c21, 80);
  v128.store(tile, c30, 96); v128.store(tile, c31, 112);
  v128.store(tile, c40, 128); v128.store(tile, c41, 144);
}

/**
 * Writes a full, untransposed computed tile (see {@link kernel5x8}) to C with row pitch `ldc`
 * bytes: `C[0:MR, 0:NR] = alpha·tile + beta·C + bias` (bias 0 = none; C not read when beta = 0).
 */
// @ts-ignore: decorator
@inline function storeFull(tile: usize, c: usize, ldc: usize, alpha: f32, beta: f32, bias: usize): void {
  const va = f32x4.splat(alpha);
  const vb = f32x4.splat(beta);
  let b0 = f32x4.splat(0), b1 = f32x4.splat(0);
  if (bias) {
    b0 = v128.load(bias);
    b1 = v128.load(bias, 16);
  }
  for (let i = 0; i < MR; i++) {
    const t = tile + (<usize>(i * NR) << 2);
    storeRow(c, v128.load(t), v128.load(t, 16), va, beta, vb, b0, b1);
    c += ldc;
  }
}

/**
 * Writes the top-left mr×nr of a computed tile to C, same formula as {@link storeFull}. `rs`/`cs`
 * are the byte strides of the tile's rows and columns in C: (ldc, 4) normally, (4, ldc) when the
 * product is computed transposed (`trans`), in which case `bias` runs along the tile's rows.
 */
function storeEdge(
  tile: usize, c: usize, rs: usize, cs: usize, trans: bool, mr: i32, nr: i32,
  alpha: f32, beta: f32, bias: usize,
): void {
  for (let i = 0; i < mr; i++) {
    const t = tile + (<usize>(i * NR) << 2);
    const ci = c + <usize>i * rs;
    const bi: f32 = bias && trans ? load<f32>(bias + (<usize>i << 2)) : 0;
    for (let j = 0; j < nr; j++) {
      const o = ci + <usize>j * cs;
      let y = alpha * load<f32>(t + (<usize>j << 2));
      if (beta != 0) y += beta * load<f32>(o);
      if (bias) y += trans ? bi : load<f32>(bias + (<usize>j << 2));
      store<f32>(o, y);
    }
  }
}

// ---- driver ----------------------------------------------------------------------------------

/**
 * Finishes `rows` rows of `cols` floats (pitch `ldc` bytes) starting at `c`, row index `i0`:
 * when `rowAdd` is set, adds `rowAdd[i]` and clamps at 0 (squared-L2 distances); otherwise
 * applies the activation `act` (ACTIVATIONS index; 0 = none), contiguous rows in one call.
 */
function epilogue(c: usize, ldc: usize, rows: i32, cols: i32, i0: i32, act: i32, actAlpha: f32, rowAdd: usize): void {
  if (rows <= 0 || cols <= 0) return;
  if (rowAdd) {
    const zero = f32x4.splat(0);
    for (let i = 0; i < rows; i++) {
      const r = c + <usize>i * ldc;
      const s = load<f32>(rowAdd + (<usize>(i0 + i) << 2));
      const vs = f32x4.splat(s);
      let j = 0;
      for (; j + 4 <= cols; j += 4) {
        const o = r + (<usize>j << 2);
        v128.store(o, f32x4.pmax(f32x4.add(v128.load(o), vs), zero));
      }
      for (; j < cols; j++) {
        const o = r + (<usize>j << 2);
        store<f32>(o, max<f32>(load<f32>(o) + s, 0));
      }
    }
    return;
  }
  if (act == 0) return;
  if (<usize>cols << 2 == ldc) {
    activationInPlace(act, c, rows * cols, actAlpha);
  } else {
    for (let i = 0; i < rows; i++) activationInPlace(act, c + <usize>i * ldc, cols, actAlpha);
  }
}

/** k = 0: `C = epilogue(beta·C + bias)`, without reading C when beta = 0. */
function gemmNoDepth(c: usize, m: i32, n: i32, beta: f32, bias: usize, act: i32, actAlpha: f32, rowAdd: usize): void {
  const vb = f32x4.splat(beta);
  for (let i = 0; i < m; i++) {
    const r = c + (<usize>i * <usize>n << 2);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 2;
      let y = f32x4.splat(0);
      if (beta != 0) y = f32x4.mul(v128.load(r + o), vb);
      if (bias) y = f32x4.add(y, v128.load(bias + o));
      v128.store(r + o, y);
    }
    for (; j < n; j++) {
      const o = <usize>j << 2;
      let y: f32 = 0;
      if (beta != 0) y = beta * load<f32>(r + o);
      if (bias) y += load<f32>(bias + o);
      store<f32>(r + o, y);
    }
  }
  epilogue(c, <usize>n << 2, m, n, 0, act, actAlpha, rowAdd);
}

/**
 * The GEMM driver shared by {@link gemm_f32} and the distance kernels: with `rowAdd` (m floats,
 * 0 = none) the epilogue adds `rowAdd[i]` to row i and clamps at 0 instead of applying `act`
 * (squared-L2 distances). `ws` holds at least `gemmWorkspace_f32(m, n, k, …)` bytes, 16-byte
 * aligned. Not part of the backend ABI.
 */
export function gemmCore(
  a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, transA: i32, transB: i32,
  alpha: f32, beta: f32, bias: usize, act: i32, actAlpha: f32, rowAdd: usize, ws: usize,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    gemmNoDepth(c, m, n, beta, bias, act, actAlpha, rowAdd);
    return;
  }
  gemmBlock(a, b, c, m, n, k, transA, transB, alpha, beta, bias, act, actAlpha, rowAdd, ws, 0, I32.MAX_VALUE, 0, I32.MAX_VALUE);
}

/**
 * 1 when {@link gemm_f32} computes this product transposed (Cᵀ = op(B)ᵀ·op(A)ᵀ, narrow n), else
 * 0: the orientation in which {@link gemmRange_f32}'s row and column ranges are counted.
 */
export function gemmSwapped_f32(m: i32, n: i32): i32 {
  return swapped(m, n) ? 1 : 0;
}

/**
 * Part of {@link gemm_f32} (same arguments, k > 0): only the tiles in rows [r0, r1) and columns
 * [c0, c1) of the product as computed, i.e. of C, or of Cᵀ when `gemmSwapped_f32(m, n)`. With
 * r0 a multiple of 5 (MR), c0 a multiple of 8 (NR), and each end a multiple of those or the
 * whole extent, every element gets exactly the bits the full call gives it (same tiles, same
 * K blocks, same epilogue), so disjoint ranges can run on different threads. `ws` is this
 * caller's own `gemmWorkspace_f32(m, n, k, …)` bytes.
 */
export function gemmRange_f32(
  a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, transA: i32, transB: i32,
  alpha: f32, beta: f32, bias: usize, act: i32, actAlpha: f32, ws: usize, wsBytes: i32,
  r0: i32, r1: i32, c0: i32, c1: i32,
): void {
  if (m <= 0 || n <= 0 || k <= 0) return;
  gemmBlock(a, b, c, m, n, k, transA, transB, alpha, beta, bias, act, actAlpha, 0, ws, r0, r1, c0, c1);
}

/** The driver body of {@link gemmCore} for k > 0, restricted to a tile range (see gemmRange_f32). */
function gemmBlock(
  a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, transA: i32, transB: i32,
  alpha: f32, beta: f32, bias: usize, act: i32, actAlpha: f32, rowAdd: usize, ws: usize,
  r0: i32, r1: i32, c0: i32, c1: i32,
): void {
  const ldc = <usize>n << 2;
  if (smallGemm(m, transA, transB) && !swapped(m, n)) {
    // A few rows (batch-1 inference): read B in place, no packing (gemv.ts). Narrow products
    // that the packed path computes as Cᵀ (m 6–8 with n ≲ m) stay there: it is faster on them,
    // and the threaded split orients its ranges by gemmSwapped_f32, so here they count rows and
    // columns of C as they are.
    const i0 = max(r0, 0), i1 = min(r1, m), j0 = max(c0, 0), j1 = min(c1, n);
    if (i0 >= i1 || j0 >= j1) return;
    gemmSmall(a, b, c, m, n, k, transA, transB, alpha, beta, bias, i0, i1, j0, j1);
    epilogue(c + <usize>i0 * ldc + (<usize>j0 << 2), ldc, i1 - i0, j1 - j0, i0, act, actAlpha, rowAdd);
    return;
  }
  // Tile strides in C: rows of the computed product go down C, or across it when transposed.
  let rs = ldc, cs: usize = 4;
  const swap = swapped(m, n);
  if (swap) {
    // Cᵀ = op(B)ᵀ·op(A)ᵀ: op(B)ᵀ is B read with the opposite transpose flag, likewise A.
    const t = a; a = b; b = t;
    const tm = m; m = n; n = tm;
    const tt = transA; transA = transB ^ 1; transB = tt ^ 1;
    rs = 4;
    cs = ldc;
  }
  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  const pa = ws;
  const pb = ws + (<usize>packAFloats(m, k) << 2);
  const tile = pb + (<usize>packBFloats(n, k) << 2);
  // The tile range, in the computed orientation; packing treats rows ≥ mEnd and columns ≥ nEnd
  // as padding, exactly as it treats the true edges.
  const mEnd = min(r1, m), nEnd = min(c1, n);
  const mBeg = max(r0, 0), nBeg = max(c0, 0);
  if (mBeg >= mEnd || nBeg >= nEnd) return;
  // Equal K blocks (784 = 4×196, not 3×256 + 16) so no pass is a short, store-bound one.
  const kBlocks = (k + KC - 1) / KC;
  const kcMax = (k + kBlocks - 1) / kBlocks;
  for (let jc = nBeg; jc < nEnd; jc += NC) {
    const nc = min(NC, nEnd - jc);
    for (let pc = 0; pc < k; pc += kcMax) {
      const kc = min(kcMax, k - pc);
      const last = pc + kc >= k;
      const betaEff: f32 = pc == 0 ? beta : 1;
      const biasAt = last ? bias : 0;
      packB(b, ldb, transB, nEnd, jc, pc, nc, kc, pb);
      for (let ic = mBeg; ic < mEnd; ic += MC) {
        const mc = min(MC, mEnd - ic);
        packA(a, lda, transA, mEnd, ic, pc, mc, kc, pa);
        for (let ir = 0; ir < mc; ir += MR) {
          const mr = min(MR, mc - ir);
          const crow = c + <usize>(ic + ir) * rs + <usize>jc * cs;
          const pai = pa + (<usize>(ir * kc) << 2);
          const full = mr == MR && !swap;
          const ncFull = nc & ~(NR - 1);
          // Two call sites of the kernel (full and edge panels) also keep binaryen from inlining it
          // here, where V8 would have to spill its accumulators around this loop nest.
          let jr = 0;
          for (; jr < ncFull; jr += NR) {
            const cj = crow + <usize>jr * cs;
            const biasj = biasAt ? biasAt + (<usize>(swap ? ic + ir : jc + jr) << 2) : 0;
            kernel5x8(pai, pb + (<usize>(jr * kc) << 2), kc, tile);
            if (full) storeFull(tile, cj, ldc, alpha, betaEff, biasj);
            else storeEdge(tile, cj, rs, cs, swap, mr, NR, alpha, betaEff, biasj);
          }
          if (jr < nc) {
            // Right edge: the zero-padded panel, stored masked.
            const biasj = biasAt ? biasAt + (<usize>(swap ? ic + ir : jc + jr) << 2) : 0;
            kernel5x8(pai, pb + (<usize>(jr * kc) << 2), kc, tile);
            storeEdge(tile, crow + <usize>jr * cs, rs, cs, swap, mr, nc - jr, alpha, betaEff, biasj);
          }
          // Finished rows are still in L1: activate them now.
          if (last && !swap) epilogue(crow, ldc, mr, nc, ic + ir, act, actAlpha, rowAdd);
        }
      }
    }
  }
  // Transposed runs finish columns of C, not rows: one pass over the block of C (here n and m
  // are swapped: C rows are the computed columns [nBeg, nEnd), C columns the computed rows).
  if (swap) epilogue(c + <usize>nBeg * ldc + (<usize>mBeg << 2), ldc, nEnd - nBeg, mEnd - mBeg, nBeg, act, actAlpha, rowAdd);
}

/**
 * `C[m,n] = act(alpha·op(A)·op(B) + beta·C + bias[n])`, row-major. A is `[m,k]` (`[k,m]` when
 * transA), B is `[k,n]` (`[n,k]` when transB); `bias` 0 = none; `act` is the ACTIVATIONS index
 * (0 = linear); beta = 0 never reads C. `ws` is `gemmWorkspace_f32(m, n, k, …)` bytes of scratch.
 */
export function gemm_f32(
  a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, transA: i32, transB: i32,
  alpha: f32, beta: f32, bias: usize, act: i32, actAlpha: f32, ws: usize, wsBytes: i32,
): void {
  gemmCore(a, b, c, m, n, k, transA, transB, alpha, beta, bias, act, actAlpha, 0, ws);
}
