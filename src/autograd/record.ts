/**
 * Recording: ops call {@link record} after computing their output. When grad mode is on and any
 * input requires grad, the output remembers its inputs and its gradient rule.
 */
import { gradEnabled } from '../engine.js';
import type { Tensor } from '../tensor.js';

/** Attaches the gradient rule to `out` if autograd applies; returns `out`. */
export function record(out: Tensor, op: string, inputs: readonly Tensor[], backward: (dy: Tensor) => ReadonlyArray<Tensor | null>): Tensor {
  if (!gradEnabled()) return out;
  let needed = false;
  for (const t of inputs) if (t.requiresGrad) needed = true;
  if (!needed) return out;
  out.requiresGrad = true;
  out.node = { op, inputs, backward };
  return out;
}

/** True when `record` would attach a node for these inputs (lets ops skip saving tensors). */
export function willRecord(...inputs: Tensor[]): boolean {
  if (!gradEnabled()) return false;
  for (const t of inputs) if (t.requiresGrad) return true;
  return false;
}
