/**
 * Random streams (uniform, normal, dropout mask) must be BIT-IDENTICAL to the reference on every
 * backend, for any seed (incl. ≥ 2^32), offset (incl. ones that cross the 32-bit block counter)
 * and size. Each stream is also recomputed here from `src/kernels/philox.ts` and the layout it
 * documents, so the reference itself is pinned to the documented stream.
 */
import { it } from 'vitest';
import type { Kernels, Storage } from '../../src/kernels/kernels.js';
import { cosTurns, ln1p32, philoxWords } from '../../src/kernels/philox.js';
import { describeEachBackend, diffArrays, expectNoDiffs, type Pair } from '../helpers/backends.js';
import { SIZES } from '../helpers/random.js';

const SEEDS = [0, 1, 42, 2 ** 32 + 7, 2 ** 53 - 1];
/** Element offsets: unaligned to the 4-word blocks, and around the 2^32 block boundary. */
const OFFSETS = [0, 1, 3, 5, 1021, 2 ** 34 - 6, 2 ** 40 + 3];
const NS = SIZES.filter((n) => n <= 100).concat([1023]);

/** Uniform element `offset + i` as documented: float32 `low + (high − low)·u`, low/high rounded to float32 first. */
function uniformStream(n: number, seed: number, offset: number, low: number, high: number): Float32Array {
  const w = new Uint32Array(n);
  philoxWords(seed, offset, n, w);
  const lo = Math.fround(low);
  const range = Math.fround(Math.fround(high) - lo);
  return Float32Array.from(w, (x) => Math.fround(lo + Math.fround(range * ((x >>> 8) * 2 ** -24))));
}

/** Normal element `offset + i`: Box–Muller on words 2j, 2j+1 in float64, `mean + std·z` rounded once. */
function normalStream(n: number, seed: number, offset: number, mean: number, std: number): Float32Array {
  const w = new Uint32Array(2 * n);
  philoxWords(seed, 2 * offset, 2 * n, w);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = mean + std * (Math.sqrt(-2 * ln1p32(w[2 * i]! + 1)) * cosTurns(w[2 * i + 1]! * 2 ** -32));
  return out;
}

/** Dropout mask element `offset + i`: kept (value fround(1/(1−p))) iff word ≥ floor(p·2^32). */
function dropoutStream(n: number, seed: number, offset: number, p: number): Float32Array {
  const w = new Uint32Array(n);
  philoxWords(seed, offset, n, w);
  const threshold = Math.floor(p * 2 ** 32);
  return Float32Array.from(w, (x) => (x >= threshold ? Math.fround(1 / (1 - p)) : 0));
}

describeEachBackend('random', (ctx) => {
  /** Bitwise comparison with the reference, then of both sides with the documented stream. */
  async function check(out: Pair, doc: Float32Array, label: string): Promise<(string | null)[]> {
    const { got, expected } = await ctx.read(out);
    return [
      await ctx.diff(out, 'bits', label),
      diffArrays(got, doc, 'bits', `${label} [${ctx.name} vs the stream documented in philox.ts]`, out.n),
      diffArrays(expected, doc, 'bits', `${label} [js reference vs the stream documented in philox.ts]`, out.n),
    ];
  }

  it('randomUniform is bit-identical: seeds, offsets, sizes, ranges', async () => {
    const diffs: (string | null)[] = [];
    const ranges: readonly [number, number][] = [[0, 1], [-3, 5], [2, 2], [0.1, 0.7]];
    for (const seed of SEEDS) {
      for (const offset of OFFSETS) {
        for (const n of NS) {
          const [low, high] = ranges[(n + offset) % ranges.length]!;
          const out = ctx.alloc(n);
          ctx.both((k, h) => k.randomUniform(h(out), n, seed, offset, low, high));
          diffs.push(...(await check(out, uniformStream(n, seed, offset, low, high), `randomUniform seed=${seed} offset=${offset} n=${n} [${low}, ${high})`)));
        }
        ctx.freeAll();
      }
    }
    expectNoDiffs(diffs);
  });

  it('randomNormal is bit-identical: seeds, offsets, sizes, mean/std (incl. non-float32 std)', async () => {
    const diffs: (string | null)[] = [];
    const params: readonly [number, number][] = [[0, 1], [3, 0.5], [0, 0], [-1, 0.1], [0.02, 1e-3]];
    for (const seed of SEEDS) {
      for (const offset of OFFSETS) {
        for (const n of NS) {
          const [mean, std] = params[(n + offset) % params.length]!;
          const out = ctx.alloc(n);
          ctx.both((k, h) => k.randomNormal(h(out), n, seed, offset, mean, std));
          diffs.push(...(await check(out, normalStream(n, seed, offset, mean, std), `randomNormal seed=${seed} offset=${offset} n=${n} mean=${mean} std=${std}`)));
        }
        ctx.freeAll();
      }
    }
    expectNoDiffs(diffs);
  });

  it('dropoutMask is bit-identical: p ∈ {0, 0.1, 0.5, 0.9, 0.999}, seeds, offsets', async () => {
    const diffs: (string | null)[] = [];
    for (const seed of SEEDS) {
      for (const offset of OFFSETS) {
        for (const p of [0, 0.1, 0.5, 0.9, 0.999]) {
          for (const n of [0, 1, 5, 17, 33, 1023]) {
            const out = ctx.alloc(n);
            ctx.both((k, h) => k.dropoutMask(h(out), n, p, seed, offset));
            diffs.push(...(await check(out, dropoutStream(n, seed, offset, p), `dropoutMask seed=${seed} offset=${offset} p=${p} n=${n}`)));
          }
        }
        ctx.freeAll();
      }
    }
    expectNoDiffs(diffs);
  });

  it('a stream is the same whether drawn at once or in pieces (offset = elements already drawn)', async () => {
    const diffs: (string | null)[] = [];
    for (const kind of ['uniform', 'normal', 'dropout'] as const) {
      const whole = ctx.alloc(100);
      const pieces = [ctx.alloc(7), ctx.alloc(33), ctx.alloc(60)];
      const draw = (k: Kernels, s: Storage, n: number, offset: number) => {
        if (kind === 'uniform') k.randomUniform(s, n, 9, offset, -1, 1);
        else if (kind === 'normal') k.randomNormal(s, n, 9, offset, 0, 1);
        else k.dropoutMask(s, n, 0.3, 9, offset);
      };
      ctx.both((k, h) => {
        draw(k, h(whole), 100, 0);
        draw(k, h(pieces[0]!), 7, 0);
        draw(k, h(pieces[1]!), 33, 7);
        draw(k, h(pieces[2]!), 60, 40);
      });
      const w = (await whole.test.read()).subarray(0, 100);
      const joined = new Float32Array(100);
      let at = 0;
      for (const p of pieces) {
        joined.set((await p.test.read()).subarray(0, p.n), at);
        at += p.n;
      }
      diffs.push(diffArrays(joined, w, 'bits', `${kind}: pieces [0,7) [7,40) [40,100) vs one draw of 100 [${ctx.name}]`));
    }
    expectNoDiffs(diffs);
  });
});
