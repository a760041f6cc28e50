/**
 * Host-side arrays for the data utilities (datasets, preprocessing fits, augmentation): a
 * Float32Array plus its shape, and the conversions from what users pass (tensors, nested
 * arrays, typed arrays with a shape). Everything here is synchronous: host values are converted
 * on the host (any backend); a tensor is read with `dataSync()` (not on webgpu, where the
 * callers offer `…Async` forms; see src/readback.ts).
 */
import { AxonError, ArgumentError, ShapeError, describeValue, fmtShape } from '../errors.js';
import { flattenNested, toTensor } from '../ops/create.js';
import { Tensor, sizeOf, type NestedArray } from '../tensor.js';

/** A dense row-major float32 array on the host with its shape (`data.length` = product of `shape`). */
export interface HostArray {
  data: Float32Array;
  shape: readonly number[];
}

/** What the data utilities accept as an array: a Tensor, nested number arrays, or a {@link HostArray}-like `{ data, shape }`. */
export type ArrayInput = Tensor | NestedArray | { data: ArrayLike<number>; shape: readonly number[] };

/** True for `{ data, shape }` objects. */
export function isHostArrayLike(v: unknown): v is { data: ArrayLike<number>; shape: readonly number[] } {
  return typeof v === 'object' && v !== null && !(v instanceof Tensor) && !Array.isArray(v) && 'data' in v && 'shape' in v;
}

/**
 * Reads `x` to the host. A Float32Array in a `{ data, shape }` is used as is (not copied);
 * flat number arrays and other typed arrays are converted. Throws naming `fn` and `arg`.
 */
export function toHostArray(fn: string, arg: string, x: unknown): HostArray {
  if (x instanceof Tensor) {
    toTensor(x, fn, arg); // live, and on the current backend
    return { data: x.size > 0 ? x.dataSync() : new Float32Array(0), shape: [...x.shape] };
  }
  if (isHostArrayLike(x)) {
    const shape = x.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new ArgumentError(`${fn}: argument '${arg}.shape' expected an array of non-negative integers, given ${describeValue(shape)}`);
    }
    const data = x.data instanceof Float32Array ? x.data : Float32Array.from(x.data);
    if (data.length !== sizeOf(shape)) {
      throw new ShapeError(`${fn}: argument '${arg}' has ${data.length} values but shape ${fmtShape(shape)} needs ${sizeOf(shape)}`);
    }
    return { data, shape: [...shape] };
  }
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
    const data = Float32Array.from(x as unknown as ArrayLike<number>); // a copy, as before
    return { data, shape: [data.length] };
  }
  if (Array.isArray(x)) {
    // Flattened on the host: no tensor round trip (which would need a synchronous read).
    try {
      return flattenNested(x as NestedArray);
    } catch (e) {
      throw new ArgumentError(`${fn}: argument '${arg}': ${(e as Error).message}`);
    }
  }
  throw new ArgumentError(`${fn}: argument '${arg}' expected a Tensor, nested number arrays or { data, shape }, given ${describeValue(x)}`);
}

/** Throws a NON_FINITE AxonError naming the first NaN/±Inf in `data` (index and sample). */
export function checkFinite(fn: string, arg: string, h: HostArray): void {
  const d = h.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    // v − v is 0 for finite v and NaN for NaN and ±Inf: one comparison per element.
    if (v - v !== 0) {
      const row = sizeOf(h.shape.slice(1)) || 1;
      throw new AxonError('NON_FINITE', `${fn}: argument '${arg}' contains ${v} at flat index ${i} (sample ${Math.floor(i / row)}); clean or impute the data first`);
    }
  }
}

/** Throws unless `h` is 2-D `[N, D]`; returns N and D. */
export function dims2(fn: string, arg: string, shape: readonly number[]): { n: number; d: number } {
  if (shape.length !== 2) throw new ShapeError(`${fn}: argument '${arg}' expected a 2-D [samples, features] array, given shape ${fmtShape(shape)}`);
  return { n: shape[0]!, d: shape[1]! };
}
