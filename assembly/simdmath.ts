// SIMD (f32x4) elementary functions for the activation and softmax kernels.
//
// Every function here is lane-wise and branch-free, so a tail element processed by splatting it
// into a v128 and taking lane 0 gets exactly the bits a full-vector body would give it.
// Polynomial and rational coefficients were fitted (minimax, relative error unless noted) for
// this file; the measured accuracy lives in test/wasm-math.test.ts.
//
// NaN handling relies on the wasm `pmin`/`pmax` rule: `pmax(a, b) = a < b ? b : a` and
// `pmin(a, b) = b < a ? b : a` return `a` when `a` is NaN, so clamping with the data as the
// first operand keeps NaN at the cost of a single instruction (f32x4.min/max cost several on x86).

// ---- constants ----------------------------------------------------------------------------

const LOG2E: f32 = 1.4426950408889634;
// ln 2 split so that n·LN2_HI is exact for |n| < 2^9 (LN2_HI has 15 significant bits).
const LN2_HI: f32 = 0.693145751953125;
const LN2_LO: f32 = 1.4286068203094172e-6;
// 1.5·2^23: adding it rounds to the nearest integer and leaves that integer in the low bits.
const ROUND_MAGIC: f32 = 12582912.0;
const ROUND_MAGIC_BITS: i32 = 0x4b400000;
// exp's input clamp: e^89 overflows to +Inf, e^-105 underflows to 0 (and 2^n stays buildable).
const EXP_HI: f32 = 89.0;
const EXP_LO: f32 = -105.0;

// e^r ≈ 1 + r + r²·(E2 + r·(E3 + r·(E4 + r·E5))) on |r| ≤ ln2/2, rel. error 1.1e-7.
const E2: f32 = 0.49999213218688965;
const E3: f32 = 0.1666712462902069;
const E4: f32 = 0.04189267382025719;
const E5: f32 = 0.008312247693538666;

// expm1(r) ≈ r + r²·(M2 + r·(M3 + r·(M4 + r·(M5 + r·M6)))) on |r| ≤ ln2/2, rel. error 1.4e-8.
const M2: f32 = 0.4999999701976776;
const M3: f32 = 0.16666540503501892;
const M4: f32 = 0.041667211800813675;
const M5: f32 = 0.00836690329015255;
const M6: f32 = 0.0013882454950362444;

// tanh(x) ≈ x·P(x²)/Q(x²) on |x| ≤ TANH_CLAMP, rel. error 4e-7; fitted with R(TANH_CLAMP)
// slightly above 1 so that the final clamp to [−1, 1] saturates to exactly ±1.
const TANH_CLAMP: f32 = 8.3;
const TP1: f32 = 0.12671524286270142;
const TP2: f32 = 0.0026547028683125973;
const TP3: f32 = 6.849565579614136e-6;
const TP4: f32 = -5.586997531281668e-9;
const TQ1: f32 = 0.4600467085838318;
const TQ2: f32 = 0.02267315983772278;
const TQ3: f32 = 0.00019138315110467374;

// log1p(u) = 2·atanh(s) with s = u/(2+u) ≈ 2s + s³·(L0 + s²·(L1 + s²·(L2 + s²·L3))),
// rel. error 4.5e-9 for s ∈ [−1/3, 1/3] (u ∈ [−1/2, 1]).
const L0: f32 = 0.666664183139801;
const L1: f32 = 0.4002152681350708;
const L2: f32 = 0.2800179421901703;
const L3: f32 = 0.2801203429698944;

// erfc(z) ≈ t·exp(−z² + C0 + t·(C1 + … + t·C8)), t = 1/(1 + z/2), z ≥ 0: the exponent's
// absolute error (= erfc's relative error) is 2.5e-7 for z ≤ 10.6, past which erfc underflows.
const C0: f32 = -1.2652390003204346;
const C1: f32 = 0.9938487410545349;
const C2: f32 = 0.43252813816070557;
const C3: f32 = -0.2079254388809204;
const C4: f32 = 0.7821050882339478;
const C5: f32 = -1.6746406555175781;
const C6: f32 = 1.3770414590835571;
const C7: f32 = -0.5058693885803223;
const C8: f32 = 0.06815090030431747;

const SQRT1_2: f32 = 0.7071067811865476;
const SQRT_2_OVER_PI: f32 = 0.7978845608028654;
const INV_SQRT_2PI: f32 = 0.3989422804014327;

// ---- small helpers -------------------------------------------------------------------------

