/**
 * `getWeights` / `setWeights` support: copies out, and validated copies in. `setWeights`
 * checks every value (count, type, shape) before writing any, so a bad call changes nothing.
 * A tensor on the target's backend is copied on the device (no read-back, so it works on
 * webgpu); host values (nested arrays, Float32Array) are written from the host.
 */
import { ArgumentError, ShapeError, describeValue, fmtShape } from '../errors.js';
import { copyTensor, flattenNested } from '../ops/create.js';
import { Tensor, type NestedArray, type TensorLike } from '../tensor.js';

/** Copies of `ts` (fresh tensors the caller owns). */
export function copyWeights(ts: readonly Tensor[]): Tensor[] {
  return ts.map((t) => copyTensor(t));
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** A validated weight value: host data, or a live tensor of the right shape (copied on its backend). */
export type WeightSource = Float32Array | Tensor;

/**
 * Validates `values` against the expected `shapes` (count, type, shape) and returns them —
 * tensors as given, everything else as host arrays — throwing before anything is written.
 * Values may be tensors (any backend), nested arrays, or flat Float32Arrays of the right size.
 */
export function prepareWeights(fn: string, shapes: ReadonlyArray<readonly number[]>, names: readonly string[], values: unknown): WeightSource[] {
  if (!Array.isArray(values)) throw new ArgumentError(`${fn}: argument 'weights' expected an array [${names.join(', ')}], given ${describeValue(values)}`);
  if (values.length !== shapes.length) {
    throw new ArgumentError(`${fn}: expected ${shapes.length} arrays [${names.join(', ')}], given ${values.length}`);
  }
  const data: WeightSource[] = [];
  for (let i = 0; i < shapes.length; i++) {
    const want = shapes[i]!;
    const size = want.reduce((a, d) => a * d, 1);
    const v = values[i] as TensorLike;
    let arr: WeightSource;
    if (v instanceof Tensor) {
      v.assertLive(fn, names[i]);
      if (!sameShape(v.shape, want)) throw new ShapeError(`${fn}: ${names[i]} expected shape ${fmtShape(want)}, given ${fmtShape(v.shape)}`);
      arr = v;
    } else if (v instanceof Float32Array) {
      if (v.length !== size) throw new ShapeError(`${fn}: ${names[i]} expected ${size} values (shape ${fmtShape(want)}), given a Float32Array of ${v.length}`);
      arr = v;
    } else if (Array.isArray(v) || typeof v === 'number') {
      const h = flattenNested(v as NestedArray, fn);
      const shape = h.shape;
      arr = h.data;
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
  for (const [i, t] of targets.entries()) t.assertLive(fn, names[i]);
  // Tensors from another backend are read to the host first (synchronously: on webgpu that
  // throws, naming `await t.data()`), still before anything is written.
  const host = data.map((d, i) => (d instanceof Tensor && d.backend !== targets[i]!.backend ? d.dataSync() : d));
  // A source that is another target (e.g. two weights swapped) is snapshotted before any write.
  const others = new Set<Tensor>(targets);
  const src = host.map((d, i) => (d instanceof Tensor && d !== targets[i] && others.has(d) ? copyTensor(d) : d));
  try {
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i]!;
      const d = src[i]!;
      if (t.size === 0 || d === t) continue;
      if (d instanceof Tensor) t.backend.copy(d.storage, t.storage, t.size);
      else t.backend.write(t.storage, d);
    }
  } finally {
    src.forEach((d, i) => {
      if (d !== host[i] && d instanceof Tensor) d.dispose();
    });
  }
}
