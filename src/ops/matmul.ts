/**
 * Matrix product of 2-D tensors, `op(A)·op(B)`, with transposes folded into the GEMM (no
 * transposed copy is made), plus the fused dense-layer form `act(x·W + b)`.
 */
import { record } from '../autograd/record.js';
import { matmulGrad } from '../autograd/rules/matmul.js';
import { ArgumentError, ShapeError, checkOptions, fmtShape, describeValue } from '../errors.js';
import type { Activation } from '../kernels/kernels.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { toTensor } from './create.js';
import { atomic } from '../engine.js';
import { tensorArg } from './checks.js';
import { uninitialized } from './scratch.js';

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /** Use Aᵀ (A stored [k, m]). */
  transA?: boolean;
  /** Use Bᵀ (B stored [n, k]). */
  transB?: boolean;
}

/** Checks ranks and inner dimensions; returns m, n, k. */
export function matmulDims(fn: string, a: Tensor, b: Tensor, transA: boolean, transB: boolean): { m: number; n: number; k: number } {
  tensorArg(a, fn, 'a');
  tensorArg(b, fn, 'b');
  if (a.rank !== 2) throw new ShapeError(`${fn}: argument 'a' expected a 2-D tensor, given shape ${fmtShape(a.shape)}`);
  if (b.rank !== 2) throw new ShapeError(`${fn}: argument 'b' expected a 2-D tensor, given shape ${fmtShape(b.shape)}`);
  const [m, ka] = transA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const [kb, n] = transB ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
  if (ka !== kb) {
    throw new ShapeError(`${fn}: inner dimensions differ: ${transA ? 'aᵀ' : 'a'} is [${m}, ${ka}] (a ${fmtShape(a.shape)}), ${transB ? 'bᵀ' : 'b'} is [${kb}, ${n}] (b ${fmtShape(b.shape)})`);
  }
  return { m, n, k: ka };
}

/** `op(a)·op(b)` without autograd. */
export function matmulRaw(a: Tensor, b: Tensor, transA = false, transB = false): Tensor {
  return atomic(() => {
    const { m, n, k } = matmulDims('matmul', a, b, transA, transB);
    const out = uninitialized([m, n]); // gemm with beta = 0 writes C without reading it
    if (out.size > 0) out.backend.gemm({ a: a.storage, b: b.storage, c: out.storage, m, n, k, transA, transB });
    return out;
  });
}

function bool(fn: string, name: string, v: unknown): boolean {
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw new ArgumentError(`${fn}: option '${name}' expected a boolean, given ${describeValue(v)}`);
  return v;
}

/** Matrix product `op(a)·op(b)` of 2-D tensors. */
export function matmul(a: TensorLike, b: TensorLike, options: MatmulOptions = {}): Tensor {
  return atomic(() => {
    checkOptions('matmul', options, ['transA', 'transB']);
    const ta = toTensor(a, 'matmul', 'a');
    const tb = toTensor(b, 'matmul', 'b');
    const transA = bool('matmul', 'transA', options.transA);
    const transB = bool('matmul', 'transB', options.transB);
    const out = matmulRaw(ta, tb, transA, transB);
    return record(out, 'matmul', [ta, tb], (dy) => matmulGrad(dy, ta, tb, transA, transB));
  });
}

/**
 * `act(x·w + bias)` in one GEMM with the bias and activation fused into its epilogue, and its
 * gradient through the activation derivative. x [batch, in], w [in, out], bias [out].
 */
export function denseRaw(x: Tensor, w: Tensor, bias: Tensor | null, activation: Activation, alpha?: number): Tensor {
  return atomic(() => {
    const { m, n, k } = matmulDims('dense', x, w, false, false);
    if (bias !== null && bias !== undefined) tensorArg(bias, 'dense', 'bias');
    if (bias && (bias.rank !== 1 || bias.shape[0] !== n)) throw new ShapeError(`dense: bias expected shape [${n}], given ${fmtShape(bias.shape)}`);
    const out = uninitialized([m, n]);
    if (out.size > 0) {
      out.backend.gemm({ a: x.storage, b: w.storage, c: out.storage, m, n, k, bias: bias?.storage, activation, activationAlpha: alpha });
    }
    return out;
  });
}