/**
 * a·b + c: two roundings in the SIMD build (wasm SIMD has no fused multiply-add); one fused
 * `f32x4.relaxed_madd` in the relaxed-SIMD build (the engine may still pick the unfused form,
 * which relaxed SIMD allows, but always the same one on a given machine).
 */
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** Lane-wise `mask ? a : b` for a comparison mask. */
@inline export function select4(a: v128, b: v128, mask: v128): v128 {
  return v128.bitselect(a, b, mask);
}

/** −|x| (sets the sign bit; NaN stays NaN). */
@inline export function negAbs4(x: v128): v128 {
  return v128.or(x, i32x4.splat(0x80000000));
}

/** Clamp to [lo, hi] keeping NaN (see the pmin/pmax note at the top of the file). */
@inline export function clampKeepNaN4(x: v128, lo: f32, hi: f32): v128 {
  return f32x4.pmin(f32x4.pmax(x, f32x4.splat(lo)), f32x4.splat(hi));
}

// ---- exponentials --------------------------------------------------------------------------
//
// e^x = 2^n·e^r with n = round(x/ln2) and r = x − n·ln2 ∈ [−ln2/2, ln2/2]. Rounding adds a
// magic M = 1.5·2^23 + bias (an integral float whose ulp is 1): t = x·log2e + M lands on an
// integer, n = t − M, and the low mantissa bits of t hold n + bias, so 2^(n + bias − 127) is
// just bits(t) << 23 (M's upper bits shift out). One constant and no integer add per vector.

/** Round-to-integer magic with the exponent bias folded in (see above). */
const MAGIC_B0: f32 = ROUND_MAGIC;
const MAGIC_B127: f32 = ROUND_MAGIC + 127.0;
const MAGIC_B191: f32 = ROUND_MAGIC + 191.0;

/** t = x·log2e + magic: n = t − magic, and bits(t) << 23 = 2^(n + bias − 127). */
@inline function expRound4(x: v128, magic: f32): v128 {
  return madd(x, f32x4.splat(LOG2E), f32x4.splat(magic));
}

/** r = x − n·ln2 (Cody–Waite: n·LN2_HI is exact) for the n held in t. */
@inline function expReduce4(x: v128, t: v128, magic: f32): v128 {
  const n = f32x4.sub(t, f32x4.splat(magic));
  return f32x4.sub(f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_HI))), f32x4.mul(n, f32x4.splat(LN2_LO)));
}

/** e^r − 1 for |r| ≤ ln2/2 from exp's polynomial (absolute error ≈ 1.1e-7·e^r). */
@inline function expPolyM1_4(r: v128): v128 {
  let q = madd(r, f32x4.splat(E5), f32x4.splat(E4));
  q = madd(q, r, f32x4.splat(E3));
  q = madd(q, r, f32x4.splat(E2));
  return madd(f32x4.mul(r, r), q, r);
}

/**
 * p·2^n with n ∈ [−152, 128] (t from expRound4 with MAGIC_B0) without intermediate over- or
 * underflow: 2^n in two halves, the second multiply rounds once into the subnormal range when
 * the result is that small.
 */
@inline function expScaleWide4(p: v128, t: v128): v128 {
  const ni = i32x4.sub(t, i32x4.splat(ROUND_MAGIC_BITS));
  const n1 = i32x4.shr_s(ni, 1);
  const pScaled = i32x4.add(p, i32x4.shl(n1, 23));
  const s2 = i32x4.shl(i32x4.add(i32x4.sub(ni, n1), i32x4.splat(127)), 23);
  return f32x4.mul(pScaled, s2);
}

/**
 * e^x per lane, rel. error ≤ ~3e-7 for normal results; overflows to +Inf above ≈ 88.72,
 * gradual underflow through the subnormal range to 0 below ≈ −103.97; NaN → NaN.
 */
@inline export function exp4(x: v128): v128 {
  const xc = clampKeepNaN4(x, EXP_LO, EXP_HI);
  const t = expRound4(xc, MAGIC_B0);
  const p = f32x4.add(expPolyM1_4(expReduce4(xc, t, MAGIC_B0)), f32x4.splat(1.0));
  return expScaleWide4(p, t);
}

/** 2^−64: undoes expNonPosScaled4's scale. */
const TWO_M64: f32 = 5.421010862427522e-20;

/**
 * e^x·2^64 for x ≤ 0 (or NaN) per lane: always a normal float (x is clamped at −105, where
 * e^x·2^64 is still ≈ 2^−88), so sums and ratios of these values are free of subnormals; the
 * softmax kernels divide by a sum of them and never need the factor back.
 */
