/**
 * gemm with few rows (m = 1…9): the wasm backend reads B in place for m ≤ 8 (assembly/gemv.ts,
 * in groups of 4 rows, or 2 for NT; narrow products it computes as Cᵀ stay packed) and packs
 * from m = 9, so these cases sit on both sides of the switch and cover every row-group
 * remainder. Every transpose form, column counts around the kernels' block widths (4, 8, 16,
 * 24) and their tails, k with and without a tail of 4, alpha, beta (NaN in C when beta = 0 must
 * not leak), the fused bias and activations, and the batch-1…4 shapes of a 784-256-128-10 MLP's
 * inference and backward pass.
 *
 * Tolerance as in gemm.test.ts: `rel·√k·S` with `S = |alpha|·Σ_p |a_ip·b_pj| + |beta·c_ij| + |bias_j|`,
 * doubled and widened by the activation's own tolerance when one is fused.
 */
import { it } from 'vitest';
import type { Activation } from '../../src/kernels/kernels.js';
import { accumulateBound, describeEachBackend, expectNoDiffs, type BackendContext } from '../helpers/backends.js';
import { Rng } from '../helpers/random.js';

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
}

/** Runs one case on the backend under test and the reference; null when they agree within tolerance. */
async function runCase(ctx: BackendContext, rng: Rng, form: Form, cs: Case): Promise<string | null> {
  const { m, n, k } = cs;
  const alpha = cs.alpha ?? 1, beta = cs.beta ?? 0;
  const aData = rng.uniformArray(m * k, -1, 1);
  const bData = rng.uniformArray(k * n, -1, 1);
  const c0 = beta === 0 ? new Float32Array(m * n).fill(NaN) : rng.uniformArray(m * n, -1, 1);
  const biasData = cs.bias ? rng.uniformArray(n, -1, 1) : undefined;
  const a = ctx.upload(aData), b = ctx.upload(bData), c = ctx.uploadOut(c0);
  const bias = biasData ? ctx.upload(biasData) : undefined;
  ctx.both((kk, h, o) =>
    kk.gemm({ a: h(a), b: h(b), c: h(c), m, n, k, transA: form.transA, transB: form.transB, alpha: cs.alpha, beta: cs.beta, bias: o(bias), activation: cs.activation }),
  );
  const label = `gemm ${form.name} m=${m} n=${n} k=${k} alpha=${alpha} beta=${beta}${biasData ? ' +bias' : ''}${cs.activation ? ` ${cs.activation}` : ''}`;
  if (ctx.tol.exact) return ctx.diff(c, 'exact', label, [m, n]);
  // f64 pre-activation and the magnitude S of what was summed into it.
  const pre = new Float64Array(m * n), s = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0, abs = 0;
      for (let p = 0; p < k; p++) {
        const t = (form.transA ? aData[p * m + i]! : aData[i * k + p]!) * (form.transB ? bData[j * k + p]! : bData[p * n + j]!);
        acc += t;
        abs += Math.abs(t);
      }
      const cv = beta !== 0 ? beta * c0[i * n + j]! : 0, bv = biasData ? biasData[j]! : 0;
      pre[i * n + j] = alpha * acc + cv + bv;
      s[i * n + j] = Math.abs(alpha) * abs + Math.abs(cv) + Math.abs(bv);
    }
  }
  const terms = k + (beta !== 0 ? 1 : 0) + (biasData ? 1 : 0);
  const T = ctx.tol.activation;
  return ctx.diff(c, (i, e) => {
    const b0 = accumulateBound(ctx.tol.accumulate, terms, s[i]!) + ctx.tol.elementwise.rel * Math.abs(pre[i]!);
    return cs.activation ? 2 * b0 + T.rel * Math.abs(e) + T.abs : b0;
  }, label, [m, n]);
}

const ROWS = [1, 2, 3, 4, 5, 6, 7, 8, 9];
/** Around the block widths 4, 8, 16 and 24 and their tails; 1 and 3 are narrower than a vector. */
const COLS = [1, 3, 4, 7, 8, 10, 16, 17, 24, 25, 31, 33, 52, 71];
/** With and without a tail of 4 (the NT dot products step 4 along k). */
const DEPTHS = [1, 3, 4, 5, 33];

describeEachBackend('gemm, few rows (m = 1…9)', (ctx) => {
  it.each(FORMS)('$name: every m ≤ 9 over column and depth tails, with alpha, beta and bias', async (form) => {
    const rng = new Rng(700 + FORMS.indexOf(form));
    const alphas = [1, -0.75, 2];
    const betas = [0, 1, -0.5];
    const diffs: (string | null)[] = [];
    let j = 0;
    for (const m of ROWS) {
      for (const n of COLS) {
        for (const k of DEPTHS) {
          diffs.push(await runCase(ctx, rng, form, { m, n, k, alpha: alphas[j % 3], beta: betas[(j >> 1) % 3], bias: j % 2 === 0 }));
          j++;
        }
        ctx.freeAll();
      }
    }
    expectNoDiffs(diffs);
  });

  it.each(FORMS)('$name: fused bias and activation, with and without beta', async (form) => {
    const rng = new Rng(710 + FORMS.indexOf(form));
    const acts: Activation[] = ['relu', 'leakyRelu', 'gelu', 'sigmoid', 'tanh'];
    const diffs: (string | null)[] = [];
    for (const m of ROWS) {
      for (const [i, activation] of acts.entries()) {
        const n = [10, 33, 40, 64, 7][i]!, k = [24, 13, 50, 3, 128][i]!;
        diffs.push(await runCase(ctx, rng, form, { m, n, k, alpha: 2, beta: i % 2 ? 0.5 : 0, bias: true, activation }));
      }
      ctx.freeAll();
    }
    expectNoDiffs(diffs);
  });

  it('784-256-128-10 MLP at batch 1…4: forward (NN + bias + relu), dx = dy·Wᵀ (NT), dW = xᵀ·dy (TN, 784 rows)', async () => {
    const rng = new Rng(720);
    const diffs: (string | null)[] = [];
    for (const m of [1, 2, 3, 4]) {
      diffs.push(
        await runCase(ctx, rng, FORMS[0], { m, n: 256, k: 784, bias: true, activation: 'relu' }),
        await runCase(ctx, rng, FORMS[0], { m, n: 128, k: 256, bias: true, activation: 'relu' }),
        await runCase(ctx, rng, FORMS[0], { m, n: 10, k: 128, bias: true }),
        await runCase(ctx, rng, FORMS[2], { m, n: 784, k: 256 }),
        await runCase(ctx, rng, FORMS[1], { m: 256, n: 10, k: m, beta: 1 }),
      );
      ctx.freeAll();
    }
    expectNoDiffs(diffs);
  });
});
