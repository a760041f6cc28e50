// Seeded random kernels: Philox-4x32-10 streams bit-identical to src/kernels/philox.ts (the
// reference; read its doc comment for the stream layout). ABI: bindings/abi.ts.
//
// Word j of a stream is lane j mod 4 of block floor(j / 4); block b encrypts the counter
// (b mod 2^32, floor(b / 2^32), 0, 0) under the key (seedLo, seedHi). Runs of eight whole
// blocks go through SIMD (one block per lane, two sets of four interleaved, 32×32→64 products
// via extmul); the blocks at either end run the scalar rounds, which give the same bits.

const M0: u32 = 0xd2511f53;
const M1: u32 = 0xcd9e8d57;
const W0: u32 = 0x9e3779b9;
const W1: u32 = 0xbb67ae85;

// BLOCK: the four words of the last scalar block (per thread: assembly/scratch.ts).
import { RNG_BLOCK as BLOCK } from './scratch';

/** Philox-4x32-10 of counter (lo(b), hi(b), 0, 0) under (k0, k1) into BLOCK. */
function philoxBlock(b: u64, k0: u32, k1: u32): void {
  let x0 = <u32>b, x1 = <u32>(b >> 32), x2: u32 = 0, x3: u32 = 0;
  for (let r = 0; r < 10; r++) {
    const p0 = <u64>M0 * <u64>x0;
    const p1 = <u64>M1 * <u64>x2;
    const y0 = <u32>(p1 >> 32) ^ x1 ^ k0;
    const y2 = <u32>(p0 >> 32) ^ x3 ^ k1;
    x0 = y0;
    x1 = <u32>p1;
    x2 = y2;
    x3 = <u32>p0;
    k0 += W0;
    k1 += W1;
  }
  store<u32>(BLOCK, x0);
  store<u32>(BLOCK, x1, 4);
  store<u32>(BLOCK, x2, 8);
  store<u32>(BLOCK, x3, 12);
}

// Output of philox8: vector k holds the four words of block b + k.
let V0: v128 = i32x4.splat(0);
let V1: v128 = i32x4.splat(0);
let V2: v128 = i32x4.splat(0);
let V3: v128 = i32x4.splat(0);
let V4: v128 = i32x4.splat(0);
let V5: v128 = i32x4.splat(0);
let V6: v128 = i32x4.splat(0);
let V7: v128 = i32x4.splat(0);

/** Counter words (lo, hi) of blocks b … b+3 as two vectors, lane k = block b + k. */
@inline function counterLo(b: u64): v128 {
  let v = i32x4.splat(<i32>b);
  v = i32x4.replace_lane(v, 1, <i32>(b + 1));
  v = i32x4.replace_lane(v, 2, <i32>(b + 2));
  return i32x4.replace_lane(v, 3, <i32>(b + 3));
}

@inline function counterHi(b: u64): v128 {
  let v = i32x4.splat(<i32>(b >> 32));
  v = i32x4.replace_lane(v, 1, <i32>((b + 1) >> 32));
  v = i32x4.replace_lane(v, 2, <i32>((b + 2) >> 32));
  return i32x4.replace_lane(v, 3, <i32>((b + 3) >> 32));
}

/**
 * Blocks b … b+7 at once: two independent sets of four (one block per lane) interleaved, since
 * one set alone is bound by the latency of its ten dependent rounds. Results, transposed so
 * that each vector is one block, go to V0–V7.
 */
