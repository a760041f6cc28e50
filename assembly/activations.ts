// Activation kernels and their derivatives (see bindings/abi.ts for the ABI and DESIGN §5 for
// the definitions, which follow PyTorch including its NaN and boundary conventions).
//
// Each activation is a small @final class with @inline lane-wise methods; the generic drivers
// below stamp out one SIMD loop per activation (the `changetype<T>(0)` receiver is never read,
// it only selects the methods at compile time). Tails are computed by splatting the element into
// a vector, so every element gets the same bits whether it falls in the body or the tail.

import {
  clampKeepNaN4, expm1NonPos4, expNonPos4, GELU_TANH_C, GELU_TANH_K, log1pSmall4,
  negAbs4, normCdf4, normPdf4, select4, sigmoid4, sigmoidFast4, tanh4,
} from './simdmath';

const SELU_ALPHA: f32 = 1.6732632423543772;
const SELU_LAMBDA: f32 = 1.0507009873554805;
const SOFTPLUS_THRESHOLD: f32 = 20.0;

// ---- drivers -------------------------------------------------------------------------------

/**
 * out[i] = T.fwd(x[i]) for i < n; out may equal x. Four vectors per iteration: measured ~10–20%
 * faster than one or two for the transcendental activations in V8 (eight is slower again).
 */
@inline function mapForward<T>(x: usize, out: usize, n: i32, alpha: f32): void {
  const op = changetype<T>(0);
  const a = f32x4.splat(alpha);
  const n16 = n & ~15;
  const n4 = n & ~3;
  let i = 0;
  for (; i < n16; i += 16) {
    const o = <usize>i << 2;
    const v0 = v128.load(x + o);
    const v1 = v128.load(x + o, 16);
    const v2 = v128.load(x + o, 32);
    const v3 = v128.load(x + o, 48);
    v128.store(out + o, op.fwd(v0, a));
    v128.store(out + o, op.fwd(v1, a), 16);
    v128.store(out + o, op.fwd(v2, a), 32);
    v128.store(out + o, op.fwd(v3, a), 48);
  }
  for (; i < n4; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, op.fwd(v128.load(x + o), a));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, f32x4.extract_lane(op.fwd(f32x4.splat(load<f32>(x + o)), a), 0));
  }
}

/**
 * dx[i] = T.bwd(x[i], y[i], dy[i]) for i < n; dx may equal dy. Only the inputs the activation
 * declares (needX/needY) are read, so an unused x or y pointer is never touched.
 */
@inline function mapBackward<T>(x: usize, y: usize, dy: usize, dx: usize, n: i32, alpha: f32): void {
  const op = changetype<T>(0);
  const a = f32x4.splat(alpha);
  const zero = f32x4.splat(0.0);
  const n8 = n & ~7;
  const n4 = n & ~3;
  let i = 0;
  for (; i < n8; i += 8) {
    const o = <usize>i << 2;
    const x0 = op.needX() ? v128.load(x + o) : zero;
    const x1 = op.needX() ? v128.load(x + o, 16) : zero;
    const y0 = op.needY() ? v128.load(y + o) : zero;
    const y1 = op.needY() ? v128.load(y + o, 16) : zero;
    const d0 = v128.load(dy + o);
    const d1 = v128.load(dy + o, 16);
    v128.store(dx + o, op.bwd(x0, y0, d0, a));
    v128.store(dx + o, op.bwd(x1, y1, d1, a), 16);
  }
  if (i < n4) {
    const o = <usize>i << 2;
    const xv = op.needX() ? v128.load(x + o) : zero;
    const yv = op.needY() ? v128.load(y + o) : zero;
    v128.store(dx + o, op.bwd(xv, yv, v128.load(dy + o), a));
    i += 4;
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const xv = op.needX() ? f32x4.splat(load<f32>(x + o)) : zero;
    const yv = op.needY() ? f32x4.splat(load<f32>(y + o)) : zero;
    store<f32>(dx + o, f32x4.extract_lane(op.bwd(xv, yv, f32x4.splat(load<f32>(dy + o)), a), 0));
  }
}

/**
 * The compact drivers: two vectors per iteration and a splat tail (≤ 7 elements), so each
 * activation body is stamped out three times instead of six. Used for the heavy activations (gelu, softplus, …)
 * whose 4× unrolled copies would push the module past its 100 KB budget; they cost those
 * kernels ~10–20 % against the unrolled drivers, which stay on the hot ones (relu, sigmoid, tanh).
 */
