/**
 * `fit`: mini-batch training. Each epoch shuffles the training samples with a seeded
 * permutation (shuffle.ts), and each step — inside one `tidy` — zeroes the gradients, runs the
 * model, adds the regularisation penalty to the loss, checks the loss is finite (before any
 * update), back-propagates, lets the optimiser step and applies the weight constraints.
 * Batches are written into tensors allocated once and reused (data.ts), so live memory stays
 * flat from the second step on. Every argument is checked — the data for NaN/±Inf too (one pass
 * over the host copies: ~30 ms for MNIST's 60000×784, about 1 % of a wasm MLP epoch) — and the
 * data is tried on the model, before anything changes.
 *
 * Reading the loss back: on js/wasm (and wherever a callback has `onBatchEnd`) each step awaits
 * its loss before back-propagating, so a non-finite loss stops training before that batch's
 * update. On webgpu the steps are queued without waiting for the GPU and their losses (and
 * predictions, for metrics) are read asynchronously a few steps behind (pending.ts); a
 * non-finite loss then stops training when its value arrives, and the error says how many
 * later updates had already been queued.
 *
 * State after a stop where the loss is read at once (js/wasm, or an `onBatchEnd` callback) —
 * a non-finite loss or any error before the step's update: the weights and the optimiser state
 * are those after the last completed step (the failing update never ran); batch-norm running
 * statistics and dropout stream offsets are put back to their values before the failing
 * step's forward pass (rollback.ts); gradients are cleared (`grad` null, as after every step);
 * train/eval modes are restored. On webgpu without `onBatchEnd` the updates queued before the
 * loss arrived have been applied, as the error says.
 */
import { markChecked } from '../deferred.js';
import { kernels, noGrad, tidy } from '../engine.js';
import { AxonError, ArgumentError, checkOptions, describeValue } from '../errors.js';
import type { Module } from '../nn/module.js';
import { add } from '../ops/arithmetic.js';
import type { Tensor } from '../tensor.js';
import { checkCallbacks, fire, type Callback, type FitContext, type Logs } from './callbacks.js';
import { trainingState, type TrainingState } from './compile.js';
import { checkBatchSize, checkVerbose } from './checks.js';
import { BatchBuffer, checkFiniteData, checkSameLength, count, sliceRows, toHost, type HostData, type Samples } from './data.js';
import { EvalBuffers, evaluateHost } from './evaluate.js';
import { History } from './history.js';
import { permutation } from './shuffle.js';
import { ReadQueue, readDepth } from './pending.js';
import { StepRollback } from './rollback.js';
import { saveModes } from './modes.js';
import { planTargets } from './targets.js';
import { checkModule } from '../nn/module.js';

/** Options of `model.fit`. */
export interface FitOptions {
  /** Passes over the training data. Default 1. */
  epochs?: number;
  /** Samples per step (the last batch may be smaller). Default 32. */
  batchSize?: number;
  /** Fraction in [0, 1) of the samples, taken from the end before shuffling, held out for validation. */
  validationSplit?: number;
  /** `[x, y]` evaluated after every epoch (instead of `validationSplit`). */
  validationData?: [Samples, Samples];
  /** Shuffle the training samples every epoch. Default true. */
  shuffle?: boolean;
  /** Seed of the shuffling permutation (non-negative integer). Default 0. */
  seed?: number;
  /** Hooks called during training (`earlyStopping`, `lrScheduler`, `{ onEpochEnd(epoch, logs) }`). */
  callbacks?: Callback[];
  /** 1 prints one line per epoch. Default 0. */
  verbose?: 0 | 1 | boolean;
}

const FIT_KEYS = ['epochs', 'batchSize', 'validationSplit', 'validationData', 'shuffle', 'seed', 'callbacks', 'verbose'];

/** Validation log key of a metric: `accuracy` → `valAccuracy`. */
export function valKey(name: string): string {
  return `val${name[0]!.toUpperCase()}${name.slice(1)}`;
}

