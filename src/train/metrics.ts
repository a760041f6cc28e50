/**
 * Training metrics, computed on host copies of a batch's predictions and targets (a few
 * hundred floats per batch, so no device work and nothing to free). Each metric returns the mean
 * over the batch's samples; `fit`/`evaluate` average batches weighted by their sizes.
 */
import { ArgumentError, checkName, checkOptions, describeValue, fmtShape } from '../errors.js';

/** A metric: `compute` returns its mean over one batch. */
export interface Metric {
  /** Key in logs and history (`accuracy`; validation adds `valAccuracy`). */
  readonly name: string;
  /**
   * Mean over the batch. `pred` is `[n, …]` (row-major), `target` is `[n]` class indices or the
   * same size as `pred`.
   */
  compute(pred: Float32Array, predShape: readonly number[], target: Float32Array, targetShape: readonly number[]): number;
}

/** A metric by name, `{ name: 'topKAccuracy', k }`, or a custom {@link Metric}. */
export type MetricSpec = 'accuracy' | 'topKAccuracy' | 'mse' | 'mae' | { name: 'topKAccuracy'; k?: number } | Metric;

/** Metric names `compile` accepts. */
export const METRIC_NAMES = ['accuracy', 'topKAccuracy', 'mse', 'mae'] as const;

function rows(fn: string, pred: Float32Array, predShape: readonly number[]): { n: number; c: number } {
  const n = predShape[0] ?? 1;
  const c = n > 0 ? pred.length / n : 0;
  if (!Number.isInteger(c)) throw new ArgumentError(`${fn}: predictions of shape ${fmtShape(predShape)} do not split into ${n} rows`);
  return { n, c };
}

function argmaxRow(a: Float32Array, off: number, c: number): number {
  let best = 0;
  let bv = a[off]!;
  for (let j = 1; j < c; j++) {
    const v = a[off + j]!;
    if (v > bv || (Number.isNaN(v) && !Number.isNaN(bv))) {
      bv = v;
      best = j;
    }
  }
  return best;
}

function mismatch(name: string, predShape: readonly number[], targetShape: readonly number[]): ArgumentError {
  return new ArgumentError(`metric '${name}': targets of shape ${fmtShape(targetShape)} do not match predictions of shape ${fmtShape(predShape)} (expected [n] class indices or the predictions' shape)`);
}

/**
 * Classification accuracy. Several outputs per sample: argmax of the prediction against the
 * class index (or the argmax of a one-hot / probability target). One output per sample: binary,
 * `pred > threshold` against `target > 0.5`; `threshold` is 0.5 (probabilities) or 0 (logits;
 * `compile` picks it from the loss).
 */
export function accuracyMetric(options: { threshold?: number } = {}): Metric {
  checkOptions('accuracy', options, ['threshold']);
  const threshold = options.threshold ?? 0.5;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) throw new ArgumentError(`accuracy: option 'threshold' expected a finite number, given ${describeValue(threshold)}`);
  return {
    name: 'accuracy',
    compute(pred, predShape, target, targetShape) {
      const { n, c } = rows('accuracy', pred, predShape);
      if (n === 0) return 0;
      let hits = 0;
      if (c === 1) {
        if (target.length !== n) throw mismatch('accuracy', predShape, targetShape);
        for (let i = 0; i < n; i++) if (pred[i]! > threshold === target[i]! > 0.5) hits++;
      } else if (target.length === n) {
        for (let i = 0; i < n; i++) if (argmaxRow(pred, i * c, c) === target[i]) hits++;
      } else if (target.length === n * c) {
        for (let i = 0; i < n; i++) if (argmaxRow(pred, i * c, c) === argmaxRow(target, i * c, c)) hits++;
      } else throw mismatch('accuracy', predShape, targetShape);
      return hits / n;
    },
  };
}

/**
 * Top-k accuracy (default k = 5): the target class is among the k highest predictions, ties
 * counted in its favour (the number of strictly larger scores is below k).
 */
export function topKAccuracy(k = 5): Metric {
  if (!Number.isInteger(k) || k < 1) throw new ArgumentError(`topKAccuracy: argument 'k' expected a positive integer, given ${describeValue(k)}`);
  return {
    name: 'topKAccuracy',
    compute(pred, predShape, target, targetShape) {
      const { n, c } = rows('topKAccuracy', pred, predShape);
      if (n === 0) return 0;
      const oneHot = target.length === n * c && c > 1;
      if (!oneHot && target.length !== n) throw mismatch('topKAccuracy', predShape, targetShape);
      let hits = 0;
      for (let i = 0; i < n; i++) {
        const off = i * c;
        const t = oneHot ? argmaxRow(target, off, c) : target[i]!;
        if (!(t >= 0 && t < c && Number.isInteger(t))) continue;
        const s = pred[off + t]!;
        if (Number.isNaN(s)) continue;
        let larger = 0;
        for (let j = 0; j < c && larger < k; j++) if (pred[off + j]! > s) larger++;
        if (larger < k) hits++;
      }
      return hits / n;
    },
  };
}

/** Elementwise error metric; class-index targets are compared as one-hot rows. */
function elementwise(name: 'mse' | 'mae', f: (d: number) => number): Metric {
  return {
    name,
    compute(pred, predShape, target, targetShape) {
      const { n, c } = rows(name, pred, predShape);
      if (pred.length === 0) return 0;
      let s = 0;
      if (target.length === pred.length) {
        for (let i = 0; i < pred.length; i++) s += f(pred[i]! - target[i]!);
      } else if (target.length === n && c > 1) {
        for (let i = 0; i < n; i++) for (let j = 0; j < c; j++) s += f(pred[i * c + j]! - (target[i] === j ? 1 : 0));
      } else throw mismatch(name, predShape, targetShape);
      return s / pred.length;
    },
  };
}

/** Mean squared error over all elements. */
export const mseMetric = (): Metric => elementwise('mse', (d) => d * d);
/** Mean absolute error over all elements. */
export const maeMetric = (): Metric => elementwise('mae', Math.abs);

/** Resolves a metric spec (see {@link MetricSpec}); `threshold` feeds binary accuracy. */
export function resolveMetric(spec: unknown, threshold: number): Metric {
  if (spec !== null && typeof spec === 'object') {
    const o = spec as { name?: unknown; compute?: unknown; k?: unknown };
    if (typeof o.compute === 'function') {
      if (typeof o.name !== 'string' || o.name.length === 0) throw new ArgumentError(`compile: a custom metric needs a non-empty string 'name', given ${describeValue(o.name)}`);
      return spec as Metric;
    }
    if (o.name === 'topKAccuracy') {
      checkOptions('compile: metric topKAccuracy', spec, ['name', 'k']);
      return topKAccuracy((o.k as number | undefined) ?? 5);
    }
    throw new ArgumentError(`compile: metric objects expected { name: 'topKAccuracy', k } or { name, compute(pred, predShape, target, targetShape) }, given ${JSON.stringify(spec)}`);
  }
  const name = checkName('compile', 'metric', spec, METRIC_NAMES);
  switch (name) {
    case 'accuracy':
      return accuracyMetric({ threshold });
    case 'topKAccuracy':
      return topKAccuracy(5);
    case 'mse':
      return mseMetric();
    case 'mae':
      return maeMetric();
  }
}
