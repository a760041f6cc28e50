/**
 * Gradient clipping, torch.nn.utils semantics:
 * - `clipGradNorm(params, maxNorm, normType = 2)` (clip_grad_norm_): the total norm is the norm
 *   of all gradients taken together; every gradient is multiplied by
 *   `min(1, maxNorm / (total + 1e-6))`; returns the total norm before clipping.
 * - `clipGradValue(params, clipValue)` (clip_grad_value_): clamps each element to ±clipValue.
 * Both modify `.grad` in place and skip parameters without a gradient. NaN/Inf gradients are
 * not an error here (as in torch): they make the total norm NaN/Inf and propagate.
 *
 * The work stays on the device: {@link GradClipper} computes the norm and the clip coefficient
 * into 1-element buffers it allocates once, so an optimiser's `clipNorm` option adds no
 * allocation and no read-back per step (and works on backends without synchronous reads).
 */
import { ArgumentError, AxonError, ShapeError, describeValue } from '../errors.js';
import type { Kernels, Storage } from '../kernels/kernels.js';
import { requireSyncReads } from '../readback.js';
import { Tensor } from '../tensor.js';
import { checkNumberIn } from './options.js';

/** A norm order: a number > 0, or `Infinity` / `'inf'` for the max-abs norm. */
export type NormType = number | 'inf';

/** torch adds this to the total norm before dividing, so a zero norm does not divide by zero. */
const NORM_EPS = 1e-6;

/** Validates a norm order; returns it as a number (`Infinity` for 'inf'). */
export function checkNormType(fn: string, normType: unknown): number {
  if (normType === 'inf' || normType === Infinity) return Infinity;
  if (typeof normType === 'number' && Number.isFinite(normType) && normType > 0) return normType;
  throw new ArgumentError(`${fn}: argument 'normType' expected a number > 0, Infinity or 'inf', given ${describeValue(normType)}`);
}

/**
 * Device-side total-norm clipping over a stream of gradients: `reset()`, `accumulate()` each
 * gradient, `finish(maxNorm)`, then `scale()` each gradient. Owns a few 1-element buffers (and,
 * for norm orders other than 2 and ∞, a scratch buffer that only grows), freed by `dispose()`.
 */
export class GradClipper {
  /** Backend the buffers live on; every gradient must be on it too. */
  readonly k: Kernels;
  /** Norm order (`Infinity` for max-abs). */
  readonly normType: number;
  private readonly acc: Storage;
  private readonly tmp: Storage;
  private readonly tmp2: Storage;
  private readonly eps: Storage;
  private readonly maxNorm: Storage;
  /** Total norm after `finish`. */
  readonly total: Storage;
  /** Clip coefficient `min(1, maxNorm / (total + 1e-6))` after `finish`. */
  readonly coef: Storage;
  private readonly p?: Storage;
  private readonly invP?: Storage;
  private scratch?: Storage;

  constructor(k: Kernels, normType: number) {
    if (typeof k !== 'object' || k === null || typeof k.alloc !== 'function') throw new ArgumentError(`GradClipper: argument 'k' expected a backend (Kernels), given ${describeValue(k)}`);
    this.k = k;
    this.normType = checkNormType('GradClipper', normType);
    const one = (): Storage => k.alloc(1);
    this.acc = one();
    this.tmp = one();
    this.tmp2 = one();
    this.total = one();
    this.coef = one();
    this.maxNorm = one();
    this.eps = one();
    k.fill(this.eps, 1, NORM_EPS);
    if (normType !== 2 && normType !== Infinity) {
      this.p = one();
      this.invP = one();
      k.fill(this.p, 1, normType);
      k.fill(this.invP, 1, 1 / normType);
    }
  }

  /** Starts a new total. */
  reset(): void {
    this.k.fill(this.acc, 1, 0);
  }

  /** Adds one gradient of `n` elements to the total. */
  accumulate(g: Storage, n: number): void {
    if (n === 0) return;
    const k = this.k;
    if (this.normType === 2) {
      // g·g as a 1×n by n×1 product, accumulated into acc (beta = 1): no scratch needed.
      k.gemm({ a: g, b: g, c: this.acc, m: 1, n: 1, k: n, beta: 1 });
    } else if (this.normType === Infinity) {
      // max|g| = max(max g, −min g): two reductions, no scratch needed.
      k.reduce('max', g, this.tmp, 1, n, 1);
      k.reduce('min', g, this.tmp2, 1, n, 1);
      k.scale(this.tmp2, this.tmp2, 1, -1);
      k.binary('max', this.tmp, 'full', this.tmp2, 'full', this.tmp, 1, 1);
      k.binary('max', this.acc, 'full', this.tmp, 'full', this.acc, 1, 1);
    } else {
      if (!this.scratch || this.scratch.size < n) {
        this.scratch?.dispose();
        this.scratch = k.alloc(n);
      }
      const s = this.scratch;
      k.unary('abs', g, s, n);
      k.binary('pow', s, 'full', this.p!, 'scalar', s, 1, n);
      k.reduce('sum', s, this.tmp, 1, n, 1);
      k.binary('add', this.acc, 'full', this.tmp, 'full', this.acc, 1, 1);
    }
  }

