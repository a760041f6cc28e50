/** d stack: input i's gradient is slice i of dy along the stacked axis. */
import type { Tensor } from '../../tensor.js';
import { splitGrad } from './concat.js';

/** Gradient rule of `stack`. */
export function stackGrad(dy: Tensor, inputs: readonly Tensor[], outer: number, inner: number): Array<Tensor | null> {
  return splitGrad('stack backward', dy, inputs, inputs.map(() => 1), outer, inner);
}