function philox8(b: u64, k0: u32, k1: u32): void {
  let x0 = counterLo(b), x1 = counterHi(b), x2 = i32x4.splat(0), x3 = x2;
  let y0 = counterLo(b + 4), y1 = counterHi(b + 4), y2 = x2, y3 = x2;
  const m0 = i32x4.splat(<i32>M0), m1 = i32x4.splat(<i32>M1);
  let key0 = i32x4.splat(<i32>k0), key1 = i32x4.splat(<i32>k1);
  const w0 = i32x4.splat(<i32>W0), w1 = i32x4.splat(<i32>W1);
  for (let r = 0; r < 10; r++) {
    // Full 64-bit products per lane (extmul), then their high and low 32-bit halves gathered.
    const a0 = i64x2.extmul_low_i32x4_u(x0, m0), b0 = i64x2.extmul_high_i32x4_u(x0, m0);
    const a1 = i64x2.extmul_low_i32x4_u(x2, m1), b1 = i64x2.extmul_high_i32x4_u(x2, m1);
    const c0 = i64x2.extmul_low_i32x4_u(y0, m0), d0 = i64x2.extmul_high_i32x4_u(y0, m0);
    const c1 = i64x2.extmul_low_i32x4_u(y2, m1), d1 = i64x2.extmul_high_i32x4_u(y2, m1);
    const nx0 = v128.xor(v128.xor(i32x4.shuffle(a1, b1, 1, 3, 5, 7), x1), key0);
    const nx2 = v128.xor(v128.xor(i32x4.shuffle(a0, b0, 1, 3, 5, 7), x3), key1);
    const ny0 = v128.xor(v128.xor(i32x4.shuffle(c1, d1, 1, 3, 5, 7), y1), key0);
    const ny2 = v128.xor(v128.xor(i32x4.shuffle(c0, d0, 1, 3, 5, 7), y3), key1);
    x1 = i32x4.shuffle(a1, b1, 0, 2, 4, 6);
    x3 = i32x4.shuffle(a0, b0, 0, 2, 4, 6);
    y1 = i32x4.shuffle(c1, d1, 0, 2, 4, 6);
    y3 = i32x4.shuffle(c0, d0, 0, 2, 4, 6);
    x0 = nx0;
    x2 = nx2;
    y0 = ny0;
    y2 = ny2;
    key0 = i32x4.add(key0, w0);
    key1 = i32x4.add(key1, w1);
  }
  // 4×4 transposes: lanes were blocks, vectors were words.
  let t0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5), t1 = i32x4.shuffle(x2, x3, 0, 4, 1, 5);
  let t2 = i32x4.shuffle(x0, x1, 2, 6, 3, 7), t3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
  V0 = i64x2.shuffle(t0, t1, 0, 2);
  V1 = i64x2.shuffle(t0, t1, 1, 3);
  V2 = i64x2.shuffle(t2, t3, 0, 2);
  V3 = i64x2.shuffle(t2, t3, 1, 3);
  t0 = i32x4.shuffle(y0, y1, 0, 4, 1, 5);
  t1 = i32x4.shuffle(y2, y3, 0, 4, 1, 5);
  t2 = i32x4.shuffle(y0, y1, 2, 6, 3, 7);
  t3 = i32x4.shuffle(y2, y3, 2, 6, 3, 7);
  V4 = i64x2.shuffle(t0, t1, 0, 2);
  V5 = i64x2.shuffle(t0, t1, 1, 3);
  V6 = i64x2.shuffle(t2, t3, 0, 2);
  V7 = i64x2.shuffle(t2, t3, 1, 3);
}

// ---- word-per-element streams (uniform, dropout) ------------------------------------------

// Parameters of the current call, read by the emitters (kernels do not allocate).
let uLow: f32 = 0;
let uRange: f32 = 0;
let dThreshold: u32 = 0;
let dScale: f32 = 0;

/** uniform: u = (w >>> 8)·2^-24 (exact in float32), then low + range·u, each op float32. */
@final @unmanaged class Uniform {
  @inline v(w: v128): v128 {
    const u = f32x4.mul(f32x4.convert_i32x4_s(i32x4.shr_u(w, 8)), f32x4.splat(5.9604644775390625e-8));
    return f32x4.add(f32x4.splat(uLow), f32x4.mul(f32x4.splat(uRange), u));
  }
  @inline s(w: u32): f32 {
    const u = <f32>(w >>> 8) * <f32>5.9604644775390625e-8;
    return uLow + uRange * u;
  }
}

