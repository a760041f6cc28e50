/**
 * `gradcheck`: compares autograd's gradients with central finite differences, element by
 * element, in float32 on the current backend.
 *
 * A non-scalar output y is reduced to `f = Σ w ⊙ y` with fixed pseudo-random weights
 * w ∈ ±[0.5, 1.5) (a scalar output is used as is), so one backward pass checks a whole
 * vector–Jacobian product and symmetric mistakes (e.g. in softmax, whose outputs sum to 1)
 * cannot cancel. f is accumulated in float64 from the float32 outputs; elements of y that do
 * not depend on the perturbed input are bit-identical in both evaluations and cancel exactly,
 * so the numeric noise is about ε₃₂·|y|/h for the outputs that do.
 *
 * It reads values back after every evaluation: `gradcheck` synchronously (js, wasm);
 * `gradcheckAsync` with `await` (every backend, webgpu included). Both run one body
 * (a generator that yields the tensors it reads; src/readback.ts).
 */
import { noGrad, tidy } from '../engine.js';
import { ArgumentError, checkOptions, describeValue } from '../errors.js';
import { copyTensor, tensor, toTensor, variable } from '../ops/create.js';
import { readAsync, readSync, requireSyncReads, type Reads } from '../readback.js';
import { Tensor, type TensorLike } from '../tensor.js';

/** Options of {@link gradcheck}. */
export interface GradcheckOptions {
  /** Finite-difference step, scaled by max(1, |x|) per element. Default 1e-3. */
  eps?: number;
  /** Largest acceptable error (see {@link GradcheckResult.maxError}). Default 1e-2. */
  tol?: number;
  /**
   * Floor of the error's denominator: gradients smaller than this are compared in absolute
   * terms. Default 0.1 — float32 differences with h = 1e-3 carry noise of ~1e-4·|y|.
   */
  floor?: number;
  /** Seed of the output weights w. Default 1. */
  seed?: number;
}

/** Where analytic and numeric gradients disagree most. */
export interface GradcheckWorst {
  /** Index of the input (position in `inputs`). */
  input: number;
  /** Flat (row-major) element index within that input. */
  index: number;
  analytic: number;
  numeric: number;
}

/** Result of {@link gradcheck}. */
export interface GradcheckResult {
  /** True when `maxError ≤ tol`. */
  ok: boolean;
  /**
   * Largest `|analytic − numeric| / max(|analytic|, |numeric|, floor)` over every element of
   * every input (Infinity when exactly one of them is NaN or ±Infinity; 0 when both are NaN).
   */
  maxError: number;
  /** The element with the largest error (null when the inputs have no elements). */
  worst: GradcheckWorst | null;
}

/** Deterministic weights ±[0.5, 1.5) (mulberry32), independent of every backend's generator. */
function weights(n: number, seed: number): Float32Array {
  const w = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    w[i] = (u < 0.5 ? -1 : 1) * (0.5 + 2 * Math.abs(u - 0.5));
  }
  return w;
}

function errorOf(a: number, n: number, floor: number): number {
  if (Number.isNaN(a) && Number.isNaN(n)) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(n)) return a === n ? 0 : Infinity;
  return Math.abs(a - n) / Math.max(Math.abs(a), Math.abs(n), floor);
}

function positive(name: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new ArgumentError(`gradcheck: option '${name}' expected a positive number, given ${describeValue(v)}`);
  return v;
}

/**
 * Checks the gradients of `fn` at `inputs`: every input becomes a fresh variable (a copy; the
 * originals are untouched), autograd's gradient of each element is compared with the central
 * difference `(f(x + h) − f(x − h)) / 2h`, h = eps·max(1, |x|). Inputs that `fn` should not
 * differentiate (labels, masks) belong in its closure, not in `inputs`. Avoid points within
 * `eps` of a kink (relu at 0, ties of max). Leaves nothing allocated. Needs synchronous reads:
 * on webgpu it throws an 'UNSUPPORTED' error; use {@link gradcheckAsync} there.
 */
export function gradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: readonly TensorLike[], options: GradcheckOptions = {}): GradcheckResult {
  const body = check(fn, inputs, options);
  requireSyncReads('gradcheck', 'await gradcheckAsync(fn, inputs, options)');
  return readSync(body);
}

