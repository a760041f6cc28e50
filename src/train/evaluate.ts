/**
 * `evaluate`: the loss (plus any regularisation penalty, as in training) and the metrics over a
 * dataset, in evaluation mode without gradients, averaged over batches weighted by batch size.
 * On webgpu the batches are queued without waiting for the GPU and their values read a few
 * batches behind (pending.ts); on js/wasm each batch is read at once.
 */
import { markChecked } from '../deferred.js';
import { kernels, noGrad, tidy } from '../engine.js';
import { checkOptions } from '../errors.js';
import type { Module } from '../nn/module.js';
import { trainingState, type TrainingState } from './compile.js';
import { checkBatchSize, checkVerbose } from './checks.js';
import { BatchBuffer, checkSameLength, count, toHost, type HostData, type Samples } from './data.js';
import { ReadQueue, readDepth } from './pending.js';
import { inEvalMode } from './modes.js';
import { planTargets, type TargetPlan } from './targets.js';
import { checkModule } from '../nn/module.js';

/** Options of `model.evaluate`. */
export interface EvaluateOptions {
  /** Samples per batch. Default 32. */
  batchSize?: number;
  /** 1 prints the result. Default 0. */
  verbose?: 0 | 1 | boolean;
}

/** Reusable buffers of one evaluation dataset (validation data is evaluated every epoch). */
export class EvalBuffers {
  readonly x: BatchBuffer;
  readonly y: BatchBuffer;
  constructor(x: HostData, plan: TargetPlan) {
    this.x = new BatchBuffer(x.shape.slice(1));
    this.y = new BatchBuffer(plan.targetRow);
  }
  dispose(): void {
    this.x.dispose();
    this.y.dispose();
  }
}

/** Loss and metrics over host data (already checked by planTargets). */
export async function evaluateHost(model: Module, st: TrainingState, x: HostData, y: HostData, batchSize: number, buf: EvalBuffers): Promise<Record<string, number>> {
  const n = count(x);
  const sums = new Float64Array(st.metrics.length);
  let lossSum = 0;
  const reads = new ReadQueue<[Float32Array, Float32Array | null]>(readDepth(kernels()));
  const wantPred = st.metrics.length > 0;
  await noGrad(() =>
    inEvalMode(model, async () => {
      let penalty = 0;
      const reg = model.regularizationLoss();
      if (reg) {
        penalty = (await reg.data())[0]!;
        reg.dispose();
      }
      for (let start = 0; start < n; start += batchSize) {
        const size = Math.min(batchSize, n - start);
        const xb = buf.x.load(x, null, start, size);
        const yb = buf.y.load(y, null, start, size);
        if (st.lossKind === 'classification' || st.lossKind === 'binary') markChecked(yb); // planTargets checked these targets
        if (reads.depth > 0) {
          const yHost = wantPred ? buf.y.host.slice() : null;
          const yShape = yb.shape;
          let outShape: readonly number[] = [];
          // Wrapped in an object so the tidy closes now (a returned promise would keep it open).
          const queued = tidy(() => {
            const out = model.forward(xb);
            const l = st.loss(out, yb);
            outShape = out.shape;
            return { reads: Promise.all([l.data(), wantPred ? out.data() : null]) };
          }).reads;
          await reads.push(queued, ([l, pd]) => {
            lossSum += (l[0]! + penalty) * size;
            if (pd && yHost) st.metrics.forEach((m, i) => (sums[i] += m.compute(pd, outShape, yHost, yShape) * size));
          });
          continue;
        }
        const yHost = buf.y.host;
        await tidy(async () => {
          const out = model.forward(xb);
          const l = st.loss(out, yb);
          lossSum += ((await l.data())[0]! + penalty) * size;
          if (st.metrics.length > 0) {
            const pd = await out.data();
            st.metrics.forEach((m, i) => (sums[i] += m.compute(pd, out.shape, yHost, yb.shape) * size));
          }
        });
      }
      await reads.drain();
    }),
  ).finally(() => reads.clear());
  const result: Record<string, number> = { loss: lossSum / n };
  st.metrics.forEach((m, i) => (result[m.name] = sums[i]! / n));
  return result;
}

/** Implements `model.evaluate(x, y, options)`; returns `{ loss, ...metrics }`. */
export async function evaluateModel(model: Module, x: Samples, y: Samples, options: EvaluateOptions = {}): Promise<Record<string, number>> {
  const fn = 'evaluate';
  checkModule(fn, model);
  const st = trainingState(model, fn);
  checkOptions(fn, options, ['batchSize', 'verbose']);
  const batchSize = checkBatchSize(fn, options.batchSize);
  const verbose = checkVerbose(fn, options.verbose);
  const xs = await toHost(fn, 'x', x);
  const ys = await toHost(fn, 'y', y);
  checkSameLength(fn, xs, ys);
  const plan = await planTargets(fn, model, st, xs, ys);
  const buf = new EvalBuffers(xs, plan);
  try {
    const r = await evaluateHost(model, st, xs, ys, batchSize, buf);
    if (verbose) console.log(`evaluate: ${Object.entries(r).map(([k, v]) => `${k} ${v.toPrecision(5)}`).join(' · ')}`);
    return r;
  } finally {
    buf.dispose();
  }
}
