/**
 * Activations and their derivatives in WGSL, with the reference backend's formulas (DESIGN §5;
 * src/backends/js/activations.ts), in float32 on the math library of ./math.ts. `actFn` is also
 * the fused epilogue of the GEMM kernel.
 */
import { ACTIVATIONS, type Activation } from '../kernels/kernels.js';
import { groups, INDEX, WG } from './elementwise.js';
import type { GpuBuffer } from './gputypes.js';
import { entry, type GpuRuntime } from './runtime.js';

const CONSTS = `
const SQRT1_2: f32 = 0.70710678118654752;
const INV_SQRT_2PI: f32 = 0.39894228040143268;
const SQRT_2_OVER_PI: f32 = 0.79788456080286536;
const GELU_TANH_C: f32 = 0.044715;
const SELU_ALPHA: f32 = 1.67326324235437728;
const SELU_SCALE: f32 = 1.05070098735548049;
fn phi(x: f32) -> f32 { return 0.5 * m_erfc(-x * SQRT1_2); }
`;

function forwardExpr(act: Activation): string {
  switch (act) {
    case 'linear': return 'x';
    case 'relu': return 'select(0.0, x, x > 0.0 || is_nan(x))';
    case 'leakyRelu': return 'select(alpha * x, x, x > 0.0)';
    case 'elu': return 'select(alpha * m_expm1(x), x, x > 0.0)';
    case 'selu': return 'SELU_SCALE * select(SELU_ALPHA * m_expm1(x), x, x > 0.0)';
    case 'gelu': return 'x * phi(x)';
    case 'geluTanh': return 'x * m_sigmoid(2.0 * SQRT_2_OVER_PI * (x + GELU_TANH_C * x * x * x))';
    case 'silu': return 'x * m_sigmoid(x)';
    case 'sigmoid': return 'm_sigmoid(x)';
    case 'tanh': return 'm_tanh(x)';
    case 'softplus': return 'select(select(m_log1p(m_exp(x)), x + m_log1p(m_exp(-x)), x > 0.0), x, x > 20.0)';
    case 'softsign': return 'x / (1.0 + abs(x))';
    case 'hardTanh': return 'select(select(x, 1.0, x > 1.0), -1.0, x < -1.0)';
    case 'step': return 'select(select(0.0, x, is_nan(x)), 1.0, x > 0.0)';
    case 'sign': return 'select(select(x, -1.0, x < 0.0), 1.0, x > 0.0)';
    case 'bipolarSigmoid': return 'm_tanh(0.5 * x)';
  }
}

/** act'(x) as a statement block ending in `return`. */
function derivativeBody(act: Activation): string {
  switch (act) {
    case 'linear': return 'return 1.0;';
    case 'relu': return 'return select(0.0, 1.0, x > 0.0);';
    case 'leakyRelu': return 'return select(alpha, 1.0, x > 0.0);';
    case 'elu': return 'return select(alpha * m_exp(x), 1.0, x > 0.0);';
    case 'selu': return 'return select(SELU_SCALE * SELU_ALPHA * m_exp(x), SELU_SCALE, x > 0.0);';
    case 'gelu': return 'return phi(x) + x * INV_SQRT_2PI * m_exp(-0.5 * x * x);';
    case 'geluTanh':
      return `let u2 = 2.0 * SQRT_2_OVER_PI * (x + GELU_TANH_C * x * x * x);
  let s = m_sigmoid(u2);
  return s + 2.0 * x * s * m_sigmoid(-u2) * SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_TANH_C * x * x);`;
    case 'silu': return 'return m_sigmoid(x) * (1.0 + x * m_sigmoid(-x));';
    case 'sigmoid': return 'return m_sigmoid(x) * m_sigmoid(-x);';
    case 'tanh': return 'let c = m_cosh(x);\n  return 1.0 / (c * c);';
    case 'softplus': return 'return select(m_sigmoid(x), 1.0, x > 20.0);';
    case 'softsign': return 'let d = 1.0 + abs(x);\n  return 1.0 / (d * d);';
    case 'hardTanh': return 'return select(0.0, 1.0, x > -1.0 && x < 1.0);';
    case 'step':
    case 'sign': return 'return 0.0;';
    case 'bipolarSigmoid': return 'return 2.0 * m_sigmoid(x) * m_sigmoid(-x);';
  }
}

/** WGSL `fn act(x, alpha) -> f32` (needs the math library). */
export function actFn(act: Activation): string {
  return `${CONSTS}\nfn act(x: f32, alpha: f32) -> f32 { return ${forwardExpr(act)}; }`;
}

/**
 * WGSL `fn act(x, alpha) -> f32` choosing the activation at run time from `code` (a WGSL u32
 * expression holding the index in {@link ACTIVATIONS}).
 */
export function anyActFn(code: string): string {
  const cases = ACTIVATIONS.map((a, i) => `    case ${i}u: { return ${forwardExpr(a)}; }`);
  return `${CONSTS}\nfn act(x: f32, alpha: f32) -> f32 {\n  switch (${code}) {\n${cases.join('\n')}\n    default: { return x; }\n  }\n}`;
}

/** WGSL `fn dact(x, alpha) -> f32` (needs the math library and {@link actFn}'s constants). */
function dactFn(act: Activation): string {
  return `${CONSTS}\nfn dact(x: f32, alpha: f32) -> f32 {\n  ${derivativeBody(act)}\n}`;
}

/** Backward value: a select where torch selects (relu, hardTanh: an infinite dy stays finite), 0 for step/sign. */
function backwardExpr(act: Activation): string {
  switch (act) {
    case 'linear': return '$dy[i]';
    case 'relu': return 'select(0.0, $dy[i], $x[i] > 0.0)';
    case 'hardTanh': return 'select(0.0, $dy[i], $x[i] > -1.0 && $x[i] < 1.0)';
    case 'step':
    case 'sign': return '0.0';
    default: return '$dy[i] * dact($x[i], P.alpha)';
  }
}

/** `out[i] = act(x[i])`. */
export function activation(rt: GpuRuntime, act: Activation, x: GpuBuffer, out: GpuBuffer, n: number, alpha: number): void {
  rt.run('activation', [{
    key: `activation:${act}`,
    math: true,
    bindings: [{ name: 'x', buf: x }, { name: 'out', buf: out, write: true }],
    params: [['n', 'u32', n], ['alpha', 'f32', alpha]],
    groups: groups(n),
    body: () => `${actFn(act)}\n${entry(WG)} {\n  ${INDEX}\n  $out[i] = act($x[i], P.alpha);\n}`,
  }]);
}

/** `dx[i] = dy[i]·act'(x[i])` (the derivative is taken from x). */
export function activationBackward(rt: GpuRuntime, act: Activation, x: GpuBuffer, dy: GpuBuffer, dx: GpuBuffer, n: number, alpha: number): void {
  rt.run('activationBackward', [{
    key: `activationBackward:${act}`,
    math: true,
    bindings: [{ name: 'x', buf: x }, { name: 'dy', buf: dy }, { name: 'dx', buf: dx, write: true }],
    params: [['n', 'u32', n], ['alpha', 'f32', alpha]],
    groups: groups(n),
    body: () => `${dactFn(act)}\n${entry(WG)} {\n  ${INDEX}\n  $dx[i] = ${backwardExpr(act)};\n}`,
  }]);
}
