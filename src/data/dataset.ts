/**
 * `Dataset`: inputs x `[N, ...]` and targets y `[N, ...]` held on the host, with seeded
 * shuffling, mini-batching, train/validation splits and slicing. Derived datasets (slices,
 * splits, shuffles) are new objects; slices share the parent's memory, gathers copy.
 *
 * Shuffling uses the same Philox-driven Fisher–Yates permutation as `fit` (src/train/shuffle.ts):
 * `ds.shuffle(seed)` is `fit`'s epoch-0 order for that seed, and `batches(b, { shuffle: true,
 * seed, epoch })` visits samples in `fit`'s order for that epoch — identical on every backend.
 */
import { ArgumentError, ShapeError, checkOptions, describeValue, fmtShape } from '../errors.js';
import { checkClassIndices } from '../ops/onehot.js';
import { tensor } from '../ops/create.js';
import { sizeOf, type Tensor } from '../tensor.js';
import { permutation } from '../train/shuffle.js';
import { checkFinite, toHostArray, type ArrayInput, type HostArray } from './host.js';

/** Options of the {@link Dataset} constructor. */
export interface DatasetOptions {
  /** Reject NaN/±Inf in x and y (an AxonError with code 'NON_FINITE'). Default true. */
  validate?: boolean;
}

/** Options of {@link Dataset.batches}. */
export interface BatchOptions {
  /** Visit samples in a seeded random order. Default false. */
  shuffle?: boolean;
  /** Seed of the order (non-negative integer). Default 0. */
  seed?: number;
  /** Epoch number: each epoch of one seed gets its own order (the same as `fit`'s). Default 0. */
  epoch?: number;
  /** Skip the final batch when it is smaller than `batchSize`. Default false. */
  dropLast?: boolean;
}

/** Options of {@link Dataset.split}. */
export interface SplitOptions {
  /** Shuffle before splitting. Default true. */
  shuffle?: boolean;
  /** Seed of the shuffle. Default 0. */
  seed?: number;
}

/** One mini-batch: new tensors on the current backend, owned by the caller (dispose them, or run the loop body in `tidy`). */
export interface DatasetBatch {
  /** Inputs `[b, ...sampleShape]`. */
  x: Tensor;
  /** Targets `[b, ...targetShape]`. */
  y: Tensor;
}

function seedArg(fn: string, name: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new ArgumentError(`${fn}: ${name} expected a non-negative integer, given ${describeValue(v)}`);
  }
  return v;
}

function boolArg(fn: string, name: string, v: unknown, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new ArgumentError(`${fn}: option '${name}' expected a boolean, given ${describeValue(v)}`);
  return v;
}

/** Rows `idx` of `h`, copied into a new host array. */
function gatherRows(h: HostArray, idx: ArrayLike<number>): HostArray {
  const r = sizeOf(h.shape.slice(1));
  const n = idx.length;
  const out = new Float32Array(n * r);
  const d = h.data;
  if (r === 1) {
    for (let i = 0; i < n; i++) out[i] = d[idx[i]!]!;
  } else {
    for (let i = 0; i < n; i++) {
      const from = idx[i]! * r;
      out.set(d.subarray(from, from + r), i * r);
    }
  }
  return { data: out, shape: [n, ...h.shape.slice(1)] };
}

/** Rows [start, end) of `h` as a view (no copy). */
function viewRows(h: HostArray, start: number, end: number): HostArray {
  const r = sizeOf(h.shape.slice(1));
  return { data: h.data.subarray(start * r, end * r), shape: [end - start, ...h.shape.slice(1)] };
}

/**
 * A supervised dataset on the host: `x` `[N, ...sampleShape]` and `y` `[N, ...targetShape]`
 * (class indices `[N]`, one-hot `[N, C]`, or regression targets). Pass the same object for x
 * and y for an autoencoder (the memory is shared).
 */
export class Dataset {
  /** The inputs on the host, `[N, ...sampleShape]`. Treat as read-only (slices share it). */
  readonly x: HostArray;
  /** The targets on the host, `[N, ...targetShape]`. Treat as read-only. */
  readonly y: HostArray;

