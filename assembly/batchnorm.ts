// Batch normalisation kernels; every tensor is viewed as [outer, channels, inner]. ABI:
// bindings/abi.ts.
//
// Two layouts get their own loops. inner = 1 (BatchNorm1d on [N, C]) streams row by row over
// groups of up to GROUP channels, keeping per-channel accumulators in a static scratch block
// (a column walk instead would revisit cache lines that rows 4 KiB apart keep evicting).
// inner > 1 (BatchNorm2d on [N, C, H·W]) reduces each contiguous (o, c) segment with f32x4.
// Statistics are two-pass: a mean of values shifted by the first row, then Σ(x − m)² around the
// float32 mean m, corrected by (mean − m)². Sums run in float32 over short blocks flushed into
// float64, so a mean of 1e4 with unit spread keeps its variance to ~float32 precision.
//
// The scratch blocks are per instance (assembly/scratch.ts), so worker instances of the threaded
// build can run these kernels side by side; `*Range_f32` exports take a channel range [c0, c1)
// for that. A channel's results do not depend on which group or range it falls in.

import { BN_F32A as F32A, BN_F32B as F32B, BN_F32C as F32C, BN_F64A as F64A, BN_F64B as F64B, BN_GROUP as GROUP } from './scratch';

/** Rows (or floats) per float32 block before flushing into float64. */
const BLOCK = 32;

@inline function lo64(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

@inline function hi64(v: v128): v128 {
  return f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0));
}

@inline function hsum64(acc: v128): f64 {
  return f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
}

// Second results of the segment sums below (module globals: kernels do not allocate).
let sumA: f64 = 0;
let sumB: f64 = 0;

/** sumA = Σ d, sumB = Σ d² over n contiguous floats, d = p[i] − c in float32. */
function devSums(p: usize, n: i32, c: f32): void {
  const vc = f32x4.splat(c);
  let acc1 = f64x2.splat(0), acc2 = f64x2.splat(0);
  let i = 0;
  while (i + 8 <= n) {
    const stop = min<i32>(n, i + 8 * BLOCK);
    let s0 = f32x4.splat(0), s1 = s0, q0 = s0, q1 = s0;
    for (; i + 8 <= stop; i += 8) {
      const q = p + (<usize>i << 2);
      const d0 = f32x4.sub(v128.load(q), vc);
      const d1 = f32x4.sub(v128.load(q, 16), vc);
      s0 = f32x4.add(s0, d0);
      s1 = f32x4.add(s1, d1);
      q0 = f32x4.add(q0, f32x4.mul(d0, d0));
      q1 = f32x4.add(q1, f32x4.mul(d1, d1));
    }
    const s = f32x4.add(s0, s1), sq = f32x4.add(q0, q1);
    acc1 = f64x2.add(f64x2.add(acc1, lo64(s)), hi64(s));
    acc2 = f64x2.add(f64x2.add(acc2, lo64(sq)), hi64(sq));
  }
  let s = hsum64(acc1), sq = hsum64(acc2);
  for (; i < n; i++) {
    const d = load<f32>(p + (<usize>i << 2)) - c;
    s += <f64>d;
    sq += <f64>(d * d);
  }
  sumA = s;
  sumB = sq;
}

/** sumA = Σ dy, sumB = Σ dy·(x − c) over n contiguous floats of x and dy. */
function gradSums(x: usize, dy: usize, n: i32, c: f32): void {
  const vc = f32x4.splat(c);
  let acc1 = f64x2.splat(0), acc2 = f64x2.splat(0);
  let i = 0;
  while (i + 8 <= n) {
    const stop = min<i32>(n, i + 8 * BLOCK);
    let s0 = f32x4.splat(0), s1 = s0, q0 = s0, q1 = s0;
    for (; i + 8 <= stop; i += 8) {
      const o = <usize>i << 2;
      const g0 = v128.load(dy + o), g1 = v128.load(dy + o, 16);
      s0 = f32x4.add(s0, g0);
      s1 = f32x4.add(s1, g1);
      q0 = f32x4.add(q0, f32x4.mul(g0, f32x4.sub(v128.load(x + o), vc)));
      q1 = f32x4.add(q1, f32x4.mul(g1, f32x4.sub(v128.load(x + o, 16), vc)));
    }
    const s = f32x4.add(s0, s1), sq = f32x4.add(q0, q1);
    acc1 = f64x2.add(f64x2.add(acc1, lo64(s)), hi64(s));
    acc2 = f64x2.add(f64x2.add(acc2, lo64(sq)), hi64(sq));
  }
  let s = hsum64(acc1), sq = hsum64(acc2);
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const g = load<f32>(dy + o);
    s += <f64>g;
    sq += <f64>(g * (load<f32>(x + o) - c));
  }
  sumA = s;
  sumB = sq;
}

