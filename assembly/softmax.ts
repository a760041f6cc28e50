// Softmax family over the rows of a row-major [rows, cols] matrix (see bindings/abi.ts).
//
// Every row is max-shifted before exponentiating, so logits of any magnitude (±1e4 and beyond)
// are stable. A NaN anywhere in a row, or a +Inf logit, makes the whole row NaN (as in PyTorch):
// the max skips NaN, but exp(NaN − max) poisons the row sum. Tails (cols % 4) go through the
// same vector code via a splat, so each element's value does not depend on its column.

import { exp4, expNonPosScaled4 } from './simdmath';

// The row exponentials are e^(x − max)·2^64 (expNonPosScaled4): normal floats all the way down,
// and the factor cancels in every ratio; log-sums subtract 64·ln 2.
const LOG_TWO_P64: f64 = 44.3614195558365;

// ---- row helpers ---------------------------------------------------------------------------

/** Horizontal sum of four lanes. */
@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** Max of a row of n floats, ignoring NaN (−Inf for n = 0). */
@inline function rowMax(p: usize, n: i32): f32 {
  const n8 = n & ~7;
  let m0 = f32x4.splat(-Infinity);
  let m1 = m0;
  let i = 0;
  for (; i < n8; i += 8) {
    const o = p + (<usize>i << 2);
    // pmax(acc, v) keeps acc when v is NaN.
    m0 = f32x4.pmax(m0, v128.load(o));
    m1 = f32x4.pmax(m1, v128.load(o, 16));
  }
  if (i + 4 <= n) {
    m0 = f32x4.pmax(m0, v128.load(p + (<usize>i << 2)));
    i += 4;
  }
  m0 = f32x4.pmax(m0, m1);
  let m = max(max(f32x4.extract_lane(m0, 0), f32x4.extract_lane(m0, 1)), max(f32x4.extract_lane(m0, 2), f32x4.extract_lane(m0, 3)));
  for (; i < n; i++) {
    const v = load<f32>(p + (<usize>i << 2));
    if (v > m) m = v;
  }
  return m;
}

/**
 * out[i] = e^(x[i] − m)·2^64 for a row; returns Σ out[i] (float32 lanes, summed in f64 at the
 * end). Four vectors per iteration folded into one accumulator: ~20% faster in V8 than two
 * accumulators of one vector each (fewer registers live, so no spills in the loop).
 */
@inline function rowExpStore(x: usize, out: usize, n: i32, m: f32): f64 {
  const mv = f32x4.splat(m);
  const n16 = n & ~15;
  let acc = f32x4.splat(0.0);
  let i = 0;
  for (; i < n16; i += 16) {
    const o = <usize>i << 2;
    const e0 = expNonPosScaled4(f32x4.sub(v128.load(x + o), mv));
    const e1 = expNonPosScaled4(f32x4.sub(v128.load(x + o, 16), mv));
    const e2 = expNonPosScaled4(f32x4.sub(v128.load(x + o, 32), mv));
    const e3 = expNonPosScaled4(f32x4.sub(v128.load(x + o, 48), mv));
    v128.store(out + o, e0);
    v128.store(out + o, e1, 16);
    v128.store(out + o, e2, 32);
    v128.store(out + o, e3, 48);
    acc = f32x4.add(acc, f32x4.add(f32x4.add(e0, e1), f32x4.add(e2, e3)));
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const e0 = expNonPosScaled4(f32x4.sub(v128.load(x + o), mv));
    v128.store(out + o, e0);
    acc = f32x4.add(acc, e0);
  }
  let s = <f64>hsum(acc);
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const e = f32x4.extract_lane(expNonPosScaled4(f32x4.splat(load<f32>(x + o) - m)), 0);
    store<f32>(out + o, e);
    s += <f64>e;
  }
  return s;
}

/** Σ e^(x[i] − m)·2^64 over a row, without storing (same loop shape as rowExpStore). */
@inline function rowExpSum(x: usize, n: i32, m: f32): f64 {
  const mv = f32x4.splat(m);
  const n16 = n & ~15;
  let acc = f32x4.splat(0.0);
  let i = 0;
  for (; i < n16; i += 16) {
    const o = x + (<usize>i << 2);
    const e0 = expNonPosScaled4(f32x4.sub(v128.load(o), mv));
    const e1 = expNonPosScaled4(f32x4.sub(v128.load(o, 16), mv));
    const e2 = expNonPosScaled4(f32x4.sub(v128.load(o, 32), mv));
    const e3 = expNonPosScaled4(f32x4.sub(v128.load(o, 48), mv));
    acc = f32x4.add(acc, f32x4.add(f32x4.add(e0, e1), f32x4.add(e2, e3)));
  }
  for (; i + 4 <= n; i += 4) {
    acc = f32x4.add(acc, expNonPosScaled4(f32x4.sub(v128.load(x + (<usize>i << 2)), mv)));
  }
  let s = <f64>hsum(acc);
  for (; i < n; i++) {
    s += <f64>f32x4.extract_lane(expNonPosScaled4(f32x4.splat(load<f32>(x + (<usize>i << 2)) - m)), 0);
  }
  return s;
}