  /**
   * `x`: a Tensor, nested arrays or `{ data, shape }` with samples along the first axis.
   * `y`: the same kinds, or a flat array / typed array of one value per sample.
   * Throws a ShapeError when the sample counts differ and (with `validate`, the default)
   * an AxonError 'NON_FINITE' naming the first NaN or infinity.
   */
  constructor(x: ArrayInput, y: ArrayInput | ArrayLike<number>, options: DatasetOptions = {}) {
    const fn = 'Dataset';
    checkOptions(fn, options, ['validate']);
    const validate = boolArg(fn, 'validate', options.validate, true);
    const hx = toHostArray(fn, 'x', x);
    const hy = y === x ? hx : toHostArray(fn, 'y', y);
    if (hx.shape.length < 1) throw new ShapeError(`${fn}: argument 'x' expected samples along the first axis, given a scalar`);
    if (hy.shape.length < 1) throw new ShapeError(`${fn}: argument 'y' expected samples along the first axis, given a scalar`);
    if (hx.shape[0] !== hy.shape[0]) {
      throw new ShapeError(`${fn}: x and y have different numbers of samples: x ${fmtShape(hx.shape)} has ${hx.shape[0]}, y ${fmtShape(hy.shape)} has ${hy.shape[0]}`);
    }
    if (validate) {
      checkFinite(fn, 'x', hx);
      if (hy !== hx) checkFinite(fn, 'y', hy);
    }
    this.x = hx;
    this.y = hy;
  }

  /** A dataset over existing host arrays (no copy, no validation). */
  private static wrap(x: HostArray, y: HostArray): Dataset {
    return new Dataset(x, y, { validate: false });
  }

  /** Number of samples N. */
  get size(): number {
    return this.x.shape[0]!;
  }

  /** Shape of one input sample (x's shape without the first axis). */
  get sampleShape(): number[] {
    return this.x.shape.slice(1);
  }

  /** Shape of one target (y's shape without the first axis; `[]` for class indices). */
  get targetShape(): number[] {
    return this.y.shape.slice(1);
  }

  private derive(fx: (h: HostArray) => HostArray): Dataset {
    const nx = fx(this.x);
    return Dataset.wrap(nx, this.y === this.x ? nx : fx(this.y));
  }

  /** The samples at `indices` (integers in [0, N), repeats allowed), copied into a new dataset. */
  gather(indices: ArrayLike<number>): Dataset {
    const n = this.size;
    if (indices === null || typeof indices !== 'object' || typeof (indices as ArrayLike<number>).length !== 'number') {
      throw new ArgumentError(`Dataset.gather: argument 'indices' expected an array of sample indices, given ${describeValue(indices)}`);
    }
    for (let i = 0; i < indices.length; i++) {
      const j = indices[i]!;
      if (!Number.isInteger(j) || j < 0 || j >= n) throw new ArgumentError(`Dataset.gather: index ${j} at position ${i} is not a sample index in [0, ${n - 1}]`);
    }
    return this.derive((h) => gatherRows(h, indices));
  }

  /**
   * A copy in the seeded random order `permutation(N, seed, 0)` (Fisher–Yates on the Philox
   * stream of `seed`; see src/train/shuffle.ts). The same seed gives the same order everywhere.
   */
  shuffle(seed = 0): Dataset {
    const s = seedArg('Dataset.shuffle', "argument 'seed'", seed, 0);
    const perm = permutation(this.size, s, 0);
    return this.derive((h) => gatherRows(h, perm));
  }

  /** Samples [start, end) (end defaults to N; negative values count from the end, like Array.slice). A view, no copy. */
  slice(start: number, end?: number): Dataset {
    const n = this.size;
    const norm = (v: number, arg: string): number => {
      if (typeof v !== 'number' || !Number.isInteger(v)) throw new ArgumentError(`Dataset.slice: argument '${arg}' expected an integer, given ${describeValue(v)}`);
      return Math.min(n, Math.max(0, v < 0 ? n + v : v));
    };
    const s = norm(start, 'start');
    const e = end === undefined ? n : norm(end, 'end');
    const hi = Math.max(s, e);
    return this.derive((h) => viewRows(h, s, hi));
  }

