/** One-hot encoding of class indices (no gradient). */
import { ArgumentError, describeValue } from '../errors.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { empty, toTensor } from './create.js';

/**
 * `[...labels.shape, numClasses]` with a 1 at each label's class and 0 elsewhere. Labels are
 * class indices (integers in `[0, numClasses)`, stored as floats); anything else throws an
 * ArgumentError naming the first bad label. Reads the labels synchronously to check them.
 */
export function oneHot(labels: TensorLike, numClasses: number): Tensor {
  if (typeof numClasses !== 'number' || !Number.isInteger(numClasses) || numClasses < 1) {
    throw new ArgumentError(`oneHot: argument 'numClasses' expected a positive integer, given ${describeValue(numClasses)}`);
  }
  const t = toTensor(labels, 'oneHot', 'labels');
  const values = t.size > 0 ? t.dataSync() : new Float32Array(0);
  for (let i = 0; i < values.length; i++) {
    const l = values[i]!;
    if (!(Number.isInteger(l) && l >= 0 && l < numClasses)) {
      if (t !== labels) t.dispose();
      throw new ArgumentError(`oneHot: label ${l} at index ${i} is not a class index in [0, ${numClasses - 1}]`);
    }
  }
  const out = empty([...t.shape, numClasses]);
  if (out.size > 0) t.backend.oneHot(t.storage, out.storage, t.size, numClasses);
  if (t !== labels) t.dispose();
  return out;
}