/** out[i] = x[i]·k over a row (out may equal x). */
@inline function rowScale(x: usize, out: usize, n: i32, k: f32): void {
  const kv = f32x4.splat(k);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.mul(v128.load(x + o), kv));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(x + o) * k);
  }
}

/** Σ a[i]·b[i] over a row (f32 lanes, f64 final sum). */
@inline function rowDot(a: usize, b: usize, n: i32): f64 {
  const n8 = n & ~7;
  let s0 = f32x4.splat(0.0);
  let s1 = s0;
  let i = 0;
  for (; i < n8; i += 8) {
    const o = <usize>i << 2;
    s0 = f32x4.add(s0, f32x4.mul(v128.load(a + o), v128.load(b + o)));
    s1 = f32x4.add(s1, f32x4.mul(v128.load(a + o, 16), v128.load(b + o, 16)));
  }
  if (i + 4 <= n) {
    const o = <usize>i << 2;
    s0 = f32x4.add(s0, f32x4.mul(v128.load(a + o), v128.load(b + o)));
    i += 4;
  }
  let s = <f64>hsum(f32x4.add(s0, s1));
  for (; i < n; i++) {
    const o = <usize>i << 2;
    s += <f64>(load<f32>(a + o) * load<f32>(b + o));
  }
  return s;
}

/** Σ a[i] over a row. */
@inline function rowSum(a: usize, n: i32): f64 {
  const n8 = n & ~7;
  let s0 = f32x4.splat(0.0);
  let s1 = s0;
  let i = 0;
  for (; i < n8; i += 8) {
    const o = a + (<usize>i << 2);
    s0 = f32x4.add(s0, v128.load(o));
    s1 = f32x4.add(s1, v128.load(o, 16));
  }
  if (i + 4 <= n) {
    s0 = f32x4.add(s0, v128.load(a + (<usize>i << 2)));
    i += 4;
  }
  let s = <f64>hsum(f32x4.add(s0, s1));
  for (; i < n; i++) s += <f64>load<f32>(a + (<usize>i << 2));
  return s;
}

// ---- kernels -------------------------------------------------------------------------------

/** Row-wise softmax of x [rows, cols] into out (out may equal x). */
export function softmax_f32(x: usize, out: usize, rows: i32, cols: i32): void {
  const stride = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * stride;
    const or = out + <usize>r * stride;
    const m = rowMax(xr, cols);
    const s = rowExpStore(xr, or, cols, m);
    rowScale(or, or, cols, <f32>(1.0 / s));
  }
}

/** Row-wise log-softmax: out = x − max − log Σ e^(x − max) (out may equal x). */
export function logSoftmax_f32(x: usize, out: usize, rows: i32, cols: i32): void {
  const stride = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * stride;
    const or = out + <usize>r * stride;
    const m = rowMax(xr, cols);
    const lse = <f32>(Math.log(rowExpSum(xr, cols, m)) - LOG_TWO_P64);
    const mv = f32x4.splat(m);
    const lv = f32x4.splat(lse);
    const n4 = cols & ~3;
    let i = 0;
    for (; i < n4; i += 4) {
      const o = <usize>i << 2;
      v128.store(or + o, f32x4.sub(f32x4.sub(v128.load(xr + o), mv), lv));
    }
    for (; i < cols; i++) {
      const o = <usize>i << 2;
      store<f32>(or + o, (load<f32>(xr + o) - m) - lse);
    }
  }
}

/** Softmax backward from the output y: dx = y ⊙ (dy − Σ_row dy ⊙ y) (dx may equal dy). */
export function softmaxBackward_f32(y: usize, dy: usize, dx: usize, rows: i32, cols: i32): void {
  const stride = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * stride;
    const yr = y + off;
    const dyr = dy + off;
    const dxr = dx + off;
    const d = <f32>rowDot(yr, dyr, cols);
    const dv = f32x4.splat(d);
    const n4 = cols & ~3;
    let i = 0;
    for (; i < n4; i += 4) {
      const o = <usize>i << 2;
      v128.store(dxr + o, f32x4.mul(v128.load(yr + o), f32x4.sub(v128.load(dyr + o), dv)));
    }
    for (; i < cols; i++) {
      const o = <usize>i << 2;
      store<f32>(dxr + o, load<f32>(yr + o) * (load<f32>(dyr + o) - d));
    }
  }
}

