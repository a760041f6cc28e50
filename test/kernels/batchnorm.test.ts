/**
 * Batch normalisation over `[outer, channels, inner]`: statistics (also for data with mean 1e4,
 * which a one-pass E[x²] − E[x]² in float32 gets badly wrong), forward with/without gamma/beta
 * and in place, backward with every combination of gamma/dgamma/dbeta, and the running update.
 */
import { it } from 'vitest';
import { accumulateBound, describeEachBackend, diffArrays, expectNoDiffs, type BackendContext, type Pair } from '../helpers/backends.js';
import { Rng } from '../helpers/random.js';

/** [outer, channels, inner]; outer·inner ≥ 2 so every channel has a variance. */
const SHAPES: readonly [number, number, number][] = [
  [2, 1, 1], [5, 3, 1], [17, 8, 1], [64, 17, 1], [3, 5, 7], [2, 3, 16], [1, 4, 33], [8, 0, 3], [0, 0, 5], [128, 33, 1], [4, 16, 49],
];
const EPS = 1e-5;

/** Per-channel mean and biased variance in float64 (two-pass), for tolerances. */
function stats(x: Float32Array, outer: number, channels: number, inner: number): { mean: Float64Array; variance: Float64Array; absMean: Float64Array } {
  const count = outer * inner;
  const mean = new Float64Array(channels);
  const variance = new Float64Array(channels);
  const absMean = new Float64Array(channels);
  const each = (c: number, f: (v: number) => void) => {
    for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) f(x[(o * channels + c) * inner + i]!);
  };
  for (let c = 0; c < channels; c++) {
    each(c, (v) => {
      mean[c] += v / count;
      absMean[c] += Math.abs(v) / count;
    });
    each(c, (v) => (variance[c] += (v - mean[c]!) ** 2 / count));
  }
  return { mean, variance, absMean };
}

const channelOf = (i: number, channels: number, inner: number) => Math.floor(i / inner) % channels;

/** Mean and variance computed by the reference, uploaded to both sides (identical inputs for forward/backward). */
async function refStats(ctx: BackendContext, x: Pair, outer: number, channels: number, inner: number): Promise<{ mean: Pair; variance: Pair; m: Float32Array; v: Float32Array }> {
  const mr = ctx.alloc(channels);
  const vr = ctx.alloc(channels);
  ctx.ref.batchNormStats(x.ref, mr.ref, vr.ref, outer, channels, inner);
  const m = (await mr.ref.read()).subarray(0, channels);
  const v = (await vr.ref.read()).subarray(0, channels);
  return { mean: ctx.upload(m), variance: ctx.upload(v), m, v };
}

