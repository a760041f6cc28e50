/**
 * PCA on MNIST, the notes' data-preprocessing slide: decorrelated data Uᵀx, whitened data
 * Uᵀx / √(S + ε) and the rank-k approximation A_k. Fits PCA on training images and prints:
 * how many components keep 50 / 90 / 95 / 99 % of the variance; that the projected data is
 * decorrelated (and, whitened, has unit variance); the reconstruction error of A_k for several
 * k; k-NN accuracy on the raw pixels next to k-NN on the first k components. Writes an SVG of the
 * leading components ("eigendigits") and of test images rebuilt from 10 and from k components.
 *
 * MNIST is read from $AXON_DATA (e.g. AXON_DATA=../shared/data) or downloaded into the cache.
 *
 *   npx tsx examples/mnist-pca.ts [--limit 10000] [--test-limit 1000] [--k 50] [--images 10]
 *       [--out mnist-pca.svg] [--backend js|wasm]
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as ax from '../src/index.js';
import { loadMnist } from '../src/node.js';
import { parseFlags, since, startBackend } from './_args.js';
import { imageGridSvg } from './_images.js';

const flags = parseFlags('PCA on MNIST: explained variance, decorrelation and whitening, rank-k reconstructions, k-NN on k components.', {
  limit: 10000,
  'test-limit': 1000,
  k: 50,
  images: 10,
  out: 'mnist-pca.svg',
  backend: '',
});
const K = flags.k;
const KEEP = 200; // components kept by the main fit (reconstructions use its first k)
if (!Number.isInteger(K) || K < 1 || K > KEEP) {
  console.error(`--k expected an integer in [1, ${KEEP}], given ${flags.k}`);
  process.exit(2);
}
await startBackend(flags.backend);

const mnist = await loadMnist();
const train = new ax.Dataset(mnist.train, mnist.train.labels).take(flags.limit);
const test = new ax.Dataset(mnist.test, mnist.test.labels).take(flags['test-limit']);
console.log(`MNIST: ${train.size} training images (PCA is fitted on these) and ${test.size} test images, 784 pixels each`);

// One fit keeps the first 200 principal axes; its eigenvalues cover all 784.
let t0 = performance.now();
const pca = new ax.PCA({ components: KEEP }).fit(train.x);
console.log(`PCA fit (covariance GEMM + 784×784 eigendecomposition): ${since(t0)}`);
const total = pca.eigenvalues.reduce((s, v) => s + v, 0);
const needed = (ratio: number) => {
  let cum = 0;
  for (let i = 0; i < pca.eigenvalues.length; i++) if ((cum += pca.eigenvalues[i]!) >= ratio * total) return i + 1;
  return pca.eigenvalues.length;
};
console.log(`components for 50 / 90 / 95 / 99 % of the variance: ${[0.5, 0.9, 0.95, 0.99].map(needed).join(' / ')}`);
console.log(`first ${K} components explain ${(100 * pca.explainedVarianceRatio.slice(0, K).reduce((s, v) => s + v, 0)).toFixed(2)} % of the variance`);

/** Covariance `[k, k]` of the (centred) rows of z, read to the host. */
function covariance(z: ax.Tensor): Float32Array {
  return ax.tidy(() => ax.div(ax.matmul(z, z, { transA: true }), z.shape[0]! - 1)).dataSync();
}
/** Largest |off-diagonal| and the diagonal's range of a k × k matrix. */
function offAndDiag(c: Float32Array, k: number): { off: number; lo: number; hi: number } {
  let off = 0, lo = Infinity, hi = -Infinity;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const v = c[i * k + j]!;
      if (i === j) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
      else off = Math.max(off, Math.abs(v));
    }
  }
  return { off, lo, hi };
}