// ---- scratch for the inner = 1 path -------------------------------------------------------

// GROUP channels per group; F32A/F32B/F32C are per-channel float32 block accumulators or
// coefficient rows, F64A/F64B per-channel float64 totals (see the import above).

/** tot[j] += acc[j] (float32 → float64) and acc[j] = 0, for j < w. */
function flushGroup(acc: usize, tot: usize, w: i32): void {
  let j = 0;
  for (; j + 4 <= w; j += 4) {
    const a = v128.load(acc + (<usize>j << 2));
    const t = tot + (<usize>j << 3);
    v128.store(t, f64x2.add(v128.load(t), lo64(a)));
    v128.store(t, f64x2.add(v128.load(t, 16), hi64(a)), 16);
  }
  for (; j < w; j++) {
    const t = tot + (<usize>j << 3);
    store<f64>(t, load<f64>(t) + <f64>load<f32>(acc + (<usize>j << 2)));
  }
  memory.fill(acc, 0, <usize>w << 2);
}

/** Mean and biased variance of channels [c0, c0 + w) of x [rows, C] (row stride `rowBytes`). */
function statsGroup(x: usize, rowBytes: usize, rows: i32, w: i32, meanOut: usize, varOut: usize): void {
  const wb = <usize>w << 2;
  const invN = 1.0 / <f64>rows;
  // Pass 1: Σ (x − k) with k = the first row, so the float32 blocks sum small numbers.
  const k = F32B;
  memory.copy(k, x, wb);
  memory.fill(F32A, 0, wb);
  memory.fill(F64A, 0, <usize>w << 3);
  let r = 0;
  let row = x;
  while (r < rows) {
    const stop = min<i32>(rows, r + BLOCK);
    // Two rows per sweep halve the accumulator traffic.
    for (; r + 2 <= stop; r += 2) {
      const row2 = row + rowBytes;
      let j = 0;
      for (; j + 4 <= w; j += 4) {
        const o = <usize>j << 2;
        const kv = v128.load(k + o);
        const d = f32x4.add(f32x4.sub(v128.load(row + o), kv), f32x4.sub(v128.load(row2 + o), kv));
        v128.store(F32A + o, f32x4.add(v128.load(F32A + o), d));
      }
      for (; j < w; j++) {
        const o = <usize>j << 2;
        const kv = load<f32>(k + o);
        store<f32>(F32A + o, load<f32>(F32A + o) + ((load<f32>(row + o) - kv) + (load<f32>(row2 + o) - kv)));
      }
      row += rowBytes << 1;
    }
    if (r < stop) {
      let j = 0;
      for (; j + 4 <= w; j += 4) {
        const o = <usize>j << 2;
        v128.store(F32A + o, f32x4.add(v128.load(F32A + o), f32x4.sub(v128.load(row + o), v128.load(k + o))));
      }
      for (; j < w; j++) {
        const o = <usize>j << 2;
        store<f32>(F32A + o, load<f32>(F32A + o) + (load<f32>(row + o) - load<f32>(k + o)));
      }
      row += rowBytes;
      r++;
    }
    flushGroup(F32A, F64A, w);
  }
  // mean = k + Σ/N; park (mean − m)² for the variance in varOut meanwhile.
  for (let j = 0; j < w; j++) {
    const mu = <f64>load<f32>(k + (<usize>j << 2)) + load<f64>(F64A + (<usize>j << 3)) * invN;
    const m = <f32>mu;
    const e = mu - <f64>m;
    store<f32>(meanOut + (<usize>j << 2), m);
    store<f32>(varOut + (<usize>j << 2), <f32>(e * e));
  }
  // Pass 2: Σ (x − m)².
  memory.fill(F64A, 0, <usize>w << 3);
  r = 0;
  row = x;
  while (r < rows) {
    const stop = min<i32>(rows, r + BLOCK);
    for (; r + 2 <= stop; r += 2) {
      const row2 = row + rowBytes;
      let j = 0;
      for (; j + 4 <= w; j += 4) {
        const o = <usize>j << 2;
        const m = v128.load(meanOut + o);
        const d = f32x4.sub(v128.load(row + o), m), e = f32x4.sub(v128.load(row2 + o), m);
        v128.store(F32A + o, f32x4.add(v128.load(F32A + o), f32x4.add(f32x4.mul(d, d), f32x4.mul(e, e))));
      }
      for (; j < w; j++) {
        const o = <usize>j << 2;
        const m = load<f32>(meanOut + o);
        const d = load<f32>(row + o) - m, e = load<f32>(row2 + o) - m;
        store<f32>(F32A + o, load<f32>(F32A + o) + (d * d + e * e));
      }
      row += rowBytes << 1;
    }
    if (r < stop) {
      let j = 0;
      for (; j + 4 <= w; j += 4) {
        const o = <usize>j << 2;
        const d = f32x4.sub(v128.load(row + o), v128.load(meanOut + o));
        v128.store(F32A + o, f32x4.add(v128.load(F32A + o), f32x4.mul(d, d)));
      }
      for (; j < w; j++) {
        const o = <usize>j << 2;
        const d = load<f32>(row + o) - load<f32>(meanOut + o);
        store<f32>(F32A + o, load<f32>(F32A + o) + d * d);
      }
      row += rowBytes;
      r++;
    }
    flushGroup(F32A, F64A, w);
  }
  for (let j = 0; j < w; j++) {
    const o = <usize>j << 2;
    store<f32>(varOut + o, <f32>max<f64>(0, load<f64>(F64A + (<usize>j << 3)) * invN - <f64>load<f32>(varOut + o)));
  }
}