/** Log-softmax backward from the output y: dx = dy − e^y · Σ_row dy (dx may equal dy). */
export function logSoftmaxBackward_f32(y: usize, dy: usize, dx: usize, rows: i32, cols: i32): void {
  const stride = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * stride;
    const yr = y + off;
    const dyr = dy + off;
    const dxr = dx + off;
    const s = <f32>rowSum(dyr, cols);
    const sv = f32x4.splat(s);
    const n4 = cols & ~3;
    let i = 0;
    for (; i < n4; i += 4) {
      const o = <usize>i << 2;
      v128.store(dxr + o, f32x4.sub(v128.load(dyr + o), f32x4.mul(exp4(v128.load(yr + o)), sv)));
    }
    for (; i < cols; i++) {
      const o = <usize>i << 2;
      const e = f32x4.extract_lane(exp4(f32x4.splat(load<f32>(yr + o))), 0);
      store<f32>(dxr + o, load<f32>(dyr + o) - e * s);
    }
  }
}

/** Σ t[i]·(x[i] − m) over a row (no cancellation: x − m is formed per element). */
@inline function rowWeightedShift(t: usize, x: usize, n: i32, m: f32): f64 {
  const mv = f32x4.splat(m);
  const n4 = n & ~3;
  let acc = f32x4.splat(0.0);
  let i = 0;
  for (; i < n4; i += 4) {
    const o = <usize>i << 2;
    acc = f32x4.add(acc, f32x4.mul(v128.load(t + o), f32x4.sub(v128.load(x + o), mv)));
  }
  let s = <f64>hsum(acc);
  for (; i < n; i++) {
    const o = <usize>i << 2;
    s += <f64>(load<f32>(t + o) * (load<f32>(x + o) - m));
  }
  return s;
}

/**
 * Fused softmax + cross-entropy forward: probs = softmax(logits) per row and
 * loss[r] = lse − (x[label] − max) with lse = log Σ e^(x − max) (index labels as floats,
 * oneHot = 0), or Σ_j t_j·(lse − (x_j − max)) = lse·Σt − Σ t·(x − max) for a [rows, cols]
 * target distribution (oneHot = 1). probs may equal logits: everything the loss needs is read
 * before the row is overwritten. Labels are trusted (the backend validates them).
 */
export function softmaxCrossEntropy_f32(logits: usize, labels: usize, oneHot: i32, probs: usize, loss: usize, rows: i32, cols: i32): void {
  if (cols <= 0) return;
  const stride = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * stride;
    const xr = logits + off;
    const pr = probs + off;
    const m = rowMax(xr, cols);
    let tSum: f64 = 1.0;
    let shifted: f64; // Σ t·(x − m), or x[label] − m
    if (oneHot) {
      const tr = labels + off;
      tSum = rowSum(tr, cols);
      shifted = rowWeightedShift(tr, xr, cols, m);
    } else {
      const k = <i32>load<f32>(labels + (<usize>r << 2));
      shifted = <f64>(load<f32>(xr + (<usize>k << 2)) - m);
    }
    const s = rowExpStore(xr, pr, cols, m);
    rowScale(pr, pr, cols, <f32>(1.0 / s));
    const lse = Math.log(s) - LOG_TWO_P64;
    store<f32>(loss + (<usize>r << 2), <f32>(lse * tSum - shifted));
  }
}

/**
 * Fused softmax + cross-entropy backward: dlogits = scale·(probs − target) where target is the
 * one-hot of the index labels (oneHot = 0) or the given distribution (oneHot = 1).
 * dlogits may equal probs.
 */
export function softmaxCrossEntropyBackward_f32(probs: usize, labels: usize, oneHot: i32, dlogits: usize, rows: i32, cols: i32, scale: f32): void {
  const stride = <usize>cols << 2;
  const sv = f32x4.splat(scale);
  const n4 = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * stride;
    const pr = probs + off;
    const dr = dlogits + off;
    if (oneHot) {
      const tr = labels + off;
      let i = 0;
      for (; i < n4; i += 4) {
        const o = <usize>i << 2;
        v128.store(dr + o, f32x4.mul(sv, f32x4.sub(v128.load(pr + o), v128.load(tr + o))));
      }
      for (; i < cols; i++) {
        const o = <usize>i << 2;
        store<f32>(dr + o, scale * (load<f32>(pr + o) - load<f32>(tr + o)));
      }
    } else if (cols > 0) {
      const k = <usize><i32>load<f32>(labels + (<usize>r << 2)) << 2;
      // Read the label's probability before the row is overwritten (in-place case).
      const pk = load<f32>(pr + k);
      rowScale(pr, dr, cols, scale);
      store<f32>(dr + k, scale * (pk - 1.0));
    }
  }
}
