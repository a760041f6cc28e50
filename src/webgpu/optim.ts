/**
 * Fused optimiser updates in WGSL (PyTorch 1.13's rules, as src/backends/js/optim.ts): one
 * invocation per parameter element reads the gradient and the state once, and writes the
 * parameter and the state once. Options that change the data flow (weight decay, momentum,
 * Nesterov, AMSGrad, centered, first step) are compile-time specialisations; scalars are
 * uniforms, with the bias corrections computed on the host in float64.
 */
import type { AdadeltaParams, AdagradParams, AdamParams, RmspropParams, SgdParams, Storage } from '../kernels/kernels.js';
import { groups, INDEX, WG } from './elementwise.js';
import type { GpuBuffer } from './gputypes.js';
import { entry, type Binding, type GpuRuntime, type Param } from './runtime.js';

/** Maps a validated handle to its buffer. */
export type BufferOf = (s: Storage) => GpuBuffer;

function run(rt: GpuRuntime, kernel: string, key: string, n: number, bindings: Binding[], params: Param[], code: string): void {
  rt.run(kernel, [{
    key: `${kernel}:${key}`,
    math: true,
    bindings,
    params: [['n', 'u32', n], ...params],
    groups: groups(n),
    body: () => `${entry(WG)} {\n  ${INDEX}\n  var p = $param[i];\n  var g = $grad[i];\n  ${code}\n  $param[i] = p;\n}`,
  }]);
}

function base(buf: BufferOf, p: { param: Storage; grad: Storage }): Binding[] {
  return [{ name: 'param', buf: buf(p.param), write: true }, { name: 'grad', buf: buf(p.grad) }];
}

/** torch.optim.SGD. */
export function sgdStep(rt: GpuRuntime, buf: BufferOf, p: SgdParams): void {
  const wd = p.weightDecay ?? 0;
  const momentum = p.momentum ?? 0;
  const bindings = base(buf, p);
  const lines: string[] = [];
  if (wd !== 0) lines.push('g = g + P.wd * p;');
  if (momentum !== 0) {
    bindings.push({ name: 'mbuf', buf: buf(p.momentumBuffer!), write: true });
    lines.push(p.firstStep ? 'let b = g;' : 'let b = P.momentum * $mbuf[i] + P.damp * g;', '$mbuf[i] = b;');
    lines.push(p.nesterov ? 'g = g + P.momentum * b;' : 'g = b;');
  }
  lines.push('p = p - P.lr * g;');
  const key = `${wd !== 0 ? 'wd' : ''}:${momentum !== 0 ? 'm' : ''}:${p.firstStep ? 'first' : ''}:${p.nesterov ? 'nesterov' : ''}`;
  run(rt, 'sgdStep', key, p.n, bindings, [['lr', 'f32', p.lr], ['wd', 'f32', wd], ['momentum', 'f32', momentum], ['damp', 'f32', 1 - (p.dampening ?? 0)]], lines.join('\n  '));
}

/** torch.optim.Adam / AdamW (optionally AMSGrad). */
export function adamStep(rt: GpuRuntime, buf: BufferOf, p: AdamParams): void {
  const wd = p.weightDecay ?? 0;
  const bindings = base(buf, p);
  bindings.push({ name: 'm', buf: buf(p.m), write: true }, { name: 'v', buf: buf(p.v), write: true });
  const lines: string[] = [];
  if (wd !== 0) lines.push(p.decoupled ? 'p = p * P.decay;' : 'g = g + P.wd * p;');
  lines.push('let mi = P.b1 * $m[i] + P.omb1 * g;', 'let vi = P.b2 * $v[i] + P.omb2 * g * g;', '$m[i] = mi;', '$v[i] = vi;');
  if (p.amsgrad) {
    bindings.push({ name: 'vmax', buf: buf(p.vMax!), write: true });
    lines.push('let vh = m_max($vmax[i], vi);', '$vmax[i] = vh;');
  } else {
    lines.push('let vh = vi;');
  }
  lines.push('p = p - P.stepSize * mi / (m_sqrt(vh) / P.bc2 + P.eps);');
  const key = `${wd !== 0 ? (p.decoupled ? 'decoupled' : 'l2') : ''}:${p.amsgrad ? 'ams' : ''}`;
  run(rt, 'adamStep', key, p.n, bindings, [
    ['b1', 'f32', p.beta1], ['omb1', 'f32', 1 - p.beta1], ['b2', 'f32', p.beta2], ['omb2', 'f32', 1 - p.beta2],
    ['eps', 'f32', p.eps], ['wd', 'f32', wd], ['decay', 'f32', 1 - p.lr * wd],
    ['stepSize', 'f32', p.lr / (1 - p.beta1 ** p.step)], ['bc2', 'f32', Math.sqrt(1 - p.beta2 ** p.step)],
  ], lines.join('\n  '));
}

