/**
 * NumPy broadcasting: shapes align on the right, a dimension of 1 stretches. Binary ops use
 * {@link planBinary} to pick the cheapest kernel form; gradients use {@link unbroadcast} to sum
 * a gradient back down to an input's shape.
 */
import { ShapeError, fmtShape } from '../errors.js';
import type { Broadcast } from '../kernels/kernels.js';
import { sizeOf, type Tensor } from '../tensor.js';

/** The broadcast result shape of `a` and `b`; throws naming the op and both shapes. */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`${op}: shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast together (dimension ${i} of the aligned shapes: ${da} vs ${db})`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Element strides of `shape` laid over `outShape` (0 where broadcast). */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const rank = outShape.length;
  const strides = new Array<number>(rank).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!;
    const j = rank - shape.length + i;
    strides[j] = d === 1 ? 0 : s;
    s *= d;
  }
  return strides;
}

/** How a binary op will run: a 2-D form (rows × cols with per-operand modes) or strided. */
export type BinaryPlan =
  | { kind: '2d'; rows: number; cols: number; aMode: Broadcast; bMode: Broadcast }
  | { kind: 'strided'; shape: number[]; aStrides: number[]; bStrides: number[] };

function mode(shape: readonly number[], outShape: readonly number[], rows: number, cols: number, split: number): Broadcast | null {
  const n = sizeOf(shape);
  if (n === 1) return 'scalar';
  if (n === rows * cols && sizeOf(shape) === sizeOf(outShape)) return 'full';
  const padded = [...new Array<number>(outShape.length - shape.length).fill(1), ...shape];
  const lead = sizeOf(padded.slice(0, split));
  const trail = sizeOf(padded.slice(split));
  if (lead === 1 && trail === cols) return 'row';
  if (trail === 1 && lead === rows) return 'col';
  return null;
}

/** Chooses a kernel form for `a (op) b` with the broadcast output shape `outShape`. */
export function planBinary(a: readonly number[], b: readonly number[], outShape: number[]): BinaryPlan {
  const total = sizeOf(outShape);
  for (let split = outShape.length; split >= 0; split--) {
    const rows = sizeOf(outShape.slice(0, split));
    const cols = sizeOf(outShape.slice(split));
    if (rows * cols !== total) continue;
    const am = mode(a, outShape, rows, cols, split);
    const bm = mode(b, outShape, rows, cols, split);
    if (am && bm) return { kind: '2d', rows, cols, aMode: am, bMode: bm };
  }
  if (outShape.length > 6) throw new ShapeError(`broadcasting beyond rank 6 is not supported (shape ${fmtShape(outShape)})`);
  return { kind: 'strided', shape: outShape, aStrides: broadcastStrides(a, outShape), bStrides: broadcastStrides(b, outShape) };
}

/** Axes of `outShape` along which `shape` was broadcast (for summing gradients back). */
export function broadcastAxes(shape: readonly number[], outShape: readonly number[]): number[] {
  const axes: number[] = [];
  const lead = outShape.length - shape.length;
  for (let i = 0; i < outShape.length; i++) {
    if (i < lead || (shape[i - lead] === 1 && outShape[i] !== 1)) axes.push(i);
  }
  return axes;
}

/** Re-exported helper type for gradient rules. */
export type { Tensor };