// ---- statistics ---------------------------------------------------------------------------

/** Mean and biased variance of one channel: `segs` segments of `len` floats, `stride` bytes apart. */
function statsChannel(p: usize, stride: usize, segs: i32, len: i32, meanOut: usize, varOut: usize): void {
  const invN = 1.0 / (<f64>segs * <f64>len);
  let s: f64 = 0;
  for (let o = 0; o < segs; o++) {
    devSums(p + <usize>o * stride, len, 0);
    s += sumA;
  }
  const m = <f32>(s * invN);
  let sd: f64 = 0, sq: f64 = 0;
  for (let o = 0; o < segs; o++) {
    devSums(p + <usize>o * stride, len, m);
    sd += sumA;
    sq += sumB;
  }
  const mu = sd * invN;
  store<f32>(meanOut, m);
  store<f32>(varOut, <f32>max<f64>(0, sq * invN - mu * mu));
}

/**
 * Per-channel mean and biased variance over the outer·inner values of each channel of x
 * `[outer, channels, inner]`. With no values both are NaN.
 */
export function batchNormStats_f32(x: usize, mean: usize, variance: usize, outer: i32, channels: i32, inner: i32): void {
  batchNormStatsRange_f32(x, mean, variance, outer, channels, inner, 0, channels);
}

/** {@link batchNormStats_f32} for channels [c0, c1) only (pointers are the whole tensors'). */
export function batchNormStatsRange_f32(x: usize, mean: usize, variance: usize, outer: i32, channels: i32, inner: i32, c0: i32, c1: i32): void {
  c0 = max<i32>(c0, 0);
  c1 = min<i32>(c1, channels);
  if (c1 <= c0) return;
  if (outer <= 0 || inner <= 0) {
    for (let c = c0; c < c1; c++) {
      store<f32>(mean + (<usize>c << 2), NaN);
      store<f32>(variance + (<usize>c << 2), NaN);
    }
    return;
  }
  const rowBytes = <usize>channels * <usize>inner << 2;
  if (inner == 1) {
    for (let c = c0; c < c1; c += GROUP) {
      const o = <usize>c << 2;
      statsGroup(x + o, rowBytes, outer, min<i32>(GROUP, c1 - c), mean + o, variance + o);
    }
    return;
  }
  const segBytes = <usize>inner << 2;
  for (let c = c0; c < c1; c++) {
    statsChannel(x + <usize>c * segBytes, rowBytes, outer, inner, mean + (<usize>c << 2), variance + (<usize>c << 2));
  }
}