// Decorrelated: Uᵀx has a diagonal covariance (the eigenvalues); whitened: the identity.
const zAll = pca.transform(train.x);
const z = ax.slice(zAll, [0, 0], [train.size, K]);
const dec = offAndDiag(covariance(z), K);
console.log(`decorrelated Uᵀx (first ${K}): variances ${dec.hi.toFixed(3)} … ${dec.lo.toFixed(4)}, largest covariance between two components ${dec.off.toExponential(2)}`);
t0 = performance.now();
const white = new ax.PCA({ components: K, whiten: true, eps: 1e-5 }).fit(train.x);
const zw = white.transform(train.x);
const wd = offAndDiag(covariance(zw), K);
console.log(`whitened Uᵀx / √(S + ε) (${since(t0)}): variances ${wd.lo.toFixed(4)} … ${wd.hi.toFixed(4)}, largest covariance ${wd.off.toExponential(2)}`);

// A_k: the test images rebuilt from their first k coordinates (the rest set to zero).
const testX = ax.tensor(test.x.data, test.x.shape);
const zt = pca.transform(testX);
const rebuilt = new Map<number, ax.Tensor>();
const ks = [...new Set([10, K, 100, KEEP])].sort((a, b) => a - b);
const errors: string[] = [];
for (const k of ks) {
  const mask = ax.tensor(Float32Array.from({ length: KEEP }, (_, i) => (i < k ? 1 : 0)));
  const r = ax.tidy(() => pca.inverseTransform(ax.mul(zt, mask)));
  const mse = ax.tidy(() => ax.mean(ax.square(ax.sub(r, testX))).item());
  errors.push(`k = ${k}: ${mse.toFixed(4)}`);
  rebuilt.set(k, r);
  mask.dispose();
}
console.log(`test reconstruction mse of A_k: ${errors.join(', ')}`);

// k-NN (k = 3, L2) on the raw pixels and on the first K principal coordinates.
t0 = performance.now();
const rawKnn = new ax.KNearestNeighbors({ k: 3 }).fit(train.x, train.y);
const rawAcc = rawKnn.score(test.x, test.y);
const rawTime = since(t0);
t0 = performance.now();
const pcaKnn = new ax.KNearestNeighbors({ k: 3 }).fit(z, train.y);
const ztK = ax.slice(zt, [0, 0], [test.size, K]);
const pcaAcc = pcaKnn.score(ztK, test.y);
console.log(`k-NN (k = 3, L2) test accuracy: raw 784 pixels ${(100 * rawAcc).toFixed(2)} % (${rawTime}), first ${K} components ${(100 * pcaAcc).toFixed(2)} % (${since(t0)})`);

// The SVG: leading components (each scaled to [0, 1]), test images, their rank-10 and rank-K rebuilds.
const n = Math.min(flags.images, test.size);
const scaled = (v: ArrayLike<number>) => {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < v.length; i++) [lo, hi] = [Math.min(lo, v[i]!), Math.max(hi, v[i]!)];
  return Float32Array.from(v, (x) => (hi > lo ? (x - lo) / (hi - lo) : 0));
};
const clip = (v: Float32Array) => v.map((x) => Math.min(1, Math.max(0, x)));
const rowOf = (t: ax.Tensor, i: number) => clip(t.dataSync().slice(i * 784, (i + 1) * 784));
const svg = imageGridSvg(
  `MNIST PCA (${train.size} images): ${K} components keep ${(100 * pca.explainedVarianceRatio.slice(0, K).reduce((s, v) => s + v, 0)).toFixed(1)} % of the variance`,
  [
    { label: `components 1–${n}`, images: Array.from({ length: n }, (_, i) => scaled(pca.components.subarray(i * 784, (i + 1) * 784))) },
    { label: 'test images', images: Array.from({ length: n }, (_, i) => test.x.data.subarray(i * 784, (i + 1) * 784)) },
    { label: 'rank 10', images: Array.from({ length: n }, (_, i) => rowOf(rebuilt.get(10)!, i)) },
    ...(K !== 10 ? [{ label: `rank ${K}`, images: Array.from({ length: n }, (_, i) => rowOf(rebuilt.get(K)!, i)) }] : []),
  ],
  28,
  28,
);
const out = resolve(flags.out);
writeFileSync(out, svg);
console.log(`wrote ${out} (the first ${n} components, test images and their rank-10${K !== 10 ? ` and rank-${K}` : ''} reconstructions)`);

for (const t of [zAll, z, zw, testX, zt, ztK, ...rebuilt.values()]) t.dispose();
for (const m of [pca, white, rawKnn, pcaKnn]) m.dispose();
