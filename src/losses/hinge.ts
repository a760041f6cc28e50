/**
 * Multiclass SVM hinge loss (cs231n, DESIGN §5): for scores s `[N, C]` and labels y,
 * `L = (1/N)·Σ_i Σ_{j≠y_i} max(0, s_ij − s_iy_i + margin)`, margin 1. (torch's MultiMarginLoss
 * additionally divides by C; this one does not.) The subgradient at a margin of exactly 0 is 0.
 *
 * Everything runs on the device: the one-hot mask of the true classes comes from the `oneHot`
 * kernel (index labels) or is the label rows themselves, so no label is read back (the labels
 * are checked like crossEntropy's; one-hot rows on the host, or asynchronously on webgpu).
 */
import { record, willRecord } from '../autograd/record.js';
import { lossGrad } from '../autograd/rules/loss.js';
import { ArgumentError, describeValue } from '../errors.js';
import { binaryRaw } from '../ops/arithmetic.js';
import { empty, scalarLike, toTensor } from '../ops/create.js';
import { activationRaw } from '../ops/math.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { checkedValues } from '../deferred.js';
import { checkScores, oneHotToIndices, parseLabels, type Labels, type LabelsLike } from './labels.js';

/** Mean multiclass hinge loss of `scores` `[N, C]` against class indices `[N]` (or one-hot rows); a scalar tensor. */
export function hinge(scores: TensorLike, labels: LabelsLike, margin = 1): Tensor {
  const fn = 'hinge';
  if (typeof margin !== 'number' || !Number.isFinite(margin)) throw new ArgumentError(`${fn}: argument 'margin' expected a finite number, given ${describeValue(margin)}`);
  const s = toTensor(scores, fn, 'scores');
  let lab: Labels;
  try {
    const { n, c } = checkScores(fn, s, 'scores');
    lab = parseLabels(fn, labels, n, c);
    if (lab.rows) {
      const check = (v: Float32Array) => void oneHotToIndices(fn, v, n, c);
      try {
        if (lab.hostRows) check(lab.hostRows);
        else checkedValues(lab.tensor, check);
      } catch (e) {
        if (lab.own) lab.tensor.dispose();
        throw e;
      }
    }
  } catch (e) {
    if (s !== scores) s.dispose();
    throw e;
  }
  const n = s.shape[0]!;
  const c = s.shape[1]!;
  const k = s.backend;
  // The true-class mask `[N, C]` and its complement, on the device.
  let ohT = lab.tensor;
  if (!lab.rows) {
    ohT = empty([n, c]);
    if (ohT.size > 0) k.oneHot(lab.tensor.storage, ohT.storage, n, c);
  }
  const one = scalarLike(1);
  const notT = binaryRaw('sub', one, ohT);
  // m = s − s_y + margin (per row), h = max(0, m) off the true class.
  const picked = binaryRaw('mul', s, ohT);
  const sy = empty([n, 1]);
  if (n > 0) k.reduce('sum', picked.storage, sy.storage, n, c, 1);
  const diff = binaryRaw('sub', s, sy);
  const marg = scalarLike(margin);
  const m = binaryRaw('add', diff, marg);
  const r = activationRaw(m, 'relu');
  const h = binaryRaw('mul', r, notT);
  const out = empty([]);
  k.reduce('sum', h.storage, out.storage, 1, n * c, 1);
  if (n > 0) k.scale(out.storage, out.storage, 1, 1 / n);
  else k.fill(out.storage, 1, Number.NaN);
  let result = out;
  if (willRecord(s)) {
    // ds_j = [m_j > 0] for j ≠ y; ds_y = −Σ_j [m_j > 0]; all divided by N.
    const st = activationRaw(m, 'step');
    const ind = binaryRaw('mul', st, notT);
    const cnt = empty([n, 1]);
    if (n > 0) k.reduce('sum', ind.storage, cnt.storage, n, c, 1);
    const ohc = binaryRaw('mul', ohT, cnt);
    const g = binaryRaw('sub', ind, ohc);
    if (g.size > 0) k.scale(g.storage, g.storage, g.size, 1 / n);
    for (const x of [st, ind, cnt, ohc]) x.dispose();
    result = record(out, fn, [s], (dy) => lossGrad(dy, g, null, false));
  }
  for (const x of [notT, one, picked, sy, diff, marg, m, r, h]) x.dispose();
  if (ohT !== lab.tensor) ohT.dispose();
  if (lab.own) lab.tensor.dispose();
  if (s !== scores) s.dispose();
  return result;
}
