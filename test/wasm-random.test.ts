/**
 * The wasm backend's random kernels (assembly/random.ts) against the reference streams of
 * src/kernels/philox.ts, bit for bit: uniform, normal and dropout masks, for seeds at and above
 * 2^32, offsets that are not multiples of the 4-word block (or of the 4-block SIMD group) and
 * offsets whose block counter crosses 2^32 inside one call, and n = 0, 1, 5, 1000.
 * Skipped, with the reason in the suite title, where the wasm backend cannot be created.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createBackend } from '../src/backends/index.js';
import type { Kernels } from '../src/kernels/kernels.js';
import { cosTurns, ln1p32, philoxWords } from '../src/kernels/philox.js';

let wasm: Kernels | undefined;
let reason = '';
try {
  wasm = await createBackend('wasm');
} catch (e) {
  reason = (e as Error).message;
}

const SEEDS = [0, 1, 0xffffffff, 2 ** 32 + 7, 2 ** 53 - 1];
/** Element offsets: unaligned heads, > 2^32, and block counters crossing 2^32 mid-call. */
const OFFSETS = [0, 1, 2, 3, 5, 17, 2 ** 32 + 1, 2 ** 34 - 6, 2 ** 34 - 9, 2 ** 52 + 3];
/** Normal elements use two words each, so offsets stay below 2^52 (the validator's bound). */
const NORMAL_OFFSETS = [0, 1, 3, 5, 2 ** 32 + 1, 2 ** 33 - 3, 2 ** 33 - 5, 2 ** 51 + 3];
const NS = [0, 1, 5, 1000];

function uniformRef(n: number, seed: number, offset: number, low: number, high: number): Float32Array {
  const w = new Uint32Array(n);
  philoxWords(seed, offset, n, w);
  const lo = Math.fround(low);
  const range = Math.fround(Math.fround(high) - lo);
  return Float32Array.from(w, (x) => Math.fround(lo + Math.fround(range * ((x >>> 8) * 2 ** -24))));
}

function normalRef(n: number, seed: number, offset: number, mean: number, std: number): Float32Array {
  const w = new Uint32Array(2 * n);
  philoxWords(seed, 2 * offset, 2 * n, w);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * ln1p32(w[2 * i]! + 1)) * cosTurns(w[2 * i + 1]! * 2 ** -32);
    out[i] = mean + std * z;
  }
  return out;
}

function dropoutRef(n: number, seed: number, offset: number, p: number): Float32Array {
  const w = new Uint32Array(n);
  philoxWords(seed, offset, n, w);
  const threshold = Math.floor(p * 2 ** 32);
  const keep = Math.fround(1 / (1 - p));
  return Float32Array.from(w, (x) => (x >= threshold ? keep : 0));
}

/** First differing bit pattern as a readable line, or null when identical. */
function bitDiff(got: Float32Array, want: Float32Array, label: string): string | null {
  if (got.length !== want.length) return `${label}: length ${got.length}, want ${want.length}`;
  const g = new Uint32Array(got.buffer, got.byteOffset, got.length);
  const w = new Uint32Array(want.buffer, want.byteOffset, want.length);
  for (let i = 0; i < g.length; i++) {
    if (g[i] !== w[i]) return `${label}: [${i}] got ${got[i]} (0x${g[i]!.toString(16)}), want ${want[i]} (0x${w[i]!.toString(16)})`;
  }
  return null;
}

/** Runs `fill` on a fresh buffer of n elements (plus a guard element that must stay 0). */
function run(k: Kernels, n: number, fill: (out: ReturnType<Kernels['alloc']>) => void): Float32Array {
  const out = k.alloc(n + 1);
  try {
    fill(out);
    const all = out.readSync();
    if (all[n] !== 0) throw new Error(`wrote past n = ${n}`);
    return all.subarray(0, n);
  } finally {
    out.dispose();
  }
}

const suite = wasm ? describe : describe.skip;

suite(wasm ? 'wasm random kernels vs philox.ts' : `wasm random kernels vs philox.ts — skipped: ${reason}`, () => {
  const k = wasm!;
  afterAll(() => k.dispose());

  it('randomUniform: bit-identical for every seed, offset and size', () => {
    const diffs: string[] = [];
    const ranges: [number, number][] = [[0, 1], [-3, 5], [0.1, 0.7], [2, 2]];
    for (const seed of SEEDS) {
      for (const offset of OFFSETS) {
        for (const n of NS) {
          const [low, high] = ranges[(n + offset + seed) % ranges.length]!;
          const got = run(k, n, (out) => k.randomUniform(out, n, seed, offset, low, high));
          const d = bitDiff(got, uniformRef(n, seed, offset, low, high), `uniform seed=${seed} offset=${offset} n=${n}`);
          if (d) diffs.push(d);
        }
      }
    }
    expect(diffs).toEqual([]);
  });

  it('randomNormal: bit-identical for every seed, offset and size', () => {
    const diffs: string[] = [];
    const params: [number, number][] = [[0, 1], [3, 0.5], [-1, 0.1], [0.02, 1e-3], [0, 0]];
    for (const seed of SEEDS) {
      for (const offset of NORMAL_OFFSETS) {
        for (const n of NS) {
          const [mean, std] = params[(n + offset + seed) % params.length]!;
          const got = run(k, n, (out) => k.randomNormal(out, n, seed, offset, mean, std));
          const d = bitDiff(got, normalRef(n, seed, offset, mean, std), `normal seed=${seed} offset=${offset} n=${n}`);
          if (d) diffs.push(d);
        }
      }
    }
    expect(diffs).toEqual([]);
  });

  it('dropoutMask: bit-identical for every seed, offset, size and p', () => {
    const diffs: string[] = [];
    for (const seed of SEEDS) {
      for (const offset of OFFSETS) {
        for (const n of NS) {
          for (const p of [0, 0.1, 0.5, 0.999]) {
            const got = run(k, n, (out) => k.dropoutMask(out, n, p, seed, offset));
            const d = bitDiff(got, dropoutRef(n, seed, offset, p), `dropout p=${p} seed=${seed} offset=${offset} n=${n}`);
            if (d) diffs.push(d);
          }
        }
      }
    }
    expect(diffs).toEqual([]);
  });

  it('a long stream equals the concatenation of its pieces (offset arithmetic)', () => {
    const seed = 2 ** 40 + 11;
    const whole = run(k, 1000, (out) => k.randomUniform(out, 1000, seed, 2 ** 34 - 6, 0, 1));
    const parts = [0, 1, 6, 7, 23, 500, 1000];
    for (let i = 0; i + 1 < parts.length; i++) {
      const a = parts[i]!, b = parts[i + 1]!;
      const piece = run(k, b - a, (out) => k.randomUniform(out, b - a, seed, 2 ** 34 - 6 + a, 0, 1));
      expect(bitDiff(piece, whole.slice(a, b), `piece [${a}, ${b})`)).toBeNull();
    }
  });
});
