/**
 * WGSL math helpers shared by the kernels (prepended to shaders that use them).
 *
 * WGSL's builtin transcendental functions are only specified to a few ULP and leave NaN, ±Inf,
 * subnormals and out-of-range arguments undefined, which differs from GPU to GPU. These
 * versions use only + − × ÷, comparisons and bit operations (Cody–Waite range reduction and
 * short polynomials, ~2 ULP), test for NaN and ±Inf on the bit patterns (a compiler may assume
 * `x != x` is false), and treat subnormal inputs exactly (a GPU may flush them to zero), so
 * every adapter computes the same function as the reference backend within 1e-6 relative.
 */
export const MATH = /* wgsl */ `
fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn is_inf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
fn is_zero(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0u; }
fn is_sub(x: f32) -> bool { let b = bitcast<u32>(x) & 0x7fffffffu; return b != 0u && b < 0x00800000u; }
// Runtime (not const-expression) NaN and +Inf: a const-expression may not produce them.
fn f_nan() -> f32 { var b = 0x7fc00000u; return bitcast<f32>(b); }
fn f_inf() -> f32 { var b = 0x7f800000u; return bitcast<f32>(b); }

// 2^e for e in [-126, 127], built from the exponent bits.
fn pow2i(e: i32) -> f32 { return bitcast<f32>(u32(e + 127) << 23u); }
// p·2^n for n in [-300, 300] without forming an out-of-range power of two.
fn scale2(p: f32, n: i32) -> f32 {
  let n1 = clamp(n / 3, -126, 127);
  let n2 = clamp((n - n1) / 2, -126, 127);
  let n3 = clamp(n - n1 - n2, -126, 127);
  return p * pow2i(n1) * pow2i(n2) * pow2i(n3);
}

// e^x: x = n·ln2 + r, |r| ≤ ln2/2, degree-7 Taylor polynomial for e^r (error < 5e-9 relative).
fn m_exp(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (x > 89.0) { return f_inf(); }
  if (x < -104.0) { return 0.0; }
  let n = round(x * 1.44269504);
  let r = (x - n * 0.693145751953125) - n * 1.428606765330187e-6;
  var p = 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  return scale2(p, i32(n));
}

// e^x − 1, accurate in relative terms near 0.
fn m_expm1(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (abs(x) < 0.5) {
    var p = 1.0 / 362880.0;
    p = p * x + 1.0 / 40320.0;
    p = p * x + 1.0 / 5040.0;
    p = p * x + 1.0 / 720.0;
    p = p * x + 1.0 / 120.0;
    p = p * x + 1.0 / 24.0;
    p = p * x + 1.0 / 6.0;
    p = p * x + 0.5;
    return x + x * x * p;
  }
  return m_exp(x) - 1.0;
}

// ln x with x = m·2^e, m in [√½, √2): 2·atanh((m − 1)/(m + 1)) by its series.
fn m_log(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (is_zero(x)) { return -f_inf(); }
  if (x < 0.0) { return f_nan(); }
  if (is_inf(x)) { return x; }
  var bits = bitcast<u32>(x);
  var e = i32(bits >> 23u) - 127;
  if ((bits >> 23u) == 0u) {
    // subnormal: x = bits·2^-149, and f32(bits) is exact
    bits = bitcast<u32>(f32(bits));
    e = i32(bits >> 23u) - 127 - 149;
  }
  var m = bitcast<f32>((bits & 0x007fffffu) | 0x3f800000u);
  if (m > 1.41421356) { m = m * 0.5; e = e + 1; }
  let s = (m - 1.0) / (m + 1.0);
  let s2 = s * s;
  var p = 1.0 / 13.0;
  p = p * s2 + 1.0 / 11.0;
  p = p * s2 + 1.0 / 9.0;
  p = p * s2 + 1.0 / 7.0;
  p = p * s2 + 1.0 / 5.0;
  p = p * s2 + 1.0 / 3.0;
  let fe = f32(e);
  return fe * 0.693145751953125 + (fe * 1.428606765330187e-6 + 2.0 * s + 2.0 * s * s2 * p);
}

// ln(1 + x), accurate near 0 (the (1+x)−1 correction trick).
fn m_log1p(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let u = 1.0 + x;
  if (u == 1.0) { return x; }
  if (is_inf(u)) { return u; }
  return m_log(u) * (x / (u - 1.0));
}

// √x with IEEE special cases (√−0 = −0, √(x<0) = NaN) and subnormal inputs treated exactly
// (√(b·2^-149) = √b·2^-74.5).
fn m_sqrt(x: f32) -> f32 {
  if (is_nan(x) || is_zero(x)) { return x; }
  if (x < 0.0) { return f_nan(); }
  if (is_inf(x)) { return x; }
  if (is_sub(x)) {
    let b = bitcast<u32>(x) & 0x7fffffffu;
    return sqrt(f32(b)) * pow2i(-75) * 1.41421356237309505;
  }
  return sqrt(x);
}

fn m_rsqrt(x: f32) -> f32 { return 1.0 / m_sqrt(x); }

// 1/x with subnormal inputs treated exactly (the result may overflow to ±Inf, as it should).
fn m_recip(x: f32) -> f32 {
  if (is_sub(x)) {
    let b = bitcast<u32>(x) & 0x7fffffffu;
    let r = (1.0 / f32(b)) * pow2i(100) * pow2i(49);
    return select(r, -r, x < 0.0);
  }
  return 1.0 / x;
}

fn m_tanh(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let a = abs(x);
  var t = 1.0;
  if (a < 9.1) {
    let e = m_expm1(2.0 * a);
    t = e / (e + 2.0);
  }
  return select(t, -t, x < 0.0);
}

fn m_cosh(x: f32) -> f32 {
  let a = abs(x);
  let e = m_exp(a);
  return 0.5 * e + 0.5 / e;
}

fn m_sigmoid(x: f32) -> f32 {
  if (x >= 0.0) { return 1.0 / (1.0 + m_exp(-x)); }
  let e = m_exp(x);
  return e / (1.0 + e);
}

// erf(z) for |z| < 0.5: 2/√π·Σ (−1)ⁿ z^(2n+1)/(n!(2n+1)), 7 terms (error < 1e-9 relative).
fn m_erf_small(z: f32) -> f32 {
  let z2 = z * z;
  var p = -1.0 / 75600.0;
  p = p * z2 + 1.0 / 9360.0;
  p = p * z2 - 1.0 / 1320.0;
  p = p * z2 + 1.0 / 216.0;
  p = p * z2 - 1.0 / 42.0;
  p = p * z2 + 1.0 / 10.0;
  p = p * z2 - 1.0 / 3.0;
  p = p * z2 + 1.0;
  return 1.12837916709551257 * z * p;
}

// erfc(z) for z ≥ 0: t·exp(−z² + P(t)) with t = 1/(1 + z/2) and the degree-9 Chebyshev fit of
// Numerical Recipes (fractional error < 1.2e-7 everywhere), so erfc keeps its relative
// accuracy where it is tiny (gelu and Φ for x ≪ 0).
fn m_erfc_pos(z: f32) -> f32 {
  let t = 1.0 / (1.0 + 0.5 * z);
  var p = 0.17087277;
  p = p * t - 0.82215223;
  p = p * t + 1.48851587;
  p = p * t - 1.13520398;
  p = p * t + 0.27886807;
  p = p * t - 0.18628806;
  p = p * t + 0.09678418;
  p = p * t + 0.37409196;
  p = p * t + 1.00002368;
  p = p * t - 1.26551223;
  return t * m_exp(-z * z + p);
}

fn m_erf(z: f32) -> f32 {
  if (is_nan(z)) { return z; }
  let a = abs(z);
  if (a < 0.5) { return m_erf_small(z); }
  let r = 1.0 - m_erfc_pos(a);
  return select(r, -r, z < 0.0);
}

fn m_erfc(z: f32) -> f32 {
  if (is_nan(z)) { return z; }
  if (z >= 0.5) { return m_erfc_pos(z); }
  if (z > -0.5) { return 1.0 - m_erf_small(z); }
  return 2.0 - m_erfc_pos(-z);
}

// C's powf special cases (pow(1, y) = 1, pow(x, ±0) = 1, pow(−1, ±Inf) = 1, negative bases
// with integer exponents), then e^(y·ln|x|).
fn m_pow(x: f32, y: f32) -> f32 {
  if (x == 1.0 || is_zero(y)) { return 1.0; }
  if (is_nan(x) || is_nan(y)) { return f_nan(); }
  let ax = abs(x);
  let ay = abs(y);
  if (is_inf(y)) {
    if (ax == 1.0) { return 1.0; }
    if ((ax < 1.0) == (y > 0.0)) { return 0.0; }
    return f_inf();
  }
  // y is finite and non-zero here: is it an integer, and an odd one?
  let yint = floor(y) == y;
  let yodd = yint && ay < 16777216.0 && (u32(ay) & 1u) == 1u;
  let neg = x < 0.0 || (is_zero(x) && (bitcast<u32>(x) >> 31u) == 1u);
  if (neg && !yint && !is_zero(x) && !is_inf(x)) { return f_nan(); }
  var r: f32;
  if (is_zero(x)) {
    r = select(0.0, f_inf(), y < 0.0);
  } else if (is_inf(x)) {
    r = select(f_inf(), 0.0, y < 0.0);
  } else {
    r = m_exp(y * m_log(ax));
  }
  return select(r, -r, neg && yodd);
}

fn m_max(a: f32, b: f32) -> f32 {
  if (is_nan(a) || is_nan(b)) { return f_nan(); }
  return select(b, a, a > b || (a == b && (bitcast<u32>(a) >> 31u) == 0u));
}

fn m_min(a: f32, b: f32) -> f32 {
  if (is_nan(a) || is_nan(b)) { return f_nan(); }
  return select(b, a, a < b || (a == b && (bitcast<u32>(a) >> 31u) == 1u));
}
`;
