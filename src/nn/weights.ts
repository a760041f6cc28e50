/**
 * `getWeights` / `setWeights` support: copies out, and validated copies in. `setWeights`
 * checks every value (count, type, shape) before writing any, so a bad call changes nothing.
 */
import { ArgumentError, ShapeError, describeValue, fmtShape } from '../errors.js';
import { copyTensor, tensor } from '../ops/create.js';
import { Tensor, type NestedArray, type TensorLike } from '../tensor.js';

/** Copies of `ts` (fresh tensors the caller owns). */
export function copyWeights(ts: readonly Tensor[]): Tensor[] {
  return ts.map((t) => copyTensor(t));
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Writes `values[i]` into `targets[i]` (in place, keeping the variables' identity). Values may
 * be tensors (any backend), nested arrays, or flat Float32Arrays of the right size.
 */
export function assignWeights(fn: string, targets: readonly Tensor[], names: readonly string[], values: unknown): void {
  if (!Array.isArray(values)) throw new ArgumentError(`${fn}: argument 'weights' expected an array [${names.join(', ')}], given ${describeValue(values)}`);
  if (values.length !== targets.length) {
    throw new ArgumentError(`${fn}: expected ${targets.length} arrays [${names.join(', ')}], given ${values.length}`);
  }
  const data: Float32Array[] = [];
  for (let i = 0; i < targets.length; i++) {
    const want = targets[i]!.shape;
    const v = values[i] as TensorLike;
    let arr: Float32Array;
    if (v instanceof Tensor) {
      v.assertLive(fn, names[i]);
      if (!sameShape(v.shape, want)) throw new ShapeError(`${fn}: ${names[i]} expected shape ${fmtShape(want)}, given ${fmtShape(v.shape)}`);
      arr = v.dataSync();
    } else if (v instanceof Float32Array) {
      if (v.length !== targets[i]!.size) throw new ShapeError(`${fn}: ${names[i]} expected ${targets[i]!.size} values (shape ${fmtShape(want)}), given a Float32Array of ${v.length}`);
      arr = v;
    } else if (Array.isArray(v) || typeof v === 'number') {
      const t = tensor(v as NestedArray);
      const shape = t.shape;
      arr = t.dataSync();
      t.dispose();
      if (!sameShape(shape, want)) throw new ShapeError(`${fn}: ${names[i]} expected shape ${fmtShape(want)}, given nested arrays of shape ${fmtShape(shape)}`);
    } else {
      throw new ArgumentError(`${fn}: ${names[i]} expected a Tensor, nested arrays or a Float32Array, given ${describeValue(v)}`);
    }
    data.push(arr);
  }
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i]!;
    t.assertLive(fn, names[i]);
    if (t.size > 0) t.backend.write(t.storage, data[i]!);
  }
}