  /** The first `count` samples (all of them when `count` ≥ N). A view, no copy. */
  take(count: number): Dataset {
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
      throw new ArgumentError(`Dataset.take: argument 'count' expected a non-negative integer, given ${describeValue(count)}`);
    }
    return this.slice(0, Math.min(count, this.size));
  }

  /**
   * `[train, validation]`: the validation part holds `floor(N·fraction)` samples (the same count
   * as `fit`'s `validationSplit`). With `shuffle` (default) the samples are first put in the
   * order `permutation(N, seed, 0)`; without, validation is the last samples (Keras-style).
   * Throws when either part would be empty.
   */
  split(fraction: number, options: SplitOptions = {}): [Dataset, Dataset] {
    const fn = 'Dataset.split';
    checkOptions(fn, options, ['shuffle', 'seed']);
    if (typeof fraction !== 'number' || !(fraction > 0 && fraction < 1)) {
      throw new ArgumentError(`${fn}: argument 'fraction' (the validation share) expected a number in (0, 1), given ${describeValue(fraction)}`);
    }
    const shuffle = boolArg(fn, 'shuffle', options.shuffle, true);
    const seed = seedArg(fn, "option 'seed'", options.seed, 0);
    const n = this.size;
    const nVal = Math.floor(n * fraction);
    if (nVal === 0 || nVal === n) {
      throw new ArgumentError(`${fn}: fraction ${fraction} of ${n} samples leaves ${nVal === 0 ? 'no validation' : 'no training'} samples`);
    }
    const src = shuffle ? this.shuffle(seed) : this;
    return [src.slice(0, n - nVal), src.slice(n - nVal)];
  }

  /** Number of batches {@link Dataset.batches} yields for `batchSize`. */
  numBatches(batchSize: number, dropLast = false): number {
    const b = checkBatchSize('Dataset.numBatches', batchSize);
    return dropLast ? Math.floor(this.size / b) : Math.ceil(this.size / b);
  }

  /**
   * Iterates mini-batches of `batchSize` samples as new tensors on the current backend (the last
   * one smaller unless `dropLast`). With `shuffle`, the order is `fit`'s order for (`seed`,
   * `epoch`). Arguments are checked when this is called, not at the first iteration.
   */
  batches(batchSize: number, options: BatchOptions = {}): IterableIterator<DatasetBatch> {
    const fn = 'Dataset.batches';
    const b = checkBatchSize(fn, batchSize);
    checkOptions(fn, options, ['shuffle', 'seed', 'epoch', 'dropLast']);
    const shuffle = boolArg(fn, 'shuffle', options.shuffle, false);
    const dropLast = boolArg(fn, 'dropLast', options.dropLast, false);
    const seed = seedArg(fn, "option 'seed'", options.seed, 0);
    const epoch = seedArg(fn, "option 'epoch'", options.epoch, 0);
    const n = this.size;
    const order = shuffle ? permutation(n, seed, epoch) : null;
    const count = dropLast ? Math.floor(n / b) : Math.ceil(n / b);
    const x = this.x;
    const y = this.y;
    return (function* (): IterableIterator<DatasetBatch> {
      for (let i = 0; i < count; i++) {
        const start = i * b;
        const end = Math.min(n, start + b);
        const bx = order ? gatherRows(x, order.subarray(start, end)) : viewRows(x, start, end);
        const by = y === x ? bx : order ? gatherRows(y, order.subarray(start, end)) : viewRows(y, start, end);
        const tx = tensor(bx.data, bx.shape);
        const ty = by === bx ? tensor(bx.data, bx.shape) : tensor(by.data, by.shape);
        yield { x: tx, y: ty };
      }
    })();
  }

  /** The whole dataset as two new tensors `{ x, y }` on the current backend (caller owns them). */
  tensors(): DatasetBatch {
    return { x: tensor(this.x.data, this.x.shape), y: tensor(this.y.data, this.y.shape) };
  }

  /**
   * A dataset whose targets are one-hot `[N, numClasses]` (`ax.oneHot`'s encoding and checks, on the host). y must hold class
   * indices (`[N]` or `[N, 1]`); a label outside [0, numClasses) throws naming it.
   */
  oneHot(numClasses: number): Dataset {
    const y = this.y;
    if (y === this.x || !(y.shape.length === 1 || (y.shape.length === 2 && y.shape[1] === 1))) {
      throw new ShapeError(`Dataset.oneHot: expected class-index targets of shape [N] or [N, 1], given y ${fmtShape(y.shape)}`);
    }
    if (typeof numClasses !== 'number' || !Number.isInteger(numClasses) || numClasses < 1) {
      throw new ArgumentError(`oneHot: argument 'numClasses' expected a positive integer, given ${describeValue(numClasses)}`);
    }
    // Encoded on the host (the labels are host data): no device round trip, so it works on every backend.
    checkClassIndices(y.data, numClasses);
    const data = new Float32Array(this.size * numClasses);
    for (let i = 0; i < this.size; i++) data[i * numClasses + y.data[i]!] = 1;
    return Dataset.wrap(this.x, { data, shape: [this.size, numClasses] });
  }

  toString(): string {
    return `Dataset(size=${this.size}, x=${fmtShape(this.x.shape)}, y=${fmtShape(this.y.shape)})`;
  }
}

function checkBatchSize(fn: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new ArgumentError(`${fn}: argument 'batchSize' expected a positive integer, given ${describeValue(v)}`);
  }
  return v;
}
