/**
 * Random hyperparameter search (Bergstra & Bengio 2012, as in the notes): sample each trial's
 * parameters from a space (learning rates and regularisation strengths log-uniformly, dropout
 * linearly, sizes from a list), build and train a model for a few epochs, score it on held-out
 * data, and rank the trials.
 *
 * The validation part is split off once, before the first trial (by default after a seeded
 * shuffle, so a file sorted by class still gives a fair split), and every trial trains on the
 * same samples in the same shuffled order (`fit`'s seed is the search's seed). A trial whose loss
 * becomes NaN or infinite (typically a too-large learning rate) is recorded as failed and ranked
 * last instead of ending the search; any other error ends it.
 */
import { AxonError, ArgumentError, ShapeError, checkOptions, describeValue } from '../errors.js';
import { Module } from '../nn/module.js';
import { tensor } from '../ops/create.js';
import { Tensor, sizeOf, type NestedArray } from '../tensor.js';
import type { Callback, Logs } from '../train/callbacks.js';
import { trainingState, type TrainableModel } from '../train/compile.js';
import { toHost, type HostData } from '../train/data.js';
import { fitModel, valKey, type FitOptions } from '../train/fit.js';
import type { HistoryRecord } from '../train/history.js';
import { permutation } from '../train/shuffle.js';
import { checkSearchSeed } from './random.js';
import { checkSpace, sampleParams, type SampledParams, type SearchSpace } from './space.js';

/** Samples for the search: a tensor, nested arrays, a host array `{ data, shape }` (a loaded set, a Dataset's `x`) or, for labels, a flat typed array. */
export type SearchSamples = Tensor | NestedArray[] | { data: Float32Array; shape: readonly number[] } | ArrayLike<number>;

/** Options of {@link randomSearch}. */
export interface RandomSearchOptions<S extends SearchSpace> {
  /** Parameter samplers and constants (see space.ts): `{ lr: logUniform(1e-4, 1e-1), hidden: choice([64, 128]) }`. */
  space: S;
  /** Number of trials (positive integer). */
  trials: number;
  /** Seed of the parameter draws, the validation split and `fit`'s shuffling. Default 0. */
  seed?: number;
  /**
   * Makes trial `trial`'s model from its parameters, already compiled
   * (`model.compile({ optimizer: new ax.Adam({ lr: p.lr }), loss: 'crossEntropy', metrics: ['accuracy'] })`).
   * The search disposes the model (and its optimiser) after the trial.
   */
  build: (params: SampledParams<S>, trial: number) => Module | Promise<Module>;
  /** Training data `{ x, y }` (a `Dataset` works too). */
  data: { x: SearchSamples; y: SearchSamples };
  /** Fraction of `data` held out for scoring, in (0, 1). Default 0.2 (unless `validationData` is given). */
  validationSplit?: number;
  /** Shuffle `data` (seeded) before splitting off the validation part. Default true. */
  shuffleSplit?: boolean;
  /** Held-out `{ x, y }` to score on instead of a split of `data`. */
  validationData?: { x: SearchSamples; y: SearchSamples };
  /** Epochs per trial (a space key `epochs` overrides it per trial). Default 3. */
  epochs?: number;
  /** Samples per step (a space key `batchSize` overrides it per trial). Default 32. */
  batchSize?: number;
  /** Further `fit` options for every trial: `shuffle`, `callbacks` (e.g. early stopping), `verbose`, `seed`. */
  fit?: Pick<FitOptions, 'shuffle' | 'callbacks' | 'verbose' | 'seed'>;
  /** Log key that ranks the trials (its last-epoch value). Default 'valAccuracy' when the model tracks accuracy, else 'valLoss'. */
  metric?: string;
  /** 'max' or 'min' is better. Default 'min' for loss/error-like metrics (…loss, …mse, …mae), else 'max'. */
  mode?: 'max' | 'min';
  /** Called after every trial (for progress output). */
  onTrial?: (result: TrialResult<SampledParams<S>>, progress: { done: number; total: number; best: TrialResult<SampledParams<S>> }) => void | Promise<void>;
  /** Keep the best trial's trained model (as `results[0].model`) instead of disposing it. Default false. */
  keepBest?: boolean;
}

