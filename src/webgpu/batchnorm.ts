/**
 * Batch normalisation in WGSL, tensors viewed as `[outer, channels, inner]`. Statistics and the
 * backward pass use one workgroup per channel with tree reductions over its `outer·inner`
 * values (two passes for the variance: Σ(x − mean)², no cancellation for large means); the
 * forward normalisation and the running-statistics update are elementwise.
 */
import { groups, INDEX, WG } from './elementwise.js';
import type { GpuBuffer } from './gputypes.js';
import { rowWorkgroup, wgReduce } from './reduction.js';
import { entry, type Binding, type GpuRuntime } from './runtime.js';

/** Per-channel prologue: channel `c`, count, and the address of value `e` of the channel. */
const CHANNEL = `let c = wid.x + wid.y * nwg.x;
  if (c >= P.channels) { return; }
  let count = P.outer * P.inner;
  let fcount = f32(count);`;
const ADDR = '((e / P.inner) * P.channels + c) * P.inner + e % P.inner';

function shapeParams(outer: number, channels: number, inner: number) {
  return [['outer', 'u32', outer], ['channels', 'u32', channels], ['inner', 'u32', inner]] as const;
}

/** Per-channel mean and biased variance (NaN when outer·inner = 0). */
export function batchNormStats(rt: GpuRuntime, x: GpuBuffer, mean: GpuBuffer, variance: GpuBuffer, outer: number, channels: number, inner: number): void {
  const size = rowWorkgroup(outer * inner);
  rt.run('batchNormStats', [{
    key: `batchNormStats:${size}`,
    math: true,
    bindings: [{ name: 'x', buf: x }, { name: 'mean', buf: mean, write: true }, { name: 'variance', buf: variance, write: true }],
    params: [...shapeParams(outer, channels, inner)],
    groups: channels,
    body: () => `const WGS = ${size}u;\n${wgReduce(size)}\n${entry(size)} {
  ${CHANNEL}
  var s = 0.0;
  for (var e = lid; e < count; e = e + WGS) { s = s + $x[${ADDR}]; }
  let mu = select(wg_sum(s, lid) / fcount, f_nan(), count == 0u);
  var ss = 0.0;
  for (var e = lid; e < count; e = e + WGS) { let d = $x[${ADDR}] - mu; ss = ss + d * d; }
  let v = select(wg_sum(ss, lid) / fcount, f_nan(), count == 0u);
  if (lid == 0u) { $mean[c] = mu; $variance[c] = v; }
}`,
  }]);
}

/** Buffers of {@link batchNormForward}. */
export interface BnForwardArgs {
  x: GpuBuffer;
  mean: GpuBuffer;
  variance: GpuBuffer;
  gamma?: GpuBuffer;
  beta?: GpuBuffer;
  out: GpuBuffer;
  outer: number;
  channels: number;
  inner: number;
  eps: number;
}

/** `out = gamma·(x − mean)/sqrt(var + eps) + beta`. */
export function batchNormForward(rt: GpuRuntime, p: BnForwardArgs): void {
  const n = p.outer * p.channels * p.inner;
  const bindings: Binding[] = [{ name: 'x', buf: p.x }, { name: 'mean', buf: p.mean }, { name: 'variance', buf: p.variance }];
  if (p.gamma) bindings.push({ name: 'gamma', buf: p.gamma });
  if (p.beta) bindings.push({ name: 'beta', buf: p.beta });
  bindings.push({ name: 'out', buf: p.out, write: true });
  rt.run('batchNormForward', [{
    key: `batchNormForward:${p.gamma ? 'g' : ''}${p.beta ? 'b' : ''}`,
    bindings,
    params: [['n', 'u32', n], ...shapeParams(p.outer, p.channels, p.inner), ['eps', 'f32', p.eps]],
    groups: groups(n),
    body: () => `${entry(WG)} {
  ${INDEX}
  let c = (i / P.inner) % P.channels;
  let invStd = 1.0 / sqrt($variance[c] + P.eps);
  $out[i] = ${p.gamma ? '$gamma[c]' : '1.0'} * ($x[i] - $mean[c]) * invStd${p.beta ? ' + $beta[c]' : ''};
}`,
  }]);
}

