/**
 * `predict`: the model's outputs for every sample, computed in batches in evaluation mode
 * without gradients, returned as one tensor `[n, …output]`.
 */
import { noGrad, tidy } from '../engine.js';
import { ShapeError, checkOptions, fmtShape } from '../errors.js';
import type { Module } from '../nn/module.js';
import { empty, toTensor } from '../ops/create.js';
import { sizeOf, type Tensor, type TensorLike } from '../tensor.js';
import { checkBatchSize } from './checks.js';
import { inEvalMode } from './modes.js';
import { checkModule } from '../nn/module.js';

/** Options of `model.predict`. */
export interface PredictOptions {
  /** Samples per batch. Default 32. */
  batchSize?: number;
}

/** Implements `model.predict(x, options)`. Synchronous; the result belongs to the caller. */
export function predictModel(model: Module, x: TensorLike, options: PredictOptions = {}): Tensor {
  const fn = 'predict';
  checkModule(fn, model);
  checkOptions(fn, options, ['batchSize']);
  const batchSize = checkBatchSize(fn, options.batchSize);
  const xt = toTensor(x, fn, 'x');
  let owned = xt !== x;
  try {
    if (xt.rank < 1) throw new ShapeError(`${fn}: argument 'x' expected samples along the first axis, given a scalar`);
    const n = xt.shape[0]!;
    const rowShape = xt.shape.slice(1);
    const row = sizeOf(rowShape);
    if (n <= batchSize) {
      const whole = tidy(() => noGrad(() => inEvalMode(model, () => model.forward(xt))));
      if (whole === xt) owned = false; // an identity model hands back its input
      return whole;
    }
    const work = new Map<number, Tensor>();
    let out: Tensor | null = null;
    let outRow = 0;
    try {
      noGrad(() =>
        inEvalMode(model, () => {
          for (let start = 0; start < n; start += batchSize) {
            const size = Math.min(batchSize, n - start);
            let xb = work.get(size);
            if (!xb) {
              xb = empty([size, ...rowShape]).keep();
              work.set(size, xb);
            }
            if (xb.size > 0) xb.backend.copy(xt.storage, xb.storage, size * row, start * row, 0);
            const o = tidy(() => model.forward(xb!));
            try {
              if (o.rank < 1 || o.shape[0] !== size) throw new ShapeError(`${fn}: the model mapped a batch of ${size} to shape ${fmtShape(o.shape)}; its output's first axis must be the batch`);
              if (!out) {
                out = empty([n, ...o.shape.slice(1)]);
                outRow = sizeOf(o.shape.slice(1));
              } else if (o.size !== size * outRow) throw new ShapeError(`${fn}: the model's output shape changed between batches (${fmtShape(o.shape)})`);
              if (o.size > 0) o.backend.copy(o.storage, out.storage, o.size, 0, start * outRow);
            } finally {
              o.dispose();
            }
          }
        }),
      );
    } catch (e) {
      (out as Tensor | null)?.dispose();
      throw e;
    } finally {
      for (const t of work.values()) t.dispose();
    }
    return out!;
  } finally {
    if (owned) xt.dispose();
  }
}
