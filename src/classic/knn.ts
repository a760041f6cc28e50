/**
 * k-nearest-neighbour classification on the backend's `pairwiseDistance` kernel.
 *
 * `predict` processes the queries in batches of `batchSize` rows: one `[batch, N]` distance
 * matrix on the backend per batch (so memory stays bounded by batch·N floats), read back and
 * scanned on the host for the k smallest distances.
 *
 * Rules (deterministic):
 * - neighbours are ordered by distance, then by training index (the earlier sample wins a tie);
 * - the predicted class has the most votes among the k neighbours; a tie between classes goes to
 *   the class whose tied neighbours have the smallest distance sum, then to the smallest label.
 * Distances are Euclidean for 'l2' (the kernel's squared distance, square-rooted when reported or
 * summed) and Manhattan for 'l1'.
 *
 * The distance matrices are read back, synchronously in `predict` / `kneighbors` / `score` (js,
 * wasm) and with `await` in `predictAsync` / `kneighborsAsync` / `scoreAsync` (every backend,
 * webgpu included); both run the same body (src/readback.ts). `fit` reads a tensor `x` or `y`
 * to the host; `fitAsync` does so with `await`.
 */
import { kernels } from '../engine.js';
import { AxonError, ArgumentError, ShapeError, checkName, checkOptions, describeValue, fmtShape } from '../errors.js';
import { empty, tensor, toTensor } from '../ops/create.js';
import { slice } from '../ops/slice.js';
import { reshape } from '../ops/shape.js';
import { hostInputAsync, readAsync, readSync, requireSyncReads, type Reads } from '../readback.js';
import { Tensor, sizeOf, type TensorLike } from '../tensor.js';
import { checkFinite, isHostArrayLike, toHostArray, type ArrayInput } from '../data/host.js';

/** Distance metrics of {@link KNearestNeighbors}. */
export type KnnMetric = 'l2' | 'l1';

/** Options of {@link KNearestNeighbors}. */
export interface KNearestNeighborsOptions {
  /** Number of neighbours that vote. Default 1. */
  k?: number;
  /** 'l2' (Euclidean, default) or 'l1' (Manhattan). */
  metric?: KnnMetric;
}

/** Options of {@link KNearestNeighbors.predict} and friends. */
export interface KnnPredictOptions {
  /** Queries per distance batch. Default: as many as keep the `[batch, N]` matrix near 4 Mi floats (16 MiB), at least 1. */
  batchSize?: number;
}

/** Result of {@link KNearestNeighbors.kneighbors}: new tensors `[M, k]`, nearest first. */
export interface KnnNeighbors {
  /** Distances (Euclidean for 'l2', Manhattan for 'l1'). */
  distances: Tensor;
  /** Training-sample indices (as floats). */
  indices: Tensor;
}

const METRICS: readonly KnnMetric[] = ['l2', 'l1'];

/** A k-NN classifier: `fit(x, y)` memorises the training set on the backend; `predict(x)` votes. */
export class KNearestNeighbors {
  readonly k: number;
  readonly metric: KnnMetric;
  /** Number of classes (largest training label + 1); 0 before `fit`. */
  numClasses = 0;
  /** Features per sample D; 0 before `fit`. */
  nFeatures = 0;
  private train: Tensor | null = null;
  private labels: Int32Array = new Int32Array(0);

