/**
 * Softmax family in WGSL, one workgroup per row of `[rows, cols]`: max, Σ exp and dot products
 * by workgroup tree reduction (./reduction.ts), then each invocation writes its own elements,
 * so every kernel is safe in place. The fused softmax–cross-entropy computes the loss from the
 * log-sum-exp (finite when the target probability underflows), before the probabilities
 * overwrite the logits.
 */
import { groups, INDEX, WG } from './elementwise.js';
import type { GpuBuffer } from './gputypes.js';
import { rowWorkgroup, wgReduce } from './reduction.js';
import { entry, type GpuRuntime } from './runtime.js';

/** Common row prologue: `row`, `base`, early return past the last row (uniform per workgroup). */
const ROW = `let row = wid.x + wid.y * nwg.x;
  if (row >= P.rows) { return; }
  let cols = P.cols;
  let base = row * cols;`;

/** WGSL computing the row max `m` and `s = Σ exp(x − m)` of array `x`. */
const STATS = (x: string) => `var m = -f_inf();
  for (var j = lid; j < cols; j = j + WGS) { m = nan_max(m, ${x}[base + j]); }
  m = wg_max(m, lid);
  var s = 0.0;
  for (var j = lid; j < cols; j = j + WGS) { s = s + m_exp(${x}[base + j] - m); }
  s = wg_sum(s, lid);`;

function rowKernel(rt: GpuRuntime, kernel: string, variant: string, bindings: { name: string; buf: GpuBuffer; write?: boolean }[], rows: number, cols: number, code: string): void {
  const size = rowWorkgroup(cols);
  rt.run(kernel, [{
    key: `${kernel}:${variant}:${size}`,
    math: true,
    bindings,
    params: [['rows', 'u32', rows], ['cols', 'u32', cols]],
    groups: cols === 0 ? 0 : rows,
    body: () => `const WGS = ${size}u;\n${wgReduce(size)}\n${entry(size)} {\n  ${ROW}\n  ${code}\n}`,
  }]);
}

/** Max-subtracted softmax per row. */
export function softmax(rt: GpuRuntime, x: GpuBuffer, out: GpuBuffer, rows: number, cols: number): void {
  rowKernel(rt, 'softmax', '', [{ name: 'x', buf: x }, { name: 'out', buf: out, write: true }], rows, cols, `${STATS('$x')}
  for (var j = lid; j < cols; j = j + WGS) { $out[base + j] = m_exp($x[base + j] - m) / s; }`);
}

/** `x − max − log Σ exp(x − max)` per row. */
export function logSoftmax(rt: GpuRuntime, x: GpuBuffer, out: GpuBuffer, rows: number, cols: number): void {
  rowKernel(rt, 'logSoftmax', '', [{ name: 'x', buf: x }, { name: 'out', buf: out, write: true }], rows, cols, `${STATS('$x')}
  let ls = m_log(s);
  for (var j = lid; j < cols; j = j + WGS) { $out[base + j] = $x[base + j] - m - ls; }`);
}

/** `dx = y ⊙ (dy − Σ dy ⊙ y)`. */
export function softmaxBackward(rt: GpuRuntime, y: GpuBuffer, dy: GpuBuffer, dx: GpuBuffer, rows: number, cols: number): void {
  rowKernel(rt, 'softmaxBackward', '', [{ name: 'y', buf: y }, { name: 'dy', buf: dy }, { name: 'dx', buf: dx, write: true }], rows, cols, `var d = 0.0;
  for (var j = lid; j < cols; j = j + WGS) { d = d + $dy[base + j] * $y[base + j]; }
  d = wg_sum(d, lid);
  for (var j = lid; j < cols; j = j + WGS) { $dx[base + j] = $y[base + j] * ($dy[base + j] - d); }`);
}

/** `dx = dy − exp(y)·Σ dy`. */
export function logSoftmaxBackward(rt: GpuRuntime, y: GpuBuffer, dy: GpuBuffer, dx: GpuBuffer, rows: number, cols: number): void {
  rowKernel(rt, 'logSoftmaxBackward', '', [{ name: 'y', buf: y }, { name: 'dy', buf: dy }, { name: 'dx', buf: dx, write: true }], rows, cols, `var d = 0.0;
  for (var j = lid; j < cols; j = j + WGS) { d = d + $dy[base + j]; }
  d = wg_sum(d, lid);
  for (var j = lid; j < cols; j = j + WGS) { $dx[base + j] = $dy[base + j] - m_exp($y[base + j]) * d; }`);
}

/** Fused softmax + cross-entropy forward: `probs` per row and `loss[r] = −Σ t·(x − lse)`. */
export function softmaxCrossEntropy(rt: GpuRuntime, logits: GpuBuffer, labels: GpuBuffer, oneHot: boolean, probs: GpuBuffer, loss: GpuBuffer, rows: number, cols: number): void {
  // −log p = log s − (x − m): x − m is exact near the maximum, so large logits (±1e4) lose
  // nothing to the rounding of lse = m + log s.
  const lossCode = oneHot
    ? `var l = 0.0;
  for (var j = lid; j < cols; j = j + WGS) { l = l + $labels[base + j] * (ls - ($x[base + j] - m)); }
  l = wg_sum(l, lid);`
    : `let t = $labels[row];
  var l = f_nan();
  if (lid == 0u && t >= 0.0 && t < f32(cols) && floor(t) == t) { l = ls - ($x[base + u32(t)] - m); }`;
  rowKernel(rt, 'softmaxCrossEntropy', oneHot ? 'rows' : 'index', [
    { name: 'x', buf: logits },
    { name: 'labels', buf: labels },
    { name: 'probs', buf: probs, write: true },
    { name: 'loss', buf: loss, write: true },
  ], rows, cols, `${STATS('$x')}
  let ls = m_log(s);
  ${lossCode}
  if (lid == 0u) { $loss[row] = l; }
  // every read of a logit happens before any probability overwrites it (probs may alias x)
  storageBarrier();
  for (var j = lid; j < cols; j = j + WGS) { $probs[base + j] = m_exp($x[base + j] - m) / s; }`);
}

/** `dlogits = scale·(probs − target)`. */
export function softmaxCrossEntropyBackward(rt: GpuRuntime, probs: GpuBuffer, labels: GpuBuffer, oneHot: boolean, dlogits: GpuBuffer, rows: number, cols: number, scale: number): void {
  const n = rows * cols;
  const target = oneHot ? '$labels[i]' : 'select(0.0, 1.0, f32(i % P.cols) == $labels[i / P.cols])';
  rt.run('softmaxCrossEntropyBackward', [{
    key: `softmaxCrossEntropyBackward:${oneHot ? 'rows' : 'index'}`,
    bindings: [{ name: 'probs', buf: probs }, { name: 'labels', buf: labels }, { name: 'dlogits', buf: dlogits, write: true }],
    params: [['n', 'u32', n], ['cols', 'u32', Math.max(cols, 1)], ['scale', 'f32', scale]],
    groups: groups(n),
    body: () => `${entry(WG)} {\n  ${INDEX}\n  $dlogits[i] = P.scale * ($probs[i] - ${target});\n}`,
  }]);
}