  /** Computes the total norm and the clip coefficient for `maxNorm`. */
  finish(maxNorm: number): void {
    const k = this.k;
    if (this.normType === 2) k.unary('sqrt', this.acc, this.total, 1);
    else if (this.normType === Infinity) k.copy(this.acc, this.total, 1);
    else k.binary('pow', this.acc, 'full', this.invP!, 'full', this.total, 1, 1);
    k.fill(this.maxNorm, 1, maxNorm);
    k.binary('add', this.total, 'full', this.eps, 'full', this.tmp, 1, 1);
    k.binary('div', this.maxNorm, 'full', this.tmp, 'full', this.coef, 1, 1);
    k.clip(this.coef, this.coef, 1, -Infinity, 1);
  }

  /** Multiplies one gradient by the clip coefficient (in place). */
  scale(g: Storage, n: number): void {
    if (n > 0) this.k.binary('mul', g, 'full', this.coef, 'scalar', g, 1, n);
  }

  /** Frees the buffers. */
  dispose(): void {
    for (const s of [this.acc, this.tmp, this.tmp2, this.total, this.coef, this.maxNorm, this.eps, this.p, this.invP, this.scratch]) s?.dispose();
    this.scratch = undefined;
  }
}

/** The gradients of `params` (skipping parameters without one), checked live and same-sized. */
function gradsOf(fn: string, params: unknown): Tensor[] {
  const list = params instanceof Tensor ? [params] : params;
  if (!Array.isArray(list)) throw new ArgumentError(`${fn}: argument 'params' expected a Tensor or an array of Tensors, given ${describeValue(params)}`);
  const grads: Tensor[] = [];
  const seen = new Set<Tensor>();
  list.forEach((p: unknown, i: number) => {
    if (!(p instanceof Tensor)) throw new ArgumentError(`${fn}: parameter ${i} expected a Tensor, given ${describeValue(p)}`);
    if (p.disposed) throw new AxonError('DISPOSED', `${fn}: parameter ${i} was disposed; expected a live tensor`);
    const g = p.grad;
    if (!g || seen.has(g)) return;
    if (g.disposed) throw new ArgumentError(`${fn}: the gradient of parameter ${i} was disposed`);
    if (g.size !== p.size) throw new ShapeError(`${fn}: the gradient of parameter ${i} has ${g.size} elements but the parameter has ${p.size}`);
    if (grads.length > 0 && g.backend !== grads[0]!.backend) {
      throw new ArgumentError(`${fn}: gradients live on different backends ('${grads[0]!.backend.name}' and '${g.backend.name}')`);
    }
    seen.add(g);
    grads.push(g);
  });
  return grads;
}

/**
 * Queues the clipping of `grads` on their backend (norm and coefficient computed on the device)
 * and returns `read(total norm buffer)`, called before the buffers are freed.
 */
function clipOnDevice<T>(grads: readonly Tensor[], maxNorm: number, order: number, read: (total: Storage) => T): T {
  const clipper = new GradClipper(grads[0]!.backend, order);
  try {
    clipper.reset();
    for (const g of grads) clipper.accumulate(g.storage, g.size);
    clipper.finish(maxNorm);
    for (const g of grads) clipper.scale(g.storage, g.size);
    return read(clipper.total);
  } finally {
    clipper.dispose();
  }
}

/**
 * Scales all gradients of `params` together so that their total `normType`-norm is at most
 * `maxNorm` (torch.nn.utils.clip_grad_norm_). Returns the total norm before clipping (0 when no
 * parameter has a gradient). Returning the norm needs a synchronous read: on a backend without
 * one (webgpu) this throws an 'UNSUPPORTED' error before touching any gradient; use
 * {@link clipGradNormAsync} there, or an optimiser's `clipNorm` option (no read at all).
 */
export function clipGradNorm(params: Tensor | readonly Tensor[], maxNorm: number, normType: NormType = 2): number {
  const fn = 'clipGradNorm';
  checkNumberIn(fn, "argument 'maxNorm'", maxNorm, { min: 0 });
  const order = checkNormType(fn, normType);
  const grads = gradsOf(fn, params);
  if (grads.length === 0) return 0;
  requireSyncReads(fn, 'await clipGradNormAsync(params, maxNorm) (or the optimiser option clipNorm, which reads nothing back)', grads[0]!.backend);
  return clipOnDevice(grads, maxNorm, order, (total) => total.readSync()[0]!);
}

/**
 * {@link clipGradNorm} on every backend. The clipping itself is queued on the device before this
 * returns (so `optimizer.step()` may follow at once, without awaiting); the promise resolves
 * with the total norm before clipping once it has been read back.
 */
export function clipGradNormAsync(params: Tensor | readonly Tensor[], maxNorm: number, normType: NormType = 2): Promise<number> {
  const fn = 'clipGradNormAsync';
  checkNumberIn(fn, "argument 'maxNorm'", maxNorm, { min: 0 });
  const order = checkNormType(fn, normType);
  const grads = gradsOf(fn, params);
  if (grads.length === 0) return Promise.resolve(0);
  // The read is recorded in the device queue before the buffers are freed, so it sees the norm.
  return clipOnDevice(grads, maxNorm, order, (total) => total.read()).then((v) => v[0]!);
}

/** Clamps every gradient element of `params` to `[−clipValue, clipValue]` in place (torch.nn.utils.clip_grad_value_). */
export function clipGradValue(params: Tensor | readonly Tensor[], clipValue: number): void {
  const fn = 'clipGradValue';
  checkNumberIn(fn, "argument 'clipValue'", clipValue, { min: 0 });
  for (const g of gradsOf(fn, params)) g.backend.clip(g.storage, g.storage, g.size, -clipValue, clipValue);
}