@inline export function expNonPosScaled4(x: v128): v128 {
  const xc = f32x4.pmax(x, f32x4.splat(EXP_LO));
  const t = expRound4(xc, MAGIC_B191);
  const s = i32x4.shl(t, 23); // 2^(n + 64)
  return madd(s, expPolyM1_4(expReduce4(xc, t, MAGIC_B191)), s);
}

/**
 * e^x for x ≤ 0 (or NaN) per lane, as accurate as {@link exp4} including the subnormal results;
 * cheaper because n ≤ 0 lets 2^(n+64) be built in one step and the 2^−64 applied after.
 * Positive inputs give wrong results.
 */
@inline export function expNonPos4(x: v128): v128 {
  return f32x4.mul(expNonPosScaled4(x), f32x4.splat(TWO_M64));
}

/**
 * e^x − 1 for x ≤ 0 (or NaN) per lane, relative error ≤ ~3e-7 including tiny and subnormal x
 * (where it returns x). Saturates to −1 (exactly) below ≈ −17.
 */
@inline export function expm1NonPos4(x: v128): v128 {
  // Below −30, e^x − 1 rounds to −1 in float32; the clamp keeps 2^n a normal number.
  const xc = f32x4.pmax(x, f32x4.splat(-30.0));
  const t = expRound4(xc, MAGIC_B127);
  const r = expReduce4(xc, t, MAGIC_B127);
  let q = madd(r, f32x4.splat(M6), f32x4.splat(M5));
  q = madd(q, r, f32x4.splat(M4));
  q = madd(q, r, f32x4.splat(M3));
  q = madd(q, r, f32x4.splat(M2));
  const em = madd(f32x4.mul(r, r), q, r); // expm1(r)
  // e^x − 1 = 2^n·expm1(r) + (2^n − 1); for n = 0 this is em itself, bit for bit.
  const s = i32x4.shl(t, 23); // 2^n
  return f32x4.add(f32x4.mul(s, em), f32x4.sub(s, f32x4.splat(1.0)));
}

// ---- logarithms ----------------------------------------------------------------------------

/** 2·atanh(s) for |s| ≤ 1/3, relative error ≤ ~2e-7 (exact for tiny s). */
@inline function twoAtanh4(s: v128): v128 {
  const s2 = f32x4.mul(s, s);
  let q = madd(s2, f32x4.splat(L3), f32x4.splat(L2));
  q = madd(q, s2, f32x4.splat(L1));
  q = madd(q, s2, f32x4.splat(L0));
  return madd(f32x4.mul(s2, s), q, f32x4.add(s, s));
}

/**
 * log(1 + u) for u ∈ [−0.5, 1] (or NaN) per lane, relative error ≤ ~3e-7, exact for tiny and
 * subnormal u.
 */
@inline export function log1pSmall4(u: v128): v128 {
  return twoAtanh4(f32x4.div(u, f32x4.add(u, f32x4.splat(2.0))));
}

/**
 * Natural log per lane, abs. error ≤ ~1e-7 near 1 and rel. error ≤ ~3e-7 elsewhere;
 * log(0) = −Inf, log(x < 0) = NaN, log(+Inf) = +Inf, subnormal inputs handled.
 */
@inline export function log4(x: v128): v128 {
  // Scale subnormals up by 2^23 so the exponent field is meaningful.
  const tiny = f32x4.lt(x, f32x4.splat(1.1754943508222875e-38));
  const xs = select4(f32x4.mul(x, f32x4.splat(8388608.0)), x, tiny);
  const eAdj = v128.and(tiny, i32x4.splat(23));
  // x = 2^e·m with m ∈ [√½, √2): offset the bits by (1 − √½) so the split happens at √½.
  const bits = i32x4.sub(xs, i32x4.splat(0x3f3504f3));
  const e = i32x4.sub(i32x4.shr_s(bits, 23), eAdj);
  const m = i32x4.add(v128.and(bits, i32x4.splat(0x007fffff)), i32x4.splat(0x3f3504f3));
  const f = f32x4.sub(m, f32x4.splat(1.0));
  const ef = f32x4.convert_i32x4_s(e);
  const l = twoAtanh4(f32x4.div(f, f32x4.add(f, f32x4.splat(2.0))));
  let y = madd(ef, f32x4.splat(LN2_HI), madd(ef, f32x4.splat(LN2_LO), l));
  // Special values: +Inf and NaN pass through, 0 → −Inf, negative → NaN.
  const notFinitePos = v128.not(f32x4.lt(x, f32x4.splat(Infinity)));
  y = select4(x, y, notFinitePos);
  y = select4(f32x4.splat(-Infinity), y, f32x4.eq(x, f32x4.splat(0.0)));
  return select4(f32x4.splat(NaN), y, f32x4.lt(x, f32x4.splat(0.0)));
}