/** dropout: `scale` where the word ≥ threshold (unsigned), else 0. */
@final @unmanaged class Dropout {
  @inline v(w: v128): v128 {
    // No unsigned i32x4 compare-ge in wasm SIMD: w ≥ t ⇔ max_u(w, t) == w.
    const keep = i32x4.eq(i32x4.max_u(w, i32x4.splat(<i32>dThreshold)), w);
    return v128.and(keep, f32x4.splat(dScale));
  }
  @inline s(w: u32): f32 {
    return w >= dThreshold ? dScale : <f32>0;
  }
}

/** out[i] = emit(word j + i) for i < n. */
function emitWords<E>(out: usize, n: i32, k0: u32, k1: u32, j: u64): void {
  const e = changetype<E>(0);
  let i = 0;
  // Partial first block.
  if ((j & 3) != 0 && n > 0) {
    philoxBlock(j >> 2, k0, k1);
    for (let lane = <i32>(j & 3); lane < 4 && i < n; lane++) {
      store<f32>(out + (<usize>i << 2), e.s(load<u32>(BLOCK + (<usize>lane << 2))));
      i++;
      j++;
    }
  }
  // Eight whole blocks at a time.
  for (; i + 32 <= n; i += 32) {
    philox8(j >> 2, k0, k1);
    const o = out + (<usize>i << 2);
    v128.store(o, e.v(V0));
    v128.store(o, e.v(V1), 16);
    v128.store(o, e.v(V2), 32);
    v128.store(o, e.v(V3), 48);
    v128.store(o, e.v(V4), 64);
    v128.store(o, e.v(V5), 80);
    v128.store(o, e.v(V6), 96);
    v128.store(o, e.v(V7), 112);
    j += 32;
  }
  // Remaining blocks, the last one possibly partial.
  while (i < n) {
    philoxBlock(j >> 2, k0, k1);
    for (let lane = 0; lane < 4 && i < n; lane++) {
      store<f32>(out + (<usize>i << 2), e.s(load<u32>(BLOCK + (<usize>lane << 2))));
      i++;
      j++;
    }
  }
}

/**
 * `out[i]` = uniform element `offset + i` of the stream for seed (seedLo, seedHi), in
 * [low, high): `low + (high − low)·u` in float32 arithmetic. `offset` is an integer < 2^53.
 */
export function randomUniform_f32(out: usize, n: i32, seedLo: i32, seedHi: i32, offset: f64, low: f32, high: f32): void {
  uLow = low;
  uRange = high - low;
  emitWords<Uniform>(out, n, <u32>seedLo, <u32>seedHi, <u64>offset);
}

/**
 * Inverted-dropout mask: `mask[i] = scale` when word `offset + i` ≥ `threshold` (uint32 passed
 * as i32 bits), else 0.
 */
export function dropoutMask_f32(mask: usize, n: i32, threshold: i32, scale: f32, seedLo: i32, seedHi: i32, offset: f64): void {
  dThreshold = <u32>threshold;
  dScale = scale;
  emitWords<Dropout>(mask, n, <u32>seedLo, <u32>seedHi, <u64>offset);
}

// ---- normal (two words per element) -------------------------------------------------------

const LN2: f64 = 0.6931471805599453;
const SQRT2: f64 = 1.4142135623730951;
const TWO_PI: f64 = 6.283185307179586;
const TWO_POW_M32: f64 = 2.3283064365386963e-10;

/** philox.ts `ln1p32`: ln(a·2^-32) for integer a in [1, 2^32], same operations, same order. */
@inline function ln1p32(a: u64): f64 {
  if (a >= 4294967296) return 0;
  let e = 31 - <i32>clz<u32>(<u32>a);
  let m = <f64>a / <f64>(<u64>1 << e); // exact: a power of two
  if (m > SQRT2) {
    m = m / 2;
    e = e + 1;
  }
  const s = (m - 1) / (m + 1);
  const s2 = s * s;
  let p = 1.0 / 23.0;
  p = p * s2 + 1.0 / 21.0;
  p = p * s2 + 1.0 / 19.0;
  p = p * s2 + 1.0 / 17.0;
  p = p * s2 + 1.0 / 15.0;
  p = p * s2 + 1.0 / 13.0;
  p = p * s2 + 1.0 / 11.0;
  p = p * s2 + 1.0 / 9.0;
  p = p * s2 + 1.0 / 7.0;
  p = p * s2 + 1.0 / 5.0;
  p = p * s2 + 1.0 / 3.0;
  p = p * s2 + 1;
  return <f64>(e - 32) * LN2 + 2 * s * p;
}

