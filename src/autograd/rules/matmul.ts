/**
 * d(op(A)·op(B)): each gradient is one more GEMM with the transposes rearranged, so no
 * transposed copy is ever made. For C = A·B: dA = dC·Bᵀ (NT) and dB = Aᵀ·dC (TN).
 */
import { matmulRaw } from '../../ops/matmul.js';
import type { Tensor } from '../../tensor.js';

/** Gradient rule of `matmul` (gradients in each operand's stored layout). */
export function matmulGrad(dy: Tensor, a: Tensor, b: Tensor, transA: boolean, transB: boolean): Array<Tensor | null> {
  let da: Tensor | null = null;
  let db: Tensor | null = null;
  if (a.requiresGrad) {
    // stored A is [m,k] (or [k,m] when transA)
    if (!transA) da = matmulRaw(dy, b, false, !transB); // dy·op(B)ᵀ
    else da = matmulRaw(b, dy, transB, true); // op(B)·dyᵀ → [k, m]
  }
  if (b.requiresGrad) {
    if (!transB) db = matmulRaw(a, dy, !transA, false); // op(A)ᵀ·dy
    else db = matmulRaw(dy, a, true, transA); // dyᵀ·op(A) → [n, k]
  }
  return [da, db];
}
