/**
 * Cross-entropy on logits (torch CrossEntropyLoss, DESIGN §5): log-softmax + negative
 * log-likelihood, mean over the batch, on the fused softmax–cross-entropy kernels. Labels are
 * class indices `[N]` or rows `[N, C]` (one-hot, or class probabilities: loss = −Σ t·log p).
 */
import { record, willRecord } from '../autograd/record.js';
import { crossEntropyGrad } from '../autograd/rules/crossEntropy.js';
import { empty, toTensor } from '../ops/create.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { meanAll } from './common.js';
import { checkScores, parseLabels, type Labels, type LabelsLike } from './labels.js';
import { uninitialized } from '../ops/scratch.js';

/** Mean cross-entropy of `logits` `[N, C]` against class indices `[N]` or rows `[N, C]`; a scalar tensor. */
export function crossEntropy(logits: TensorLike, labels: LabelsLike): Tensor {
  const fn = 'crossEntropy';
  const x = toTensor(logits, fn, 'logits');
  let lab: Labels;
  try {
    const { n, c } = checkScores(fn, x, 'logits');
    lab = parseLabels(fn, labels, n, c);
  } catch (e) {
    if (x !== logits) x.dispose();
    throw e;
  }
  const n = x.shape[0]!;
  const c = x.shape[1]!;
  const probs = uninitialized([n, c]);
  const rowLoss = empty([n]);
  if (probs.size > 0) x.backend.softmaxCrossEntropy(x.storage, lab.tensor.storage, lab.rows, probs.storage, rowLoss.storage, n, c);
  const out = meanAll(rowLoss);
  rowLoss.dispose();
  if (!willRecord(x)) {
    probs.dispose();
    if (lab.own) lab.tensor.dispose();
    if (x !== logits) x.dispose();
    return out;
  }
  const labT = lab.tensor;
  return record(out, fn, [x], (dy) => [crossEntropyGrad(dy, probs, labT, lab.rows, n, c)]);
}
