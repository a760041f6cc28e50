// Pairwise distances between the rows of a [m, d] and b [n, d] (see bindings/abi.ts for the ABI).
//
// Squared L2 goes through the GEMM: ‖a_i‖² + ‖b_j‖² − 2·a_i·b_j, with −2·A·Bᵀ computed by the
// packed kernel, ‖b_j‖² fused as its bias and ‖a_i‖² plus the clamp at 0 (cancellation can make
// the sum slightly negative) fused as its row epilogue. L1 has no product form: it is a 2×3
// register block of f32x4 |a − b| sums along d, with b cut into cache-sized row blocks; for short
// rows (d < 12) it runs across 4 rows of b at once instead, from a small transposed copy of them.

import { gemmCore, gemmWorkspace_f32 } from './gemm';

/** Metric codes of the ABI. */
// @ts-ignore: decorator
@inline const METRIC_L2SQ: i32 = 0;

/** Below this d, L1 vectorises across rows of b instead of along d. */
// @ts-ignore: decorator
@inline const L1_NARROW_D: i32 = 12;

/** Rows of b per L1 block: about 128 KiB of b stays in L2 while every row of a passes over it. */
// @ts-ignore: decorator
@inline const L1_BLOCK_FLOATS: i32 = 32768;

// @ts-ignore: decorator
@inline function ceil4(x: i32): i32 {
  return (x + 3) & ~3;
}

/** |x| as `x & ABS_MASK`: loaded once into a register (the constant form costs 3 ops per use in V8). */
const ABS_MASK = memory.data<u32>([0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff], 16);

/**
 * Bytes of scratch {@link pairwiseDistance_f32} needs: for squared L2, the row norms of a and b
 * (`4·(ceil4(m) + ceil4(n))`) plus the GEMM's workspace for `A·Bᵀ` (bounded); for L1 a 4×12
 * transposed block of b (192 bytes).
 */
export function pairwiseDistanceWorkspace_f32(metric: i32, m: i32, n: i32, d: i32): i32 {
  if (m <= 0 || n <= 0) return 0;
  if (metric != METRIC_L2SQ) return L1_NARROW_D * 16;
  return ((ceil4(m) + ceil4(n)) << 2) + gemmWorkspace_f32(m, n, d, 0, 1);
}

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** out[i] = Σ_t x[i, t]² for `rows` rows of `d` floats. */
function rowSquares(x: usize, rows: i32, d: i32, out: usize): void {
  const d4 = d & ~3;
  const pitch = <usize>d << 2;
  for (let i = 0; i < rows; i++) {
    const r = x + <usize>i * pitch;
    let acc = f32x4.splat(0);
    for (let t = 0; t < d4; t += 4) {
      const v = v128.load(r + (<usize>t << 2));
      acc = f32x4.add(acc, f32x4.mul(v, v));
    }
    let s = hsum(acc);
    for (let t = d4; t < d; t++) {
      const v = load<f32>(r + (<usize>t << 2));
      s += v * v;
    }
    store<f32>(out + (<usize>i << 2), s);
  }
}

/** Σ_t |a[t] − b[t]| over d floats. */
function l1Pair(a: usize, b: usize, d: i32): f32 {
  const mask = v128.load(ABS_MASK);
  const d4 = d & ~3;
  let acc = f32x4.splat(0);
  for (let t = 0; t < d4; t += 4) {
    const o = <usize>t << 2;
    acc = f32x4.add(acc, v128.and(f32x4.sub(v128.load(a + o), v128.load(b + o)), mask));
  }
  let s = hsum(acc);
  for (let t = d4; t < d; t++) {
    const o = <usize>t << 2;
    s += Mathf.abs(load<f32>(a + o) - load<f32>(b + o));
  }
  return s;
}

/** Scalar tail of a register block: Σ_{t ≥ d4} |a[t] − b[t]|. */
// @ts-ignore: decorator
@inline function l1Tail(a: usize, b: usize, d4: i32, d: i32): f32 {
  let s: f32 = 0;
  for (let t = d4; t < d; t++) {
    const o = <usize>t << 2;
    s += Mathf.abs(load<f32>(a + o) - load<f32>(b + o));
  }
  return s;
}

/**
 * L1 distances of rows a0, a1 against rows b0..b2 (row pitch `pitch` bytes), written to
 * out0[0..3] and out1[0..3]: 6 accumulators share each loaded vector of a and b. (2×3, not 2×4:
 * V8 loads all operands first, and 6 loads + 8 sums + mask + temporary would spill a sum.)
 */
function l1Block2x3(a0: usize, a1: usize, b0: usize, pitch: usize, d: i32, out0: usize, out1: usize): void {
  const b1 = b0 + pitch, b2 = b1 + pitch;
  const mask = v128.load(ABS_MASK);
  let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0);
  let s10 = f32x4.splat(0), s11 = f32x4.splat(0), s12 = f32x4.splat(0);
  const d4 = d & ~3;
  for (let t = 0; t < d4; t += 4) {
    const o = <usize>t << 2;
    const x0 = v128.load(a0 + o), x1 = v128.load(a1 + o);
    let y = v128.load(b0 + o);
    s00 = f32x4.add(s00, v128.and(f32x4.sub(x0, y), mask));
    s10 = f32x4.add(s10, v128.and(f32x4.sub(x1, y), mask));
    y = v128.load(b1 + o);
    s01 = f32x4.add(s01, v128.and(f32x4.sub(x0, y), mask));
    s11 = f32x4.add(s11, v128.and(f32x4.sub(x1, y), mask));
    y = v128.load(b2 + o);
    s02 = f32x4.add(s02, v128.and(f32x4.sub(x0, y), mask));
    s12 = f32x4.add(s12, v128.and(f32x4.sub(x1, y), mask));
  }
  store<f32>(out0, hsum(s00) + l1Tail(a0, b0, d4, d));
  store<f32>(out0, hsum(s01) + l1Tail(a0, b1, d4, d), 4);
  store<f32>(out0, hsum(s02) + l1Tail(a0, b2, d4, d), 8);
  store<f32>(out1, hsum(s10) + l1Tail(a1, b0, d4, d));
  store<f32>(out1, hsum(s11) + l1Tail(a1, b1, d4, d), 4);
  store<f32>(out1, hsum(s12) + l1Tail(a1, b2, d4, d), 8);
}