@inline function mapForwardCompact<T>(x: usize, out: usize, n: i32, alpha: f32): void {
  const op = changetype<T>(0);
  const a = f32x4.splat(alpha);
  const n8 = n & ~7;
  let i = 0;
  for (; i < n8; i += 8) {
    const o = <usize>i << 2;
    const v0 = v128.load(x + o);
    const v1 = v128.load(x + o, 16);
    v128.store(out + o, op.fwd(v0, a));
    v128.store(out + o, op.fwd(v1, a), 16);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, f32x4.extract_lane(op.fwd(f32x4.splat(load<f32>(x + o)), a), 0));
  }
}

/** Backward counterpart of {@link mapForwardCompact}; same contract as mapBackward. */
@inline function mapBackwardCompact<T>(x: usize, y: usize, dy: usize, dx: usize, n: i32, alpha: f32): void {
  const op = changetype<T>(0);
  const a = f32x4.splat(alpha);
  const zero = f32x4.splat(0.0);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const o = <usize>i << 2;
    const xv = op.needX() ? v128.load(x + o) : zero;
    const yv = op.needY() ? v128.load(y + o) : zero;
    v128.store(dx + o, op.bwd(xv, yv, v128.load(dy + o), a));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const xv = op.needX() ? f32x4.splat(load<f32>(x + o)) : zero;
    const yv = op.needY() ? f32x4.splat(load<f32>(y + o)) : zero;
    store<f32>(dx + o, f32x4.extract_lane(op.bwd(xv, yv, f32x4.splat(load<f32>(dy + o)), a), 0));
  }
}

// ---- the activations -----------------------------------------------------------------------

@final class Linear {
  @inline fwd(x: v128, a: v128): v128 { return x; }
  @inline needX(): bool { return false; }
  @inline needY(): bool { return false; }
  @inline bwd(x: v128, y: v128, dy: v128, a: v128): v128 { return dy; }
}

@final class Relu {
  // x <= 0 → +0 (so −0 maps to +0); NaN fails the comparison and passes through.
  @inline fwd(x: v128, a: v128): v128 { return v128.andnot(x, f32x4.le(x, f32x4.splat(0.0))); }
  @inline needX(): bool { return true; }
  @inline needY(): bool { return false; }
  // x > 0 ? dy : 0, a select (an infinite dy does not become NaN; NaN x gives 0).
  @inline bwd(x: v128, y: v128, dy: v128, a: v128): v128 { return v128.and(dy, f32x4.gt(x, f32x4.splat(0.0))); }
}

@final class LeakyRelu {
  @inline fwd(x: v128, a: v128): v128 { return select4(x, f32x4.mul(x, a), f32x4.gt(x, f32x4.splat(0.0))); }
  @inline needX(): bool { return true; }
  @inline needY(): bool { return false; }
  @inline bwd(x: v128, y: v128, dy: v128, a: v128): v128 { return select4(dy, f32x4.mul(dy, a), f32x4.gt(x, f32x4.splat(0.0))); }
}

@final class Elu {
  @inline fwd(x: v128, a: v128): v128 {
    const neg = f32x4.mul(a, expm1NonPos4(f32x4.pmin(x, f32x4.splat(0.0))));
    return select4(neg, x, f32x4.le(x, f32x4.splat(0.0)));
  }
  @inline needX(): bool { return true; }
  @inline needY(): bool { return false; }
  @inline bwd(x: v128, y: v128, dy: v128, a: v128): v128 {
    const d = f32x4.mul(a, expNonPos4(f32x4.pmin(x, f32x4.splat(0.0))));
    return select4(dy, f32x4.mul(dy, d), f32x4.gt(x, f32x4.splat(0.0)));
  }
}

@final class Selu {
  @inline fwd(x: v128, a: v128): v128 {
    const neg = f32x4.mul(f32x4.splat(SELU_ALPHA), expm1NonPos4(f32x4.pmin(x, f32x4.splat(0.0))));
    return f32x4.mul(f32x4.splat(SELU_LAMBDA), select4(neg, x, f32x4.le(x, f32x4.splat(0.0))));
  }
  @inline needX(): bool { return true; }
  @inline needY(): bool { return false; }
  @inline bwd(x: v128, y: v128, dy: v128, a: v128): v128 {
    const d = f32x4.mul(f32x4.splat(SELU_ALPHA * SELU_LAMBDA), expNonPos4(f32x4.pmin(x, f32x4.splat(0.0))));
    return f32x4.mul(dy, select4(f32x4.splat(SELU_LAMBDA), d, f32x4.gt(x, f32x4.splat(0.0))));
  }
}

