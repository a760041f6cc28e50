/**
 * Preprocessing (src/preprocess): scalers and PCA against NumPy golden values
 * (test/golden/preprocess_generate.py), PCA on data with known structure, the Jacobi
 * eigensolver, and argument errors — on the js reference backend and on wasm.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ax from '../src/index.js';

interface Golden {
  scalers: {
    x: number[][]; q: number[][]; mean: number[]; var: number[]; scale: number[];
    standardX: number[][]; standardQ: number[][]; centeredQ: number[][];
    dataMin: number[]; dataMax: number[]; minmaxX: number[][]; minmaxQ: number[][];
    minmaxRange: [number, number]; minmaxRangeX: number[][];
  };
  pca: {
    x: number[][]; q: number[][]; k: number; eps: number; mean: number[]; eigenvalues: number[];
    components: number[][]; explainedVarianceRatio: number[]; projX: number[][]; projQ: number[][];
    whiteX: number[][]; whiteQ: number[][]; reconX: number[][]; ratioTargets: number[]; ratioK: number[];
  };
  eigen: { n: number; a: number[][]; values: number[] };
}

const G = JSON.parse(readFileSync(new URL('./golden/preprocess.json', import.meta.url), 'utf8')) as Golden;

/** Max |got − want| over all entries, relative to max(1, max |want|) — float32 data, float32 ops. */
function expectClose(got: ArrayLike<number>, want: ArrayLike<number> | number[][], tol = 2e-6): void {
  const w = (Array.isArray(want) && Array.isArray(want[0]) ? (want as number[][]).flat() : Array.from(want as ArrayLike<number>));
  expect(got.length).toBe(w.length);
  let scale = 1;
  for (const v of w) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < w.length; i++) worst = Math.max(worst, Math.abs(got[i]! - w[i]!));
  expect(worst / scale).toBeLessThanOrEqual(tol);
}

function values(t: ax.Tensor): Float32Array {
  const v = t.dataSync();
  t.dispose();
  return v;
}

/** Flips the sign of each column j of `got` [n, k] so that it best matches `want` (PCA is defined up to sign per component). */
function alignColumns(got: Float32Array, want: number[][], k: number): Float32Array {
  const out = Float32Array.from(got);
  for (let j = 0; j < k; j++) {
    let dot = 0;
    for (let i = 0; i < want.length; i++) dot += got[i * k + j]! * want[i]![j]!;
    if (dot < 0) for (let i = 0; i < want.length; i++) out[i * k + j] = -out[i * k + j]!;
  }
  return out;
}

