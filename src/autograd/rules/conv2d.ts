/**
 * d act(conv2d(x, W) + b), chunk by chunk over the batch (the same chunks as the forward pass,
 * so the im2col workspace stays under its cap). With dZ = dy·act'(z) as channels-last rows
 * `[n·P, outC]` (P = outH·outW, K = C·kH·kW):
 * - dW `[outC, K]` = Σ_chunks dZᵀ · cols (TN GEMM, accumulated with beta = 1), with the columns
 *   the forward pass kept (one chunk of bounded size) or else recomputed by im2col;
 * - dx = col2im(dZ · W) (the adjoint of im2col scatters each patch gradient back);
 * - db = Σ over batch and positions of dZ.
 */
import { empty } from '../../ops/create.js';
import { chunkSize, chunks, kernelGeometry, type ResolvedGeometry } from '../../ops/conv-geometry.js';
import { nchwToRows } from '../../ops/conv.js';
import type { Activation, Storage } from '../../kernels/kernels.js';
import { fusedActivationGrad } from './activation.js';
import type { Tensor } from '../../tensor.js';
import { scratch, uninitialized } from '../../ops/scratch.js';

/**
 * Gradient rule of `conv2d`. `z` is the pre-activation (null when the output suffices for the
 * derivative, see `outputSuffices`), `y` the output, `saved` the forward pass's whole-batch
 * columns (or null: recompute them per chunk). Returns `[dx, dW, db]` (`[dx, dW]` without
 * bias; null where not required).
 */
export function conv2dGrad(
  dy: Tensor,
  x: Tensor,
  w: Tensor,
  b: Tensor | null,
  z: Tensor | null,
  y: Tensor,
  act: Activation,
  alpha: number | undefined,
  g: ResolvedGeometry,
  saved: Tensor | null = null,
): Array<Tensor | null> {
  const k = dy.backend;
  x.assertLive('conv2d backward', 'x (run backward inside the tidy that ran forward)');
  const dz = fusedActivationGrad('conv2d', dy, z ?? y, y, act, alpha);
  const outC = w.shape[0]!;
  const P = g.outH * g.outW;
  const K = g.channels * g.kernelH * g.kernelW;
  const imageIn = g.channels * g.height * g.width;
  const needX = x.requiresGrad;
  const needW = w.requiresGrad;
  // With work to do, col2im and the first dW GEMM (beta = 0) overwrite dx and dw whole; with
  // none (an empty batch) the gradients are zeros.
  const work = (needX || needW) && g.batch * P * outC > 0;
  const grad = (shape: readonly number[]) => (work ? uninitialized(shape) : empty(shape));
  const dx = needX ? grad(x.shape) : null;
  const dw = needW ? grad(w.shape) : null;

  if (work) {
    if (saved && needW) saved.assertLive('conv2d backward', 'saved columns (run backward inside the tidy that ran forward)');
    const keep = saved !== null && needW;
    const per = keep ? g.batch : chunkSize(g.batch, P * K);
    const chunked = per < g.batch;
    const rows = scratch(k, per * P * outC);
    // Recomputed columns, and the column gradient dZ·W (never written into the saved columns:
    // a second backward with retainGraph must find them intact).
    const cols = scratch(k, needX || !keep ? per * P * K : 0);
    const xChunk = chunked && needW ? scratch(k, per * imageIn) : null;
    const dxChunk = chunked && needX ? scratch(k, per * imageIn) : null;
    try {
      let first = true;
      for (const [n0, nb] of chunks(g.batch, per)) {
        const geom = kernelGeometry(g, nb);
        nchwToRows(k, dz.storage, rows, n0, nb, P, outC);
        if (dw) {
          let colsW = cols;
          if (keep) colsW = saved!.storage;
          else {
            let src: Storage = x.storage;
            if (xChunk) {
              k.copy(x.storage, xChunk, nb * imageIn, n0 * imageIn, 0);
              src = xChunk;
            }
            k.im2col(src, cols, geom);
          }
          k.gemm({ a: rows, b: colsW, c: dw.storage, m: outC, n: K, k: nb * P, transA: true, beta: first ? 0 : 1 });
        }
        if (dx) {
          // cols now holds the column gradient dZ·W [nb·P, K].
          k.gemm({ a: rows, b: w.storage, c: cols, m: nb * P, n: K, k: outC });
          if (dxChunk) {
            k.col2im(cols, dxChunk, geom);
            k.copy(dxChunk, dx.storage, nb * imageIn, 0, n0 * imageIn);
          } else k.col2im(cols, dx.storage, geom);
        }
        first = false;
      }
    } finally {
      rows.dispose();
      cols.dispose();
      xChunk?.dispose();
      dxChunk?.dispose();
    }
  }

  let db: Tensor | null = null;
  if (b && b.requiresGrad) {
    db = empty([outC]);
    if (g.batch * P > 0) {
      // Σ over positions per (image, channel), then over images.
      const perImage = scratch(k, g.batch * outC);
      try {
        k.reduce('sum', dz.storage, perImage, g.batch * outC, P, 1);
        k.reduce('sum', perImage, db.storage, 1, g.batch, outC);
      } finally {
        perImage.dispose();
      }
    }
  }
  if (dz !== dy) dz.dispose();
  return b ? [dx, dw, db] : [dx, dw];
}