  constructor(options: KNearestNeighborsOptions = {}) {
    const fn = 'KNearestNeighbors';
    checkOptions(fn, options, ['k', 'metric']);
    const k = options.k ?? 1;
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) throw new ArgumentError(`${fn}: option 'k' expected a positive integer, given ${describeValue(k)}`);
    this.k = k;
    this.metric = checkName(fn, 'metric', options.metric ?? 'l2', METRICS);
  }

  /** Training samples memorised by `fit` (0 before). */
  get nSamples(): number {
    return this.labels.length;
  }

  /**
   * Memorises `x` `[N, ...]` (trailing axes are flattened into D features) and class labels `y`:
   * integer indices `[N]` or one-hot / score rows `[N, C]` (their argmax is used). Throws for
   * mismatched counts, fewer than k samples, non-finite features or invalid labels.
   */
  fit(x: ArrayInput, y: ArrayInput | ArrayLike<number>): this {
    return this.fitHost('KNearestNeighbors.fit', x, y);
  }

  /** {@link KNearestNeighbors.fit} on every backend: tensors are read to the host with `await` (webgpu included). */
  async fitAsync(x: ArrayInput, y: ArrayInput | ArrayLike<number>): Promise<this> {
    const fn = 'KNearestNeighbors.fitAsync';
    const hx = await hostInputAsync(fn, 'x', x);
    const hy = await hostInputAsync(fn, 'y', y);
    return this.fitHost(fn, hx as ArrayInput, hy as ArrayInput);
  }

  private fitHost(fn: string, x: ArrayInput, y: ArrayInput | ArrayLike<number>): this {
    for (const v of [x, y]) if (v instanceof Tensor) requireSyncReads(fn, 'await knn.fitAsync(x, y)', v.backend);
    const hx = toHostArray(fn, 'x', x);
    if (hx.shape.length < 2) throw new ShapeError(`${fn}: argument 'x' expected [samples, features...], given shape ${fmtShape(hx.shape)}`);
    const n = hx.shape[0]!;
    const d = sizeOf(hx.shape.slice(1));
    checkFinite(fn, 'x', hx);
    const labels = readLabels(fn, y, n);
    if (n < this.k) throw new ArgumentError(`${fn}: k = ${this.k} needs at least ${this.k} training samples, given ${n}`);
    if (d === 0) throw new ShapeError(`${fn}: argument 'x' has no features (shape ${fmtShape(hx.shape)})`);
    this.dispose();
    this.train = tensor(hx.data, [n, d]).keep();
    this.labels = labels;
    this.nFeatures = d;
    let maxLabel = -1;
    for (const l of labels) if (l > maxLabel) maxLabel = l;
    this.numClasses = maxLabel + 1;
    return this;
  }

  /** Predicted class index for every query row of `x` `[M, ...]`, as a new tensor `[M]`. Reads synchronously (not on webgpu: use {@link KNearestNeighbors.predictAsync}). */
  predict(x: ArrayInput, options: KnnPredictOptions = {}): Tensor {
    const fn = 'KNearestNeighbors.predict';
    requireSyncReads(fn, 'await knn.predictAsync(x)');
    const out = readSync(this.predictReads(fn, x, options));
    return tensor(out, [out.length]);
  }

  /** {@link KNearestNeighbors.predict} on every backend (webgpu included): distances are read with `await`. */
  async predictAsync(x: ArrayInput, options: KnnPredictOptions = {}): Promise<Tensor> {
    const out = await readAsync(this.predictReads('KNearestNeighbors.predictAsync', x, options));
    return tensor(out, [out.length]);
  }

  private *predictReads(fn: string, x: ArrayInput, options: KnnPredictOptions): Reads<Float32Array> {
    checkOptions(fn, options, ['batchSize']);
    const m = this.queryCount(fn, x);
    const out = new Float32Array(m);
    const counts = new Float64Array(this.numClasses);
    const sums = new Float64Array(this.numClasses);
    yield* this.search(fn, x, options, this.k, (row, dist, idx) => {
      counts.fill(0);
      sums.fill(0);
      for (let j = 0; j < this.k; j++) {
        const c = this.labels[idx[j]!]!;
        counts[c]! += 1;
        sums[c]! += dist[j]!;
      }
      let best = 0;
      for (let c = 1; c < this.numClasses; c++) {
        if (counts[c]! > counts[best]! || (counts[c] === counts[best] && sums[c]! < sums[best]!)) best = c;
      }
      out[row] = best;
    });
    return out;
  }

  /** The `k` (default: this.k) nearest training samples of every query row, nearest first. Reads synchronously (not on webgpu: use {@link KNearestNeighbors.kneighborsAsync}). */
  kneighbors(x: ArrayInput, options: KnnPredictOptions & { k?: number } = {}): KnnNeighbors {
    const fn = 'KNearestNeighbors.kneighbors';
    requireSyncReads(fn, 'await knn.kneighborsAsync(x)');
    return readSync(this.kneighborsReads(fn, x, options));
  }

  /** {@link KNearestNeighbors.kneighbors} on every backend (webgpu included): distances are read with `await`. */
  kneighborsAsync(x: ArrayInput, options: KnnPredictOptions & { k?: number } = {}): Promise<KnnNeighbors> {
    return readAsync(this.kneighborsReads('KNearestNeighbors.kneighborsAsync', x, options));
  }

  private *kneighborsReads(fn: string, x: ArrayInput, options: KnnPredictOptions & { k?: number }): Reads<KnnNeighbors> {
    checkOptions(fn, options, ['batchSize', 'k']);
    const k = options.k ?? this.k;
    if (!Number.isInteger(k) || k < 1 || (this.train && k > this.nSamples)) {
      throw new ArgumentError(`${fn}: option 'k' expected an integer in [1, ${this.nSamples || 'N'}], given ${describeValue(k)}`);
    }
    const m = this.queryCount(fn, x);
    const dists = new Float32Array(m * k);
    const inds = new Float32Array(m * k);
    yield* this.search(fn, x, { batchSize: options.batchSize }, k, (row, dist, idx) => {
      for (let j = 0; j < k; j++) {
        dists[row * k + j] = dist[j]!;
        inds[row * k + j] = idx[j]!;
      }
    });
    return { distances: tensor(dists, [m, k]), indices: tensor(inds, [m, k]) };
  }

  /** Accuracy of {@link KNearestNeighbors.predict} on `x` against labels `y` (indices or one-hot), in [0, 1]. */
  score(x: ArrayInput, y: ArrayInput | ArrayLike<number>, options: KnnPredictOptions = {}): number {
    const fn = 'KNearestNeighbors.score';
    requireSyncReads(fn, 'await knn.scoreAsync(x, y)');
    return readSync(this.scoreReads(fn, x, y, options));
  }

  /** {@link KNearestNeighbors.score} on every backend (webgpu included), reading with `await`. */
  async scoreAsync(x: ArrayInput, y: ArrayInput | ArrayLike<number>, options: KnnPredictOptions = {}): Promise<number> {
    const fn = 'KNearestNeighbors.scoreAsync';
    const hy = await hostInputAsync(fn, 'y', y);
    return readAsync(this.scoreReads(fn, x, hy, options));
  }

  private *scoreReads(fn: string, x: ArrayInput, y: unknown, options: KnnPredictOptions): Reads<number> {
    checkOptions(fn, options, ['batchSize']);
    const m = this.queryCount(fn, x);
    const truth = readLabels(fn, y, m);
    const p = yield* this.predictReads(fn, x, options);
    if (m === 0) return NaN;
    let hits = 0;
    for (let i = 0; i < m; i++) if (p[i] === truth[i]) hits++;
    return hits / m;
  }

  /** Frees the memorised training tensor. */
  dispose(): void {
    if (this.train && !this.train.disposed) this.train.dispose();
    this.train = null;
  }

  private trained(fn: string): Tensor {
    if (!this.train) throw new ArgumentError(`${fn}: call fit() first`);
    if (this.train.disposed || this.train.backend !== kernels()) {
      throw new ArgumentError(`${fn}: the training set lives on a backend that is no longer current (init() was called after fit()); call fit() again`);
    }
    return this.train;
  }

  private queryCount(fn: string, x: unknown): number {
    this.trained(fn);
    if (x instanceof Tensor) return x.rank >= 1 ? x.shape[0]! : 0;
    if (isHostArrayLike(x)) return x.shape[0] ?? 0;
    if (Array.isArray(x)) return x.length;
    throw new ArgumentError(`${fn}: argument 'x' expected a Tensor, nested arrays or { data, shape }, given ${describeValue(x)}`);
  }

  /**
   * Finds the `k` nearest training samples of every query row, batch by batch, and calls
   * `visit(row, distances, indices)` (views valid during the call; nearest first).
   */
  private *search(fn: string, x: ArrayInput, options: KnnPredictOptions, k: number, visit: (row: number, dist: Float64Array, idx: Int32Array) => void): Reads<void> {
    const train = this.trained(fn);
    const n = this.nSamples;
    const d = this.nFeatures;
    const q = queryTensor(fn, x, d);
    try {
      const m = q.shape[0]!;
      const batch = options.batchSize ?? Math.max(1, Math.min(m, Math.floor(4194304 / n)));
      if (!Number.isInteger(batch) || batch < 1) throw new ArgumentError(`${fn}: option 'batchSize' expected a positive integer, given ${describeValue(batch)}`);
      const k0 = train.backend;
      const kernelMetric = this.metric === 'l2' ? 'l2sq' : 'l1';
      const bestD = new Float64Array(k);
      const bestI = new Int32Array(k);
      for (let start = 0; start < m; start += batch) {
        const b = Math.min(batch, m - start);
        const qb = b === m ? q : slice(q, [start, 0], [b, d]);
        const dist = empty([b, n]);
        try {
          k0.pairwiseDistance(kernelMetric, qb.storage, train.storage, dist.storage, b, n, d);
          const all: Float32Array = yield dist;
          for (let r = 0; r < b; r++) {
            const row = all.subarray(r * n, (r + 1) * n);
            kSmallest(row, k, bestD, bestI);
            if (!(bestD[k - 1]! < Infinity)) {
              throw new AxonError('NON_FINITE', `${fn}: query row ${start + r} has non-finite distances (NaN or infinite features?)`);
            }
            if (this.metric === 'l2') for (let j = 0; j < k; j++) bestD[j] = Math.sqrt(bestD[j]!);
            visit(start + r, bestD, bestI);
          }
        } finally {
          dist.dispose();
          if (qb !== q) qb.dispose();
        }
      }
    } finally {
      if (q !== x) q.dispose();
    }
  }
}

