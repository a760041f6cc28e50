/**
 * Tensor: an n-dimensional float32 array living in a backend's storage, with the autograd
 * fields (`requiresGrad`, `grad`, the node that produced it). Operations are free functions in
 * src/ops/ (`ax.add(a, b)`); the methods here are thin aliases for chaining (`a.add(b)`).
 */
import { keepAlive, newId, track, untrack, type Tracked } from './engine.js';
import type { GradNode } from './autograd/node.js';
import type { Kernels, Storage } from './kernels/kernels.js';
import * as ops from './ops/index.js';
import { backward as runBackward, type BackwardOptions } from './autograd/backward.js';
import { ArgumentError, AxonError, ShapeError, describeValue } from './errors.js';
import { deferredSnapshot, hasDeferred, settleDeferred } from './deferred.js';
import { canReadSync } from './readback.js';

/** Nested number arrays as produced by {@link Tensor.array}. */
export type NestedArray = number | NestedArray[];

/** Anything an op accepts where a tensor is expected: a Tensor, a number, or nested arrays. */
export type TensorLike = Tensor | number | NestedArray | Float32Array;

/** Product of the dimensions. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Checks what a tensor is made of before anything is tracked: a live storage handle of
 * `backend`'s kind, large enough for `shape` (non-negative integer dimensions).
 */
export function checkTensorParts(fn: string, storage: unknown, shape: unknown, backend: unknown): void {
  const st = storage as Storage | null;
  if (typeof st !== 'object' || st === null || typeof st.size !== 'number' || typeof st.dispose !== 'function') {
    throw new ArgumentError(`${fn}: argument 'storage' expected a backend storage handle, given ${describeValue(storage)}`);
  }
  const k = backend as Kernels | null;
  if (typeof k !== 'object' || k === null || typeof k.alloc !== 'function') throw new ArgumentError(`${fn}: argument 'backend' expected a backend (Kernels), given ${describeValue(backend)}`);
  if (st.backend !== k.name) throw new ArgumentError(`${fn}: argument 'storage' expected a storage handle of the '${k.name}' backend, given one of the '${st.backend}' backend`);
  if (st.disposed) throw new AxonError('DISPOSED', `${fn}: argument 'storage' expected a live storage handle, given a disposed one`);
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
    throw new ArgumentError(`${fn}: argument 'shape' expected an array of non-negative integers, given ${Array.isArray(shape) ? `[${shape.join(', ')}]` : describeValue(shape)}`);
  }
  const n = sizeOf(shape);
  if (n > st.size) throw new ShapeError(`${fn}: argument 'shape' [${shape.join(', ')}] needs ${n} elements, given a storage of ${st.size}`);
}

/** A float32 tensor. Create with `ax.tensor`, `ax.zeros`, `ax.randn`, … — not with `new`. */
export class Tensor implements Tracked {
  readonly id = newId();
  readonly shape: readonly number[];
  readonly size: number;
  readonly dtype = 'float32' as const;
  /** The kernels (backend) that own the storage. */
  readonly backend: Kernels;
  readonly storage: Storage;
  /** True for trainable leaves (`variable()`) and for results computed from them. */
  requiresGrad = false;
  /** Accumulated gradient (leaves only), set by `backward()`. Same shape as the tensor. */
  grad: Tensor | null = null;
  /** How this tensor was computed; null for leaves and for results computed without grad. */
  node: GradNode | null = null;
  /** Survives tidy scopes (variables, gradients, optimiser state, `keep()`). */
  kept = false;
  /** A human-readable name (parameters get one, e.g. `dense_1.W`). */
  name?: string;
  private readonly token = {};
  private _disposed = false;

  /** @internal Use the creation functions. */
  constructor(storage: Storage, shape: readonly number[], backend: Kernels, kept = false) {
    checkTensorParts('Tensor', storage, shape, backend);
    this.storage = storage;
    this.shape = Object.freeze([...shape]);
    this.size = sizeOf(shape);
    this.backend = backend;
    this.kept = kept;
    track(this, this.token);
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** True after {@link Tensor.dispose}. */
  get disposed(): boolean {
    return this._disposed || this.storage.disposed;
  }

  /** True for tensors not produced by a recorded op (inputs, variables). */
  get isLeaf(): boolean {
    return this.node === null;
  }

  /** Frees the storage (and the gradient, if any). Safe to call twice. */
  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    untrack(this, this.token);
    this.storage.dispose();
    this.node = null;
    if (this.grad) {
      this.grad.dispose();
      this.grad = null;
    }
  }

  /** Marks the tensor to survive enclosing `tidy` scopes; returns it. */
  keep(): this {
    keepAlive(this);
    return this;
  }

  /** Throws a clear error if the tensor was disposed. */
  assertLive(op: string, arg = 'x'): void {
    if (this.disposed) throw new AxonError('DISPOSED', `${op}: argument '${arg}' is a disposed tensor (id ${this.id}, shape [${this.shape.join(', ')}]); expected a live one`);
  }

