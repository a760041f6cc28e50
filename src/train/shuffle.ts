/**
 * Seeded shuffling for `fit`: a Fisher–Yates permutation driven by the Philox stream of
 * src/kernels/philox.ts, so the order depends only on (seed, epoch, n) — the same on every
 * backend and every run.
 *
 * Epoch e uses words [e·n, e·n + n − 1) of the stream for `seed`. For i = n − 1 down to 1 the
 * word w taken in turn picks j = floor(w · (i + 1) / 2^32) and swaps entries i and j.
 */
import { philoxWords } from '../kernels/philox.js';

/**
 * The permutation of 0…n−1 for `epoch` (written into `out` when given, length ≥ n).
 * `seed` is a non-negative integer below 2^53.
 */
export function permutation(n: number, seed: number, epoch: number, out?: Uint32Array): Uint32Array {
  const perm = out && out.length >= n ? out.subarray(0, n) : new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  if (n < 2) return perm;
  const words = new Uint32Array(n - 1);
  philoxWords(seed, epoch * n, n - 1, words);
  for (let i = n - 1, w = 0; i > 0; i--, w++) {
    const j = Math.floor((words[w]! * (i + 1)) / 4294967296);
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  return perm;
}