// ---- sigmoid-like --------------------------------------------------------------------------

/**
 * tanh per lane, relative error ≤ ~6e-7 everywhere (returns x itself for tiny and subnormal x),
 * exactly ±1 for |x| ≥ 8.3 and ±Inf; NaN → NaN.
 */
@inline export function tanh4(x: v128): v128 {
  const xc = clampKeepNaN4(x, -TANH_CLAMP, TANH_CLAMP);
  const s = f32x4.mul(xc, xc);
  let p = madd(s, f32x4.splat(TP4), f32x4.splat(TP3));
  p = madd(p, s, f32x4.splat(TP2));
  p = madd(p, s, f32x4.splat(TP1));
  p = madd(p, s, f32x4.splat(1.0));
  let q = madd(s, f32x4.splat(TQ3), f32x4.splat(TQ2));
  q = madd(q, s, f32x4.splat(TQ1));
  q = madd(q, s, f32x4.splat(1.0));
  return clampKeepNaN4(f32x4.div(f32x4.mul(xc, p), q), -1.0, 1.0);
}

/**
 * Logistic sigmoid 1/(1+e^−x) per lane, relative error ≤ ~3e-7 over the whole range: the tail
 * for x → −∞ is computed as e^x/(1+e^x), so it stays relative down into the subnormals.
 */
@inline export function sigmoid4(x: v128): v128 {
  const t = expNonPos4(negAbs4(x)); // e^−|x| ∈ [0, 1]
  const num = select4(t, f32x4.splat(1.0), f32x4.lt(x, f32x4.splat(0.0)));
  return f32x4.div(num, f32x4.add(t, f32x4.splat(1.0)));
}

/**
 * Logistic sigmoid, cheaper form 1/(1+e^−x): relative error ≤ ~3e-7 while the result is a
 * normal float (x ≳ −87.3); the subnormal results below that are rounded coarsely and flushed
 * to 0 below x ≈ −88.7 (e^−x overflows to +Inf on purpose: with −x clamped to ≤ 89, n = 128
 * builds the +Inf bit pattern directly). NaN → NaN.
 */
@inline export function sigmoidFast4(x: v128): v128 {
  // e^−x with u = −r computed directly from x (no negation): clamp x so −x ∈ [−87.3, 89];
  // below e^−87.3, 1 + e^−x rounds to 1 anyway.
  const xc = clampKeepNaN4(x, -EXP_HI, 87.3);
  const t = madd(xc, f32x4.splat(-LOG2E), f32x4.splat(MAGIC_B127)); // n = round(−x·log2e)
  const n = f32x4.sub(t, f32x4.splat(MAGIC_B127));
  const u = f32x4.add(f32x4.add(xc, f32x4.mul(n, f32x4.splat(LN2_HI))), f32x4.mul(n, f32x4.splat(LN2_LO)));
  // e^−u = 1 − u + u²·(E2 − u·(E3 − u·(E4 − u·E5))).
  let q = madd(u, f32x4.splat(-E5), f32x4.splat(E4));
  q = madd(q, u, f32x4.splat(-E3));
  q = madd(q, u, f32x4.splat(E2));
  const one = f32x4.splat(1.0);
  const p = f32x4.add(f32x4.sub(f32x4.mul(f32x4.mul(u, u), q), u), one);
  const e = f32x4.mul(p, i32x4.shl(t, 23)); // p·2^n; n = 128 gives the +Inf pattern
  return f32x4.div(one, f32x4.add(e, one));
}

/** t = 1/(1 + z/2) for erfc's expansion, and the polynomial C0 + t·(C1 + … + t·C8). */
@inline function erfcT4(z: v128): v128 {
  return f32x4.div(f32x4.splat(1.0), madd(z, f32x4.splat(0.5), f32x4.splat(1.0)));
}
@inline function erfcPoly4(t: v128): v128 {
  let p = madd(t, f32x4.splat(C8), f32x4.splat(C7));
  p = madd(p, t, f32x4.splat(C6));
  p = madd(p, t, f32x4.splat(C5));
  p = madd(p, t, f32x4.splat(C4));
  p = madd(p, t, f32x4.splat(C3));
  p = madd(p, t, f32x4.splat(C2));
  p = madd(p, t, f32x4.splat(C1));
  return madd(p, t, f32x4.splat(C0));
}

