/**
 * Seeded test data for the kernel suites. Plain JS (mulberry32), deliberately independent of the
 * library's Philox streams, so a bug there cannot hide in the inputs used to test it.
 */

/** Element counts that exercise empty input, scalars and every SIMD tail (not multiples of 4/8/16). */
export const SIZES: readonly number[] = [0, 1, 3, 4, 5, 7, 8, 15, 16, 17, 31, 33, 100, 1000, 1023];

/** The small subset of {@link SIZES} used where a kernel is run many times (cross products). */
export const SMALL_SIZES: readonly number[] = [0, 1, 3, 4, 5, 7, 8, 15, 16, 17, 33];

/**
 * Inputs where activations and math functions change regime: zeros, tiny, saturating,
 * overflow-prone (exp(88) is near the float32 limit) and non-finite values.
 */
export const SPECIAL_VALUES: readonly number[] = [
  0, -0, 1e-30, -1e-30, 1, -1, 20, -20, 88, -88, 100, -100, Infinity, -Infinity, NaN,
];

/** A seeded generator of test data (mulberry32: 32-bit state, period 2^32, good enough for inputs). */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Next uint32. */
  nextU32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.float();
  }

  /** Integer in [lo, hi). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo));
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u1 = (this.nextU32() + 1) / 4294967297;
    const u2 = this.float();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** One element of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length)]!;
  }

  /** `n` float32 values uniform in [lo, hi). */
  uniformArray(n: number, lo = -1, hi = 1): Float32Array {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = this.uniform(lo, hi);
    return a;
  }

  /** `n` float32 values ~ N(mean, std²). */
  normalArray(n: number, mean = 0, std = 1): Float32Array {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = mean + std * this.normal();
    return a;
  }

  /** `n` integers in [lo, hi) stored as float32 (labels, tie-heavy data). */
  intArray(n: number, lo: number, hi: number): Float32Array {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = this.int(lo, hi);
    return a;
  }

  /** Uniform values in [lo, hi) with every special value placed first, then about `fraction` more at random positions. */
  withSpecials(n: number, lo: number, hi: number, specials: readonly number[] = SPECIAL_VALUES, fraction = 0.1): Float32Array {
    const a = this.uniformArray(n, lo, hi);
    for (let i = 0; i < Math.min(n, specials.length); i++) a[i] = specials[i]!;
    for (let i = specials.length; i < n; i++) if (this.float() < fraction) a[i] = this.pick(specials);
    return a;
  }

  /** `rows` probability distributions over `cols` classes (each row sums to 1 up to rounding). */
  distributionRows(rows: number, cols: number): Float32Array {
    const a = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let c = 0; c < cols; c++) s += a[r * cols + c] = this.float() ** 3; // skewed, some near 0
      for (let c = 0; c < cols; c++) a[r * cols + c] = a[r * cols + c]! / s;
    }
    return a;
  }

  /** `rows` one-hot rows for the given class indices. */
  oneHotRows(labels: Float32Array, cols: number): Float32Array {
    const a = new Float32Array(labels.length * cols);
    labels.forEach((l, r) => (a[r * cols + l] = 1));
    return a;
  }
}

/**
 * A learnable classification set: `x` `[n, inputs]` uniform in [−1, 1) from a 32-bit LCG seeded
 * by `seed` (independent of every library seed), then a `[inputs, classes]` map from the same
 * stream; the label of a row is the argmax of its image under that map.
 */
export function linearArgmaxData(n: number, inputs: number, classes: number, seed: number): { x: Float32Array; y: Float32Array } {
  let s = seed;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296) * 2 - 1;
  const x = Float32Array.from({ length: n * inputs }, rnd);
  const w = Float32Array.from({ length: inputs * classes }, rnd);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestV = -Infinity;
    for (let c = 0; c < classes; c++) {
      let v = 0;
      for (let j = 0; j < inputs; j++) v += x[i * inputs + j]! * w[j * classes + c]!;
      if (v > bestV) [best, bestV] = [c, v];
    }
    y[i] = best;
  }
  return { x, y };
}