function parseOptions(fn: string, o: FitOptions) {
  checkOptions(fn, o, FIT_KEYS);
  const epochs = o.epochs ?? 1;
  if (typeof epochs !== 'number' || !Number.isSafeInteger(epochs) || epochs < 1) throw new ArgumentError(`${fn}: option 'epochs' expected a positive integer, given ${describeValue(epochs)}`);
  const batchSize = checkBatchSize(fn, o.batchSize);
  const split = o.validationSplit ?? 0;
  if (typeof split !== 'number' || !(split >= 0 && split < 1)) throw new ArgumentError(`${fn}: option 'validationSplit' expected a number in [0, 1), given ${describeValue(split)}`);
  if (split > 0 && o.validationData !== undefined) throw new ArgumentError(`${fn}: give either 'validationSplit' or 'validationData', not both`);
  if (o.validationData !== undefined && !(Array.isArray(o.validationData) && o.validationData.length === 2)) {
    throw new ArgumentError(`${fn}: option 'validationData' expected [x, y], given ${describeValue(o.validationData)}`);
  }
  const shuffle = o.shuffle ?? true;
  if (typeof shuffle !== 'boolean') throw new ArgumentError(`${fn}: option 'shuffle' expected a boolean, given ${describeValue(shuffle)}`);
  const seed = o.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) throw new ArgumentError(`${fn}: option 'seed' expected a non-negative integer, given ${describeValue(seed)}`);
  const callbacks = checkCallbacks(fn, o.callbacks);
  const verbose = checkVerbose(fn, o.verbose);
  return { epochs, batchSize, split, shuffle, seed, callbacks, verbose };
}

/**
 * One optimisation step on a batch; returns the loss (with penalty) and, if asked, the
 * predictions. Anything that stops the step before the update (a non-finite loss, an error in
 * the loss, the backward pass or the optimiser's checks) puts back the state the forward pass
 * changed and clears the gradients (see the file comment).
 */
async function trainStep(model: Module, st: TrainingState, xb: Tensor, yb: Tensor, wantPred: boolean, where: () => string, rollback: StepRollback): Promise<{ loss: number; pred: Float32Array | null }> {
  return tidy(async () => {
    const opt = st.optimizer;
    opt.zeroGrad();
    rollback.save();
    let loss: number;
    let pred: Float32Array | null;
    try {
      const out = model.forward(xb);
      const base = st.loss(out, yb);
      const reg = model.regularizationLoss();
      const total = reg ? add(base, reg) : base;
      loss = (await total.data())[0]!;
      if (!Number.isFinite(loss)) throw nonFinite(loss, where(), null, xb.backend.name, st.lossName);
      pred = wantPred ? await out.data() : null;
      total.backward();
      opt.step(); // checks everything before it updates anything
    } catch (e) {
      rollback.restore();
      opt.zeroGrad();
      throw e;
    }
    noGrad(() => model.applyConstraints());
    opt.zeroGrad();
    return { loss, pred };
  });
}

/**
 * The same step without waiting for the GPU: queues the work, starts the reads of the loss and
 * (if asked) the predictions, and returns them as a promise. The step's tensors are freed when
 * this returns (the reads are already recorded in the device queue).
 */
function queueStep(model: Module, st: TrainingState, xb: Tensor, yb: Tensor, wantPred: boolean): Promise<[Float32Array, Float32Array | null]> {
  // Wrapped in an object: a promise returned from tidy would keep its scope open until it settles.
  return tidy(() => {
    const opt = st.optimizer;
    opt.zeroGrad();
    const out = model.forward(xb);
    // binaryCrossEntropy would check its probabilities with a deferred read of `out` every step,
    // and the next data() waits for every check in flight, draining the GPU queue. Not needed
    // here: a probability outside [0, 1] (or NaN) makes the loss NaN, which this loop reports.
    if (st.lossName === 'binaryCrossEntropy') markChecked(out);
    const base = st.loss(out, yb);
    const reg = model.regularizationLoss();
    const total = reg ? add(base, reg) : base;
    // Each read is recorded in the device queue now, so it sees exactly this step's values.
    const reads = Promise.all([total.data(), wantPred ? out.data() : null]);
    total.backward();
    opt.step();
    noGrad(() => model.applyConstraints());
    opt.zeroGrad();
    return { reads };
  }).reads;
}

