/** d concat: each input's gradient is its block of dy (one strided copy per input needing grad). */
import { empty } from '../../ops/create.js';
import { copyStrided } from '../../ops/strided.js';
import type { Tensor } from '../../tensor.js';

/**
 * Splits dy, viewed as `[outer, Σlens·inner]`, into blocks `[outer, lens[i]·inner]` shaped like
 * `inputs[i]` (null for inputs that need no gradient).
 */
export function splitGrad(op: string, dy: Tensor, inputs: readonly Tensor[], lens: readonly number[], outer: number, inner: number): Array<Tensor | null> {
  const total = lens.reduce((a, b) => a + b, 0);
  let at = 0;
  return inputs.map((t, i) => {
    const start = at;
    at += lens[i]!;
    if (!t.requiresGrad) return null;
    const g = empty(t.shape);
    const w = lens[i]! * inner;
    copyStrided(op, dy, start * inner, [total * inner, 1], g, 0, [w, 1], [outer, w]);
    return g;
  });
}

/** Gradient rule of `concat`. */
export function concatGrad(dy: Tensor, inputs: readonly Tensor[], lens: readonly number[], outer: number, inner: number): Array<Tensor | null> {
  return splitGrad('concat backward', dy, inputs, lens, outer, inner);
}