/** {@link gradcheck} on every backend (webgpu included): the same checks, reading values with `await`. */
export function gradcheckAsync(fn: (...inputs: Tensor[]) => Tensor, inputs: readonly TensorLike[], options: GradcheckOptions = {}): Promise<GradcheckResult> {
  return readAsync(check(fn, inputs, options));
}

function* check(fn: (...inputs: Tensor[]) => Tensor, inputs: readonly TensorLike[], options: GradcheckOptions): Reads<GradcheckResult> {
  checkOptions('gradcheck', options, ['eps', 'tol', 'floor', 'seed']);
  if (typeof fn !== 'function') throw new ArgumentError(`gradcheck: argument 'fn' expected a function, given ${describeValue(fn)}`);
  if (!Array.isArray(inputs)) throw new ArgumentError(`gradcheck: argument 'inputs' expected an array of tensors, given ${describeValue(inputs)}`);
  const eps = positive('eps', options.eps, 1e-3);
  const tol = positive('tol', options.tol, 1e-2);
  const floor = positive('floor', options.floor, 0.1);
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new ArgumentError(`gradcheck: option 'seed' expected a non-negative integer, given ${describeValue(seed)}`);

  // Check every input before making any variable, so a refusal leaves nothing behind.
  inputs.forEach((x, i) => {
    if (x instanceof Tensor) toTensor(x, 'gradcheck', `inputs[${i}]`);
  });
  const vars: Tensor[] = [];
  try {
    for (const x of inputs) vars.push(variable(x));
  } catch (e) {
    for (const v of vars) v.dispose();
    throw e;
  }
  try {
    let w: Float32Array | null = null;
    const call = (): Tensor => {
      const y = fn(...vars);
      if (!(y instanceof Tensor)) throw new ArgumentError(`gradcheck: 'fn' must return a Tensor, returned ${describeValue(y)}`);
      if (w === null) w = y.size === 1 ? Float32Array.of(1) : weights(y.size, seed);
      else if (w.length !== y.size) throw new ArgumentError(`gradcheck: 'fn' returned ${y.size} elements, then ${w.length}; it must be deterministic`);
      return y;
    };

    // Analytic: one backward pass of Σ w ⊙ y.
    tidy(() => {
      const y = call();
      if (!y.requiresGrad) return; // nothing differentiable: every analytic gradient is 0
      const wt = tensor(w!, y.shape);
      const f = y.mul(wt).sum();
      f.backward();
    });
    const analytic: Float32Array[] = [];
    for (const v of vars) analytic.push(v.grad ? yield v.grad : new Float32Array(v.size));

    // Numeric: central differences, f accumulated in float64.
    const evalF = function* (): Generator<Tensor, number, Float32Array> {
      // A copy, so the tidy frees everything fn made and the copy is ours to free after the read.
      const out = noGrad(() => tidy(() => copyTensor(call())));
      let y: Float32Array;
      try {
        y = yield out;
      } finally {
        out.dispose();
      }
      let f = 0;
      for (let k = 0; k < y.length; k++) f += w![k]! * y[k]!;
      return f;
    };

    let maxError = 0;
    let worst: GradcheckWorst | null = null;
    for (const [i, v] of vars.entries()) {
      const data: Float32Array = yield v;
      for (let j = 0; j < data.length; j++) {
        const x = data[j]!;
        const h = eps * Math.max(1, Math.abs(x));
        const xp = Math.fround(x + h);
        const xm = Math.fround(x - h);
        v.backend.write(v.storage, Float32Array.of(xp), j);
        const fp = yield* evalF();
        v.backend.write(v.storage, Float32Array.of(xm), j);
        const fm = yield* evalF();
        v.backend.write(v.storage, Float32Array.of(x), j);
        const numeric = (fp - fm) / (xp - xm); // the float32 step actually taken
        const a = analytic[i]![j]!;
        const err = errorOf(a, numeric, floor);
        if (worst === null || err > maxError) {
          maxError = Math.max(maxError, err);
          worst = { input: i, index: j, analytic: a, numeric };
        }
      }
    }
    return { ok: maxError <= tol, maxError, worst };
  } finally {
    for (const v of vars) v.dispose();
  }
}
