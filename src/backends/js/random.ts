/**
 * Seeded random kernels: Philox-4x32-10 streams exactly as `src/kernels/philox.ts` lays them
 * out, so every backend produces the same bits for the same seed and offset.
 */
import { cosTurns, ln1p32, philoxWords } from '../../kernels/philox.js';

const f32 = Math.fround;
const TWO_POW_M24 = 2 ** -24;
const TWO_POW_M32 = 2 ** -32;
/** Words fetched per philoxWords call (bounds the scratch size for huge n). */
const CHUNK = 4096;

/**
 * `out[i]` = uniform element `offset + i` of the stream for `seed`, in `[low, high)`:
 * `u = (word >>> 8)·2^-24`, then `low + (high − low)·u` in float32 arithmetic (low and high
 * rounded to float32 first, each operation rounded to float32).
 */
export function randomUniform(out: Float32Array, n: number, seed: number, offset: number, low: number, high: number): void {
  const lo = f32(low);
  const range = f32(f32(high) - lo);
  const words = new Uint32Array(Math.min(n, CHUNK));
  for (let start = 0; start < n; start += CHUNK) {
    const len = Math.min(CHUNK, n - start);
    philoxWords(seed, offset + start, len, words);
    for (let i = 0; i < len; i++) {
      const u = (words[i]! >>> 8) * TWO_POW_M24;
      out[start + i] = f32(lo + f32(range * u));
    }
  }
}

/**
 * `out[i]` = normal element `offset + i` (words 2j and 2j+1): Box–Muller
 * `z = sqrt(−2·ln u1)·cos(2π·u2)` in float64 via ln1p32/cosTurns, `mean + std·z` rounded once.
 */
export function randomNormal(out: Float32Array, n: number, seed: number, offset: number, mean: number, std: number): void {
  const half = CHUNK / 2;
  const words = new Uint32Array(2 * Math.min(n, half));
  for (let start = 0; start < n; start += half) {
    const len = Math.min(half, n - start);
    philoxWords(seed, 2 * (offset + start), 2 * len, words);
    for (let i = 0; i < len; i++) {
      const r = Math.sqrt(-2 * ln1p32(words[2 * i]! + 1));
      const z = r * cosTurns(words[2 * i + 1]! * TWO_POW_M32);
      out[start + i] = mean + std * z;
    }
  }
}

/**
 * Inverted-dropout mask: `mask[i] = fround(1/(1−p))` when word `offset + i` ≥ floor(p·2^32),
 * else 0. p = 0 keeps everything with scale 1.
 */
export function dropoutMask(mask: Float32Array, n: number, p: number, seed: number, offset: number): void {
  const threshold = Math.floor(p * 4294967296);
  const keep = f32(1 / (1 - p));
  const words = new Uint32Array(Math.min(n, CHUNK));
  for (let start = 0; start < n; start += CHUNK) {
    const len = Math.min(CHUNK, n - start);
    philoxWords(seed, offset + start, len, words);
    for (let i = 0; i < len; i++) mask[start + i] = words[i]! >= threshold ? keep : 0;
  }
}
