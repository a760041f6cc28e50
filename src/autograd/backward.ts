/**
 * The reverse sweep (micrograd's idea at tensor scale): order the graph topologically from the
 * root, seed d(root)/d(root) = 1, and walk it backwards calling each node's gradient rule,
 * summing gradients where a tensor feeds several ops. Leaves that require grad accumulate into
 * `.grad` (like torch: call `zeroGrad()` between steps). Intermediate gradients are freed as
 * soon as they have been consumed, and the graph is released afterwards.
 */
import { keepAlive, noGrad } from '../engine.js';
import { ArgumentError, AxonError, ShapeError, checkOptions, describeValue, fmtShape } from '../errors.js';
import { add, copyTensor, onesLike } from '../ops/index.js';
import { Tensor } from '../tensor.js';

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Tensors reachable from `root` through recorded nodes, inputs before outputs. */
function topoOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  // Iterative DFS: deep graphs (long unrolled loops) must not overflow the call stack.
  const stack: Array<{ t: Tensor; i: number }> = [{ t: root, i: 0 }];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const inputs = top.t.node?.inputs ?? [];
    if (top.i < inputs.length) {
      const next = inputs[top.i++]!;
      if (!visited.has(next) && next.requiresGrad) {
        visited.add(next);
        stack.push({ t: next, i: 0 });
      }
    } else {
      order.push(top.t);
      stack.pop();
    }
  }
  return order;
}

/** Options of {@link backward}. */
export interface BackwardOptions {
  /** Keep the graph so `backward` can run again through it (default false). */
  retainGraph?: boolean;
}

/** Implements `tensor.backward(gradient?)`; see the file comment. */
export function backward(root: Tensor, gradient?: Tensor, options: BackwardOptions = {}): void {
  if (!(root instanceof Tensor)) throw new ArgumentError(`backward: argument 'root' expected a Tensor, given ${describeValue(root)}`);
  checkOptions('backward', options, ['retainGraph']);
  if (gradient !== undefined && !(gradient instanceof Tensor)) throw new ArgumentError(`backward: argument 'gradient' expected a Tensor, given ${describeValue(gradient)}`);
  root.assertLive('backward', 'this');
  if (!root.requiresGrad) {
    throw new AxonError('INVALID_ARGUMENT', 'backward: this tensor does not require grad (nothing in its computation is a variable, or it was computed inside noGrad)');
  }
  if (gradient === undefined && root.size !== 1) {
    throw new ShapeError(`backward: called on a tensor of shape ${fmtShape(root.shape)}; pass a gradient of that shape, or reduce to a scalar first (e.g. mean())`);
  }
  if (gradient !== undefined) {
    gradient.assertLive('backward', 'gradient');
    if (!sameShape(gradient.shape, root.shape)) throw new ShapeError(`backward: gradient shape ${fmtShape(gradient.shape)} does not match the tensor's shape ${fmtShape(root.shape)}`);
  }
  const order = topoOrder(root);
  noGrad(() => {
    const grads = new Map<Tensor, Tensor>();
    grads.set(root, gradient !== undefined ? copyTensor(gradient) : onesLike(root));
    for (let idx = order.length - 1; idx >= 0; idx--) {
      const t = order[idx]!;
      const g = grads.get(t);
      if (!g) continue;
      grads.delete(t);
      if (t.node === null) {
        accumulateLeaf(t, g);
        continue;
      }
      const node = t.node;
      for (let i = 0; i < node.inputs.length; i++) {
        const input = node.inputs[i]!;
        if (input.requiresGrad && input.disposed) {
          throw new AxonError('DISPOSED', `backward: input ${i} of '${node.op}' (shape ${fmtShape(input.shape)}) was disposed before backward — keep it alive (e.g. run backward inside the same tidy)`);
        }
      }
      const raw = node.backward(g);
      const seen = new Set<Tensor>();
      for (let i = 0; i < node.inputs.length; i++) {
        const input = node.inputs[i]!;
        let ig = raw[i] ?? null;
        if (ig === null) continue;
        if (!input.requiresGrad) {
          if (ig !== g && !seen.has(ig)) ig.dispose();
          continue;
        }
        // Rules may pass dy through or reuse one tensor for two inputs: give each input its own.
        if (ig === g || seen.has(ig)) ig = copyTensor(ig);
        seen.add(ig);
        if (!sameShape(ig.shape, input.shape)) {
          throw new AxonError('SHAPE_MISMATCH', `backward: the gradient rule of '${node.op}' returned shape ${fmtShape(ig.shape)} for input ${i} of shape ${fmtShape(input.shape)} (internal error)`);
        }
        const prev = grads.get(input);
        if (prev) {
          grads.set(input, add(prev, ig));
          prev.dispose();
          ig.dispose();
        } else grads.set(input, ig);
      }
      if (!seen.has(g)) g.dispose();
      if (!options.retainGraph) t.node = released(node.op);
    }
  });
}

/** A node whose graph was freed by a previous backward: reaching it again is an error, as in torch. */
function released(op: string) {
  return {
    op,
    inputs: [] as Tensor[],
    backward(): never {
      throw new AxonError('INVALID_ARGUMENT', `backward: trying to go through the graph of '${op}' a second time; its intermediate values were freed after the first backward (pass { retainGraph: true } to the first call)`);
    },
  };
}

function accumulateLeaf(t: Tensor, g: Tensor): void {
  if (!t.requiresGrad) {
    g.dispose();
    return;
  }
  if (t.grad && !t.grad.disposed) {
    const sum = add(t.grad, g);
    t.grad.dispose();
    g.dispose();
    keepAlive(sum);
    t.grad = sum;
  } else {
    keepAlive(g);
    t.grad = g;
  }
}
