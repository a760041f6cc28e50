/**
 * What the dataset loaders return: host arrays (always) plus tensors made from them on first
 * use. Making the tensors lazily means loading MNIST costs no backend memory until `x` is read,
 * and the tensor lands on the backend current at that moment (load before or after `init()`).
 */
import { getBackend } from '../../backend.js';
import { checkShape, tensor } from '../../ops/create.js';
import { ArgumentError, ShapeError, describeValue } from '../../errors.js';
import type { Tensor } from '../../tensor.js';

/** A tensor built from host data on first access, cached, and rebuilt if disposed or if the backend changed. */
class LazyTensor {
  private t: Tensor | undefined;
  constructor(private readonly values: () => Float32Array, private readonly shape: readonly number[]) {}

  get(): Tensor {
    if (!this.t || this.t.disposed || this.t.backend !== getBackend()) {
      // kept: the cached tensor must survive a tidy() that happens to read it first
      this.t = tensor(this.values(), this.shape).keep();
    }
    return this.t;
  }
}

/**
 * A classification set: `count` samples of shape `sampleShape` with integer class labels.
 * `x` / `y` are tensors created on first access (kept: they survive `tidy`; call `dispose()` on
 * them to free backend memory early — a later access makes fresh ones). The set is also a
 * `{ data, shape }` host array, so `new ax.Dataset(set, set.labels)` takes it without a copy.
 */
export class ClassificationSet {
  /** Sample values, row-major `[count, ...sampleShape]` (scaled to [0, 1] when the loader normalised). */
  readonly data: Float32Array;
  /** Class index of each sample, `[count]`, in `[0, numClasses)`. */
  readonly labels: Uint8Array;
  /** Shape of one sample: `[784]` (flattened MNIST), `[28, 28]`, `[64]`, `[4]`, … */
  readonly sampleShape: readonly number[];
  /** Shape of `x` and `data`: `[count, ...sampleShape]`. */
  readonly shape: readonly number[];
  /** Names of the classes, indexed by label. */
  readonly classNames: readonly string[];
  private readonly lazyX: LazyTensor;
  private readonly lazyY: LazyTensor;

  constructor(data: Float32Array, labels: Uint8Array, sampleShape: readonly number[], classNames: readonly string[]) {
    const fn = 'ClassificationSet';
    if (!(data instanceof Float32Array)) throw new ArgumentError(`${fn}: argument 'data' expected a Float32Array, given ${describeValue(data)}`);
    if (!(labels instanceof Uint8Array)) throw new ArgumentError(`${fn}: argument 'labels' expected a Uint8Array, given ${describeValue(labels)}`);
    const per = checkShape(fn, sampleShape, 'sampleShape').reduce((a, b) => a * b, 1);
    if (data.length !== labels.length * per) throw new ShapeError(`${fn}: argument 'data' expected ${labels.length} × ${per} = ${labels.length * per} values (labels × sampleShape), given ${data.length}`);
    if (!Array.isArray(classNames) || classNames.some((c) => typeof c !== 'string')) throw new ArgumentError(`${fn}: argument 'classNames' expected an array of strings, given ${describeValue(classNames)}`);
    const bad = labels.findIndex((l) => l >= classNames.length);
    if (bad >= 0) throw new ArgumentError(`${fn}: argument 'labels' expected class indices in [0, ${classNames.length - 1}], given ${labels[bad]} at index ${bad}`);
    this.data = data;
    this.labels = labels;
    this.sampleShape = Object.freeze([...sampleShape]);
    this.shape = Object.freeze([labels.length, ...sampleShape]);
    this.classNames = Object.freeze([...classNames]);
    this.lazyX = new LazyTensor(() => data, this.shape);
    this.lazyY = new LazyTensor(() => Float32Array.from(labels), [labels.length]);
  }

  /** Number of samples. */
  get count(): number {
    return this.labels.length;
  }

  /** Number of classes. */
  get numClasses(): number {
    return this.classNames.length;
  }

  /** The same array as {@link ClassificationSet.data} (the name used for image sets). */
  get images(): Float32Array {
    return this.data;
  }

  /** The samples as a tensor `[count, ...sampleShape]`. */
  get x(): Tensor {
    return this.lazyX.get();
  }

  /** The labels as a float tensor of class indices `[count]` (what `crossEntropy` takes). */
  get y(): Tensor {
    return this.lazyY.get();
  }
}

/**
 * A numeric table read by `loadCsv`: features and, when a label column was chosen, targets.
 * Like {@link ClassificationSet} it is a `{ data, shape }` host array with lazy `x` / `y` tensors.
 */
export class CsvData {
  /** Feature values, row-major `[rows, columns.length]`. */
  readonly data: Float32Array;
  /** The label column's values `[rows]`, when `labelColumn` was given. */
  readonly labels: Float32Array | undefined;
  /** Names of the feature columns (header names, or `c0`, `c1`, … by original column index). */
  readonly columns: readonly string[];
  /** The label column's name, when `labelColumn` was given. */
  readonly labelName: string | undefined;
  /** Number of data rows. */
  readonly rows: number;
  /** Shape of `x` and `data`: `[rows, columns.length]`. */
  readonly shape: readonly number[];
  private readonly lazyX: LazyTensor;
  private readonly lazyY: LazyTensor | undefined;

  constructor(data: Float32Array, rows: number, columns: readonly string[], labels?: Float32Array, labelName?: string) {
    const fn = 'CsvData';
    if (!(data instanceof Float32Array)) throw new ArgumentError(`${fn}: argument 'data' expected a Float32Array, given ${describeValue(data)}`);
    if (!Number.isSafeInteger(rows) || rows < 0) throw new ArgumentError(`${fn}: argument 'rows' expected an integer ≥ 0, given ${describeValue(rows)}`);
    if (!Array.isArray(columns) || columns.some((c) => typeof c !== 'string')) throw new ArgumentError(`${fn}: argument 'columns' expected an array of strings, given ${describeValue(columns)}`);
    if (data.length !== rows * columns.length) throw new ShapeError(`${fn}: argument 'data' expected rows × columns = ${rows * columns.length} values, given ${data.length}`);
    if (labels !== undefined && (!(labels instanceof Float32Array) || labels.length !== rows)) {
      throw new ShapeError(`${fn}: argument 'labels' expected a Float32Array of ${rows} values, given ${describeValue(labels)}`);
    }
    this.data = data;
    this.labels = labels;
    this.columns = Object.freeze([...columns]);
    this.labelName = labelName;
    this.rows = rows;
    this.shape = Object.freeze([rows, columns.length]);
    this.lazyX = new LazyTensor(() => data, this.shape);
    this.lazyY = labels ? new LazyTensor(() => labels, [rows]) : undefined;
  }

  /** The features as a tensor `[rows, columns.length]` (created on first access, kept). */
  get x(): Tensor {
    return this.lazyX.get();
  }

  /** The label column as a tensor `[rows]`, or undefined without `labelColumn`. */
  get y(): Tensor | undefined {
    return this.lazyY?.get();
  }
}