/** One trial's outcome; values are those of the last epoch trained. */
export interface TrialResult<P = Record<string, unknown>> {
  /** 1-based position in the ranking (0 until the search has finished). */
  rank: number;
  /** 0-based trial number (the order trials ran in; `sampleParams(space, seed, trial)` gives its params). */
  trial: number;
  params: P;
  /** The ranking metric's value (NaN for a failed trial). */
  score: number;
  /** Name of the ranking metric. */
  metric: string;
  valLoss: number;
  /** NaN when the model does not track accuracy. */
  valAccuracy: number;
  /** Training loss of the last epoch. */
  loss: number;
  /** Training accuracy of the last epoch (NaN when not tracked). */
  accuracy: number;
  /** Epochs completed. */
  epochs: number;
  /** Wall time of build + training, seconds. */
  seconds: number;
  /** Every log series of the trial (`loss`, `valLoss`, `valAccuracy`, `lr`, …). */
  history: HistoryRecord;
  /** Why the trial failed (a non-finite loss); absent for a successful trial. */
  error?: string;
  /** The trained model of the best trial when `keepBest` is set (the caller disposes it). */
  model?: Module;
}

const KEYS = ['space', 'trials', 'seed', 'build', 'data', 'validationSplit', 'shuffleSplit', 'validationData', 'epochs', 'batchSize', 'fit', 'metric', 'mode', 'onTrial', 'keepBest'];
const FIT_KEYS = ['shuffle', 'callbacks', 'verbose', 'seed'];

function positiveInt(fn: string, key: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw new ArgumentError(`${fn}: ${key} expected a positive integer, given ${describeValue(v)}`);
  return v;
}

/** Samples to host data (a copy is made only when needed). */
async function hostOf(fn: string, arg: string, v: unknown): Promise<HostData> {
  if (v instanceof Tensor || Array.isArray(v)) return toHost(fn, arg, v);
  if (v !== null && typeof v === 'object' && (v as { data?: unknown }).data instanceof Float32Array && Array.isArray((v as { shape?: unknown }).shape)) {
    const h = v as { data: Float32Array; shape: number[] };
    if (h.shape.length < 1 || sizeOf(h.shape) !== h.data.length) throw new ArgumentError(`${fn}: ${arg} has shape [${h.shape.join(', ')}] but ${h.data.length} values`);
    return { data: h.data, shape: [...h.shape] };
  }
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const d = Float32Array.from(v as unknown as ArrayLike<number>);
    return { data: d, shape: [d.length] };
  }
  throw new ArgumentError(`${fn}: ${arg} expected a Tensor, nested arrays, a host array { data, shape } or a typed array, given ${describeValue(v)}`);
}

function pair(fn: string, arg: string, v: unknown): { x: unknown; y: unknown } {
  if (v === null || typeof v !== 'object' || !('x' in v) || !('y' in v)) throw new ArgumentError(`${fn}: option '${arg}' expected { x, y }, given ${describeValue(v)}`);
  return v as { x: unknown; y: unknown };
}

function countOf(h: HostData): number {
  return h.shape[0]!;
}

function gather(h: HostData, idx: Uint32Array): HostData {
  const r = sizeOf(h.shape.slice(1));
  const out = new Float32Array(idx.length * r);
  for (let i = 0; i < idx.length; i++) out.set(h.data.subarray(idx[i]! * r, (idx[i]! + 1) * r), i * r);
  return { data: out, shape: [idx.length, ...h.shape.slice(1)] };
}

function lowerIsBetter(metric: string): boolean {
  return /(loss|mse|mae|error)$/i.test(metric);
}

/** True when a is ranked before b. */
function better(a: TrialResult<unknown>, b: TrialResult<unknown>, max: boolean): boolean {
  const an = Number.isNaN(a.score);
  const bn = Number.isNaN(b.score);
  if (an !== bn) return bn;
  if (!an && a.score !== b.score) return max ? a.score > b.score : a.score < b.score;
  return a.trial < b.trial;
}

function freeModel(model: Module): void {
  const st = (model as TrainableModel)._training;
  model.dispose();
  st?.optimizer.dispose();
}