/** philox.ts `cosTurns`: cos(2π·t) for t in [0, 1), same operations, same order. */
@inline function cosTurns(t: f64): f64 {
  const q = Math.floor(t * 4 + 0.5);
  const x = (t - q / 4) * TWO_PI;
  const x2 = x * x;
  const quadrant = <i32>q & 3;
  if ((quadrant & 1) == 0) {
    let p = -1.0 / 6402373705728000.0;
    p = p * x2 + 1.0 / 20922789888000.0;
    p = p * x2 - 1.0 / 87178291200.0;
    p = p * x2 + 1.0 / 479001600.0;
    p = p * x2 - 1.0 / 3628800.0;
    p = p * x2 + 1.0 / 40320.0;
    p = p * x2 - 1.0 / 720.0;
    p = p * x2 + 1.0 / 24.0;
    p = p * x2 - 1.0 / 2.0;
    p = p * x2 + 1;
    return quadrant == 0 ? p : -p;
  }
  let p = -1.0 / 121645100408832000.0;
  p = p * x2 + 1.0 / 355687428096000.0;
  p = p * x2 - 1.0 / 1307674368000.0;
  p = p * x2 + 1.0 / 6227020800.0;
  p = p * x2 - 1.0 / 39916800.0;
  p = p * x2 + 1.0 / 362880.0;
  p = p * x2 - 1.0 / 5040.0;
  p = p * x2 + 1.0 / 120.0;
  p = p * x2 - 1.0 / 6.0;
  p = p * x2 + 1;
  const s = x * p;
  return quadrant == 1 ? -s : s;
}

/** mean + std·sqrt(−2·ln u1)·cos(2π·u2) from words (w1, w2), float64, rounded to float32 once. */
@inline function boxMuller(w1: u32, w2: u32, mean: f64, std: f64): f32 {
  const r = Math.sqrt(-2 * ln1p32(<u64>w1 + 1));
  const z = r * cosTurns(<f64>w2 * TWO_POW_M32);
  return <f32>(mean + std * z);
}

// The same Box–Muller two lanes at a time in f64x2: every step is an IEEE basic operation in
// the reference's order, so each lane gives the scalar (and philox.ts) bits exactly.

const SIGN_CLEAR = i64x2.splat(0x000fffffffffffff);
const ONE_BITS = i64x2.splat(0x3ff0000000000000);

