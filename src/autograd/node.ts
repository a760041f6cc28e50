/**
 * A node of the autograd graph: how a tensor was computed. `backward(dy)` returns the gradient
 * with respect to each input (or null where an input needs none), each of that input's shape.
 */
import type { Tensor } from '../tensor.js';

/** See the file comment. */
export interface GradNode {
  /** The op's name, for messages and debugging (`add`, `matmul`, …). */
  readonly op: string;
  readonly inputs: readonly Tensor[];
  backward(dy: Tensor): ReadonlyArray<Tensor | null>;
}