// ---- forward ------------------------------------------------------------------------------

/** gamma[c]/sqrt(var[c] + eps), in float64 then rounded (gamma = 1 when absent). */
@inline function channelScale(variance: usize, gamma: usize, c: i32, eps: f64): f32 {
  const g: f64 = gamma ? <f64>load<f32>(gamma + (<usize>c << 2)) : 1.0;
  return <f32>(g / Math.sqrt(<f64>load<f32>(variance + (<usize>c << 2)) + eps));
}

@inline function channelShift(beta: usize, c: i32): f32 {
  return beta ? load<f32>(beta + (<usize>c << 2)) : <f32>0;
}

/** Forward for channels [c0, c0 + w) of [rows, C] (all pointers already offset to c0). */
function forwardGroup(x: usize, out: usize, rowBytes: usize, rows: i32, w: i32, mean: usize, variance: usize, gamma: usize, beta: usize, eps: f64): void {
  for (let j = 0; j < w; j++) {
    store<f32>(F32A + (<usize>j << 2), channelScale(variance, gamma, j, eps));
    store<f32>(F32B + (<usize>j << 2), channelShift(beta, j));
  }
  for (let r = 0; r < rows; r++) {
    let j = 0;
    for (; j + 4 <= w; j += 4) {
      const o = <usize>j << 2;
      const d = f32x4.sub(v128.load(x + o), v128.load(mean + o));
      v128.store(out + o, f32x4.add(f32x4.mul(d, v128.load(F32A + o)), v128.load(F32B + o)));
    }
    for (; j < w; j++) {
      const o = <usize>j << 2;
      store<f32>(out + o, (load<f32>(x + o) - load<f32>(mean + o)) * load<f32>(F32A + o) + load<f32>(F32B + o));
    }
    x += rowBytes;
    out += rowBytes;
  }
}

/**
 * `out = gamma·(x − mean)/sqrt(var + eps) + beta` per channel (gamma/beta 0 = absent → 1/0),
 * evaluated as `(x − mean)·scale + beta` so a large mean cancels exactly first. In-place OK.
 */
export function batchNormForward_f32(x: usize, mean: usize, variance: usize, gamma: usize, beta: usize, out: usize, outer: i32, channels: i32, inner: i32, eps: f64): void {
  if (outer <= 0 || channels <= 0 || inner <= 0) return;
  const rowBytes = <usize>channels * <usize>inner << 2;
  if (inner == 1) {
    for (let c = 0; c < channels; c += GROUP) {
      const o = <usize>c << 2;
      forwardGroup(x + o, out + o, rowBytes, outer, min<i32>(GROUP, channels - c), mean + o, variance + o, gamma ? gamma + o : 0, beta ? beta + o : 0, eps);
    }
    return;
  }
  const segBytes = <usize>inner << 2;
  for (let c = 0; c < channels; c++) {
    const m = load<f32>(mean + (<usize>c << 2)), s = channelScale(variance, gamma, c, eps), b = channelShift(beta, c);
    const vm = f32x4.splat(m), vs = f32x4.splat(s), vb = f32x4.splat(b);
    for (let o = 0; o < outer; o++) {
      const off = <usize>o * rowBytes + <usize>c * segBytes;
      const px = x + off, po = out + off;
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const q = <usize>i << 2;
        v128.store(po + q, f32x4.add(f32x4.mul(f32x4.sub(v128.load(px + q), vm), vs), vb));
      }
      for (; i < inner; i++) {
        const q = <usize>i << 2;
        store<f32>(po + q, (load<f32>(px + q) - m) * s + b);
      }
    }
  }
}

// ---- backward -----------------------------------------------------------------------------

/** Bytes of scratch {@link batchNormBackward_f32} needs: none (per-channel sums stay in registers). */
export function batchNormBackwardWorkspace_f32(channels: i32): i32 {
  return 0;
}

// Per-channel coefficients of dx = a·((dy − b) − (x − mean)·k), set by channelGrad.
let coefA: f32 = 0;
let coefB: f32 = 0;
let coefK: f32 = 0;

/**
 * From Σdy and Σdy·(x − mean) of channel c: writes dbeta = Σdy and dgamma = Σdy·x̂ (when
 * present) and sets the dx coefficients a = gamma·invstd, b = Σdy/N, k = invstd²·Σdy·(x−mean)/N.
 */