/** torch.optim.RMSprop (optionally centered, with momentum). */
export function rmspropStep(rt: GpuRuntime, buf: BufferOf, p: RmspropParams): void {
  const wd = p.weightDecay ?? 0;
  const momentum = p.momentum ?? 0;
  const bindings = base(buf, p);
  bindings.push({ name: 'sq', buf: buf(p.squareAvg), write: true });
  const lines: string[] = [];
  if (wd !== 0) lines.push('g = g + P.wd * p;');
  lines.push('let s = P.alpha * $sq[i] + P.oma * g * g;', '$sq[i] = s;');
  if (p.centered) {
    bindings.push({ name: 'gavg', buf: buf(p.gradAvg!), write: true });
    lines.push('let ga = P.alpha * $gavg[i] + P.oma * g;', '$gavg[i] = ga;', 'let avg = m_sqrt(s - ga * ga) + P.eps;');
  } else {
    lines.push('let avg = m_sqrt(s) + P.eps;');
  }
  if (momentum > 0) {
    bindings.push({ name: 'mbuf', buf: buf(p.momentumBuffer!), write: true });
    lines.push('let b = P.momentum * $mbuf[i] + g / avg;', '$mbuf[i] = b;', 'p = p - P.lr * b;');
  } else {
    lines.push('p = p - P.lr * g / avg;');
  }
  const key = `${wd !== 0 ? 'wd' : ''}:${p.centered ? 'centered' : ''}:${momentum > 0 ? 'm' : ''}`;
  run(rt, 'rmspropStep', key, p.n, bindings, [
    ['lr', 'f32', p.lr], ['alpha', 'f32', p.alpha], ['oma', 'f32', 1 - p.alpha], ['eps', 'f32', p.eps], ['wd', 'f32', wd], ['momentum', 'f32', momentum],
  ], lines.join('\n  '));
}

/** torch.optim.Adagrad (`lr` already decayed). */
export function adagradStep(rt: GpuRuntime, buf: BufferOf, p: AdagradParams): void {
  const wd = p.weightDecay ?? 0;
  const bindings = base(buf, p);
  bindings.push({ name: 'sum', buf: buf(p.sum), write: true });
  const code = `${wd !== 0 ? 'g = g + P.wd * p;\n  ' : ''}let s = $sum[i] + g * g;
  $sum[i] = s;
  p = p - P.lr * g / (m_sqrt(s) + P.eps);`;
  run(rt, 'adagradStep', wd !== 0 ? 'wd' : '', p.n, bindings, [['lr', 'f32', p.lr], ['eps', 'f32', p.eps], ['wd', 'f32', wd]], code);
}

/** torch.optim.Adadelta. */
export function adadeltaStep(rt: GpuRuntime, buf: BufferOf, p: AdadeltaParams): void {
  const wd = p.weightDecay ?? 0;
  const bindings = base(buf, p);
  bindings.push({ name: 'sq', buf: buf(p.squareAvg), write: true }, { name: 'acc', buf: buf(p.accDelta), write: true });
  const code = `${wd !== 0 ? 'g = g + P.wd * p;\n  ' : ''}let s = P.rho * $sq[i] + P.omr * g * g;
  $sq[i] = s;
  let d = m_sqrt($acc[i] + P.eps) / m_sqrt(s + P.eps) * g;
  $acc[i] = P.rho * $acc[i] + P.omr * d * d;
  p = p - P.lr * d;`;
  run(rt, 'adadeltaStep', wd !== 0 ? 'wd' : '', p.n, bindings, [['lr', 'f32', p.lr], ['rho', 'f32', p.rho], ['omr', 'f32', 1 - p.rho], ['eps', 'f32', p.eps], ['wd', 'f32', wd]], code);
}
