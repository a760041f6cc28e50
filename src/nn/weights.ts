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
 * Validates `values` against the expected `shapes` (count, type, shape) and returns them as
 * host arrays, throwing before anything is written. Values may be tensors (any backend),
 * nested arrays, or flat Float32Arrays of the right size.
 */
export function prepareWeights(fn: string, shapes: ReadonlyArray<readonly number[]>, names: readonly string[], values: unknown): Float32Array[] {
  if (!Array.isArray(values)) throw new ArgumentError(`${fn}: argument 'weights' expected an array [${names.join(', ')}], given ${describeValue(values)}`);
  if (values.length !== shapes.length) {
    throw new ArgumentError(`${fn}: expected ${shapes.length} arrays [${names.join(', ')}], given ${values.length}`);
  }
  const data: Float32Array[] = [];
  for (let i = 0; i < shapes.length; i++) {
    const want = shapes[i]!;
    const size = want.reduce((a, d) => a * d, 1);
    const v = values[i] as TensorLike;
    let arr: Float32Array;
    if (v instanceof Tensor) {
      v.assertLive(fn, names[i]);
      if (!sameShape(v.shape, want)) throw new ShapeError(`${fn}: ${names[i]} expected shape ${fmtShape(want)}, given ${fmtShape(v.shape)}`);
      arr = v.dataSync();
    } else if (v instanceof Float32Array) {
      if (v.length !== size) throw new ShapeError(`${fn}: ${names[i]} expected ${size} values (shape ${fmtShape(want)}), given a Float32Array of ${v.length}`);
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
  return data;
}

/** Writes `values[i]` into `targets[i]` in place (keeping the variables' identity), after {@link prepareWeights} validated all of them. */
export function assignWeights(fn: string, targets: readonly Tensor[], names: readonly string[], values: unknown): void {
  const data = prepareWeights(fn, targets.map((t) => t.shape), names, values);
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i]!;
    t.assertLive(fn, names[i]);
    if (t.size > 0) t.backend.write(t.storage, data[i]!);
  }
}
