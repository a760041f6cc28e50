/**
 * Buffers without `alloc`'s zero fill, for op outputs and scratch that the next kernel
 * overwrites completely (see `Kernels.allocUninitialized`; the test suite fills them with NaN
 * to catch an element left unwritten). Internal: not part of the public ops.
 */
import { kernels } from '../engine.js';
import type { Kernels, Storage } from '../kernels/kernels.js';
import { sizeOf, Tensor } from '../tensor.js';

/** `size` elements of `k` with unspecified contents (zeroed on a backend without the method). */
export function scratch(k: Kernels, size: number): Storage {
  return k.allocUninitialized ? k.allocUninitialized(size) : k.alloc(size);
}

/** A tensor of `shape` (already checked) on the current backend with unspecified contents. */
export function uninitialized(shape: readonly number[]): Tensor {
  const k = kernels();
  return new Tensor(scratch(k, sizeOf(shape)), shape, k);
}
