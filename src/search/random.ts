/**
 * The search's random numbers: float64 uniforms from the Philox-4x32-10 stream of
 * src/kernels/philox.ts. Uniform number `i` of a seed is built from stream words `2i` and `2i+1`
 * (27 + 26 high bits → 53 bits, as in NumPy/V8's `random()`), so it is a pure function of
 * `(seed, i)`: the same on every platform and independent of how many numbers were drawn before.
 */
import { ArgumentError, describeValue } from '../errors.js';
import { philoxWords } from '../kernels/philox.js';

const words = new Uint32Array(2);

/** Uniform number `index` (integer ≥ 0) of the stream for `seed`: a float64 in [0, 1). */
export function uniformAt(seed: number, index: number): number {
  checkSearchSeed('uniformAt', seed);
  if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) throw new ArgumentError(`uniformAt: argument 'index' expected a non-negative integer, given ${describeValue(index)}`);
  philoxWords(seed, 2 * index, 2, words);
  return ((words[0]! >>> 5) * 67108864 + (words[1]! >>> 6)) / 9007199254740992;
}

/** Checks a seed: a non-negative safe integer (undefined gives `dflt`). */
export function checkSearchSeed(fn: string, seed: unknown, dflt = 0): number {
  if (seed === undefined) return dflt;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    throw new ArgumentError(`${fn}: option 'seed' expected a non-negative integer, given ${describeValue(seed)}`);
  }
  return seed;
}