/** Buffers of {@link batchNormBackward}. */
export interface BnBackwardArgs {
  x: GpuBuffer;
  mean: GpuBuffer;
  variance: GpuBuffer;
  gamma?: GpuBuffer;
  dy: GpuBuffer;
  dx: GpuBuffer;
  dgamma?: GpuBuffer;
  dbeta?: GpuBuffer;
  outer: number;
  channels: number;
  inner: number;
  eps: number;
}

/** Training-mode gradients: dbeta = Σ dy, dgamma = Σ dy·x̂, dx = gamma·invStd/N·(N·dy − dbeta − x̂·dgamma). */
export function batchNormBackward(rt: GpuRuntime, p: BnBackwardArgs): void {
  const size = rowWorkgroup(p.outer * p.inner);
  const bindings: Binding[] = [{ name: 'x', buf: p.x }, { name: 'mean', buf: p.mean }, { name: 'variance', buf: p.variance }, { name: 'dy', buf: p.dy }];
  if (p.gamma) bindings.push({ name: 'gamma', buf: p.gamma });
  bindings.push({ name: 'dx', buf: p.dx, write: true });
  if (p.dgamma) bindings.push({ name: 'dgamma', buf: p.dgamma, write: true });
  if (p.dbeta) bindings.push({ name: 'dbeta', buf: p.dbeta, write: true });
  rt.run('batchNormBackward', [{
    key: `batchNormBackward:${size}:${p.gamma ? 'g' : ''}${p.dgamma ? 'dg' : ''}${p.dbeta ? 'db' : ''}`,
    math: true,
    bindings,
    params: [...shapeParams(p.outer, p.channels, p.inner), ['eps', 'f32', p.eps]],
    groups: p.channels,
    body: () => `const WGS = ${size}u;\n${wgReduce(size)}\n${entry(size)} {
  ${CHANNEL}
  let mu = $mean[c];
  let invStd = 1.0 / sqrt($variance[c] + P.eps);
  var sdy = 0.0;
  var sdyx = 0.0;
  for (var e = lid; e < count; e = e + WGS) {
    let a = ${ADDR};
    sdy = sdy + $dy[a];
    sdyx = sdyx + $dy[a] * ($x[a] - mu) * invStd;
  }
  sdy = wg_sum(sdy, lid);
  sdyx = wg_sum(sdyx, lid);
  if (lid == 0u) {${p.dgamma ? ' $dgamma[c] = sdyx;' : ''}${p.dbeta ? ' $dbeta[c] = sdy;' : ''} }
  let kk = ${p.gamma ? '$gamma[c]' : '1.0'} * invStd / fcount;
  for (var e = lid; e < count; e = e + WGS) {
    let a = ${ADDR};
    let xhat = ($x[a] - mu) * invStd;
    $dx[a] = kk * (fcount * $dy[a] - sdy - xhat * sdyx);
  }
}`,
  }]);
}

/** rm ← (1−m)·rm + m·mean, rv ← (1−m)·rv + m·var·count/(count−1). */
export function batchNormRunningUpdate(rt: GpuRuntime, runningMean: GpuBuffer, runningVar: GpuBuffer, mean: GpuBuffer, variance: GpuBuffer, channels: number, momentum: number, count: number): void {
  rt.run('batchNormRunningUpdate', [{
    key: 'batchNormRunningUpdate',
    bindings: [{ name: 'rm', buf: runningMean, write: true }, { name: 'rv', buf: runningVar, write: true }, { name: 'mean', buf: mean }, { name: 'variance', buf: variance }],
    params: [['n', 'u32', channels], ['momentum', 'f32', momentum], ['keep', 'f32', 1 - momentum], ['unbias', 'f32', count / (count - 1)]],
    groups: groups(channels),
    body: () => `${entry(WG)} {
  ${INDEX}
  $rm[i] = P.keep * $rm[i] + P.momentum * $mean[i];
  $rv[i] = P.keep * $rv[i] + P.momentum * $variance[i] * P.unbias;
}`,
  }]);
}
