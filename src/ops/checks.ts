/**
 * Argument checks shared by the ops' raw helpers (not part of the public API): they take tensors
 * only, never host values, and must refuse anything else before allocating.
 */
import { ArgumentError, describeValue } from '../errors.js';
import { Tensor } from '../tensor.js';
import { toTensor } from './create.js';

/** `x` itself when it is a live tensor of the current backend; else a typed error naming `fn` and `arg`. */
export function tensorArg(x: unknown, fn: string, arg: string): Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError(`${fn}: argument '${arg}' expected a Tensor, given ${describeValue(x)}`);
  return toTensor(x, fn, arg);
}
