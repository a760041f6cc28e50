/**
 * gemm: every transpose form (NN, TN, NT, TT) over m/n/k combinations with odd sizes, alpha and
 * beta (beta = 0 with NaN garbage in C must not leak), the fused bias and every activation in
 * the epilogue, and the shapes of an MLP layer's forward and backward passes.
 *
 * Tolerance: per element `rel·√k·S + …` with `S = |alpha|·Σ_p |a_ip·b_pj| + |beta·c_ij| + |bias_j|`
 * (see test/helpers/backends.ts); an activation multiplies it by its Lipschitz constant (≤ 2 for
 * every activation here) and adds its own tolerance. step/sign jump at 0: where the
 * pre-activation is within the bound of 0, either side is accepted.
 */
import { it } from 'vitest';
import { ACTIVATIONS, type Activation } from '../../src/kernels/kernels.js';
import { accumulateBound, describeEachBackend, expectNoDiffs, type BackendContext } from '../helpers/backends.js';
import { Rng } from '../helpers/random.js';

const DIMS = [0, 1, 2, 3, 5, 7, 8, 9, 16, 17, 31, 33, 64, 65, 100, 128];
const SMALL = [0, 1, 3, 8, 17];
const FORMS = [
  { name: 'NN', transA: false, transB: false },
  { name: 'TN', transA: true, transB: false },
  { name: 'NT', transA: false, transB: true },
  { name: 'TT', transA: true, transB: true },
] as const;
type Form = (typeof FORMS)[number];

interface Case {
  m: number;
  n: number;
  k: number;
  alpha?: number;
  beta?: number;
  bias?: boolean;
  activation?: Activation;
  activationAlpha?: number;
}

/** The (m, n, k) triples: a dense grid of small sizes plus rotations covering every value of DIMS in every position. */
function shapeCases(): Case[] {
  const out: Case[] = [];
  for (const m of SMALL) for (const n of SMALL) for (const k of SMALL) out.push({ m, n, k });
  const alphas = [1, 0.5, -2];
  const betas = [0, 1, -0.5];
  DIMS.forEach((v, i) => {
    const u = DIMS[(i + 5) % DIMS.length]!;
    const w = DIMS[(i + 11) % DIMS.length]!;
    for (const [m, n, k] of [[v, u, w], [w, v, u], [u, w, v]] as const) {
      const j = out.length;
      out.push({ m, n, k, alpha: alphas[j % 3], beta: betas[(j >> 1) % 3], bias: j % 2 === 0 });
    }
  });
  return out;
}

/** Host-side f64 pre-activation and its error budget S (see the file comment). */
function expectations(a: Float32Array, b: Float32Array, c0: Float32Array, bias: Float32Array | undefined, cs: Case, form: Form): { pre: Float64Array; s: Float64Array } {
  const { m, n, k } = cs;
  const alpha = cs.alpha ?? 1;
  const beta = cs.beta ?? 0;
  const pre = new Float64Array(m * n);
  const s = new Float64Array(m * n);
  const accAbs = new Float64Array(n);
  const acc = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    acc.fill(0);
    accAbs.fill(0);
    for (let p = 0; p < k; p++) {
      const aip = form.transA ? a[p * m + i]! : a[i * k + p]!;
      for (let j = 0; j < n; j++) {
        const t = aip * (form.transB ? b[j * k + p]! : b[p * n + j]!);
        acc[j] += t;
        accAbs[j] += Math.abs(t);
      }
    }
    for (let j = 0; j < n; j++) {
      const cv = beta !== 0 ? beta * c0[i * n + j]! : 0;
      const bv = bias ? bias[j]! : 0;
      pre[i * n + j] = alpha * acc[j]! + cv + bv;
      s[i * n + j] = Math.abs(alpha) * accAbs[j]! + Math.abs(cv) + Math.abs(bv);
    }
  }
  return { pre, s };
}

