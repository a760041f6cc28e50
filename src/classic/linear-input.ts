/** Input handling shared by the linear classifiers' methods and their training loop. */
import { ArgumentError, describeValue } from '../errors.js';
import { tensor, toTensor } from '../ops/create.js';
import { reshapeRaw } from '../ops/shape.js';
import { Tensor, sizeOf, type NestedArray } from '../tensor.js';

/** Inputs as a tensor on the current backend; `own` when created here. */
export function inputTensor(fn: string, arg: string, x: unknown): { t: Tensor; own: boolean } {
  if (x instanceof Tensor) return { t: toTensor(x, fn, arg), own: false };
  if (Array.isArray(x) || x instanceof Float32Array) {
    let t: Tensor;
    try {
      t = tensor(x as NestedArray);
    } catch (e) {
      throw new ArgumentError(`${fn}: argument '${arg}': ${(e as Error).message}`);
    }
    return { t, own: true };
  }
  throw new ArgumentError(`${fn}: argument '${arg}' expected a Tensor or nested arrays of shape [samples, features], given ${describeValue(x)}`);
}

/** `x` as `[N, features]`: itself when rank 2, else a flattened copy (added to `owned`). */
export function rows(x: Tensor, owned: Tensor[]): Tensor {
  if (x.rank === 2) return x;
  const r = reshapeRaw(x, [x.shape[0]!, sizeOf(x.shape.slice(1))]);
  owned.push(r);
  return r;
}
