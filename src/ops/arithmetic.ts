/**
 * Elementwise binary arithmetic with NumPy broadcasting: add, sub, mul, div (and the generic
 * {@link binaryOp} that pow/maximum/minimum build on). Each records its gradient rule from
 * src/autograd/rules/.
 */
import { record } from '../autograd/record.js';
import { addGrad } from '../autograd/rules/add.js';
import { divGrad } from '../autograd/rules/div.js';
import { mulGrad } from '../autograd/rules/mul.js';
import { subGrad } from '../autograd/rules/sub.js';
import type { BinaryOp } from '../kernels/kernels.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { broadcastShapes, planBinary } from './broadcast.js';
import { toTensor } from './create.js';
import { atomic } from '../engine.js';
import { tensorArg } from './checks.js';
import { ArgumentError, describeValue } from '../errors.js';
import { uninitialized } from './scratch.js';

/** `a (op) b` with broadcasting, no autograd. */
export function binaryRaw(op: BinaryOp, a: Tensor, b: Tensor, name: string = op): Tensor {
  return atomic(() => {
    tensorArg(a, name, 'a');
    tensorArg(b, name, 'b');
    const shape = broadcastShapes(name, a.shape, b.shape);
    const out = uninitialized(shape); // both binary kernels write every output element
    if (out.size === 0) return out;
    const plan = planBinary(a.shape, b.shape, shape);
    const k = out.backend;
    if (plan.kind === '2d') k.binary(op, a.storage, plan.aMode, b.storage, plan.bMode, out.storage, plan.rows, plan.cols);
    else k.binaryStrided(op, a.storage, plan.aStrides, b.storage, plan.bStrides, out.storage, plan.shape);
    return out;
  });
}

/** Converts both operands, runs the kernel, records `rule`. */
export function binaryOp(op: BinaryOp, name: string, a: TensorLike, b: TensorLike, rule: (dy: Tensor, a: Tensor, b: Tensor, out: Tensor) => Array<Tensor | null>): Tensor {
  return atomic(() => {
    if (typeof rule !== 'function') throw new ArgumentError(`${name}: argument 'rule' expected a gradient function, given ${describeValue(rule)}`);
    const ta = toTensor(a, name, 'a');
    const tb = toTensor(b, name, 'b');
    const out = binaryRaw(op, ta, tb, name);
    return record(out, name, [ta, tb], (dy) => rule(dy, ta, tb, out));
  });
}

/** `a + b` (broadcasting). */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('add', 'add', a, b, addGrad);
}

/** `a − b` (broadcasting). */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('sub', 'sub', a, b, subGrad);
}

/** `a · b` elementwise (broadcasting). */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('mul', 'mul', a, b, mulGrad);
}

/** `a / b` elementwise (broadcasting). */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('div', 'div', a, b, divGrad);
}
