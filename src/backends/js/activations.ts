/**
 * Activations and their derivatives as plain scalar loops (DESIGN §5, PyTorch semantics).
 * Math runs in float64; each result is rounded to float32 once when stored.
 *
 * Per activation there is a forward kernel `name(x, out, n[, alpha])` and a backward kernel
 * `nameBackward(x, y, dy, dx, n[, alpha])` (the contract's argument order) computing
 * `dx = dy·act'(x)` from the input x, the most accurate choice; `y` is unused. Both are in-place safe.
 * NaN inputs give NaN outputs in every forward kernel.
 */
import { defaultActivationAlpha, type Activation } from '../../kernels/kernels.js';

const SQRT1_2 = Math.SQRT1_2;
const TWO_OVER_SQRT_PI = 1.1283791670955126; // 2/√π
const INV_SQRT_2PI = 0.3989422804014327; // 1/√(2π)
const SQRT_2_OVER_PI = 0.7978845608028654; // √(2/π)
const GELU_TANH_C = 0.044715;
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;
const SOFTPLUS_THRESHOLD = 20; // torch: x > 20 returns x itself

/**
 * erf(z) in float64, relative error ≈ 1e-15. For |z| < 3 the series
 * erf z = 2/√π·e^(−z²)·Σ 2ⁿz^(2n+1)/(1·3·…·(2n+1)) (all terms positive, so no cancellation);
 * beyond, 1 − erfc(z).
 */
export function erf(z: number): number {
  if (z !== z) return z;
  const a = Math.abs(z);
  if (a >= 3) return z > 0 ? 1 - erfcLarge(a) : erfcLarge(a) - 1;
  const z2 = z * z;
  let term = z;
  let sum = z;
  for (let k = 1; k < 100; k++) {
    term *= (2 * z2) / (2 * k + 1);
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-z2) * sum;
}

/** erfc(z) = 1 − erf(z) in float64, accurate in relative terms also where it is tiny (z ≫ 0). */
export function erfc(z: number): number {
  if (z !== z) return z;
  if (z >= 3) return erfcLarge(z);
  return 1 - erf(z); // erfc ≥ 2e-5 here, so the subtraction loses nothing that matters
}

/**
 * erfc(z) for z ≥ 3 by the Laplace continued fraction
 * erfc z = e^(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …)))), evaluated bottom-up.
 */
function erfcLarge(z: number): number {
  let f = z;
  for (let k = 60; k >= 1; k--) f = z + k / 2 / f;
  return (Math.exp(-z * z) / f) * (TWO_OVER_SQRT_PI / 2);
}

/** Logistic sigmoid in float64 (no overflow for large |x|). */
export function sigmoid1(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Standard normal CDF Φ(x). */
function phi(x: number): number {
  return 0.5 * erfc(-x * SQRT1_2);
}

// ---- scalar forward / derivative -----------------------------------------------------------

function fRelu(x: number): number {
  return x > 0 || x !== x ? x : 0;
}
function dRelu(x: number): number {
  return x > 0 ? 1 : 0;
}
function fLeakyRelu(x: number, a: number): number {
  return x > 0 ? x : a * x;
}
function dLeakyRelu(x: number, a: number): number {
  return x > 0 ? 1 : a; // torch: slope a at 0
}
function fElu(x: number, a: number): number {
  return x > 0 ? x : a * Math.expm1(x);
}
function dElu(x: number, a: number): number {
  return x > 0 ? 1 : a * Math.exp(x); // torch: a at 0
}
function fSelu(x: number): number {
  return SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x));
}
function dSelu(x: number): number {
  return x > 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * Math.exp(x);
}
function fGelu(x: number): number {
  return x * phi(x);
}
function dGelu(x: number): number {
  return phi(x) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}
// With u = √(2/π)(x + 0.044715x³): 0.5(1 + tanh u) = σ(2u) and 1 − tanh²u = 4σ(2u)σ(−2u),
// which avoid the cancellation of 1 ± tanh u at large |u|.
function fGeluTanh(x: number): number {
  return x * sigmoid1(2 * SQRT_2_OVER_PI * (x + GELU_TANH_C * x * x * x));
}
function dGeluTanh(x: number): number {
  const u2 = 2 * SQRT_2_OVER_PI * (x + GELU_TANH_C * x * x * x);
  const s = sigmoid1(u2);
  return s + 2 * x * s * sigmoid1(-u2) * SQRT_2_OVER_PI * (1 + 3 * GELU_TANH_C * x * x);
}
function fSilu(x: number): number {
  return x * sigmoid1(x);
}
// 1 − σ(x) is written σ(−x) and 1 − tanh²x as 1/cosh²x: no cancellation for large |x|.
function dSilu(x: number): number {
  return sigmoid1(x) * (1 + x * sigmoid1(-x));
}
function dSigmoid(x: number): number {
  return sigmoid1(x) * sigmoid1(-x);
}
function dTanh(x: number): number {
  const c = Math.cosh(x);
  return 1 / (c * c);
}
function fSoftplus(x: number): number {
  if (x > SOFTPLUS_THRESHOLD) return x;
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}
function dSoftplus(x: number): number {
  return x > SOFTPLUS_THRESHOLD ? 1 : sigmoid1(x);
}
function fSoftsign(x: number): number {
  return x / (1 + Math.abs(x));
}
function dSoftsign(x: number): number {
  const d = 1 + Math.abs(x);
  return 1 / (d * d);
}
function fHardTanh(x: number): number {
  return x < -1 ? -1 : x > 1 ? 1 : x;
}
function dHardTanh(x: number): number {
  return x > -1 && x < 1 ? 1 : 0; // torch: 0 at the bounds
}
function fStep(x: number): number {
  return x > 0 ? 1 : x !== x ? x : 0;
}
function fSign(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : x; // ±0 and NaN pass through
}
function fBipolarSigmoid(x: number): number {
  return Math.tanh(0.5 * x); // = 2/(1+e^−x) − 1 exactly, without the cancellation near 0
}
function dBipolarSigmoid(x: number): number {
  return 2 * sigmoid1(x) * sigmoid1(-x); // = (1 − y²)/2
}