/** The queries as a 2-D tensor `[M, D]` on the current backend (x itself when it already is one). */
function queryTensor(fn: string, x: ArrayInput, d: number): Tensor {
  let t: Tensor;
  if (x instanceof Tensor) t = toTensor(x, fn, 'x');
  else if (isHostArrayLike(x)) {
    const h = toHostArray(fn, 'x', x);
    t = tensor(h.data, h.shape);
  } else t = toTensor(x as TensorLike, fn, 'x');
  const feat = t.rank >= 2 ? sizeOf(t.shape.slice(1)) : -1;
  if (feat !== d) {
    const shape = fmtShape(t.shape);
    if (t !== x) t.dispose();
    throw new ShapeError(`${fn}: argument 'x' expected [queries, ${d} features] like the training set, given shape ${shape}`);
  }
  if (t.rank === 2) return t;
  const flat = reshape(t, [t.shape[0]!, d]);
  if (t !== x) t.dispose();
  return flat;
}

/**
 * Writes the k smallest entries of `row` (ascending; equal values keep the lower index first)
 * into `bestD` / `bestI`. NaN entries are never selected; if fewer than k are finite-or-infinite,
 * the remaining slots hold NaN.
 */
function kSmallest(row: Float32Array, k: number, bestD: Float64Array, bestI: Int32Array): void {
  bestD.fill(NaN);
  bestI.fill(-1);
  let filled = 0;
  let worst = Infinity;
  const n = row.length;
  for (let i = 0; i < n; i++) {
    const v = row[i]!;
    if (filled === k ? !(v < worst) : !(v <= Infinity)) continue;
    let j = filled < k ? filled++ : k - 1;
    while (j > 0 && bestD[j - 1]! > v) {
      bestD[j] = bestD[j - 1]!;
      bestI[j] = bestI[j - 1]!;
      j--;
    }
    bestD[j] = v;
    bestI[j] = i;
    if (filled === k) worst = bestD[k - 1]!;
  }
}

/** Class indices from `[N]` integer labels or `[N, C]` rows (argmax), checked against `n`. */
function readLabels(fn: string, y: unknown, n: number): Int32Array {
  const h = toHostArray(fn, 'y', y);
  if (h.shape[0] !== n || h.shape.length > 2) {
    throw new ShapeError(`${fn}: argument 'y' expected ${n} labels ([${n}] class indices or [${n}, C] one-hot), given shape ${fmtShape(h.shape)}`);
  }
  const out = new Int32Array(n);
  if (h.shape.length === 2 && h.shape[1] !== 1) {
    const c = h.shape[1]!;
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let j = 1; j < c; j++) if (h.data[i * c + j]! > h.data[i * c + best]!) best = j;
      out[i] = best;
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    const v = h.data[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= 2 ** 24) throw new ArgumentError(`${fn}: label ${v} at index ${i} is not a class index (a non-negative integer)`);
    out[i] = v;
  }
  return out;
}
