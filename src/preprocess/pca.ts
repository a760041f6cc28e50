/**
 * Principal component analysis fitted from the covariance matrix, with optional whitening.
 *
 * fit: the mean is computed on the host in float64; the covariance `Xcᵀ·Xc / (N − 1)` is one
 * GEMM on the current backend (float32 accumulation; Xc is centred first, so no cancellation);
 * its eigendecomposition runs on the host in float64 ({@link symmetricEigen}: Householder +
 * implicit QR, O(D³): milliseconds for D ≤ 64, a few seconds for D = 784 — see eigh.ts).
 * transform: `(x − mean)·Wᵀ`, one subtraction and one GEMM on the backend, with whitening
 * folded into W.
 *
 * Sign convention (deterministic, scikit-learn's `svd_flip` rule on the components): in every
 * component the entry of largest absolute value (the first such entry on ties) is positive.
 */
import { noGrad } from '../engine.js';
import { ArgumentError, checkOptions, describeValue } from '../errors.js';
import { add, sub } from '../ops/arithmetic.js';
import { tensor } from '../ops/create.js';
import { matmul } from '../ops/matmul.js';
import type { Tensor } from '../tensor.js';
import type { HostArray } from '../data/host.js';
import { readSync, type Reads } from '../readback.js';
import { symmetricEigen } from './eigh.js';
import { columnMeans } from './stats.js';
import { Preprocessor, release } from './preprocessor.js';

/** Options of {@link PCA}. Give at most one of `components` and `varianceRatio`; with neither, min(N, D) components are kept. */
export interface PCAOptions {
  /** Number of components to keep (1 ≤ k ≤ min(N, D), checked at fit). */
  components?: number;
  /** Keep the fewest leading components whose explained-variance ratios sum to at least this, in (0, 1]. */
  varianceRatio?: number;
  /** Scale each projection to unit variance: divide by `sqrt(eigenvalue + eps)`. Default false. */
  whiten?: boolean;
  /** Added to each eigenvalue before the square root when whitening. Default 1e-5. */
  eps?: number;
}

/** PCA (and PCA whitening) of `[N, D]` data; see the file comment for the exact definitions. */
export class PCA extends Preprocessor {
  /** Per-feature means `[D]`. */
  mean: Float64Array = new Float64Array(0);
  /** The kept principal axes, row-major `[k, D]` (unit rows, descending variance, sign rule above). */
  components: Float64Array = new Float64Array(0);
  /** Variance along each kept component `[k]` (covariance eigenvalues, ÷(N − 1)). */
  explainedVariance: Float64Array = new Float64Array(0);
  /** `explainedVariance / total variance` `[k]`. */
  explainedVarianceRatio: Float64Array = new Float64Array(0);
  /** All D covariance eigenvalues, descending (negative rounding residue clamped to 0). */
  eigenvalues: Float64Array = new Float64Array(0);
  /** Number of kept components k. */
  nComponents = 0;
  readonly whiten: boolean;
  readonly eps: number;
  private readonly wantComponents?: number;
  private readonly wantRatio?: number;

  constructor(options: PCAOptions = {}) {
    super();
    const fn = 'PCA';
    checkOptions(fn, options, ['components', 'varianceRatio', 'whiten', 'eps']);
    const { components, varianceRatio } = options;
    if (components !== undefined && varianceRatio !== undefined) throw new ArgumentError(`${fn}: give either 'components' or 'varianceRatio', not both`);
    if (components !== undefined && !(typeof components === 'number' && Number.isInteger(components) && components >= 1)) {
      throw new ArgumentError(`${fn}: option 'components' expected a positive integer, given ${describeValue(components)}`);
    }
    if (varianceRatio !== undefined && !(typeof varianceRatio === 'number' && varianceRatio > 0 && varianceRatio <= 1)) {
      throw new ArgumentError(`${fn}: option 'varianceRatio' expected a number in (0, 1], given ${describeValue(varianceRatio)}`);
    }
    const whiten = options.whiten ?? false;
    if (typeof whiten !== 'boolean') throw new ArgumentError(`${fn}: option 'whiten' expected a boolean, given ${describeValue(whiten)}`);
    const eps = options.eps ?? 1e-5;
    if (typeof eps !== 'number' || !Number.isFinite(eps) || eps < 0) throw new ArgumentError(`${fn}: option 'eps' expected a finite number ≥ 0, given ${describeValue(eps)}`);
    this.whiten = whiten;
    this.eps = eps;
    this.wantComponents = components;
    this.wantRatio = varianceRatio;
  }

  protected get kind(): string {
    return 'PCA';
  }

  protected override minSamples(): number {
    return 2;
  }

  protected override inputWidth(inverse: boolean): number {
    return inverse ? this.nComponents : this.nFeatures;
  }

  protected fitHost(h: HostArray): void {
    readSync(this.fitReads(h));
  }