/** ln1p32 on two lanes; `a` holds integers in [1, 2^32] as f64. */
@inline function ln1p32x2(a: v128): v128 {
  // e = floor(log2 a) is a's exponent field, and m = a/2^e is a with that field cleared to 0.
  const bits = a;
  const e = i64x2.sub(i64x2.shr_u(bits, 52), i64x2.splat(1023));
  let m = v128.or(v128.and(bits, SIGN_CLEAR), ONE_BITS);
  let ef = f64x2.convert_low_i32x4_s(i32x4.shuffle(e, e, 0, 2, 0, 2));
  const big = f64x2.gt(m, f64x2.splat(SQRT2));
  m = v128.bitselect(f64x2.div(m, f64x2.splat(2)), m, big);
  ef = v128.bitselect(f64x2.add(ef, f64x2.splat(1)), ef, big);
  const s = f64x2.div(f64x2.sub(m, f64x2.splat(1)), f64x2.add(m, f64x2.splat(1)));
  const s2 = f64x2.mul(s, s);
  let p = f64x2.splat(1.0 / 23.0);
  p = f64x2.add(f64x2.mul(p, s2), f64x2.splat(1.0 / 21.0));
  p = f64x2.add(f64x2.mul(p, s2), f64x2.splat(1.0 / 19.0));
  p = f64x2.add(f64x2.mul(p, s2), f64x2.splat(1.0 / 17.0));
  p = f64x2.add(f64x2.mul(p, s2), f64x2.splat(1.0 / 15.0));
  p = f64x2.add(f64x2.mul(p, s2), f64x2.splat(1.0 / 13.0));
  p = f64x2.add(f64x2.mul(p, s2), f64x2.splat(1.0 / 11.0));
  p = f64x2.add(f64x2.mul(p, s2), f64x2.splat(1.0 / 9.0));
  p = f64x2.add(f64x2.mul(p, s2), f64x2.splat(1.0 / 7.0));
  p = f64x2.add(f64x2.mul(p, s2), f64x2.splat(1.0 / 5.0));
  p = f64x2.add(f64x2.mul(p, s2), f64x2.splat(1.0 / 3.0));
  p = f64x2.add(f64x2.mul(p, s2), f64x2.splat(1));
  const r = f64x2.add(f64x2.mul(f64x2.sub(ef, f64x2.splat(32)), f64x2.splat(LN2)), f64x2.mul(f64x2.mul(f64x2.splat(2), s), p));
  // a = 2^32 (word 0xffffffff + 1) gives ln 1 = 0.
  return v128.andnot(r, f64x2.ge(a, f64x2.splat(4294967296.0)));
}

/** cosTurns on two lanes (t in [0, 1)). */
@inline function cosTurnsx2(t: v128): v128 {
  const q = f64x2.floor(f64x2.add(f64x2.mul(t, f64x2.splat(4)), f64x2.splat(0.5)));
  const x = f64x2.mul(f64x2.sub(t, f64x2.div(q, f64x2.splat(4))), f64x2.splat(TWO_PI));
  const x2 = f64x2.mul(x, x);
  let c = f64x2.splat(-1.0 / 6402373705728000.0);
  c = f64x2.add(f64x2.mul(c, x2), f64x2.splat(1.0 / 20922789888000.0));
  c = f64x2.sub(f64x2.mul(c, x2), f64x2.splat(1.0 / 87178291200.0));
  c = f64x2.add(f64x2.mul(c, x2), f64x2.splat(1.0 / 479001600.0));
  c = f64x2.sub(f64x2.mul(c, x2), f64x2.splat(1.0 / 3628800.0));
  c = f64x2.add(f64x2.mul(c, x2), f64x2.splat(1.0 / 40320.0));
  c = f64x2.sub(f64x2.mul(c, x2), f64x2.splat(1.0 / 720.0));
  c = f64x2.add(f64x2.mul(c, x2), f64x2.splat(1.0 / 24.0));
  c = f64x2.sub(f64x2.mul(c, x2), f64x2.splat(1.0 / 2.0));
  c = f64x2.add(f64x2.mul(c, x2), f64x2.splat(1));
  let p = f64x2.splat(-1.0 / 121645100408832000.0);
  p = f64x2.add(f64x2.mul(p, x2), f64x2.splat(1.0 / 355687428096000.0));
  p = f64x2.sub(f64x2.mul(p, x2), f64x2.splat(1.0 / 1307674368000.0));
  p = f64x2.add(f64x2.mul(p, x2), f64x2.splat(1.0 / 6227020800.0));
  p = f64x2.sub(f64x2.mul(p, x2), f64x2.splat(1.0 / 39916800.0));
  p = f64x2.add(f64x2.mul(p, x2), f64x2.splat(1.0 / 362880.0));
  p = f64x2.sub(f64x2.mul(p, x2), f64x2.splat(1.0 / 5040.0));
  p = f64x2.add(f64x2.mul(p, x2), f64x2.splat(1.0 / 120.0));
  p = f64x2.sub(f64x2.mul(p, x2), f64x2.splat(1.0 / 6.0));
  p = f64x2.add(f64x2.mul(p, x2), f64x2.splat(1));
  const sn = f64x2.mul(x, p);
  // Quadrant q & 3: 0 → c, 1 → −sin, 2 → −c, 3 → sin (q = 4 is quadrant 0).
  const qi = i32x4.trunc_sat_f64x2_s_zero(q);
  const quad = i64x2.extend_low_i32x4_s(v128.and(qi, i32x4.splat(3)));
  const odd = i64x2.eq(v128.and(quad, i64x2.splat(1)), i64x2.splat(1));
  const neg = v128.or(i64x2.eq(quad, i64x2.splat(1)), i64x2.eq(quad, i64x2.splat(2)));
  const v = v128.bitselect(sn, c, odd);
  return v128.bitselect(f64x2.neg(v), v, neg);
}