/**
 * Runs `trials` trials and resolves to their results ranked best first (see the file comment
 * and {@link RandomSearchOptions}). Print them with `formatTable(results)`.
 */
export async function randomSearch<S extends SearchSpace>(options: RandomSearchOptions<S>): Promise<Array<TrialResult<SampledParams<S>>>> {
  const fn = 'randomSearch';
  if (options === null || typeof options !== 'object') throw new ArgumentError(`${fn}: expected an options object { space, trials, build, data }, given ${describeValue(options)}`);
  checkOptions(fn, options, KEYS);
  const space = checkSpace(fn, options.space) as S;
  const trials = positiveInt(fn, "option 'trials'", options.trials);
  const seed = checkSearchSeed(fn, options.seed);
  if (typeof options.build !== 'function') throw new ArgumentError(`${fn}: option 'build' expected a function (params, trial) => compiled model, given ${describeValue(options.build)}`);
  const epochsDefault = positiveInt(fn, "option 'epochs'", options.epochs ?? 3);
  const batchDefault = positiveInt(fn, "option 'batchSize'", options.batchSize ?? 32);
  const fitExtra = options.fit ?? {};
  checkOptions(`${fn}: option 'fit'`, fitExtra, FIT_KEYS);
  if (options.metric !== undefined && (typeof options.metric !== 'string' || options.metric === '')) throw new ArgumentError(`${fn}: option 'metric' expected a log key such as 'valAccuracy' or 'valLoss', given ${describeValue(options.metric)}`);
  if (options.mode !== undefined && options.mode !== 'max' && options.mode !== 'min') throw new ArgumentError(`${fn}: option 'mode' expected 'max' or 'min', given ${describeValue(options.mode)}`);
  if (options.onTrial !== undefined && typeof options.onTrial !== 'function') throw new ArgumentError(`${fn}: option 'onTrial' expected a function, given ${describeValue(options.onTrial)}`);
  const keepBest = options.keepBest ?? false;
  if (typeof keepBest !== 'boolean') throw new ArgumentError(`${fn}: option 'keepBest' expected a boolean, given ${describeValue(keepBest)}`);
  const shuffleSplit = options.shuffleSplit ?? true;
  if (typeof shuffleSplit !== 'boolean') throw new ArgumentError(`${fn}: option 'shuffleSplit' expected a boolean, given ${describeValue(shuffleSplit)}`);

  // ---- data: split once, upload once ----------------------------------------------------
  const data = pair(fn, 'data', options.data);
  let tx = await hostOf(fn, 'data.x', data.x);
  let ty = await hostOf(fn, 'data.y', data.y);
  if (countOf(tx) !== countOf(ty)) throw new ShapeError(`${fn}: data.x has ${countOf(tx)} samples but data.y has ${countOf(ty)}; expected the same number`);
  let vx: HostData;
  let vy: HostData;
  if (options.validationData !== undefined) {
    if (options.validationSplit !== undefined) throw new ArgumentError(`${fn}: give either 'validationSplit' or 'validationData', not both`);
    const v = pair(fn, 'validationData', options.validationData);
    vx = await hostOf(fn, 'validationData.x', v.x);
    vy = await hostOf(fn, 'validationData.y', v.y);
    if (countOf(vx) !== countOf(vy)) throw new ArgumentError(`${fn}: validationData.x has ${countOf(vx)} samples but validationData.y has ${countOf(vy)}`);
  } else {
    const split = options.validationSplit ?? 0.2;
    if (typeof split !== 'number' || !(split > 0 && split < 1)) throw new ArgumentError(`${fn}: option 'validationSplit' expected a number in (0, 1), given ${describeValue(split)}`);
    const n = countOf(tx);
    const nVal = Math.floor(n * split);
    if (nVal === 0 || nVal === n) throw new ArgumentError(`${fn}: validationSplit ${split} of ${n} samples leaves ${nVal === 0 ? 'no validation' : 'no training'} samples`);
    const order = shuffleSplit ? permutation(n, seed, 0) : Uint32Array.from({ length: n }, (_, i) => i);
    const trainIdx = order.subarray(0, n - nVal);
    const valIdx = order.subarray(n - nVal);
    [vx, vy] = [gather(tx, valIdx), gather(ty, valIdx)];
    [tx, ty] = [gather(tx, trainIdx), gather(ty, trainIdx)];
  }
  const uploaded = [tensor(tx.data, tx.shape), tensor(ty.data, ty.shape), tensor(vx.data, vx.shape), tensor(vy.data, vy.shape)].map((t) => t.keep());
  const [xT, yT, vxT, vyT] = uploaded as [Tensor, Tensor, Tensor, Tensor];

  const results: Array<TrialResult<SampledParams<S>>> = [];
  let best: TrialResult<SampledParams<S>> | undefined;
  let metric = options.metric;
  let max = options.mode === undefined ? undefined : options.mode === 'max';
  try {
    for (let trial = 0; trial < trials; trial++) {
      const params = sampleParams(space, seed, trial);
      const p = params as Record<string, unknown>;
      const epochs = p['epochs'] !== undefined ? positiveInt(fn, `trial ${trial}: parameter 'epochs'`, p['epochs']) : epochsDefault;
      const batchSize = p['batchSize'] !== undefined ? positiveInt(fn, `trial ${trial}: parameter 'batchSize'`, p['batchSize']) : batchDefault;
      const t0 = performance.now();
      const model = await options.build(params, trial);
      if (!(model instanceof Module)) throw new ArgumentError(`${fn}: build(params, ${trial}) expected to return a model (a Module such as new ax.Sequential([…])), returned ${describeValue(model)}`);
      let st;
      try {
        st = trainingState(model, `${fn}: the model build(params, ${trial}) returned`);
      } catch (e) {
        model.dispose();
        throw e;
      }
      const names = st.metrics.map((m) => m.name);
      const keys = ['loss', ...names, 'valLoss', ...names.map(valKey)];
      metric ??= names.includes('accuracy') ? 'valAccuracy' : 'valLoss';
      max ??= !lowerIsBetter(metric);
      if (!keys.includes(metric)) {
        freeModel(model);
        throw new ArgumentError(`${fn}: option 'metric' is '${metric}' but trial ${trial}'s model logs only ${keys.join(', ')} (compile it with the metrics you want to rank by)`);
      }
      const logs: Logs[] = [];
      const recorder: Callback = { onEpochEnd: (_e, l) => void logs.push({ ...l }) };
      let error: string | undefined;
      try {
        await fitModel(model, xT, yT, { ...fitExtra, seed: fitExtra.seed ?? seed, epochs, batchSize, validationData: [vxT, vyT], callbacks: [...(fitExtra.callbacks ?? []), recorder] });
      } catch (e) {
        if (!(e instanceof AxonError && e.code === 'NON_FINITE')) {
          freeModel(model);
          throw e;
        }
        error = e.message;
      }
      const seconds = (performance.now() - t0) / 1000;
      const last = logs[logs.length - 1] ?? {};
      const history: HistoryRecord = { loss: [], lr: [] };
      for (const l of logs) for (const [k, v] of Object.entries(l)) (history[k] ??= []).push(v);
      const get = (k: string) => last[k] ?? Number.NaN;
      const result: TrialResult<SampledParams<S>> = {
        rank: 0,
        trial,
        params,
        score: error ? Number.NaN : get(metric),
        metric,
        valLoss: get('valLoss'),
        valAccuracy: get('valAccuracy'),
        loss: get('loss'),
        accuracy: get('accuracy'),
        epochs: logs.length,
        seconds,
        history,
      };
      if (error) result.error = error;
      results.push(result);
      const isBest = !best || better(result, best, max);
      if (keepBest && isBest) {
        if (best?.model) freeModel(best.model);
        delete best?.model;
        result.model = model;
      } else freeModel(model);
      if (isBest) best = result;
      await options.onTrial?.(result, { done: trial + 1, total: trials, best: best! });
    }
  } catch (e) {
    for (const r of results) if (r.model) freeModel(r.model);
    throw e;
  } finally {
    for (const t of uploaded) t.dispose();
  }
  const m = max ?? true;
  results.sort((a, b) => (better(a, b, m) ? -1 : better(b, a, m) ? 1 : 0));
  results.forEach((r, i) => (r.rank = i + 1));
  return results;
}