  /** The fit; the covariance GEMM runs on the backend and is read back (yielded: src/readback.ts). */
  protected override *fitReads(h: HostArray): Reads<void> {
    const n = h.shape[0]!;
    const d = h.shape[1]!;
    const maxK = Math.min(n, d);
    if (this.wantComponents !== undefined && this.wantComponents > maxK) {
      throw new ArgumentError(`PCA.fit: option 'components' = ${this.wantComponents} exceeds min(samples, features) = min(${n}, ${d}) = ${maxK}`);
    }
    const mean = columnMeans(h);
    const cov = yield* covariance(h, mean);
    const { values, vectors } = symmetricEigen(cov, d);
    for (let i = 0; i < d; i++) if (values[i]! < 0) values[i] = 0;
    let total = 0;
    for (let i = 0; i < d; i++) total += values[i]!;
    let k = this.wantComponents ?? maxK;
    if (this.wantRatio !== undefined) {
      k = maxK;
      let cum = 0;
      for (let i = 0; i < maxK; i++) {
        cum += values[i]!;
        // A relative slack of 1e-12 so that ratio 1 keeps only the components that carry variance.
        if (total === 0 || cum >= this.wantRatio * total * (1 - 1e-12)) {
          k = i + 1;
          break;
        }
      }
    }
    if (this.whiten && values[k - 1]! + this.eps <= 0) {
      throw new ArgumentError(`PCA.fit: component ${k} has zero variance, so whitening would divide by zero; use eps > 0 or fewer components`);
    }
    const comps = vectors.slice(0, k * d);
    for (let c = 0; c < k; c++) flipSign(comps, c, d);
    this.mean = mean;
    this.eigenvalues = values;
    this.nComponents = k;
    this.components = comps;
    this.explainedVariance = values.slice(0, k);
    this.explainedVarianceRatio = this.explainedVariance.map((v) => (total > 0 ? v / total : 0));
  }

  /** Rows of the forward matrix `[k, D]`: components, divided by sqrt(λ + eps) when whitening. */
  private forwardMatrix(): Float64Array {
    if (!this.whiten) return this.components;
    return this.scaledComponents((lam) => 1 / Math.sqrt(lam + this.eps));
  }

  /** Rows of the inverse matrix `[k, D]`: components, times sqrt(λ + eps) when whitening. */
  private inverseMatrix(): Float64Array {
    if (!this.whiten) return this.components;
    return this.scaledComponents((lam) => Math.sqrt(lam + this.eps));
  }

  private scaledComponents(f: (lambda: number) => number): Float64Array {
    const d = this.nFeatures;
    const out = new Float64Array(this.components.length);
    for (let c = 0; c < this.nComponents; c++) {
      const s = f(this.explainedVariance[c]!);
      for (let j = 0; j < d; j++) out[c * d + j] = this.components[c * d + j]! * s;
    }
    return out;
  }

  protected forward(x: Tensor): Tensor {
    const d = this.nFeatures;
    const k = this.nComponents;
    const xc = sub(x, this.constant('mean', this.mean, [d]));
    const out = matmul(xc, this.constant('forward', this.forwardMatrix(), [k, d]), { transB: true });
    release(xc, out);
    return out;
  }

  protected backward(z: Tensor): Tensor {
    const d = this.nFeatures;
    const k = this.nComponents;
    const proj = matmul(z, this.constant('inverse', this.inverseMatrix(), [k, d]));
    const out = add(proj, this.constant('mean', this.mean, [d]));
    release(proj, out);
    return out;
  }
}

/** Sample covariance `[D, D]` (÷(N − 1)) of host data around `mean`, as one GEMM on the backend. */
function* covariance(h: HostArray, mean: Float64Array): Reads<Float64Array> {
  const n = h.shape[0]!;
  const d = h.shape[1]!;
  // Centre on the host (float64 subtraction, one rounding) so the GEMM sees zero-mean columns.
  const xc = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) xc[i * d + j] = h.data[i * d + j]! - mean[j]!;
  }
  const g = noGrad(() => {
    const t = tensor(xc, [n, d]);
    const p = matmul(t, t, { transA: true });
    t.dispose();
    return p;
  });
  let c: Float32Array;
  try {
    c = yield g;
  } finally {
    g.dispose();
  }
  const out = new Float64Array(d * d);
  for (let i = 0; i < d * d; i++) out[i] = c[i]! / (n - 1);
  return out;
}

/** Makes the largest-magnitude entry (first on ties) of row `c` of `m` `[*, d]` positive. */
function flipSign(m: Float64Array, c: number, d: number): void {
  let best = 0;
  let bestAbs = -1;
  for (let j = 0; j < d; j++) {
    const a = Math.abs(m[c * d + j]!);
    if (a > bestAbs) {
      bestAbs = a;
      best = j;
    }
  }
  if (m[c * d + best]! < 0) for (let j = 0; j < d; j++) m[c * d + j] = -m[c * d + j]!;
}