/** Runs one gemm case on both backends and returns the comparison message (null when equal within tolerance). */
async function runCase(ctx: BackendContext, rng: Rng, form: Form, cs: Case): Promise<string | null> {
  const { m, n, k } = cs;
  const aData = rng.uniformArray(m * k, -1, 1);
  const bData = rng.uniformArray(k * n, -1, 1);
  const beta = cs.beta ?? 0;
  // beta = 0: C holds NaN garbage that must not leak into the result
  const c0 = beta === 0 ? new Float32Array(m * n).fill(NaN) : rng.uniformArray(m * n, -1, 1);
  const biasData = cs.bias ? rng.uniformArray(n, -1, 1) : undefined;
  const a = ctx.upload(aData);
  const b = ctx.upload(bData);
  const c = ctx.uploadOut(c0);
  const bias = biasData ? ctx.upload(biasData) : undefined;
  ctx.both((kk, h, o) =>
    kk.gemm({
      a: h(a), b: h(b), c: h(c), m, n, k, transA: form.transA, transB: form.transB,
      alpha: cs.alpha, beta: cs.beta, bias: o(bias), activation: cs.activation, activationAlpha: cs.activationAlpha,
    }),
  );
  if (ctx.tol.exact) return ctx.diff(c, 'exact', `gemm ${form.name} m=${m} n=${n} k=${k}`, [m, n]);
  const { pre, s } = expectations(aData, bData, c0, biasData, cs, form);
  const A = ctx.tol.accumulate;
  const T = ctx.tol.activation;
  const terms = k + (beta !== 0 ? 1 : 0) + (biasData ? 1 : 0);
  const act = cs.activation ?? 'linear';
  const bound = (i: number, e: number) => {
    const b0 = accumulateBound(A, terms, s[i]!) + ctx.tol.elementwise.rel * Math.abs(pre[i]!);
    if (act === 'linear') return b0;
    if ((act === 'step' || act === 'sign') && Math.abs(pre[i]!) <= b0) return 2; // either side of the jump
    return 2 * b0 + T.rel * Math.abs(e) + T.abs;
  };
  const label = `gemm ${form.name} m=${m} n=${n} k=${k} alpha=${cs.alpha ?? 1} beta=${beta}${biasData ? ' +bias' : ''}${cs.activation ? ` ${cs.activation}` : ''}${cs.activationAlpha !== undefined ? `(${cs.activationAlpha})` : ''}`;
  return ctx.diff(c, bound, label, [m, n]);
}

describeEachBackend('gemm', (ctx) => {
  it.each(FORMS)('$name: m/n/k combinations with alpha, beta (NaN in C when beta = 0), bias', async (form) => {
    const rng = new Rng(600 + FORMS.indexOf(form));
    const diffs: (string | null)[] = [];
    for (const cs of shapeCases()) {
      diffs.push(await runCase(ctx, rng, form, cs));
      ctx.freeAll();
    }
    expectNoDiffs(diffs);
  });

  it.each(FORMS)('$name: every activation in the epilogue, with and without bias and beta', async (form) => {
    const rng = new Rng(610 + FORMS.indexOf(form));
    const diffs: (string | null)[] = [];
    for (const act of ACTIVATIONS) {
      const actAlphas = act === 'leakyRelu' ? [undefined, 0.2] : act === 'elu' ? [undefined, 0.5] : [undefined];
      for (const activationAlpha of actAlphas) {
        for (const [m, n, k, bias, beta] of [[17, 33, 9, true, 0], [5, 7, 65, false, 0.5], [1, 16, 3, true, 1], [9, 1, 0, true, 0]] as const) {
          // scale A so that pre-activations reach the activations' interesting ranges
          diffs.push(await runCase(ctx, rng, form, { m, n, k, bias, beta, alpha: 3, activation: act, activationAlpha }));
        }
      }
      ctx.freeAll();
    }
    expectNoDiffs(diffs);
  });

  it('MLP layer shapes: 128×784 · 784×256 (+bias, relu), dW = xᵀ·dy, dx = dy·Wᵀ', async () => {
    const rng = new Rng(620);
    expectNoDiffs([
      await runCase(ctx, rng, FORMS[0], { m: 128, n: 256, k: 784, bias: true, activation: 'relu' }),
      await runCase(ctx, rng, FORMS[1], { m: 784, n: 256, k: 128 }),
      await runCase(ctx, rng, FORMS[2], { m: 128, n: 784, k: 256 }),
      await runCase(ctx, rng, FORMS[0], { m: 128, n: 10, k: 256, bias: true, beta: 0 }),
    ]);
  });

  it('C is left alone past m·n and the inputs are not modified', async () => {
    const rng = new Rng(630);
    const aData = rng.uniformArray(35, -1, 1);
    const bData = rng.uniformArray(35, -1, 1);
    const a = ctx.upload(aData);
    const b = ctx.upload(bData);
    const c = ctx.alloc(25);
    ctx.both((k, h) => k.gemm({ a: h(a), b: h(b), c: h(c), m: 5, n: 5, k: 7, bias: undefined }));
    expectNoDiffs([
      await ctx.diff(c, (i, e) => accumulateBound(ctx.tol.accumulate, 7, 7) + ctx.tol.elementwise.rel * Math.abs(e), 'gemm 5×5×7'),
      await ctx.diff(a, 'bits', 'gemm input a unchanged'),
      await ctx.diff(b, 'bits', 'gemm input b unchanged'),
    ]);
  });
});