@final class Gelu {
  @inline fwd(x: v128, a: v128): v128 { return f32x4.mul(x, normCdf4(x)); }
  @inline needX(): bool { return true; }
  @inline needY(): bool { return false; }
  @inline bwd(x: v128, y: v128, dy: v128, a: v128): v128 {
    return f32x4.mul(dy, f32x4.add(normCdf4(x), f32x4.mul(x, normPdf4(x))));
  }
}

/** 2·√(2/π)·(x + 0.044715·x³): with it, ½x(1 + tanh(u/2)) = x·σ(u), which keeps the lower tail relative. */
@inline function geluTanhArg4(x: v128): v128 {
  const x2 = f32x4.mul(x, x);
  const inner = f32x4.mul(x, f32x4.add(f32x4.splat(1.0), f32x4.mul(x2, f32x4.splat(GELU_TANH_C))));
  return f32x4.mul(inner, f32x4.splat(2.0 * GELU_TANH_K));
}

@final class GeluTanh {
  @inline fwd(x: v128, a: v128): v128 { return f32x4.mul(x, sigmoid4(geluTanhArg4(x))); }
  @inline needX(): bool { return true; }
  @inline needY(): bool { return false; }
  // d/dx x·σ(u) = σ + x·σ(u)σ(−u)·u', u' = 2k(1 + 3c·x²). x is clamped where σ(u)σ(−u) = 0
  // anyway so that x·u' cannot overflow into Inf·0 for large finite x; ±Inf give NaN (x − x),
  // as torch's formula and the reference do.
  @inline bwd(x: v128, y: v128, dy: v128, a: v128): v128 {
    const xc = clampKeepNaN4(x, -64.0, 64.0);
    const u = geluTanhArg4(xc);
    const t = expNonPos4(negAbs4(u));
    const inv = f32x4.div(f32x4.splat(1.0), f32x4.add(f32x4.splat(1.0), t));
    const ti = f32x4.mul(t, inv);
    const s = select4(ti, inv, f32x4.lt(u, f32x4.splat(0.0)));
    const du = f32x4.mul(
      f32x4.splat(2.0 * GELU_TANH_K),
      f32x4.add(f32x4.splat(1.0), f32x4.mul(f32x4.mul(xc, xc), f32x4.splat(3.0 * GELU_TANH_C))),
    );
    const d = f32x4.add(s, f32x4.mul(f32x4.mul(xc, du), f32x4.mul(ti, inv)));
    return f32x4.mul(dy, f32x4.add(d, f32x4.sub(x, x)));
  }
}

@final class Silu {
  @inline fwd(x: v128, a: v128): v128 { return f32x4.mul(x, sigmoid4(x)); }
  @inline needX(): bool { return true; }
  @inline needY(): bool { return false; }
  // torch: dy·σ·(1 + x·(1 − σ)), with 1 − σ(x) = σ(−x) formed directly (no cancellation).
  @inline bwd(x: v128, y: v128, dy: v128, a: v128): v128 {
    const t = expNonPos4(negAbs4(x)); // e^−|x|
    const inv = f32x4.div(f32x4.splat(1.0), f32x4.add(f32x4.splat(1.0), t));
    const ti = f32x4.mul(t, inv);
    const neg = f32x4.lt(x, f32x4.splat(0.0));
    const s = select4(ti, inv, neg);
    const sm = select4(inv, ti, neg);
    return f32x4.mul(dy, f32x4.mul(s, f32x4.add(f32x4.splat(1.0), f32x4.mul(x, sm))));
  }
}

@final class Sigmoid {
  // Results below ~1e-38 are subnormal; the fast form flushes them (see sigmoidFast4).
  @inline fwd(x: v128, a: v128): v128 { return sigmoidFast4(x); }
  @inline needX(): bool { return false; }
  @inline needY(): bool { return true; }
  @inline bwd(x: v128, y: v128, dy: v128, a: v128): v128 {
    return f32x4.mul(dy, f32x4.mul(y, f32x4.sub(f32x4.splat(1.0), y)));
  }
}