function channelGrad(c: i32, sdy: f64, sdyd: f64, n: f64, variance: usize, gamma: usize, dgamma: usize, dbeta: usize, eps: f64): void {
  const invstd = 1.0 / Math.sqrt(<f64>load<f32>(variance + (<usize>c << 2)) + eps);
  const g: f64 = gamma ? <f64>load<f32>(gamma + (<usize>c << 2)) : 1.0;
  if (dbeta) store<f32>(dbeta + (<usize>c << 2), <f32>sdy);
  if (dgamma) store<f32>(dgamma + (<usize>c << 2), <f32>(sdyd * invstd));
  coefA = <f32>(g * invstd);
  coefB = <f32>(sdy / n);
  coefK = <f32>(sdyd * invstd * invstd / n);
}

/** Backward for channels [c0, c0 + w) of [rows, C] (all pointers already offset to c0). */
function backwardGroup(
  x: usize, dy: usize, dx: usize, rowBytes: usize, rows: i32, w: i32, mean: usize, variance: usize,
  gamma: usize, dgamma: usize, dbeta: usize, eps: f64,
): void {
  const wb = <usize>w << 2;
  // Pass 1: Σdy into F32A/F64A and Σdy·(x − m) into F32B/F64B.
  memory.fill(F32A, 0, wb);
  memory.fill(F32B, 0, wb);
  memory.fill(F64A, 0, <usize>w << 3);
  memory.fill(F64B, 0, <usize>w << 3);
  let px = x, pg = dy;
  let r = 0;
  while (r < rows) {
    const stop = min<i32>(rows, r + BLOCK);
    for (; r < stop; r++) {
      let j = 0;
      for (; j + 4 <= w; j += 4) {
        const o = <usize>j << 2;
        const g = v128.load(pg + o);
        v128.store(F32A + o, f32x4.add(v128.load(F32A + o), g));
        v128.store(F32B + o, f32x4.add(v128.load(F32B + o), f32x4.mul(g, f32x4.sub(v128.load(px + o), v128.load(mean + o)))));
      }
      for (; j < w; j++) {
        const o = <usize>j << 2;
        const g = load<f32>(pg + o);
        store<f32>(F32A + o, load<f32>(F32A + o) + g);
        store<f32>(F32B + o, load<f32>(F32B + o) + g * (load<f32>(px + o) - load<f32>(mean + o)));
      }
      px += rowBytes;
      pg += rowBytes;
    }
    flushGroup(F32A, F64A, w);
    flushGroup(F32B, F64B, w);
  }
  // Per-channel coefficients into F32A (a), F32B (b), F32C (k).
  const n = <f64>rows;
  for (let j = 0; j < w; j++) {
    channelGrad(j, load<f64>(F64A + (<usize>j << 3)), load<f64>(F64B + (<usize>j << 3)), n, variance, gamma, dgamma, dbeta, eps);
    store<f32>(F32A + (<usize>j << 2), coefA);
    store<f32>(F32B + (<usize>j << 2), coefB);
    store<f32>(F32C + (<usize>j << 2), coefK);
  }
  // Pass 2: dx = a·((dy − b) − (x − m)·k).
  px = x;
  pg = dy;
  let pd = dx;
  for (r = 0; r < rows; r++) {
    let j = 0;
    for (; j + 4 <= w; j += 4) {
      const o = <usize>j << 2;
      const d = f32x4.sub(v128.load(px + o), v128.load(mean + o));
      const t = f32x4.sub(f32x4.sub(v128.load(pg + o), v128.load(F32B + o)), f32x4.mul(d, v128.load(F32C + o)));
      v128.store(pd + o, f32x4.mul(v128.load(F32A + o), t));
    }
    for (; j < w; j++) {
      const o = <usize>j << 2;
      const t = (load<f32>(pg + o) - load<f32>(F32B + o)) - (load<f32>(px + o) - load<f32>(mean + o)) * load<f32>(F32C + o);
      store<f32>(pd + o, load<f32>(F32A + o) * t);
    }
    px += rowBytes;
    pg += rowBytes;
    pd += rowBytes;
  }
}

/**
 * Training-mode batch-norm gradients: dbeta = Σdy, dgamma = Σdy·x̂, and
 * dx = gamma·invstd/N·(N·dy − Σdy − x̂·Σdy·x̂) with N = outer·inner. dgamma/dbeta 0 = not wanted.
 * `ws` is unused (see {@link batchNormBackwardWorkspace_f32}).
 */