/**
 * The error for a non-finite loss at `where`. `later` is null when the loss was checked before
 * the batch's update, else the number of later updates already queued (asynchronous reads).
 */
function nonFinite(loss: number, where: string, later: number | null, backend: string, lossName: string | null): AxonError {
  const after =
    later === null
      ? "training stopped before this batch's update (the weights, optimiser state and batch-norm statistics hold the values after the previous step)"
      : `training stopped; on the '${backend}' backend the loss is read asynchronously, so this batch's update${later > 0 ? ` and ${later} later one${later > 1 ? 's' : ''}` : ''} had already been applied (the weights may hold non-finite values)`;
  const bce = lossName === 'binaryCrossEntropy' ? ' If the model outputs values outside [0, 1], end it with a sigmoid or use the loss binaryCrossEntropyWithLogits.' : '';
  return new AxonError('NON_FINITE', `fit: the loss is ${loss} at ${where}; ${after}. Try a lower learning rate, normalised inputs, or gradient clipping.${bce}`);
}

function formatLogs(logs: Logs): string {
  return Object.entries(logs)
    .map(([k, v]) => `${k} ${k === 'lr' ? v.toPrecision(3) : v.toFixed(4)}`)
    .join(' · ');
}

/** Implements `model.fit(x, y, options)`; see {@link FitOptions} and the file comment. */
export async function fitModel(model: Module, x: Samples, y: Samples, options: FitOptions = {}): Promise<History> {
  const fn = 'fit';
  checkModule(fn, model);
  const st = trainingState(model, fn);
  const o = parseOptions(fn, options);
  const xs = await toHost(fn, 'x', x);
  const ys = await toHost(fn, 'y', y);
  checkSameLength(fn, xs, ys);
  checkFiniteData(fn, 'x', xs);
  checkFiniteData(fn, 'y', ys);
  let tx: HostData = xs;
  let ty: HostData = ys;
  let vx: HostData | null = null;
  let vy: HostData | null = null;
  if (options.validationData !== undefined) {
    vx = await toHost(fn, 'validationData[0]', options.validationData[0]);
    vy = await toHost(fn, 'validationData[1]', options.validationData[1]);
    checkSameLength(fn, vx, vy, 'validationData[0]', 'validationData[1]');
    checkFiniteData(fn, 'validationData[0]', vx);
    checkFiniteData(fn, 'validationData[1]', vy);
  } else if (o.split > 0) {
    const n = count(xs);
    const nVal = Math.floor(n * o.split);
    if (nVal === 0 || nVal === n) throw new ArgumentError(`${fn}: validationSplit ${o.split} of ${n} samples leaves ${nVal === 0 ? 'no validation' : 'no training'} samples`);
    tx = sliceRows(xs, 0, n - nVal);
    ty = sliceRows(ys, 0, n - nVal);
    vx = sliceRows(xs, n - nVal, n);
    vy = sliceRows(ys, n - nVal, n);
  }
  const plan = await planTargets(fn, model, st, tx, ty);
  const vplan = vx && vy ? await planTargets(fn, model, st, vx, vy, ['validationData[0]', 'validationData[1]']) : null;
  const metricNames = st.metrics.map((m) => m.name);
  const logKeys = ['loss', ...metricNames, ...(vplan ? ['valLoss', ...metricNames.map(valKey)] : []), 'lr'];
  const n = count(tx);
  const steps = Math.ceil(n / o.batchSize);
  const ctx: FitContext = { model, optimizer: st.optimizer, epochs: o.epochs, batchSize: o.batchSize, steps, samples: n, logKeys, stopTraining: false };
  await fire(o.callbacks, 'onTrainBegin', ctx);

  const history = new History();
  const xbuf = new BatchBuffer(tx.shape.slice(1));
  const ybuf = new BatchBuffer(plan.targetRow);
  const vbuf = vplan && vx ? new EvalBuffers(vx, vplan) : null;
  const order = o.shuffle ? new Uint32Array(n) : null;
  const metricSums = new Float64Array(st.metrics.length);
  const wantPred = st.metrics.length > 0;
  const depth = readDepth(kernels(), o.callbacks.some((c) => typeof c.onBatchEnd === 'function'));
  const reads = new ReadQueue<[Float32Array, Float32Array | null]>(depth);
  const restoreModes = saveModes(model);
  const rollback = new StepRollback(depth === 0 ? model : null);
  let last: Logs | undefined;
  try {
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      const t0 = Date.now();
      await fire(o.callbacks, 'onEpochBegin', epoch, ctx);
      model.train();
      if (order) permutation(n, o.seed, epoch, order);
      let lossSum = 0;
      metricSums.fill(0);
      for (let b = 0; b < steps; b++) {
        const start = b * o.batchSize;
        const size = Math.min(o.batchSize, n - start);
        const xb = xbuf.load(tx, order, start, size);
        const yb = ybuf.load(ty, order, start, size);
        if (st.lossKind === 'classification' || st.lossKind === 'binary') markChecked(yb); // planTargets checked these targets
        const where = () => `epoch ${epoch + 1}/${o.epochs}, batch ${b + 1}/${steps} (0-based: epoch ${epoch}, batch ${b})`;
        if (depth === 0) {
          const { loss, pred } = await trainStep(model, st, xb, yb, wantPred, where, rollback);
          lossSum += loss * size;
          if (pred) st.metrics.forEach((m, i) => (metricSums[i] += m.compute(pred, [size, ...plan.outRow], ybuf.host, yb.shape) * size));
          await fire(o.callbacks, 'onBatchEnd', b, { loss, batch: b, size, epoch }, ctx);
          continue;
        }
        // Asynchronous backend: settle this step's values a few steps later (see the file comment).
        const yHost = wantPred ? ybuf.host.slice() : null;
        const yShape = yb.shape;
        const queued = queueStep(model, st, xb, yb, wantPred);
        await reads.push(queued, ([l, pred]) => {
          const loss = l[0]!;
          if (!Number.isFinite(loss)) throw nonFinite(loss, where(), reads.size, xb.backend.name, st.lossName);
          lossSum += loss * size;
          if (pred && yHost) st.metrics.forEach((m, i) => (metricSums[i] += m.compute(pred, [size, ...plan.outRow], yHost, yShape) * size));
        });
      }
      await reads.drain();
      const logs: Logs = { loss: lossSum / n };
      st.metrics.forEach((m, i) => (logs[m.name] = metricSums[i]! / n));
      if (vbuf && vx && vy) {
        const v = await evaluateHost(model, st, vx, vy, o.batchSize, vbuf);
        for (const [k, val] of Object.entries(v)) logs[valKey(k)] = val;
      }
      logs.lr = st.optimizer.lr;
      history.record(epoch, logs);
      last = logs;
      if (o.verbose) console.log(`epoch ${epoch + 1}/${o.epochs} · ${((Date.now() - t0) / 1000).toFixed(2)}s · ${formatLogs(logs)}`);
      await fire(o.callbacks, 'onEpochEnd', epoch, logs, ctx);
      if (ctx.stopTraining) break;
    }
    await fire(o.callbacks, 'onTrainEnd', last, ctx);
  } finally {
    reads.clear();
    rollback.dispose();
    xbuf.dispose();
    ybuf.dispose();
    vbuf?.dispose();
    restoreModes();
  }
  return history;
}