/**
 * erfc(z) for z ≥ 0 (or NaN, +Inf) per lane, relative error ≤ ~1e-6 for z ≤ 4, growing with
 * the rounding of z² to ~6e-6 near the underflow at z ≈ 10 (normCdf4 avoids that loss).
 */
@inline export function erfcNonNeg4(z: v128): v128 {
  const t = erfcT4(z);
  // For z = +Inf the exponent is −Inf and e^−Inf = 0.
  return f32x4.mul(t, expNonPos4(f32x4.sub(erfcPoly4(t), f32x4.mul(z, z))));
}

/** erf per lane, absolute error ≤ ~6e-7 (as 1 − erfc); erf(±Inf) = ±1, NaN → NaN. */
@inline export function erf4(x: v128): v128 {
  const ax = f32x4.abs(x);
  const r = f32x4.sub(f32x4.splat(1.0), erfcNonNeg4(ax));
  return v128.or(r, v128.and(x, i32x4.splat(0x80000000)));
}

/**
 * e^(a+b) for a + b ∈ [−130, 0] where a is large and exact and b is a small correction (|b| ≲ 2):
 * the reduction subtracts n·ln2 from a before adding b, so b's low bits survive even when a is
 * large, which a plain exp4(a + b) would round away.
 */
@inline function expSplit4(a: v128, b: v128): v128 {
  const t = expRound4(f32x4.add(a, b), MAGIC_B191);
  const n = f32x4.sub(t, f32x4.splat(MAGIC_B191));
  const r = f32x4.sub(f32x4.add(f32x4.sub(a, f32x4.mul(n, f32x4.splat(LN2_HI))), b), f32x4.mul(n, f32x4.splat(LN2_LO)));
  const s = i32x4.shl(t, 23); // 2^(n + 64)
  return f32x4.mul(madd(s, expPolyM1_4(r), s), f32x4.splat(TWO_M64));
}

// Past |x| = 16, Φ(−|x|) and φ(x) are far below the smallest subnormal.
const NORMAL_TAIL_CLAMP: f32 = 16.0;

/**
 * The small tail of −x²/2 for 0 ≤ x ≤ 16 given xh = x rounded down to 12 significant bits:
 * −x²/2 = −xh²/2 (exact in float32) + this tail.
 */
@inline function negHalfSquareTail4(x: v128, xh: v128): v128 {
  // x² = xh² + xl·(xh + x) with xl = x − xh exact.
  return f32x4.mul(f32x4.mul(f32x4.sub(x, xh), f32x4.add(xh, x)), f32x4.splat(-0.5));
}

/**
 * Standard normal CDF Φ(x) per lane, relative error ≤ ~1e-6 including the whole lower tail
 * (Φ(x) = erfc(|x|/√2)/2 for x < 0 and 1 − erfc(|x|/√2)/2 otherwise, with the Gaussian factor
 * evaluated from an exactly split x²).
 */
@inline export function normCdf4(x: v128): v128 {
  const ax = f32x4.pmin(f32x4.abs(x), f32x4.splat(NORMAL_TAIL_CLAMP));
  const t = erfcT4(f32x4.mul(ax, f32x4.splat(SQRT1_2)));
  const p = erfcPoly4(t);
  const xh = v128.and(ax, i32x4.splat(0xfffff000));
  const a = f32x4.mul(f32x4.mul(xh, xh), f32x4.splat(-0.5));
  const e = f32x4.mul(t, expSplit4(a, f32x4.add(p, negHalfSquareTail4(ax, xh)))); // erfc(z)
  const h = f32x4.mul(e, f32x4.splat(0.5));
  return select4(h, f32x4.sub(f32x4.splat(1.0), h), f32x4.lt(x, f32x4.splat(0.0)));
}

/** Standard normal density φ(x) = e^(−x²/2)/√(2π) per lane, relative error ≤ ~5e-7. */
@inline export function normPdf4(x: v128): v128 {
  const ax = f32x4.pmin(f32x4.abs(x), f32x4.splat(NORMAL_TAIL_CLAMP));
  const xh = v128.and(ax, i32x4.splat(0xfffff000));
  const a = f32x4.mul(f32x4.mul(xh, xh), f32x4.splat(-0.5));
  return f32x4.mul(expSplit4(a, negHalfSquareTail4(ax, xh)), f32x4.splat(INV_SQRT_2PI));
}

/** √(2/π), the scale inside the tanh form of GELU. */
export const GELU_TANH_K: f32 = SQRT_2_OVER_PI;
/** The cubic coefficient inside the tanh form of GELU. */
export const GELU_TANH_C: f32 = 0.044715;