describeEachBackend('batchnorm', (ctx) => {
  const E = ctx.tol.elementwise;
  const A = ctx.tol.accumulate;

  for (const centre of [0.5, 1e4]) {
    it(`batchNormStats (data with mean ${centre})`, async () => {
      const rng = new Rng(800 + centre);
      const diffs: (string | null)[] = [];
      for (const [outer, channels, inner] of SHAPES) {
        if (outer * inner < 1 && channels > 0) continue;
        const count = outer * inner;
        const data = rng.normalArray(outer * channels * inner, centre, 2);
        const st = stats(data, outer, channels, inner);
        const x = ctx.upload(data);
        const mean = ctx.alloc(channels);
        const variance = ctx.alloc(channels);
        ctx.both((k, h) => k.batchNormStats(h(x), h(mean), h(variance), outer, channels, inner));
        const meanBound = Array.from(st.absMean, (s) => accumulateBound(A, count, s) + E.rel * s);
        // a float32 mean carries an error δ ≤ meanBound; Σ(x − m̃)² then gains N·δ² — second order
        const varBound = Array.from(st.variance, (v, c) => accumulateBound(A, count, v) + E.rel * v + meanBound[c]! ** 2);
        const shape = `[${outer}, ${channels}, ${inner}]`;
        diffs.push(await ctx.diff(mean, meanBound, `batchNormStats mean ${shape} centre ${centre}`));
        diffs.push(await ctx.diff(variance, varBound, `batchNormStats variance ${shape} centre ${centre} (true variance ≈ 4)`));
      }
      expectNoDiffs(diffs);
    });
  }

  it('batchNormStats over no values (outer·inner = 0) gives NaN', async () => {
    const diffs: (string | null)[] = [];
    for (const [outer, channels, inner] of [[0, 3, 5], [4, 5, 0]] as const) {
      const x = ctx.upload([]);
      const mean = ctx.alloc(channels, 1);
      const variance = ctx.alloc(channels, 1);
      ctx.both((k, h) => k.batchNormStats(h(x), h(mean), h(variance), outer, channels, inner));
      const nan = new Float32Array(channels).fill(NaN);
      for (const [name, p] of [['mean', mean], ['variance', variance]] as const) {
        diffs.push(await ctx.diff(p, 'exact', `batchNormStats ${name} [${outer}, ${channels}, ${inner}]`));
        diffs.push(diffArrays((await p.test.read()).subarray(0, channels), nan, 'exact', `batchNormStats ${name} [${outer}, ${channels}, ${inner}] should be NaN [${ctx.name}]`));
      }
    }
    expectNoDiffs(diffs);
  });

  it('batchNormForward with/without gamma and beta, also out === x', async () => {
    const rng = new Rng(810);
    const diffs: (string | null)[] = [];
    for (const [outer, channels, inner] of SHAPES) {
      if (outer * inner < 1 && channels > 0) continue;
      const total = outer * channels * inner;
      const data = rng.normalArray(total, 0.5, 2);
      const x = ctx.upload(data);
      const { mean, variance, m, v } = await refStats(ctx, x, outer, channels, inner);
      const gData = rng.uniformArray(channels, -2, 2);
      const bData = rng.uniformArray(channels, -1, 1);
      for (const [useGamma, useBeta] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        const gamma = useGamma ? ctx.upload(gData) : undefined;
        const beta = useBeta ? ctx.upload(bData) : undefined;
        // allows the folded form x·s + (beta − mean·s) with s = gamma/sqrt(var + eps)
        const bound = (i: number) => {
          const c = channelOf(i, channels, inner);
          const s = Math.abs(useGamma ? gData[c]! : 1) / Math.sqrt(v[c]! + EPS);
          return E.rel * (Math.abs(data[i]! * s) + Math.abs(m[c]! * s) + Math.abs(useBeta ? bData[c]! : 0)) + E.abs;
        };
        const label = `batchNormForward [${outer}, ${channels}, ${inner}]${useGamma ? ' gamma' : ''}${useBeta ? ' beta' : ''}`;
        const out = ctx.alloc(total);
        ctx.both((k, h, o) => k.batchNormForward({ x: h(x), mean: h(mean), variance: h(variance), gamma: o(gamma), beta: o(beta), out: h(out), outer, channels, inner, eps: EPS }));
        diffs.push(await ctx.diff(out, bound, label, [outer, channels, inner]));
        const xIn = ctx.uploadOut(data);
        ctx.both((k, h, o) => k.batchNormForward({ x: h(xIn), mean: h(mean), variance: h(variance), gamma: o(gamma), beta: o(beta), out: h(xIn), outer, channels, inner, eps: EPS }));
        diffs.push(await ctx.diff(xIn, bound, `${label} out === x`, [outer, channels, inner]));
      }
    }
    expectNoDiffs(diffs);
  });

  it('batchNormBackward: every combination of gamma, dgamma, dbeta', async () => {
    const rng = new Rng(820);
    const diffs: (string | null)[] = [];
    for (const [outer, channels, inner] of SHAPES) {
      if (outer * inner < 1 && channels > 0) continue;
      const total = outer * channels * inner;
      const count = outer * inner;
      const data = rng.normalArray(total, -0.3, 1.5);
      const dyData = rng.uniformArray(total, -1, 1);
      const gData = rng.uniformArray(channels, -2, 2);
      const x = ctx.upload(data);
      const dy = ctx.upload(dyData);
      const { mean, variance, m, v } = await refStats(ctx, x, outer, channels, inner);
      // per-channel sums of the backward formula, for the budget
      const invStd = Array.from(v, (vv) => 1 / Math.sqrt(vv + EPS));
      const xhat = Array.from(data, (xv, i) => (xv - m[channelOf(i, channels, inner)]!) * invStd[channelOf(i, channels, inner)]!);
      const sDy = new Float64Array(channels);
      const sAbsDy = new Float64Array(channels);
      const sDyX = new Float64Array(channels);
      const sAbsDyX = new Float64Array(channels);
      for (let i = 0; i < total; i++) {
        const c = channelOf(i, channels, inner);
        sDy[c] += dyData[i]!;
        sAbsDy[c] += Math.abs(dyData[i]!);
        sDyX[c] += dyData[i]! * xhat[i]!;
        sAbsDyX[c] += Math.abs(dyData[i]! * xhat[i]!);
      }
      for (const useGamma of [false, true]) {
        for (const [wantDg, wantDb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
          const gamma = useGamma ? ctx.upload(gData) : undefined;
          const dx = ctx.alloc(total);
          const dgamma = wantDg ? ctx.alloc(channels) : undefined;
          const dbeta = wantDb ? ctx.alloc(channels) : undefined;
          ctx.both((k, h, o) =>
            k.batchNormBackward({ x: h(x), mean: h(mean), variance: h(variance), gamma: o(gamma), dy: h(dy), dx: h(dx), dgamma: o(dgamma), dbeta: o(dbeta), outer, channels, inner, eps: EPS }),
          );
          const dxBound = (i: number, e: number) => {
            const c = channelOf(i, channels, inner);
            const s = Math.abs(useGamma ? gData[c]! : 1) * invStd[c]!;
            const xh = Math.abs(xhat[i]!);
            const t = Math.abs(dyData[i]!) + Math.abs(sDy[c]!) / count + (xh * Math.abs(sDyX[c]!)) / count;
            const sums = accumulateBound(A, count, sAbsDy[c]!) / count + (xh * (accumulateBound(A, count, sAbsDyX[c]!) + E.rel * sAbsDyX[c]!)) / count;
            return s * (2 * E.rel * t + sums) + E.rel * Math.abs(e) + E.abs;
          };
          const label = `batchNormBackward [${outer}, ${channels}, ${inner}]${useGamma ? ' gamma' : ''}${wantDg ? ' dgamma' : ''}${wantDb ? ' dbeta' : ''}`;
          diffs.push(await ctx.diff(dx, dxBound, `${label}: dx`, [outer, channels, inner]));
          if (dgamma) diffs.push(await ctx.diff(dgamma, Array.from(sAbsDyX, (s) => accumulateBound(A, count, s) + 2 * E.rel * s + E.abs), `${label}: dgamma`));
          if (dbeta) diffs.push(await ctx.diff(dbeta, Array.from(sAbsDy, (s) => accumulateBound(A, count, s) + E.abs), `${label}: dbeta`));
        }
      }
    }
    expectNoDiffs(diffs);
  });

  it('batchNormRunningUpdate (unbiased running variance)', async () => {
    const rng = new Rng(830);
    const diffs: (string | null)[] = [];
    for (const channels of [0, 1, 3, 4, 5, 16, 17, 33, 100]) {
      for (const [momentum, count] of [[0.1, 2], [0.1, 128], [0.5, 7], [1, 3], [0, 10]] as const) {
        const rmData = rng.uniformArray(channels, -1, 1);
        const rvData = rng.uniformArray(channels, 0.5, 2);
        const mData = rng.uniformArray(channels, -1, 1);
        const vData = rng.uniformArray(channels, 0, 3);
        const rm = ctx.uploadOut(rmData);
        const rv = ctx.uploadOut(rvData);
        const mean = ctx.upload(mData);
        const variance = ctx.upload(vData);
        ctx.both((k, h) => k.batchNormRunningUpdate(h(rm), h(rv), h(mean), h(variance), channels, momentum, count));
        const f = count / (count - 1);
        const label = `batchNormRunningUpdate channels=${channels} momentum=${momentum} count=${count}`;
        diffs.push(await ctx.diff(rm, (c) => E.rel * (Math.abs((1 - momentum) * rmData[c]!) + Math.abs(momentum * mData[c]!)) + E.abs, `${label}: runningMean`));
        diffs.push(await ctx.diff(rv, (c) => E.rel * (Math.abs((1 - momentum) * rvData[c]!) + Math.abs(momentum * vData[c]! * f)) + E.abs, `${label}: runningVar`));
      }
    }
    expectNoDiffs(diffs);
  });
});