@final class Tanh {
  @inline fwd(x: v128, a: v128): v128 { return tanh4(x); }
  @inline needX(): bool { return false; }
  @inline needY(): bool { return true; }
  @inline bwd(x: v128, y: v128, dy: v128, a: v128): v128 {
    return f32x4.mul(dy, f32x4.sub(f32x4.splat(1.0), f32x4.mul(y, y)));
  }
}

@final class Softplus {
  // torch: x > 20 ? x : log1p(e^x), computed as max(x, 0) + log1p(e^−|x|) (same value, no overflow).
  @inline fwd(x: v128, a: v128): v128 {
    const sp = f32x4.add(f32x4.pmax(x, f32x4.splat(0.0)), log1pSmall4(expNonPos4(negAbs4(x))));
    return select4(x, sp, f32x4.gt(x, f32x4.splat(SOFTPLUS_THRESHOLD)));
  }
  @inline needX(): bool { return true; }
  @inline needY(): bool { return false; }
  @inline bwd(x: v128, y: v128, dy: v128, a: v128): v128 {
    return select4(dy, f32x4.mul(dy, sigmoid4(x)), f32x4.gt(x, f32x4.splat(SOFTPLUS_THRESHOLD)));
  }
}

@final class Softsign {
  @inline fwd(x: v128, a: v128): v128 { return f32x4.div(x, f32x4.add(f32x4.splat(1.0), f32x4.abs(x))); }
  @inline needX(): bool { return true; }
  @inline needY(): bool { return false; }
  @inline bwd(x: v128, y: v128, dy: v128, a: v128): v128 {
    const d = f32x4.add(f32x4.splat(1.0), f32x4.abs(x));
    return f32x4.div(dy, f32x4.mul(d, d));
  }
}

@final class HardTanh {
  @inline fwd(x: v128, a: v128): v128 { return clampKeepNaN4(x, -1.0, 1.0); }
  @inline needX(): bool { return true; }
  @inline needY(): bool { return false; }
  // dy strictly inside (−1, 1), else 0 (torch: 0 at the bounds).
  @inline bwd(x: v128, y: v128, dy: v128, a: v128): v128 {
    const inside = v128.and(f32x4.gt(x, f32x4.splat(-1.0)), f32x4.lt(x, f32x4.splat(1.0)));
    return v128.and(dy, inside);
  }
}

@final class Step {
  // x > 0 ? 1 : 0, NaN → NaN.
  @inline fwd(x: v128, a: v128): v128 {
    const r = v128.and(f32x4.gt(x, f32x4.splat(0.0)), f32x4.splat(1.0));
    return select4(r, x, f32x4.eq(x, x));
  }
  @inline needX(): bool { return false; }
  @inline needY(): bool { return false; }
  @inline bwd(x: v128, y: v128, dy: v128, a: v128): v128 { return f32x4.splat(0.0); }
}

@final class Sign {
  // ±1 for nonzero x; ±0 and NaN pass through.
  @inline fwd(x: v128, a: v128): v128 {
    const nonzero = f32x4.ne(x, f32x4.splat(0.0)); // also true for NaN
    const one = v128.or(f32x4.splat(1.0), v128.and(x, i32x4.splat(0x80000000)));
    return select4(one, x, v128.and(nonzero, f32x4.eq(x, x)));
  }
  @inline needX(): bool { return false; }
  @inline needY(): bool { return false; }
  @inline bwd(x: v128, y: v128, dy: v128, a: v128): v128 { return f32x4.splat(0.0); }
}

@final class BipolarSigmoid {
  // 2σ(x) − 1 = tanh(x/2), which keeps relative accuracy near 0.
  @inline fwd(x: v128, a: v128): v128 { return tanh4(f32x4.mul(x, f32x4.splat(0.5))); }
  @inline needX(): bool { return false; }
  @inline needY(): bool { return true; }
  @inline bwd(x: v128, y: v128, dy: v128, a: v128): v128 {
    return f32x4.mul(dy, f32x4.mul(f32x4.sub(f32x4.splat(1.0), f32x4.mul(y, y)), f32x4.splat(0.5)));
  }
}

// ---- exports: `${name}_f32(x, out, n, alpha)` and `${name}Backward_f32(x, y, dy, dx, n, alpha)` ----