/** L1 (Manhattan) distances: out[i, j] = Σ_t |a[i, t] − b[j, t]|. */
function pairwiseL1(a: usize, b: usize, out: usize, m: i32, n: i32, d: i32): void {
  const pitch = <usize>d << 2;
  const ldo = <usize>n << 2;
  const jb = max(3, L1_BLOCK_FLOATS / max(d, 1) / 3 * 3);
  for (let j0 = 0; j0 < n; j0 += jb) {
    const j1 = min(n, j0 + jb);
    const j3 = j0 + (j1 - j0) / 3 * 3;
    let i = 0;
    for (; i + 2 <= m; i += 2) {
      const a0 = a + <usize>i * pitch, a1 = a0 + pitch;
      const o0 = out + <usize>i * ldo, o1 = o0 + ldo;
      let j = j0;
      for (; j < j3; j += 3) l1Block2x3(a0, a1, b + <usize>j * pitch, pitch, d, o0 + (<usize>j << 2), o1 + (<usize>j << 2));
      for (; j < j1; j++) {
        const bj = b + <usize>j * pitch;
        store<f32>(o0 + (<usize>j << 2), l1Pair(a0, bj, d));
        store<f32>(o1 + (<usize>j << 2), l1Pair(a1, bj, d));
      }
    }
    if (i < m) {
      const ai = a + <usize>i * pitch;
      const oi = out + <usize>i * ldo;
      for (let j = j0; j < j1; j++) store<f32>(oi + (<usize>j << 2), l1Pair(ai, b + <usize>j * pitch, d));
    }
  }
}

/**
 * L1 distances for short rows (d < {@link L1_NARROW_D}): 4 rows of b are transposed into `bt`
 * (d vectors of 4 lanes, zero-padded past n), then each row of a yields 4 distances per vector.
 */
function pairwiseL1Narrow(a: usize, b: usize, out: usize, m: i32, n: i32, d: i32, bt: usize): void {
  const mask = v128.load(ABS_MASK);
  const pitch = <usize>d << 2;
  const ldo = <usize>n << 2;
  for (let j = 0; j < n; j += 4) {
    const cols = min(4, n - j);
    for (let t = 0; t < d; t++) {
      for (let q = 0; q < 4; q++) {
        store<f32>(bt + (<usize>(t * 4 + q) << 2), q < cols ? load<f32>(b + <usize>(j + q) * pitch + (<usize>t << 2)) : 0);
      }
    }
    let o = out + (<usize>j << 2);
    let ai = a;
    for (let i = 0; i < m; i++) {
      let acc = f32x4.splat(0);
      for (let t = 0; t < d; t++) {
        const x = v128.load32_splat(ai + (<usize>t << 2));
        acc = f32x4.add(acc, v128.and(f32x4.sub(x, v128.load(bt + (<usize>t << 4))), mask));
      }
      if (cols == 4) {
        v128.store(o, acc);
      } else {
        store<f32>(o, f32x4.extract_lane(acc, 0));
        if (cols > 1) store<f32>(o, f32x4.extract_lane(acc, 1), 4);
        if (cols > 2) store<f32>(o, f32x4.extract_lane(acc, 2), 8);
      }
      o += ldo;
      ai += pitch;
    }
  }
}

/**
 * `out[i, j] = dist(a[i, :], b[j, :])` for a `[m, d]`, b `[n, d]`, out `[m, n]`, row-major.
 * metric 0 = squared Euclidean (clamped at 0), 1 = Manhattan. `ws` is
 * `pairwiseDistanceWorkspace_f32(metric, m, n, d)` bytes of 16-byte-aligned scratch.
 */
export function pairwiseDistance_f32(metric: i32, a: usize, b: usize, out: usize, m: i32, n: i32, d: i32, ws: usize, wsBytes: i32): void {
  if (m <= 0 || n <= 0) return;
  if (metric != METRIC_L2SQ) {
    if (d < L1_NARROW_D) pairwiseL1Narrow(a, b, out, m, n, d, ws);
    else pairwiseL1(a, b, out, m, n, d);
    return;
  }
  const na = ws;
  const nb = na + (<usize>ceil4(m) << 2);
  const gws = nb + (<usize>ceil4(n) << 2);
  rowSquares(a, m, d, na);
  rowSquares(b, n, d, nb);
  // out = act(−2·A·Bᵀ + nb[j]) with the epilogue adding na[i] and clamping at 0.
  gemmCore(a, b, out, m, n, d, 0, 1, -2.0, 0, nb, 0, 0, na, gws);
}
