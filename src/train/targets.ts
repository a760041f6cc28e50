/**
 * Pre-flight checks shared by fit and evaluate, run before any weight, optimiser or
 * batch-norm state changes: one sample goes through the model in evaluation mode without
 * gradients (so a model/input mismatch is reported up front), the targets are checked against
 * the model's output and the loss (shape; class labels integers in range; binary targets in
 * [0, 1]), and the loss and metrics are tried on that sample.
 */
import { noGrad, tidy } from '../engine.js';
import { AxonError, ArgumentError, ShapeError, fmtShape } from '../errors.js';
import type { Module } from '../nn/module.js';
import { markChecked } from '../deferred.js';
import { oneHotToIndices } from '../losses/labels.js';
import { tensor } from '../ops/create.js';
import { sizeOf } from '../tensor.js';
import type { TrainingState } from './compile.js';
import { count, rowSize, type HostData } from './data.js';
import { inEvalMode } from './modes.js';

/** How batches of targets are shaped for the loss. */
export interface TargetPlan {
  /** Per-sample shape of the model's output. */
  outRow: number[];
  /** Per-sample shape of the target batch tensors (`[]` for class indices). */
  targetRow: number[];
}

function prefix(e: unknown, msg: string): never {
  if (e instanceof AxonError) e.message = `${msg}: ${e.message}`;
  throw e;
}

/**
 * Checks that `x`/`y` fit the compiled model; `what` names them in messages ('x'/'y' or
 * 'validationData'). Returns how to shape target batches. Asynchronous because the metrics are
 * tried on the model's output for one sample, read with `await data()` (every backend).
 */
export async function planTargets(fn: string, model: Module, st: TrainingState, x: HostData, y: HostData, what: [string, string] = ['x', 'y']): Promise<TargetPlan> {
  const [xn, yn] = what;
  const n = count(x);
  if (n === 0) throw new ShapeError(`${fn}: ${xn} has no samples (shape ${fmtShape(x.shape)})`);
  const xr = rowSize(x);
  return tidy(() =>
    noGrad(() =>
      inEvalMode(model, async () => {
        const x1 = tensor(x.data.slice(0, xr), [1, ...x.shape.slice(1)]);
        let out;
        try {
          out = model.forward(x1);
        } catch (e) {
          prefix(e, `${fn}: ${xn} of shape ${fmtShape(x.shape)} does not fit the model`);
        }
        if (out.rank < 1 || out.shape[0] !== 1) throw new ShapeError(`${fn}: the model maps a batch of 1 to shape ${fmtShape(out.shape)}; its output's first axis must be the batch`);
        const outRow = out.shape.slice(1);
        const outSize = sizeOf(outRow);
        const classes = outRow.length > 0 ? outRow[outRow.length - 1]! : 1;
        const yRow = y.shape.slice(1);
        const ySize = sizeOf(yRow);
        let targetRow: number[];
        switch (st.lossKind) {
          case 'classification':
            if (ySize === 1 && outSize > 1) {
              targetRow = [];
              checkLabels(fn, yn, y.data, classes, st.lossName!);
            } else if (ySize === outSize) {
              targetRow = outRow;
              if (st.lossName === 'hinge') oneHotToIndices(`${fn}: ${yn} for loss 'hinge'`, y.data, n, classes);
            }
            else throw new ShapeError(`${fn}: loss '${st.lossName}' expected ${yn} as class indices [${n}] or one-hot rows [${n}, ${classes}] for model output ${fmtShape([n, ...outRow])}, given ${fmtShape(y.shape)}`);
            break;
          case 'binary':
          case 'elementwise':
            if (ySize !== outSize) throw new ShapeError(`${fn}: loss '${st.lossName}' expected ${yn} shaped like the model output ${fmtShape([n, ...outRow])}, given ${fmtShape(y.shape)}`);
            targetRow = outRow;
            if (st.lossKind === 'binary') checkUnit(fn, yn, y.data, st.lossName!);
            break;
          default:
            targetRow = yRow;
        }
        const yd = y.data.slice(0, ySize);
        const y1 = tensor(yd, [1, ...targetRow]);
        if (st.lossKind === 'classification' || st.lossKind === 'binary') markChecked(y1); // checked above
        let l;
        try {
          l = st.loss(out, y1);
        } catch (e) {
          prefix(e, `${fn}: the loss rejected the first sample of ${yn} (shape ${fmtShape(y.shape)}) or the model's output for it (model output ${fmtShape([n, ...outRow])})`);
        }
        if (!l || typeof l !== 'object' || l.size !== 1) throw new ShapeError(`${fn}: the loss must return a scalar tensor, returned shape ${l && typeof l === 'object' && 'shape' in l ? fmtShape(l.shape) : String(l)}`);
        const pd = await out.data();
        for (const m of st.metrics) {
          try {
            m.compute(pd, out.shape, yd, y1.shape);
          } catch (e) {
            prefix(e, `${fn}: metric '${m.name}' cannot use ${yn} of shape ${fmtShape(y.shape)}`);
          }
        }
        return { outRow, targetRow };
      }),
    ),
  );
}

function checkLabels(fn: string, yn: string, labels: Float32Array, classes: number, loss: string): void {
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]!;
    if (!(Number.isInteger(v) && v >= 0 && v < classes)) {
      throw new ArgumentError(`${fn}: ${yn}[${i}] = ${v} is not a class index for loss '${loss}': expected integers in [0, ${classes - 1}] (the model has ${classes} outputs)`);
    }
  }
}

function checkUnit(fn: string, yn: string, t: Float32Array, loss: string): void {
  for (let i = 0; i < t.length; i++) {
    const v = t[i]!;
    if (!(v >= 0 && v <= 1)) throw new ArgumentError(`${fn}: ${yn} value ${v} at element ${i} is outside [0, 1], which loss '${loss}' requires`);
  }
}