/** linear: out = x (a copy unless out == x). */
export function linear_f32(x: usize, out: usize, n: i32, alpha: f32): void { if (x != out) memory.copy(out, x, <usize>n << 2); }
/** linear': dx = dy. */
export function linearBackward_f32(x: usize, y: usize, dy: usize, dx: usize, n: i32, alpha: f32): void { if (dx != dy) memory.copy(dx, dy, <usize>n << 2); }
/** relu: max(x, 0), NaN propagates. */
export function relu_f32(x: usize, out: usize, n: i32, alpha: f32): void { mapForward<Relu>(x, out, n, alpha); }
/** relu': dy where x > 0, else 0 (also for NaN x). */
export function reluBackward_f32(x: usize, y: usize, dy: usize, dx: usize, n: i32, alpha: f32): void { mapBackward<Relu>(x, y, dy, dx, n, alpha); }
/** leakyRelu: x > 0 ? x : alpha·x. */
export function leakyRelu_f32(x: usize, out: usize, n: i32, alpha: f32): void { mapForward<LeakyRelu>(x, out, n, alpha); }
/** leakyRelu': dy or alpha·dy. */
export function leakyReluBackward_f32(x: usize, y: usize, dy: usize, dx: usize, n: i32, alpha: f32): void { mapBackward<LeakyRelu>(x, y, dy, dx, n, alpha); }
/** elu: x > 0 ? x : alpha·(e^x − 1). */
export function elu_f32(x: usize, out: usize, n: i32, alpha: f32): void { mapForwardCompact<Elu>(x, out, n, alpha); }
/** elu': dy or dy·alpha·e^x. */
export function eluBackward_f32(x: usize, y: usize, dy: usize, dx: usize, n: i32, alpha: f32): void { mapBackwardCompact<Elu>(x, y, dy, dx, n, alpha); }
/** selu: λ·(x > 0 ? x : α·(e^x − 1)) with torch's constants; alpha is ignored. */
export function selu_f32(x: usize, out: usize, n: i32, alpha: f32): void { mapForwardCompact<Selu>(x, out, n, alpha); }
/** selu'. */
export function seluBackward_f32(x: usize, y: usize, dy: usize, dx: usize, n: i32, alpha: f32): void { mapBackwardCompact<Selu>(x, y, dy, dx, n, alpha); }
/** gelu (exact): x·Φ(x). */
export function gelu_f32(x: usize, out: usize, n: i32, alpha: f32): void { mapForwardCompact<Gelu>(x, out, n, alpha); }
/** gelu': dy·(Φ(x) + x·φ(x)). */
export function geluBackward_f32(x: usize, y: usize, dy: usize, dx: usize, n: i32, alpha: f32): void { mapBackwardCompact<Gelu>(x, y, dy, dx, n, alpha); }
/** gelu, tanh approximation: ½x(1 + tanh(√(2/π)(x + 0.044715x³))). */
export function geluTanh_f32(x: usize, out: usize, n: i32, alpha: f32): void { mapForwardCompact<GeluTanh>(x, out, n, alpha); }
/** Derivative of the tanh-form gelu. */
export function geluTanhBackward_f32(x: usize, y: usize, dy: usize, dx: usize, n: i32, alpha: f32): void { mapBackwardCompact<GeluTanh>(x, y, dy, dx, n, alpha); }
/** silu: x·σ(x). */
export function silu_f32(x: usize, out: usize, n: i32, alpha: f32): void { mapForwardCompact<Silu>(x, out, n, alpha); }
/** silu': dy·σ·(1 + x(1 − σ)). */
export function siluBackward_f32(x: usize, y: usize, dy: usize, dx: usize, n: i32, alpha: f32): void { mapBackwardCompact<Silu>(x, y, dy, dx, n, alpha); }
/** sigmoid: 1/(1 + e^−x). */
export function sigmoid_f32(x: usize, out: usize, n: i32, alpha: f32): void { mapForward<Sigmoid>(x, out, n, alpha); }
/** sigmoid': dy·y·(1 − y) from the output y. */
export function sigmoidBackward_f32(x: usize, y: usize, dy: usize, dx: usize, n: i32, alpha: f32): void { mapBackward<Sigmoid>(x, y, dy, dx, n, alpha); }
/** tanh. */
export function tanh_f32(x: usize, out: usize, n: i32, alpha: f32): void { mapForward<Tanh>(x, out, n, alpha); }
/** tanh': dy·(1 − y²) from the output y. */
export function tanhBackward_f32(x: usize, y: usize, dy: usize, dx: usize, n: i32, alpha: f32): void { mapBackward<Tanh>(x, y, dy, dx, n, alpha); }
/** softplus: log(1 + e^x), x for x > 20 (torch's threshold). */
export function softplus_f32(x: usize, out: usize, n: i32, alpha: f32): void { mapForwardCompact<Softplus>(x, out, n, alpha); }
/** softplus': σ(x), 1 for x > 20. */
export function softplusBackward_f32(x: usize, y: usize, dy: usize, dx: usize, n: i32, alpha: f32): void { mapBackwardCompact<Softplus>(x, y, dy, dx, n, alpha); }
/** softsign: x/(1 + |x|). */
export function softsign_f32(x: usize, out: usize, n: i32, alpha: f32): void { mapForwardCompact<Softsign>(x, out, n, alpha); }
/** softsign': dy/(1 + |x|)². */
export function softsignBackward_f32(x: usize, y: usize, dy: usize, dx: usize, n: i32, alpha: f32): void { mapBackwardCompact<Softsign>(x, y, dy, dx, n, alpha); }
/** hardTanh: clip to [−1, 1], NaN propagates. */
export function hardTanh_f32(x: usize, out: usize, n: i32, alpha: f32): void { mapForward<HardTanh>(x, out, n, alpha); }
/** hardTanh': dy strictly inside (−1, 1), 0 elsewhere. */
export function hardTanhBackward_f32(x: usize, y: usize, dy: usize, dx: usize, n: i32, alpha: f32): void { mapBackward<HardTanh>(x, y, dy, dx, n, alpha); }
/** step: x > 0 ? 1 : 0 (NaN → NaN). */
export function step_f32(x: usize, out: usize, n: i32, alpha: f32): void { mapForward<Step>(x, out, n, alpha); }
/** step': 0. */
export function stepBackward_f32(x: usize, y: usize, dy: usize, dx: usize, n: i32, alpha: f32): void { mapBackward<Step>(x, y, dy, dx, n, alpha); }
/** sign: −1 or 1 for nonzero x; ±0 and NaN pass through. */
export function sign_f32(x: usize, out: usize, n: i32, alpha: f32): void { mapForward<Sign>(x, out, n, alpha); }
/** sign': 0. */
export function signBackward_f32(x: usize, y: usize, dy: usize, dx: usize, n: i32, alpha: f32): void { mapBackward<Sign>(x, y, dy, dx, n, alpha); }
/** bipolarSigmoid: 2/(1 + e^−x) − 1. */
export function bipolarSigmoid_f32(x: usize, out: usize, n: i32, alpha: f32): void { mapForwardCompact<BipolarSigmoid>(x, out, n, alpha); }
/** bipolarSigmoid': dy·(1 − y²)/2 from the output y. */
export function bipolarSigmoidBackward_f32(x: usize, y: usize, dy: usize, dx: usize, n: i32, alpha: f32): void { mapBackwardCompact<BipolarSigmoid>(x, y, dy, dx, n, alpha); }