describe.each(['qr', 'jacobi'] as const)('symmetricEigen (host, float64, %s)', (method) => {
  it('matches numpy.linalg.eigh eigenvalues and gives orthonormal eigenvectors', () => {
    const { n, a, values: want } = G.eigen;
    const { values: got, vectors } = ax.symmetricEigen(a.flat(), n, { method });
    for (let i = 0; i < n; i++) expect(got[i]).toBeCloseTo(want[i]!, 12);
    const flat = a.flat();
    for (let e = 0; e < n; e++) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += flat[i * n + j]! * vectors[e * n + j]!;
        expect(Math.abs(s - got[e]! * vectors[e * n + i]!)).toBeLessThan(1e-12);
      }
      for (let f = 0; f < n; f++) {
        let dot = 0;
        for (let j = 0; j < n; j++) dot += vectors[e * n + j]! * vectors[f * n + j]!;
        expect(Math.abs(dot - (e === f ? 1 : 0))).toBeLessThan(1e-12);
      }
    }
  });

  it('handles diagonal, zero and repeated-eigenvalue matrices and rejects bad input', () => {
    expect(Array.from(ax.symmetricEigen([3, 0, 0, 0, -1, 0, 0, 0, 7], 3, { method }).values)).toEqual([7, 3, -1]);
    expect(Array.from(ax.symmetricEigen(new Float64Array(4), 2, { method }).values)).toEqual([0, 0]);
    const iso = ax.symmetricEigen([2, 0, 0, 0, 2, 0, 0, 0, 2], 3, { method });
    expect(Array.from(iso.values)).toEqual([2, 2, 2]);
    expect(ax.symmetricEigen([], 0, { method }).values.length).toBe(0);
    expect(() => ax.symmetricEigen([1, 2, 3], 2, { method })).toThrow(/expected 4 values/);
    expect(() => ax.symmetricEigen([1, NaN, NaN, 1], 2, { method })).toThrow(/non-finite/);
  });

  it('decomposes larger matrices: random, rank-deficient covariance, all-ones blocks, graded scales', () => {
    const n = 60;
    let seed = 7;
    const r = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32) - 0.5;
    const random = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let k = i; k < n; k++) random[i * n + k] = random[k * n + i] = r();
    const x = Array.from({ length: 10 * n }, r); // 10 samples: rank ≤ 10
    const cov = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) for (let t = 0; t < 10; t++) cov[i * n + k] += x[t * n + i]! * x[t * n + k]!;
    const blocks = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) if (i < 20 === k < 20) blocks[i * n + k] = 1;
    const graded = new Float64Array(n * n);
    for (let i = 0; i < n; i++) graded[i * n + i] = 10 ** ((i % 12) - 6);
    graded[n - 1] = graded[(n - 1) * n] = 1e-3;
    for (const [name, a] of [['random', random], ['covariance', cov], ['blocks', blocks], ['graded', graded]] as const) {
      const { values, vectors } = ax.symmetricEigen(a, n, { method });
      let scale = 0;
      for (const v of a) scale = Math.max(scale, Math.abs(v));
      for (let e = 0; e < n; e++) {
        if (e > 0) expect(values[e]!, `${name}: descending`).toBeLessThanOrEqual(values[e - 1]!);
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < n; j++) s += a[i * n + j]! * vectors[e * n + j]!;
          expect(Math.abs(s - values[e]! * vectors[e * n + i]!), `${name}: A·v = λ·v`).toBeLessThan(1e-12 * scale);
        }
        let norm = 0;
        for (let j = 0; j < n; j++) norm += vectors[e * n + j]! ** 2;
        expect(Math.abs(norm - 1), `${name}: unit length`).toBeLessThan(1e-12);
      }
      if (name === 'covariance') expect(values.filter((v) => Math.abs(v) > 1e-9 * scale).length).toBe(10);
      if (name === 'blocks') expect(Array.from(values.slice(0, 3)).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([40, 20, 0]);
    }
  });

  it('the two methods agree', () => {
    const { n, a } = G.eigen;
    const q = ax.symmetricEigen(a.flat(), n, { method: 'qr' });
    const j = ax.symmetricEigen(a.flat(), n, { method: 'jacobi' });
    for (let i = 0; i < n; i++) expect(q.values[i]).toBeCloseTo(j.values[i]!, 12);
    expect(method === 'qr' ? q.sweeps : j.sweeps).toBe(method === 'qr' ? 0 : j.iterations);
    expect(() => ax.symmetricEigen(a.flat(), n, { method: 'svd' as never })).toThrow(/option 'method' expected 'qr' or 'jacobi', given "svd"/);
  });
});