  /**
   * A copy of the values, in row-major order. Also reports a failed deferred check (an invalid
   * label tensor given to a loss on webgpu; see src/deferred.ts).
   */
  async data(): Promise<Float32Array> {
    this.assertLive('data');
    // Only the checks begun before this read are waited for (see deferredSnapshot).
    const before = deferredSnapshot();
    const values = await this.storage.read();
    if (before || hasDeferred()) await settleDeferred(before ?? []);
    return values;
  }

  /** A synchronous copy of the values (not on webgpu: use `await data()`). */
  dataSync(): Float32Array {
    this.assertLive('dataSync');
    return this.storage.readSync();
  }

  /** The values as nested arrays (a number for rank 0). */
  async array(): Promise<NestedArray> {
    return nest(await this.data(), this.shape);
  }

  /** Synchronous {@link Tensor.array}. */
  arraySync(): NestedArray {
    return nest(this.dataSync(), this.shape);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new ShapeError(`item: expected a tensor with one element, given shape [${this.shape.join(', ')}]`);
    return this.dataSync()[0]!;
  }

  /**
   * Reverse-mode autodiff from this tensor: accumulates d(this)/d(leaf) into every leaf's
   * `.grad`. `this` must be a scalar unless `gradient` (same shape) is given.
   */
  backward(gradient?: Tensor, options?: BackwardOptions): void {
    runBackward(this, gradient, options);
  }

  toString(): string {
    // Values only where they can be read synchronously (not on webgpu).
    const vals = this.size <= 20 && !this.disposed && canReadSync(this.backend) ? ` ${JSON.stringify(this.arraySync())}` : '';
    return `Tensor(shape=[${this.shape.join(', ')}]${this.requiresGrad ? ', requiresGrad' : ''}${this.disposed ? ', disposed' : ''})${vals}`;
  }

  // ---- method aliases of the ops in src/ops (same names, same semantics) ----------------
  add(b: TensorLike): Tensor { return ops.add(this, b); }
  sub(b: TensorLike): Tensor { return ops.sub(this, b); }
  mul(b: TensorLike): Tensor { return ops.mul(this, b); }
  div(b: TensorLike): Tensor { return ops.div(this, b); }
  pow(b: TensorLike): Tensor { return ops.pow(this, b); }
  maximum(b: TensorLike): Tensor { return ops.maximum(this, b); }
  minimum(b: TensorLike): Tensor { return ops.minimum(this, b); }
  neg(): Tensor { return ops.neg(this); }
  abs(): Tensor { return ops.abs(this); }
  exp(): Tensor { return ops.exp(this); }
  log(): Tensor { return ops.log(this); }
  sqrt(): Tensor { return ops.sqrt(this); }
  square(): Tensor { return ops.square(this); }
  reciprocal(): Tensor { return ops.reciprocal(this); }
  rsqrt(): Tensor { return ops.rsqrt(this); }
  clip(lo?: number, hi?: number): Tensor { return ops.clip(this, lo, hi); }
  matmul(b: Tensor, options?: ops.MatmulOptions): Tensor { return ops.matmul(this, b, options); }
  transpose(perm?: readonly number[]): Tensor { return ops.transpose(this, perm); }
  reshape(shape: readonly number[]): Tensor { return ops.reshape(this, shape); }
  flatten(startAxis?: number): Tensor { return ops.flatten(this, startAxis); }
  slice(begin: number | readonly number[], size?: number | readonly number[]): Tensor { return ops.slice(this, begin, size); }
  sum(axis?: number | readonly number[], keepDims?: boolean): Tensor { return ops.sum(this, axis, keepDims); }
  mean(axis?: number | readonly number[], keepDims?: boolean): Tensor { return ops.mean(this, axis, keepDims); }
  max(axis?: number | readonly number[], keepDims?: boolean): Tensor { return ops.max(this, axis, keepDims); }
  min(axis?: number | readonly number[], keepDims?: boolean): Tensor { return ops.min(this, axis, keepDims); }
  argmax(axis?: number): Tensor { return ops.argmax(this, axis); }
  relu(): Tensor { return ops.relu(this); }
  sigmoid(): Tensor { return ops.sigmoid(this); }
  tanh(): Tensor { return ops.tanh(this); }
  softmax(axis?: number): Tensor { return ops.softmax(this, axis); }
  logSoftmax(axis?: number): Tensor { return ops.logSoftmax(this, axis); }
}

/** Rebuilds nested arrays from flat row-major values. */
export function nest(values: Float32Array, shape: readonly number[]): NestedArray {
  if (shape.length === 0) return values[0]!;
  const build = (offset: number, dim: number): NestedArray[] => {
    const n = shape[dim]!;
    const out: NestedArray[] = new Array(n);
    if (dim === shape.length - 1) {
      for (let i = 0; i < n; i++) out[i] = values[offset + i]!;
      return out;
    }
    const stride = sizeOf(shape.slice(dim + 1));
    for (let i = 0; i < n; i++) out[i] = build(offset + i * stride, dim + 1);
    return out;
  };
  return build(0, 0);
}
