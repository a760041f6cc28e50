/**
 * Classification targets: class indices `[N]` (a tensor, a number array or an integer typed
 * array) or per-class rows `[N, C]` (one-hot, or any distribution for crossEntropy). Indices
 * are checked on the host — integers in [0, C) — before any kernel runs (the kernels trust
 * them). Arrays and typed arrays are checked as given; a label tensor is read back
 * synchronously on js and wasm (cheap). On webgpu (no synchronous reads) a label tensor is
 * checked asynchronously: the loss is computed at once, and an out-of-range label is reported
 * by the next `await tensor.data()` (src/deferred.ts). `fit`/`evaluate` check their targets on
 * the host copy before training and mark their batch tensors with `markChecked`.
 */
import { checkedValues } from '../deferred.js';
import { ArgumentError, ShapeError, describeValue, fmtShape } from '../errors.js';
import { flattenNested, tensor, toTensor } from '../ops/create.js';
import { Tensor, type NestedArray } from '../tensor.js';

/** Anything accepted as classification labels. */
export type LabelsLike = Tensor | NestedArray | Float32Array | Int32Array | Uint8Array | Uint16Array | Uint32Array | Int16Array | Int8Array | Float64Array;

/** Parsed labels: a tensor on the current backend plus, for indices, their host values. */
export interface Labels {
  /** `[N]` indices (as float32) or `[N, C]` rows. */
  tensor: Tensor;
  /** True for `[N, C]` rows. */
  rows: boolean;
  /** Host copy of the indices (index labels only; absent for a label tensor on webgpu). */
  indices?: Float32Array;
  /** Host copy of `[N, C]` rows given as nested arrays. */
  hostRows?: Float32Array;
  /** True when `tensor` was created here (the caller disposes it). */
  own: boolean;
}

function checkIndices(fn: string, values: Float32Array | ArrayLike<number>, classes: number): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= classes) {
      throw new ArgumentError(`${fn}: label ${describeValue(v)} at index ${i} is out of range: expected an integer class index in [0, ${classes - 1}] (${classes} classes)`);
    }
  }
}

/** Parses and validates labels for `n` rows of `classes` columns. */
export function parseLabels(fn: string, labels: unknown, n: number, classes: number): Labels {
  if (labels instanceof Tensor) {
    toTensor(labels, fn, 'labels'); // live and on the current backend
    if (labels.rank === 1 && labels.shape[0] === n) {
      const values = checkedValues(labels, (v) => checkIndices(fn, v, classes));
      return { tensor: labels, rows: false, indices: values, own: false };
    }
    if (labels.rank === 2 && labels.shape[0] === n && labels.shape[1] === classes) return { tensor: labels, rows: true, own: false };
    throw new ShapeError(`${fn}: labels expected class indices of shape [${n}] or rows of shape [${n}, ${classes}], given ${fmtShape(labels.shape)}`);
  }
  if (ArrayBuffer.isView(labels) && !(labels instanceof DataView)) {
    const values = Float32Array.from(labels as unknown as ArrayLike<number>);
    if (values.length !== n) throw new ShapeError(`${fn}: labels expected ${n} class indices, given a typed array of length ${values.length}`);
    checkIndices(fn, labels as unknown as ArrayLike<number>, classes);
    return { tensor: tensor(values, [n]), rows: false, indices: values, own: true };
  }
  if (Array.isArray(labels)) {
    if (labels.length > 0 && Array.isArray(labels[0])) {
      const h = flattenNested(labels as NestedArray, fn);
      if (h.shape.length !== 2 || h.shape[0] !== n || h.shape[1] !== classes) {
        throw new ShapeError(`${fn}: label rows expected shape [${n}, ${classes}], given ${fmtShape(h.shape)}`);
      }
      return { tensor: tensor(h.data, h.shape), rows: true, hostRows: h.data, own: true };
    }
    if (labels.length !== n) throw new ShapeError(`${fn}: labels expected ${n} class indices, given an array of length ${labels.length}`);
    for (const v of labels) if (typeof v !== 'number') throw new ArgumentError(`${fn}: labels expected numbers, given ${describeValue(v)}`);
    checkIndices(fn, labels as number[], classes);
    const values = Float32Array.from(labels as number[]);
    return { tensor: tensor(values, [n]), rows: false, indices: values, own: true };
  }
  throw new ArgumentError(`${fn}: labels expected a Tensor, an array of class indices or one-hot rows, given ${describeValue(labels)}`);
}

/** Class indices of one-hot rows (each row exactly one 1, the rest 0), or an error naming the first bad row. */
export function oneHotToIndices(fn: string, rows: Float32Array, n: number, classes: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let hot = -1;
    for (let j = 0; j < classes; j++) {
      const v = rows[i * classes + j]!;
      if (v === 1 && hot < 0) hot = j;
      else if (v !== 0) {
        hot = -2;
        break;
      }
    }
    if (hot < 0) throw new ArgumentError(`${fn}: label row ${i} is not one-hot (expected exactly one 1 and zeros elsewhere)`);
    out[i] = hot;
  }
  return out;
}

/** Checks `[N, C]` scores/logits and returns N and C. */
export function checkScores(fn: string, t: Tensor, arg: string): { n: number; c: number } {
  if (t.rank !== 2) throw new ShapeError(`${fn}: ${arg} expected shape [batch, classes], given ${fmtShape(t.shape)}`);
  return { n: t.shape[0]!, c: t.shape[1]! };
}