for (const backend of ['js', 'wasm'] as const) {
  describe(`preprocessing on ${backend}`, () => {
    beforeAll(async () => {
      await ax.init({ backend });
    });

    it('MeanCenter matches numpy and inverts', () => {
      const s = G.scalers;
      const mc = new ax.MeanCenter().fit(s.x);
      expectClose(mc.mean, s.mean, 1e-12);
      expectClose(values(mc.transform(s.q)), s.centeredQ);
      const back = values(mc.inverseTransform(mc.transform(ax.tensor(s.q))));
      expectClose(back, s.q);
      mc.dispose();
    });

    it('StandardScaler uses the population std, guards a constant feature, and inverts', () => {
      const s = G.scalers;
      const sc = new ax.StandardScaler();
      const tx = sc.fitTransform(ax.tensor(s.x));
      expectClose(sc.mean, s.mean, 1e-12);
      expectClose(sc.variance, s.var, 1e-12);
      expectClose(sc.scale, s.scale, 1e-12);
      expect(sc.scale[5]).toBe(1); // constant feature: only centred
      const txv = values(tx);
      expectClose(txv, s.standardX, 5e-6);
      // columns of the standardised training data have mean 0 and population std 1 (the constant one std 0)
      for (let j = 0; j < 6; j++) {
        let m = 0;
        let v = 0;
        for (let i = 0; i < 24; i++) m += txv[i * 6 + j]! / 24;
        for (let i = 0; i < 24; i++) v += (txv[i * 6 + j]! - m) ** 2 / 24;
        expect(Math.abs(m)).toBeLessThan(1e-5);
        expect(Math.sqrt(v)).toBeCloseTo(j === 5 ? 0 : 1, 5);
      }
      expectClose(values(sc.transform(s.q)), s.standardQ, 5e-6);
      expectClose(values(sc.inverseTransform(sc.transform(s.q))), s.q, 5e-6);
      // withMean / withStd switches
      const onlyStd = new ax.StandardScaler({ withMean: false }).fit(s.x);
      expectClose(values(onlyStd.transform(s.q)), s.q.map((r) => r.map((v, j) => v / s.scale[j]!)), 5e-6);
      sc.dispose();
      onlyStd.dispose();
    });

    it('MinMaxScaler maps to [0, 1] (and to a custom range) like sklearn', () => {
      const s = G.scalers;
      const mm = new ax.MinMaxScaler().fit({ data: Float32Array.from(s.x.flat()), shape: [24, 6] });
      expectClose(mm.dataMin, s.dataMin, 1e-12);
      expectClose(mm.dataMax, s.dataMax, 1e-12);
      const tx = values(mm.transform(s.x));
      expectClose(tx, s.minmaxX, 2e-6);
      expect(Math.min(...tx)).toBeGreaterThanOrEqual(-1e-6);
      expect(Math.max(...tx)).toBeLessThanOrEqual(1 + 1e-6);
      for (let i = 0; i < 24; i++) expect(tx[i * 6 + 5]).toBe(0); // constant feature → lo
      expectClose(values(mm.transform(s.q)), s.minmaxQ, 2e-6);
      expectClose(values(mm.inverseTransform(mm.transform(s.q))), s.q, 5e-6);
      const mr = new ax.MinMaxScaler({ range: s.minmaxRange });
      expectClose(values(mr.fitTransform(s.x)), s.minmaxRangeX, 2e-6);
      mm.dispose();
      mr.dispose();
    });

    it('PCA matches numpy: variances, components (up to sign), projections, whitening, reconstruction', () => {
      const p = G.pca;
      const pca = new ax.PCA({ components: p.k }).fit(p.x);
      expect(pca.nComponents).toBe(p.k);
      expectClose(pca.mean, p.mean, 1e-12);
      // float32 covariance GEMM: eigenvalues to ~1e-6 of the largest
      expectClose(pca.eigenvalues, p.eigenvalues, 1e-5);
      expectClose(pca.explainedVarianceRatio, p.explainedVarianceRatio.slice(0, p.k), 1e-5);
      for (let c = 0; c < p.k; c++) {
        const row = pca.components.subarray(c * 6, c * 6 + 6);
        const want = p.components[c]!;
        const dot = row.reduce((acc, v, j) => acc + v * want[j]!, 0);
        expect(Math.abs(dot)).toBeCloseTo(1, 5);
        // the deterministic sign rule agrees with numpy's (well-separated eigenvalues)
        expect(dot).toBeGreaterThan(0);
      }
      expectClose(alignColumns(values(pca.transform(p.x)), p.projX, p.k), p.projX, 1e-5);
      expectClose(alignColumns(values(pca.transform(p.q)), p.projQ, p.k), p.projQ, 1e-5);
      expectClose(values(pca.inverseTransform(pca.transform(p.x))), p.reconX, 1e-5);

      const white = new ax.PCA({ components: p.k, whiten: true, eps: p.eps }).fit(p.x);
      const wx = values(white.transform(p.x));
      expectClose(alignColumns(wx, p.whiteX, p.k), p.whiteX, 2e-5);
      expectClose(alignColumns(values(white.transform(p.q)), p.whiteQ, p.k), p.whiteQ, 2e-5);
      // whitened training projections have (sample) variance ≈ λ/(λ+eps) ≈ 1 and are uncorrelated
      for (let a = 0; a < p.k; a++) {
        for (let b = 0; b < p.k; b++) {
          let s = 0;
          for (let i = 0; i < 40; i++) s += wx[i * p.k + a]! * wx[i * p.k + b]!;
          expect(s / 39).toBeCloseTo(a === b ? 1 : 0, 4);
        }
      }
      expectClose(values(white.inverseTransform(white.transform(p.x))), p.reconX, 1e-5);
      pca.dispose();
      white.dispose();
    });

    it('PCA chooses the component count from varianceRatio', () => {
      const p = G.pca;
      p.ratioTargets.forEach((r, i) => {
        const pca = new ax.PCA({ varianceRatio: r }).fit(p.x);
        expect(pca.nComponents).toBe(p.ratioK[i]);
        const t = pca.transform(p.x);
        expect(t.shape).toEqual([40, p.ratioK[i]]);
        t.dispose();
        pca.dispose();
      });
      const all = new ax.PCA().fit(p.x);
      expect(all.nComponents).toBe(6);
      expect(all.explainedVarianceRatio.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
      // with every component kept, inverseTransform(transform(x)) = x
      expectClose(values(all.inverseTransform(all.transform(p.q))), p.q, 1e-5);
      all.dispose();
    });

    it('PCA on points along a line: one component explains ~100%, pointing along the line', () => {
      const x: number[][] = [];
      for (let i = 0; i < 50; i++) {
        const t = i / 7 - 3;
        x.push([1 + 2 * t, -1 + 2 * t, 0.5 - t]); // direction (2, 2, −1)/3
      }
      const pca = new ax.PCA().fit(x);
      expect(pca.explainedVarianceRatio[0]).toBeGreaterThan(1 - 1e-6);
      const c = Array.from(pca.components.subarray(0, 3));
      // sign rule: the largest-magnitude entry (the first of the two 2/3 entries) is positive
      expect(c[0]).toBeCloseTo(2 / 3, 5);
      expect(c[1]).toBeCloseTo(2 / 3, 5);
      expect(c[2]).toBeCloseTo(-1 / 3, 5);
      const one = new ax.PCA({ varianceRatio: 0.99 }).fit(x);
      expect(one.nComponents).toBe(1);
      // projecting onto one component and back reconstructs the points
      expectClose(values(one.inverseTransform(one.transform(x))), x, 1e-5);
      pca.dispose();
      one.dispose();
    });

    it('transform is differentiable (ops on the backend) and keeps memory bounded', () => {
      const p = G.pca;
      const pca = new ax.PCA({ components: 2, whiten: true }).fit(p.x);
      const before = ax.memory().numTensors;
      const xv = ax.variable(ax.tensor(p.q));
      ax.tidy(() => ax.sum(pca.transform(xv)).backward());
      // d/dx Σ (x − μ)·Wᵀ = column sums of W: every row of the gradient is Σ_c W[c, :]
      const w = (pca as unknown as { forwardMatrix(): Float64Array }).forwardMatrix();
      const g = xv.grad!.dataSync();
      for (let j = 0; j < 6; j++) expect(g[j]).toBeCloseTo(w[j]! + w[6 + j]!, 4);
      xv.dispose();
      ax.tidy(() => {
        pca.transform(p.q);
      });
      expect(ax.memory().numTensors).toBeLessThanOrEqual(before + 3); // the cached constants at most
      pca.dispose();
    });

    it('throws clear errors', () => {
      const s = G.scalers;
      expect(() => new ax.StandardScaler().transform(s.q)).toThrow(/call fit\(\) first/);
      expect(() => new ax.StandardScaler().fit([1, 2, 3])).toThrow(/2-D \[samples, features\]/);
      expect(() => new ax.StandardScaler().fit([[1, NaN]])).toThrow(/NaN/);
      expect(() => new ax.StandardScaler({ withMaen: true } as never)).toThrow(/did you mean 'withMean'/);
      const sc = new ax.StandardScaler().fit(s.x);
      expect(() => sc.transform([[1, 2, 3]])).toThrow(/expected 6 columns/);
      sc.dispose();
      expect(() => new ax.MinMaxScaler({ range: [1, 0] })).toThrow(/lo < hi/);
      expect(() => new ax.PCA({ components: 2, varianceRatio: 0.9 })).toThrow(/either/);
      expect(() => new ax.PCA({ varianceRatio: 1.5 })).toThrow(/\(0, 1\]/);
      expect(() => new ax.PCA({ components: 0 })).toThrow(/positive integer/);
      expect(() => new ax.PCA({ components: 7 }).fit(G.pca.x)).toThrow(/exceeds min\(samples, features\)/);
      expect(() => new ax.PCA().fit([[1, 2]])).toThrow(/at least 2 samples/);
      expect(() => new ax.PCA({ whiten: true, eps: 0 }).fit([[1, 2], [1, 2]])).toThrow(/zero variance/);
      const pca = new ax.PCA({ components: 2 }).fit(G.pca.x);
      expect(() => pca.inverseTransform(G.pca.q)).toThrow(/expected 2 columns/);
      pca.dispose();
    });
  });
}
