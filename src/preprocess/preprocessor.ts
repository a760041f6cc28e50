/**
 * Base class of the fitted preprocessors (scalers, PCA): `fit` computes statistics on the host in
 * float64; `transform` / `inverseTransform` run on the current backend with ordinary ops (so
 * they are differentiable and batched like everything else). The fitted constants are uploaded
 * once per backend and cached as kept tensors; `dispose()` frees them.
 *
 * `fit` reads a tensor `x` (and PCA its covariance) back synchronously, so on webgpu it throws
 * an 'UNSUPPORTED' error naming `fitAsync`, which does the same with `await` on every backend.
 * Host input (nested arrays, `{ data, shape }`) needs no read-back.
 */
import { kernels, noGrad } from '../engine.js';
import { ArgumentError, ShapeError, fmtShape } from '../errors.js';
import { tensor, toTensor } from '../ops/create.js';
import { hostInputAsync, readAsync, readSync, requireSyncReads, type Reads } from '../readback.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { checkFinite, dims2, isHostArrayLike, toHostArray, type ArrayInput, type HostArray } from '../data/host.js';

/** What `fit` and `transform` accept: `[N, D]` as a Tensor, nested arrays or `{ data, shape }`. */
export type FitInput = ArrayInput;

/** A preprocessing step with the scikit-learn shape: fit on `[N, D]`, then transform `[M, D]`. */
export abstract class Preprocessor {
  /** Feature count D seen by `fit` (0 before). */
  nFeatures = 0;
  /** Samples seen by `fit` (0 before). */
  nSamples = 0;
  private readonly cache = new Map<string, Tensor>();

  /** The class name, for messages. */
  protected abstract get kind(): string;

  /** Learns the statistics of `x` `[N, D]`. Returns this. Reads synchronously (on webgpu use {@link Preprocessor.fitAsync}). */
  fit(x: FitInput): this {
    const fn = `${this.kind}.fit`;
    const name = this.kind === 'PCA' ? 'pca' : `${this.kind[0]!.toLowerCase()}${this.kind.slice(1)}`;
    const alt = { fn, use: `await ${name}.fitAsync(x)` };
    if (x instanceof Tensor) requireSyncReads(fn, alt.use, x.backend);
    const h = this.readFit(fn, x);
    readSync(this.fitBody(h), alt);
    return this;
  }

  /** {@link Preprocessor.fit} on every backend (webgpu included): tensors are read with `await`. */
  async fitAsync(x: FitInput): Promise<this> {
    const fn = `${this.kind}.fitAsync`;
    const h = this.readFit(fn, (await hostInputAsync(fn, 'x', x)) as FitInput);
    await readAsync(this.fitBody(h));
    return this;
  }

  private *fitBody(h: HostArray): Reads<void> {
    yield* this.fitReads(h);
    this.clearCache();
    this.nSamples = h.shape[0]!;
    this.nFeatures = h.shape[1]!;
  }

  /** The fit as a body that may read device values (src/readback.ts); by default {@link Preprocessor.fitHost}. */
  protected *fitReads(h: HostArray): Reads<void> {
    this.fitHost(h);
  }

  /** `fit(x)` then `transform(x)`. */
  fitTransform(x: FitInput): Tensor {
    this.fit(x);
    return this.transform(x);
  }

  /** Applies the fitted transform to `x` `[M, D]`; returns a new tensor. */
  transform(x: FitInput): Tensor {
    return this.apply(`${this.kind}.transform`, x, false);
  }

  /** Undoes {@link Preprocessor.transform} (up to rounding, and up to the discarded components for PCA). */
  inverseTransform(x: FitInput): Tensor {
    return this.apply(`${this.kind}.inverseTransform`, x, true);
  }

  /** True once `fit` has run. */
  get fitted(): boolean {
    return this.nFeatures > 0 || this.nSamples > 0;
  }

  /** Frees the cached backend constants (the fitted statistics stay; they are re-uploaded on demand). */
  dispose(): void {
    this.clearCache();
  }

  /** Computes the statistics from host data `[N, D]` (N ≥ 1, finite). */
  protected abstract fitHost(h: HostArray): void;
  /** The forward map on a checked 2-D tensor. */
  protected abstract forward(x: Tensor): Tensor;
  /** The inverse map on a checked 2-D tensor. */
  protected abstract backward(x: Tensor): Tensor;
  /** Columns the forward map expects (D) — PCA's inverse expects its component count. */
  protected inputWidth(inverse: boolean): number {
    void inverse;
    return this.nFeatures;
  }
  /** Minimum samples `fit` needs. */
  protected minSamples(): number {
    return 1;
  }

  /** A kept tensor of `values` on the current backend, cached under `name` until refit/dispose. */
  protected constant(name: string, values: ArrayLike<number>, shape: readonly number[]): Tensor {
    const k = kernels();
    const hit = this.cache.get(name);
    if (hit && !hit.disposed && hit.backend === k) return hit;
    const t = noGrad(() => tensor(Float32Array.from(values), shape)).keep();
    this.cache.set(name, t);
    return t;
  }

  private clearCache(): void {
    for (const t of this.cache.values()) if (!t.disposed) t.dispose();
    this.cache.clear();
  }

  private readFit(fn: string, x: FitInput): HostArray {
    const h = toHostArray(fn, 'x', x);
    const { n } = dims2(fn, 'x', h.shape);
    if (n < this.minSamples()) throw new ArgumentError(`${fn}: expected at least ${this.minSamples()} sample${this.minSamples() > 1 ? 's' : ''}, given ${n} (x ${fmtShape(h.shape)})`);
    checkFinite(fn, 'x', h);
    return h;
  }

  private apply(fn: string, x: FitInput, inverse: boolean): Tensor {
    if (!this.fitted) throw new ArgumentError(`${fn}: call fit() first`);
    const t = isHostArrayLike(x) ? hostTensor(fn, x) : toTensor(x as TensorLike, fn, 'x');
    try {
      if (t.rank !== 2) throw new ShapeError(`${fn}: argument 'x' expected a 2-D [samples, features] tensor, given shape ${fmtShape(t.shape)}`);
      const want = this.inputWidth(inverse);
      if (t.shape[1] !== want) {
        throw new ShapeError(`${fn}: argument 'x' expected ${want} columns (${inverse ? 'the transformed width' : 'the features seen by fit'}), given shape ${fmtShape(t.shape)}`);
      }
      return inverse ? this.backward(t) : this.forward(t);
    } finally {
      if (t !== x) t.dispose();
    }
  }
}

function hostTensor(fn: string, x: { data: ArrayLike<number>; shape: readonly number[] }): Tensor {
  const h = toHostArray(fn, 'x', x);
  return tensor(h.data, h.shape);
}

/** Disposes `t` unless it is part of an autograd graph (then the caller's tidy or GC frees it). */
export function release(t: Tensor, result: Tensor): void {
  if (!result.requiresGrad && t !== result) t.dispose();
}