/**
 * Applies ACTIVATIONS[code] (src/kernels/kernels.ts order) to n floats at ptr in place;
 * code 0 (linear) and unknown codes are no-ops. Used by the GEMM epilogue.
 */
export function activationInPlace(code: i32, ptr: usize, n: i32, alpha: f32): void {
  switch (code) {
    case 1: relu_f32(ptr, ptr, n, alpha); break;
    case 2: leakyRelu_f32(ptr, ptr, n, alpha); break;
    case 3: elu_f32(ptr, ptr, n, alpha); break;
    case 4: selu_f32(ptr, ptr, n, alpha); break;
    case 5: gelu_f32(ptr, ptr, n, alpha); break;
    case 6: geluTanh_f32(ptr, ptr, n, alpha); break;
    case 7: silu_f32(ptr, ptr, n, alpha); break;
    case 8: sigmoid_f32(ptr, ptr, n, alpha); break;
    case 9: tanh_f32(ptr, ptr, n, alpha); break;
    case 10: softplus_f32(ptr, ptr, n, alpha); break;
    case 11: softsign_f32(ptr, ptr, n, alpha); break;
    case 12: hardTanh_f32(ptr, ptr, n, alpha); break;
    case 13: step_f32(ptr, ptr, n, alpha); break;
    case 14: sign_f32(ptr, ptr, n, alpha); break;
    case 15: bipolarSigmoid_f32(ptr, ptr, n, alpha); break;
    default: break;
  }
}