/**
 * The two normal elements of one block (words (w0, w1) and (w2, w3) of `v`), stored at o, o + 4:
 * mean + std·sqrt(−2·ln u1)·cos(2π·u2), rounded to float32 once.
 */
// Not inlined: eight call sites would cost ~12 KB of code for no measurable speed (normals are for initialisation).
@noinline function normalPair(o: usize, v: v128, mean: v128, std: v128): void {
  const w = i32x4.shuffle(v, v, 0, 2, 1, 3); // (w0, w2 | w1, w3)
  const a = f64x2.add(f64x2.convert_low_i32x4_u(w), f64x2.splat(1));
  const t = f64x2.mul(f64x2.convert_low_i32x4_u(i64x2.shuffle(w, w, 1, 0)), f64x2.splat(TWO_POW_M32));
  const r = f64x2.sqrt(f64x2.mul(f64x2.splat(-2), ln1p32x2(a)));
  const z = f64x2.mul(r, cosTurnsx2(t));
  v128.store64_lane(o, f32x4.demote_f64x2_zero(f64x2.add(mean, f64x2.mul(std, z))), 0);
}

/**
 * `out[i]` = normal element `offset + i` of the stream (words 2(offset+i) and 2(offset+i)+1,
 * Box–Muller in float64 exactly as philox.ts), `mean + std·z` rounded to float32 once.
 */
export function randomNormal_f32(out: usize, n: i32, seedLo: i32, seedHi: i32, offset: f64, mean: f64, std: f64): void {
  const k0 = <u32>seedLo, k1 = <u32>seedHi;
  let j = <u64>offset; // element index; block j >> 1 holds elements 2·(j >> 1) and that + 1
  let i = 0;
  if ((j & 1) != 0 && n > 0) {
    philoxBlock(j >> 1, k0, k1);
    store<f32>(out, boxMuller(load<u32>(BLOCK, 8), load<u32>(BLOCK, 12), mean, std));
    i++;
    j++;
  }
  const vmean = f64x2.splat(mean), vstd = f64x2.splat(std);
  for (; i + 16 <= n; i += 16) {
    philox8(j >> 1, k0, k1);
    const o = out + (<usize>i << 2);
    normalPair(o, V0, vmean, vstd);
    normalPair(o + 8, V1, vmean, vstd);
    normalPair(o + 16, V2, vmean, vstd);
    normalPair(o + 24, V3, vmean, vstd);
    normalPair(o + 32, V4, vmean, vstd);
    normalPair(o + 40, V5, vmean, vstd);
    normalPair(o + 48, V6, vmean, vstd);
    normalPair(o + 56, V7, vmean, vstd);
    j += 16;
  }
  while (i < n) {
    philoxBlock(j >> 1, k0, k1);
    store<f32>(out + (<usize>i << 2), boxMuller(load<u32>(BLOCK), load<u32>(BLOCK, 4), mean, std));
    i++;
    j++;
    if (i < n) {
      store<f32>(out + (<usize>i << 2), boxMuller(load<u32>(BLOCK, 8), load<u32>(BLOCK, 12), mean, std));
      i++;
      j++;
    }
  }
}
