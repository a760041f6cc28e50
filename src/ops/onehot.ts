/** One-hot encoding of class indices (no gradient). */
import { ArgumentError, describeValue } from '../errors.js';
import { checkedValues } from '../deferred.js';
import { Tensor, type NestedArray, type TensorLike } from '../tensor.js';
import { empty, flattenNested, tensor, toTensor } from './create.js';
import { atomic } from '../engine.js';

/** Throws `oneHot`'s ArgumentError naming the first value that is not a class index in [0, numClasses). */
export function checkClassIndices(values: ArrayLike<number>, numClasses: number): void {
  for (let i = 0; i < values.length; i++) {
    const l = values[i]!;
    if (!(Number.isInteger(l) && l >= 0 && l < numClasses)) {
      throw new ArgumentError(`oneHot: label ${l} at index ${i} is not a class index in [0, ${numClasses - 1}]`);
    }
  }
}

/**
 * `[...labels.shape, numClasses]` with a 1 at each label's class and 0 elsewhere. Labels are
 * class indices (integers in `[0, numClasses)`, stored as floats); anything else throws an
 * ArgumentError naming the first bad label. Host values (arrays, Float32Array) are checked as
 * given and label tensors are read back synchronously on js/wasm; on webgpu a label tensor is
 * checked asynchronously — the encoding is queued at once (a bad label gives an all-zero row)
 * and the error is thrown by the next `await tensor.data()`.
 */
export function oneHot(labels: TensorLike, numClasses: number): Tensor {
  return atomic(() => {
    if (typeof numClasses !== 'number' || !Number.isInteger(numClasses) || numClasses < 1) {
      throw new ArgumentError(`oneHot: argument 'numClasses' expected a positive integer, given ${describeValue(numClasses)}`);
    }
    let t: Tensor;
    if (labels instanceof Tensor) {
      t = toTensor(labels, 'oneHot', 'labels');
      checkedValues(t, (v) => checkClassIndices(v, numClasses));
    } else if (labels instanceof Float32Array) {
      checkClassIndices(labels, numClasses);
      t = tensor(labels);
    } else if (typeof labels === 'number' || Array.isArray(labels)) {
      const h = flattenNested(labels as NestedArray, 'oneHot');
      checkClassIndices(h.data, numClasses);
      t = tensor(h.data, h.shape);
    } else {
      t = toTensor(labels, 'oneHot', 'labels'); // throws the usual type error
    }
    const out = empty([...t.shape, numClasses]);
    if (out.size > 0) t.backend.oneHot(t.storage, out.storage, t.size, numClasses);
    if (t !== labels) t.dispose();
    return out;
  });
}