/** Scalar `act(x)` in float64 (the gemm epilogue and tests use it). */
export function activate(act: Activation, x: number, alpha: number): number {
  switch (act) {
    case 'linear': return x;
    case 'relu': return fRelu(x);
    case 'leakyRelu': return fLeakyRelu(x, alpha);
    case 'elu': return fElu(x, alpha);
    case 'selu': return fSelu(x);
    case 'gelu': return fGelu(x);
    case 'geluTanh': return fGeluTanh(x);
    case 'silu': return fSilu(x);
    case 'sigmoid': return sigmoid1(x);
    case 'tanh': return Math.tanh(x);
    case 'softplus': return fSoftplus(x);
    case 'softsign': return fSoftsign(x);
    case 'hardTanh': return fHardTanh(x);
    case 'step': return fStep(x);
    case 'sign': return fSign(x);
    case 'bipolarSigmoid': return fBipolarSigmoid(x);
  }
}

/** Scalar `act'(x)` in float64 (step and sign: 0; relu'(0) = 0; hardTanh' = 0 at ±1). */
export function derivative(act: Activation, x: number, alpha: number): number {
  switch (act) {
    case 'linear': return 1;
    case 'relu': return dRelu(x);
    case 'leakyRelu': return dLeakyRelu(x, alpha);
    case 'elu': return dElu(x, alpha);
    case 'selu': return dSelu(x);
    case 'gelu': return dGelu(x);
    case 'geluTanh': return dGeluTanh(x);
    case 'silu': return dSilu(x);
    case 'sigmoid': return dSigmoid(x);
    case 'tanh': return dTanh(x);
    case 'softplus': return dSoftplus(x);
    case 'softsign': return dSoftsign(x);
    case 'hardTanh': return dHardTanh(x);
    case 'step': return 0;
    case 'sign': return 0;
    case 'bipolarSigmoid': return dBipolarSigmoid(x);
  }
}

// ---- array kernels (one plain loop each: the "plain JS loops" baseline) -----------------------

