/**
 * pairwiseDistance (squared Euclidean and Manhattan) over odd m/n/d, duplicated rows (distance
 * exactly 0) and a k-NN-sized case, against the JS reference.
 *
 * The l2sq budget allows the ‖a‖² + ‖b‖² − 2a·b expansion (the contract's "clamped at 0"):
 * `rel·√d·(Σa² + Σb² + 2Σ|a·b|)`; l1 uses `rel·√d·Σ|a − b|`.
 */
import { it } from 'vitest';
import type { DistanceMetric } from '../../src/kernels/kernels.js';
import { accumulateBound, describeEachBackend, expectNoDiffs } from '../helpers/backends.js';
import { Rng } from '../helpers/random.js';

const DIMS = [0, 1, 2, 3, 5, 8, 17, 33];
const D = [0, 1, 3, 4, 7, 16, 17, 64, 100];

/** Per-pair error budget (see the file comment). */
function bounds(metric: DistanceMetric, a: Float32Array, b: Float32Array, m: number, n: number, d: number, rel: (k: number, s: number) => number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const x = a[i * d + t]!;
        const y = b[j * d + t]!;
        s += metric === 'l1' ? Math.abs(x - y) : x * x + y * y + 2 * Math.abs(x * y);
      }
      out[i * n + j] = rel(d, s);
    }
  }
  return out;
}

describeEachBackend('distance', (ctx) => {
  const rel = (k: number, s: number) => accumulateBound(ctx.tol.accumulate, k, s) + ctx.tol.elementwise.rel * s;

  for (const metric of ['l2sq', 'l1'] as const) {
    it(`${metric}: m/n/d combinations, duplicated rows give 0, l2sq never negative`, async () => {
      const rng = new Rng(metric === 'l1' ? 700 : 701);
      const diffs: (string | null)[] = [];
      for (const m of DIMS) {
        for (const n of DIMS) {
          const d = D[(m * 7 + n * 3) % D.length]!;
          const aData = rng.uniformArray(m * d, -1, 1);
          const bData = rng.uniformArray(n * d, -1, 1);
          // copy some rows of a into b: their distance is exactly 0
          for (let j = 0; j < Math.min(m, n); j += 2) bData.set(aData.subarray(j * d, (j + 1) * d), j * d);
          const a = ctx.upload(aData);
          const b = ctx.upload(bData);
          const out = ctx.alloc(m * n);
          ctx.both((k, h) => k.pairwiseDistance(metric, h(a), h(b), h(out), m, n, d));
          diffs.push(await ctx.diff(out, bounds(metric, aData, bData, m, n, d, rel), `pairwiseDistance ${metric} m=${m} n=${n} d=${d}`, [m, n]));
          const { got } = await ctx.read(out);
          const neg = got.subarray(0, m * n).findIndex((v) => v < 0);
          if (neg >= 0) diffs.push(`pairwiseDistance ${metric} m=${m} n=${n} d=${d}: negative distance ${got[neg]} at ${neg}`);
        }
      }
      expectNoDiffs(diffs);
    });
  }

  it('k-NN sized: 100 queries × 1000 references × 64 features, both metrics; off-centre data', async () => {
    const rng = new Rng(710);
    const diffs: (string | null)[] = [];
    for (const metric of ['l2sq', 'l1'] as const) {
      const [m, n, d] = [100, 1000, 64];
      const aData = rng.uniformArray(m * d, 2, 4);
      const bData = rng.uniformArray(n * d, 2, 4);
      const a = ctx.upload(aData);
      const b = ctx.upload(bData);
      const out = ctx.alloc(m * n);
      ctx.both((k, h) => k.pairwiseDistance(metric, h(a), h(b), h(out), m, n, d));
      diffs.push(await ctx.diff(out, ctx.tol.exact ? 'exact' : bounds(metric, aData, bData, m, n, d, rel), `pairwiseDistance ${metric} ${m}×${n}×${d}`, [m, n]));
    }
    expectNoDiffs(diffs);
  });
});
