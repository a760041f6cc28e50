/**
 * The random streams every backend must reproduce bit for bit (reference implementation).
 *
 * Generator: Philox-4x32-10 (Salmon et al., SC'11), counter-based, so element i of a stream can
 * be computed independently on any backend and any thread.
 *
 * Stream layout, for a `seed` (integer in [0, 2^53)):
 * - key = (seed mod 2^32, floor(seed / 2^32));
 * - block b (integer in [0, 2^53)) encrypts counter (b mod 2^32, floor(b / 2^32), 0, 0) into four
 *   32-bit words; word j of the stream is lane j mod 4 of block floor(j / 4).
 * - uniform element j: u = (word_j >>> 8)·2^-24 ∈ [0, 1), then in float32 arithmetic
 *   `low + (high − low)·u` with `low` and `high` first rounded to float32 and each operation
 *   rounded to float32.
 * - normal element j: words 2j and 2j+1 give u1 = (w + 1)·2^-32 ∈ (0, 1] and u2 = w·2^-32 ∈ [0, 1);
 *   z = sqrt(−2·ln u1)·cos(2π·u2), evaluated in float64 with {@link ln1p32} and {@link cosTurns}
 *   below (IEEE basic operations only, so every engine agrees), then `mean + std·z` in float64,
 *   rounded to float32 once.
 * - dropout element j: kept iff word_j ≥ floor(p·2^32).
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High 32 bits of the 64-bit product of two uint32 values, exactly, without BigInt. */
function mulhi32(a: number, b: number): number {
  const t = a * (b & 0xffff); // < 2^48, exact
  const u = a * (b >>> 16); // < 2^48, exact
  return Math.floor((u + Math.floor(t / 65536)) / 65536) >>> 0;
}

/**
 * Philox-4x32-10 of counter (c0, c1, c2, c3) under key (k0, k1), written into `out[0..4)`.
 * All values are uint32.
 */
export function philox4x32(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: Uint32Array): void {
  let x0 = c0 >>> 0, x1 = c1 >>> 0, x2 = c2 >>> 0, x3 = c3 >>> 0;
  let key0 = k0 >>> 0, key1 = k1 >>> 0;
  for (let r = 0; r < 10; r++) {
    if (r > 0) {
      key0 = (key0 + W0) >>> 0;
      key1 = (key1 + W1) >>> 0;
    }
    const hi0 = mulhi32(M0, x0);
    const lo0 = Math.imul(M0, x0) >>> 0;
    const hi1 = mulhi32(M1, x2);
    const lo1 = Math.imul(M1, x2) >>> 0;
    const y0 = (hi1 ^ x1 ^ key0) >>> 0;
    const y2 = (hi0 ^ x3 ^ key1) >>> 0;
    x0 = y0;
    x1 = lo1;
    x2 = y2;
    x3 = lo0;
  }
  out[0] = x0;
  out[1] = x1;
  out[2] = x2;
  out[3] = x3;
}

/** Splits a seed into the Philox key; throws unless it is an integer in [0, 2^53). */
export function seedKey(seed: number): [number, number] {
  return [seed % 4294967296 >>> 0, Math.floor(seed / 4294967296) >>> 0];
}

/** Writes words [start, start + n) of the stream for `seed` into `out`. */
export function philoxWords(seed: number, start: number, n: number, out: Uint32Array): void {
  const [k0, k1] = seedKey(seed);
  const block = new Uint32Array(4);
  let cached = -1;
  for (let i = 0; i < n; i++) {
    const j = start + i;
    const b = Math.floor(j / 4);
    if (b !== cached) {
      philox4x32(b % 4294967296, Math.floor(b / 4294967296), 0, 0, k0, k1, block);
      cached = b;
    }
    out[i] = block[j % 4]!;
  }
}

const LN2 = 0.6931471805599453;
const SQRT2 = 1.4142135623730951;

/**
 * ln(a·2^-32) for an integer a in [1, 2^32], in float64 using only + − × ÷ (no Math.log), so
 * that JS, AssemblyScript and any IEEE-754 engine give the same bits.
 */
export function ln1p32(a: number): number {
  if (a >= 4294967296) return 0;
  let e = 31 - Math.clz32(a);
  let m = a / 2 ** e; // exact: division by a power of two
  if (m > SQRT2) {
    m = m / 2;
    e = e + 1;
  }
  const s = (m - 1) / (m + 1);
  const s2 = s * s;
  // 2·atanh(s) = 2s·(1 + s²/3 + s⁴/5 + …), |s| ≤ 0.1716: 12 terms reach float64 precision.
  let p = 1 / 23;
  p = p * s2 + 1 / 21;
  p = p * s2 + 1 / 19;
  p = p * s2 + 1 / 17;
  p = p * s2 + 1 / 15;
  p = p * s2 + 1 / 13;
  p = p * s2 + 1 / 11;
  p = p * s2 + 1 / 9;
  p = p * s2 + 1 / 7;
  p = p * s2 + 1 / 5;
  p = p * s2 + 1 / 3;
  p = p * s2 + 1;
  return (e - 32) * LN2 + 2 * s * p;
}

const TWO_PI = 6.283185307179586;

/** cos(2π·t) for t ∈ [0, 1), float64, IEEE basic operations only (see {@link ln1p32}). */
export function cosTurns(t: number): number {
  const q = Math.floor(t * 4 + 0.5); // nearest quarter turn, 0..4
  const x = (t - q / 4) * TWO_PI; // |x| ≤ π/4
  const x2 = x * x;
  const quadrant = q & 3;
  if ((quadrant & 1) === 0) {
    let p = -1 / 6402373705728000; // −1/18!
    p = p * x2 + 1 / 20922789888000;
    p = p * x2 - 1 / 87178291200;
    p = p * x2 + 1 / 479001600;
    p = p * x2 - 1 / 3628800;
    p = p * x2 + 1 / 40320;
    p = p * x2 - 1 / 720;
    p = p * x2 + 1 / 24;
    p = p * x2 - 1 / 2;
    p = p * x2 + 1;
    return quadrant === 0 ? p : -p;
  }
  let p = -1 / 121645100408832000; // −1/19!
  p = p * x2 + 1 / 355687428096000;
  p = p * x2 - 1 / 1307674368000;
  p = p * x2 + 1 / 6227020800;
  p = p * x2 - 1 / 39916800;
  p = p * x2 + 1 / 362880;
  p = p * x2 - 1 / 5040;
  p = p * x2 + 1 / 120;
  p = p * x2 - 1 / 6;
  p = p * x2 + 1;
  const s = x * p;
  // cos(π/2 + x) = −sin x; cos(3π/2 + x) = sin x
  return quadrant === 1 ? -s : s;
}
