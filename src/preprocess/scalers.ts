/**
 * Feature scalers on `[N, D]` data, with scikit-learn's definitions: mean-centring,
 * standardisation (population standard deviation) and min–max normalisation.
 */
import { ArgumentError, checkOptions, describeValue } from '../errors.js';
import { add, div, mul, sub } from '../ops/arithmetic.js';
import type { Tensor } from '../tensor.js';
import type { HostArray } from '../data/host.js';
import { columnMeans, columnRange, columnVariances, guardScale } from './stats.js';
import { Preprocessor, release } from './preprocessor.js';

/** Subtracts the per-feature mean: `x − mean`. */
export class MeanCenter extends Preprocessor {
  /** Per-feature means `[D]` learnt by `fit`. */
  mean: Float64Array = new Float64Array(0);

  protected get kind(): string {
    return 'MeanCenter';
  }

  protected fitHost(h: HostArray): void {
    this.mean = columnMeans(h);
  }

  protected forward(x: Tensor): Tensor {
    return sub(x, this.constant('mean', this.mean, [this.nFeatures]));
  }

  protected backward(x: Tensor): Tensor {
    return add(x, this.constant('mean', this.mean, [this.nFeatures]));
  }
}

/** Options of {@link StandardScaler}. */
export interface StandardScalerOptions {
  /** Subtract the mean. Default true. */
  withMean?: boolean;
  /** Divide by the standard deviation. Default true. */
  withStd?: boolean;
}

function flag(fn: string, name: string, v: unknown): boolean {
  if (v === undefined) return true;
  if (typeof v !== 'boolean') throw new ArgumentError(`${fn}: option '${name}' expected a boolean, given ${describeValue(v)}`);
  return v;
}

/**
 * Standardisation `(x − mean) / scale` with `scale` the population standard deviation (÷N, like
 * scikit-learn's StandardScaler). A constant feature gets scale 1 (it is only centred).
 */
export class StandardScaler extends Preprocessor {
  /** Per-feature means `[D]`. */
  mean: Float64Array = new Float64Array(0);
  /** Per-feature population variances `[D]`. */
  variance: Float64Array = new Float64Array(0);
  /** Per-feature divisors `[D]`: the standard deviation, or 1 for a constant feature. */
  scale: Float64Array = new Float64Array(0);
  readonly withMean: boolean;
  readonly withStd: boolean;

  constructor(options: StandardScalerOptions = {}) {
    super();
    checkOptions('StandardScaler', options, ['withMean', 'withStd']);
    this.withMean = flag('StandardScaler', 'withMean', options.withMean);
    this.withStd = flag('StandardScaler', 'withStd', options.withStd);
  }

  protected get kind(): string {
    return 'StandardScaler';
  }

  protected fitHost(h: HostArray): void {
    this.mean = columnMeans(h);
    this.variance = columnVariances(h, this.mean);
    this.scale = guardScale(this.variance.map(Math.sqrt));
  }

  protected forward(x: Tensor): Tensor {
    const d = this.nFeatures;
    let out = x;
    if (this.withMean) out = sub(out, this.constant('mean', this.mean, [d]));
    if (this.withStd) {
      const scaled = div(out, this.constant('scale', this.scale, [d]));
      if (out !== x) release(out, scaled);
      out = scaled;
    }
    return out === x ? add(x, 0) : out;
  }

  protected backward(x: Tensor): Tensor {
    const d = this.nFeatures;
    let out = x;
    if (this.withStd) out = mul(out, this.constant('scale', this.scale, [d]));
    if (this.withMean) {
      const shifted = add(out, this.constant('mean', this.mean, [d]));
      if (out !== x) release(out, shifted);
      out = shifted;
    }
    return out === x ? add(x, 0) : out;
  }
}

/** Options of {@link MinMaxScaler}. */
export interface MinMaxScalerOptions {
  /** Target interval `[lo, hi]` with lo < hi. Default [0, 1]. */
  range?: readonly [number, number];
}

/**
 * Min–max normalisation to `range` (default [0, 1]): `x·scale + min` with
 * `scale = (hi − lo) / (dataMax − dataMin)` and `min = lo − dataMin·scale` (scikit-learn's
 * MinMaxScaler). A constant feature gets range 1, so it maps to `lo`. Values outside the fitted
 * range map outside `range` (no clipping).
 */
export class MinMaxScaler extends Preprocessor {
  /** Per-feature minimum `[D]` seen by `fit`. */
  dataMin: Float64Array = new Float64Array(0);
  /** Per-feature maximum `[D]` seen by `fit`. */
  dataMax: Float64Array = new Float64Array(0);
  /** Per-feature multiplier `[D]`. */
  scale: Float64Array = new Float64Array(0);
  /** Per-feature offset `[D]` added after scaling. */
  min: Float64Array = new Float64Array(0);
  readonly range: readonly [number, number];

  constructor(options: MinMaxScalerOptions = {}) {
    super();
    checkOptions('MinMaxScaler', options, ['range']);
    const r = options.range ?? [0, 1];
    if (!Array.isArray(r) || r.length !== 2 || !r.every((v) => typeof v === 'number' && Number.isFinite(v)) || !(r[0] < r[1])) {
      throw new ArgumentError(`MinMaxScaler: option 'range' expected [lo, hi] with finite lo < hi, given ${Array.isArray(r) ? `[${r.join(', ')}]` : describeValue(r)}`);
    }
    this.range = [r[0], r[1]];
  }

  protected get kind(): string {
    return 'MinMaxScaler';
  }

  protected fitHost(h: HostArray): void {
    const { min, max } = columnRange(h);
    this.dataMin = min;
    this.dataMax = max;
    const [lo, hi] = this.range;
    const dataRange = guardScale(max.map((v, j) => v - min[j]!));
    this.scale = dataRange.map((r) => (hi - lo) / r);
    this.min = min.map((v, j) => lo - v * this.scale[j]!);
  }

  protected forward(x: Tensor): Tensor {
    const d = this.nFeatures;
    const scaled = mul(x, this.constant('scale', this.scale, [d]));
    const out = add(scaled, this.constant('min', this.min, [d]));
    release(scaled, out);
    return out;
  }

  protected backward(x: Tensor): Tensor {
    const d = this.nFeatures;
    const shifted = sub(x, this.constant('min', this.min, [d]));
    const out = div(shifted, this.constant('scale', this.scale, [d]));
    release(shifted, out);
    return out;
  }
}