export function batchNormBackward_f32(
  x: usize, mean: usize, variance: usize, gamma: usize, dy: usize, dx: usize, dgamma: usize, dbeta: usize,
  outer: i32, channels: i32, inner: i32, eps: f64, ws: usize, wsBytes: i32,
): void {
  batchNormBackwardRange_f32(x, mean, variance, gamma, dy, dx, dgamma, dbeta, outer, channels, inner, eps, 0, channels);
}

/** {@link batchNormBackward_f32} for channels [c0, c1) only (pointers are the whole tensors'). */
export function batchNormBackwardRange_f32(
  x: usize, mean: usize, variance: usize, gamma: usize, dy: usize, dx: usize, dgamma: usize, dbeta: usize,
  outer: i32, channels: i32, inner: i32, eps: f64, c0: i32, c1: i32,
): void {
  c0 = max<i32>(c0, 0);
  c1 = min<i32>(c1, channels);
  if (c1 <= c0) return;
  if (outer <= 0 || inner <= 0) {
    for (let c = c0; c < c1; c++) {
      if (dbeta) store<f32>(dbeta + (<usize>c << 2), 0);
      if (dgamma) store<f32>(dgamma + (<usize>c << 2), 0);
    }
    return;
  }
  const n = <f64>outer * <f64>inner;
  const rowBytes = <usize>channels * <usize>inner << 2;
  if (inner == 1) {
    for (let c = c0; c < c1; c += GROUP) {
      const o = <usize>c << 2;
      backwardGroup(
        x + o, dy + o, dx + o, rowBytes, outer, min<i32>(GROUP, c1 - c), mean + o, variance + o,
        gamma ? gamma + o : 0, dgamma ? dgamma + o : 0, dbeta ? dbeta + o : 0, eps,
      );
    }
    return;
  }
  const segBytes = <usize>inner << 2;
  for (let c = c0; c < c1; c++) {
    const m = load<f32>(mean + (<usize>c << 2));
    let sdy: f64 = 0, sdyd: f64 = 0;
    for (let o = 0; o < outer; o++) {
      const off = <usize>o * rowBytes + <usize>c * segBytes;
      gradSums(x + off, dy + off, inner, m);
      sdy += sumA;
      sdyd += sumB;
    }
    channelGrad(c, sdy, sdyd, n, variance, gamma, dgamma, dbeta, eps);
    const a = coefA, b = coefB, k = coefK;
    const va = f32x4.splat(a), vb = f32x4.splat(b), vk = f32x4.splat(k), vm = f32x4.splat(m);
    for (let o = 0; o < outer; o++) {
      const off = <usize>o * rowBytes + <usize>c * segBytes;
      const px = x + off, pg = dy + off, pd = dx + off;
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const q = <usize>i << 2;
        const d = f32x4.sub(v128.load(px + q), vm);
        v128.store(pd + q, f32x4.mul(va, f32x4.sub(f32x4.sub(v128.load(pg + q), vb), f32x4.mul(d, vk))));
      }
      for (; i < inner; i++) {
        const q = <usize>i << 2;
        store<f32>(pd + q, a * ((load<f32>(pg + q) - b) - (load<f32>(px + q) - m) * k));
      }
    }
  }
}

// ---- running statistics -------------------------------------------------------------------

/**
 * torch's running update, per channel in float64: `rm = (1−momentum)·rm + momentum·mean`,
 * `rv = (1−momentum)·rv + momentum·var·count/(count−1)` (count = outer·inner of the batch).
 */
export function batchNormRunningUpdate_f32(runningMean: usize, runningVar: usize, mean: usize, variance: usize, channels: i32, momentum: f64, count: f64): void {
  const unbias = count / (count - 1);
  const keep = 1 - momentum;
  for (let c = 0; c < channels; c++) {
    const o = <usize>c << 2;
    store<f32>(runningMean + o, <f32>(keep * <f64>load<f32>(runningMean + o) + momentum * <f64>load<f32>(mean + o)));
    store<f32>(runningVar + o, <f32>(keep * <f64>load<f32>(runningVar + o) + momentum * <f64>load<f32>(variance + o) * unbias));
  }
}
