/** d crossEntropy/d logits = (softmax(logits) − target)/N · dy, one fused kernel plus the dy scaling. */
import { empty } from '../../ops/create.js';
import type { Tensor } from '../../tensor.js';

/** Gradient rule of `crossEntropy` (labels get no gradient). */
export function crossEntropyGrad(dy: Tensor, probs: Tensor, labels: Tensor, rows: boolean, n: number, c: number): Tensor {
  probs.assertLive('crossEntropy backward', 'saved probabilities (run backward inside the tidy that computed the loss)');
  labels.assertLive('crossEntropy backward', 'labels');
  const d = empty([n, c]);
  if (d.size > 0) {
    const k = d.backend;
    k.softmaxCrossEntropyBackward(probs.storage, labels.storage, rows, d.storage, n, c, 1 / n);
    k.binary('mul', d.storage, 'full', dy.storage, 'scalar', d.storage, 1, n * c);
  }
  return d;
}
