/** d act(x) = dy·act'(x), one fused derivative kernel (`reluBackward_f32` etc. on wasm). */
import { uninitialized } from '../../ops/scratch.js';
import type { Activation } from '../../kernels/kernels.js';
import type { Tensor } from '../../tensor.js';

/** Gradient rule of every activation op (y is the forward output). */
export function activationGrad(dy: Tensor, x: Tensor, y: Tensor, act: Activation, alpha?: number): Tensor {
  y.assertLive(`${act} backward`, 'output');
  const dx = uninitialized(x.shape); // the derivative kernels write every element
  if (x.size > 0) x.backend.activationBackward(act, x.storage, y.storage, dy.storage, dx.storage, x.size, alpha);
  return dx;
}

/**
 * dZ = dy·act'(z) for an op with a fused activation epilogue (dense, conv2d): `dy` itself for
 * `linear`, else a new tensor the caller disposes. `pre` is the saved pre-activation (or the
 * output where that suffices for the derivative), `y` the output; `op` names the op in errors.
 */
export function fusedActivationGrad(op: string, dy: Tensor, pre: Tensor, y: Tensor, act: Activation, alpha: number | undefined): Tensor {
  if (act === 'linear') return dy;
  pre.assertLive(`${op} backward`, 'saved pre-activation (run backward inside the tidy that ran forward)');
  y.assertLive(`${op} backward`, 'output');
  const dz = uninitialized(dy.shape);
  if (dz.size > 0) dy.backend.activationBackward(act, pre.storage, y.storage, dy.storage, dz.storage, dz.size, alpha);
  return dz;
}
