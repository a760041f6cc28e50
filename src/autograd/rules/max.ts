/**
 * d max / d min over axes (torch.amax / amin): dy shared equally among the elements equal to
 * the extremum. With m the extremum broadcast back, the tie mask is `1 − step(m − x)` for max
 * (`1 − step(x − m)` for min), and `dx = mask · dy / count` with count = Σ mask per group.
 */
import { tidy } from '../../engine.js';
import { binaryRaw } from '../../ops/arithmetic.js';
import { activationRaw } from '../../ops/math.js';
import { reduceRaw } from '../../ops/reduce.js';
import { reshapeRaw } from '../../ops/shape.js';
import type { Tensor } from '../../tensor.js';
import { oneMinus } from './masks.js';

/** Shared rule: `larger` is true for max, false for min. */
export function extremumReduceGrad(dy: Tensor, x: Tensor, out: Tensor, axes: readonly number[], larger: boolean): Tensor {
  out.assertLive(`${larger ? 'max' : 'min'} backward`, 'out');
  return tidy(() => {
    const keptShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const m = reshapeRaw(out, keptShape);
    const g = reshapeRaw(dy, keptShape);
    const mask = oneMinus(activationRaw(larger ? binaryRaw('sub', m, x) : binaryRaw('sub', x, m), 'step'));
    const count = reduceRaw('sum', mask, axes);
    return binaryRaw('mul', mask, binaryRaw('div', g, count));
  });
}

/** Gradient rule of `max`. */
export function maxGrad(dy: Tensor, x: Tensor, out: Tensor, axes: readonly number[]): Tensor {
  return extremumReduceGrad(dy, x, out, axes, true);
}
