/** d act(x) = dy·act'(x), one fused derivative kernel (`reluBackward_f32` etc. on wasm). */
import { empty } from '../../ops/create.js';
import type { Activation } from '../../kernels/kernels.js';
import type { Tensor } from '../../tensor.js';

/** Gradient rule of every activation op (y is the forward output). */
export function activationGrad(dy: Tensor, x: Tensor, y: Tensor, act: Activation, alpha?: number): Tensor {
  y.assertLive(`${act} backward`, 'output');
  const dx = empty(x.shape);
  if (x.size > 0) x.backend.activationBackward(act, x.storage, y.storage, dy.storage, dx.storage, x.size, alpha);
  return dx;
}