/** out = x. */
export function linear(x: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = x[i]!;
}
/** dx = dy. */
export function linearBackward(_x: Float32Array, _y: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) dx[i] = dy[i]!;
}
/** out = max(x, 0), NaN kept. */
export function relu(x: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = fRelu(x[i]!);
}
/** dx = x > 0 ? dy : 0 (a select, as torch: an infinite dy does not become NaN). */
export function reluBackward(x: Float32Array, _y: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) dx[i] = x[i]! > 0 ? dy[i]! : 0;
}
/** out = x > 0 ? x : alpha·x. */
export function leakyRelu(x: Float32Array, out: Float32Array, n: number, alpha = 0.01): void {
  for (let i = 0; i < n; i++) out[i] = fLeakyRelu(x[i]!, alpha);
}
/** dx = dy·(x > 0 ? 1 : alpha). */
export function leakyReluBackward(x: Float32Array, _y: Float32Array, dy: Float32Array, dx: Float32Array, n: number, alpha = 0.01): void {
  for (let i = 0; i < n; i++) dx[i] = dy[i]! * dLeakyRelu(x[i]!, alpha);
}
/** out = x > 0 ? x : alpha·(eˣ − 1). */
export function elu(x: Float32Array, out: Float32Array, n: number, alpha = 1): void {
  for (let i = 0; i < n; i++) out[i] = fElu(x[i]!, alpha);
}
/** dx = dy·(x > 0 ? 1 : alpha·eˣ). */
export function eluBackward(x: Float32Array, _y: Float32Array, dy: Float32Array, dx: Float32Array, n: number, alpha = 1): void {
  for (let i = 0; i < n; i++) dx[i] = dy[i]! * dElu(x[i]!, alpha);
}
/** out = scale·(x > 0 ? x : α(eˣ − 1)) with torch's constants. */
export function selu(x: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = fSelu(x[i]!);
}
/** dx = dy·selu'(x). */
export function seluBackward(x: Float32Array, _y: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) dx[i] = dy[i]! * dSelu(x[i]!);
}
/** out = x·Φ(x) (exact erf form). */
export function gelu(x: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = fGelu(x[i]!);
}
/** dx = dy·(Φ(x) + x·φ(x)). */
export function geluBackward(x: Float32Array, _y: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) dx[i] = dy[i]! * dGelu(x[i]!);
}
/** out = 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))). */
export function geluTanh(x: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = fGeluTanh(x[i]!);
}
/** dx = dy·geluTanh'(x). */
export function geluTanhBackward(x: Float32Array, _y: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) dx[i] = dy[i]! * dGeluTanh(x[i]!);
}
/** out = x·σ(x). */
export function silu(x: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = fSilu(x[i]!);
}
/** dx = dy·σ(x)(1 + x(1 − σ(x))). */
export function siluBackward(x: Float32Array, _y: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) dx[i] = dy[i]! * dSilu(x[i]!);
}
/** out = 1/(1 + e^−x). */
export function sigmoid(x: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = sigmoid1(x[i]!);
}
/** dx = dy·σ(1 − σ). */
export function sigmoidBackward(x: Float32Array, _y: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) dx[i] = dy[i]! * dSigmoid(x[i]!);
}
/** out = tanh x. */
export function tanh(x: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]!);
}
/** dx = dy·(1 − tanh²x). */
export function tanhBackward(x: Float32Array, _y: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) dx[i] = dy[i]! * dTanh(x[i]!);
}
/** out = log(1 + eˣ), and x itself above 20 (torch's threshold). */
export function softplus(x: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = fSoftplus(x[i]!);
}
/** dx = dy·σ(x), and dy above the threshold. */
export function softplusBackward(x: Float32Array, _y: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) dx[i] = dy[i]! * dSoftplus(x[i]!);
}
/** out = x/(1 + |x|). */
export function softsign(x: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = fSoftsign(x[i]!);
}
/** dx = dy/(1 + |x|)². */
export function softsignBackward(x: Float32Array, _y: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) dx[i] = dy[i]! * dSoftsign(x[i]!);
}
/** out = clamp(x, −1, 1). */
export function hardTanh(x: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = fHardTanh(x[i]!);
}
/** dx = dy on (−1, 1), else 0 (a select, as torch). */
export function hardTanhBackward(x: Float32Array, _y: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) dx[i] = x[i]! > -1 && x[i]! < 1 ? dy[i]! : 0;
}
/** out = x > 0 ? 1 : 0 (NaN kept). */
export function step(x: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = fStep(x[i]!);
}
/** dx = 0 (zero derivative; torch's sign backward is zeros, whatever dy holds). */
export function stepBackward(_x: Float32Array, _y: Float32Array, _dy: Float32Array, dx: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) dx[i] = 0;
}
/** out = sign(x) (±0 and NaN kept). */
export function sign(x: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = fSign(x[i]!);
}
/** dx = 0. */
export function signBackward(_x: Float32Array, _y: Float32Array, _dy: Float32Array, dx: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) dx[i] = 0;
}
/** out = 2/(1 + e^−x) − 1. */
export function bipolarSigmoid(x: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = fBipolarSigmoid(x[i]!);
}
/** dx = dy·(1 − y²)/2. */
export function bipolarSigmoidBackward(x: Float32Array, _y: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) dx[i] = dy[i]! * dBipolarSigmoid(x[i]!);
}

type Fwd = (x: Float32Array, out: Float32Array, n: number, alpha: number) => void;
type Bwd = (x: Float32Array, y: Float32Array, dy: Float32Array, dx: Float32Array, n: number, alpha: number) => void;

const FORWARD: Record<Activation, Fwd> = {
  linear, relu, leakyRelu, elu, selu, gelu, geluTanh, silu, sigmoid, tanh, softplus, softsign, hardTanh, step, sign, bipolarSigmoid,
};
const BACKWARD: Record<Activation, Bwd> = {
  linear: linearBackward,
  relu: reluBackward,
  leakyRelu: leakyReluBackward,
  elu: eluBackward,
  selu: seluBackward,
  gelu: geluBackward,
  geluTanh: geluTanhBackward,
  silu: siluBackward,
  sigmoid: sigmoidBackward,
  tanh: tanhBackward,
  softplus: softplusBackward,
  softsign: softsignBackward,
  hardTanh: hardTanhBackward,
  step: stepBackward,
  sign: signBackward,
  bipolarSigmoid: bipolarSigmoidBackward,
};

/** `out[i] = act(x[i])` for i < n; `alpha` defaults per `defaultActivationAlpha`. In-place safe. */
export function activation(act: Activation, x: Float32Array, out: Float32Array, n: number, alpha?: number): void {
  FORWARD[act](x, out, n, alpha ?? defaultActivationAlpha(act));
}

/**
 * `dx[i] = dy[i]·act'(x[i])` for i < n (contract order; `y` is accepted but the derivative is
 * taken from x, which is more accurate). In-place safe for `dx === dy`.
 */
export function activationBackward(act: Activation, x: Float32Array, y: Float32Array, dy: Float32Array, dx: Float32Array, n: number, alpha?: number): void {
  BACKWARD[act](x, y, dy, dx, n, alpha ?? defaultActivationAlpha(act));
}
