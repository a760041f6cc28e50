/**
 * Convolution and pooling in WGSL over NCHW data (see `Conv2dGeometry` in
 * src/kernels/kernels.ts): im2col, its adjoint col2im, and max/average pooling forward and
 * backward. One invocation per output element, 256 per workgroup.
 *
 * WGSL has no float atomics, so every kernel that sums into an input-shaped buffer (col2im and
 * both pooling gradients) is a gather: the invocation that owns input element (n, c, ih, iw)
 * visits the windows that read it, in ascending (oh, ow) order, and writes the sum once. The sum
 * order is fixed, so results are deterministic run to run. Kernels that only move values
 * (im2col, the max-pool forward) work on u32 bit patterns, so NaN payloads and subnormals arrive
 * unchanged.
 */
import type { Conv2dGeometry } from '../kernels/kernels.js';
import { groups, INDEX, WG } from './elementwise.js';
import type { GpuBuffer } from './gputypes.js';
import { entry, type Binding, type GpuRuntime, type Param } from './runtime.js';

/** Uniform parameters of a geometry (as i32: window positions go negative in the padding) and the invocation count. */
function geometry(g: Conv2dGeometry, n: number, extra: readonly Param[] = []): Param[] {
  return [
    ['n', 'u32', n],
    ['C', 'i32', g.channels], ['H', 'i32', g.height], ['W', 'i32', g.width],
    ['kH', 'i32', g.kernelH], ['kW', 'i32', g.kernelW], ['sH', 'i32', g.strideH], ['sW', 'i32', g.strideW],
    ['pT', 'i32', g.padTop], ['pL', 'i32', g.padLeft], ['dH', 'i32', g.dilationH], ['dW', 'i32', g.dilationW],
    ['oH', 'i32', g.outH], ['oW', 'i32', g.outW],
    ...extra,
  ];
}

/** Output element `i` of a pooling kernel: plane `nc` (= n·C + c), window origin (h0, w0), plane base `xb`. */
const OUT_POS = `let j = i32(i);
  let ow = j % P.oW;
  let t = j / P.oW;
  let oh = t % P.oH;
  let nc = t / P.oH;
  let h0 = oh * P.sH - P.pT;
  let w0 = ow * P.sW - P.pL;
  let xb = nc * P.H * P.W;`;

/** Runs `body` for every in-image position (ih, iw) of the window at (h0, w0), row by row. */
function windowLoop(body: string): string {
  return `for (var a = 0; a < P.kH; a++) {
    let ih = h0 + a * P.dH;
    if (ih < 0 || ih >= P.H) { continue; }
    for (var b = 0; b < P.kW; b++) {
      let iw = w0 + b * P.dW;
      if (iw < 0 || iw >= P.W) { continue; }
      ${body}
    }
  }`;
}

/**
 * Gather prologue and loop: input element `i` is (nc, ih, iw); `body` runs for every window
 * (oh, ow) that reads it (through kernel tap (a, b)), with `o` the flat output index, in
 * ascending (oh, ow) order — the order in which a scatter over the outputs would add.
 */
function gather(body: string): string {
  return `let j = i32(i);
  let iw = j % P.W;
  let t = j / P.W;
  let ih = t % P.H;
  let nc = t / P.H;
  var acc = 0.0;
  for (var a = P.kH - 1; a >= 0; a--) {
    let th = ih + P.pT - a * P.dH;
    if (th < 0 || th % P.sH != 0) { continue; }
    let oh = th / P.sH;
    if (oh >= P.oH) { continue; }
    for (var b = P.kW - 1; b >= 0; b--) {
      let tw = iw + P.pL - b * P.dW;
      if (tw < 0 || tw % P.sW != 0) { continue; }
      let ow = tw / P.sW;
      if (ow >= P.oW) { continue; }
      let o = (nc * P.oH + oh) * P.oW + ow;
      ${body}
    }
  }`;
}

/**
 * The average-pool divisor of the window at (h0, w0): kH·kW when `P.cip`, else its in-image
 * positions, at least 1 (a window entirely in padding averages to 0, as on the reference).
 */
const DIVISOR = `
fn span(o0: i32, k: i32, d: i32, size: i32) -> i32 {
  var c = 0;
  for (var a = 0; a < k; a++) { let p = o0 + a * d; if (p >= 0 && p < size) { c++; } }
  return c;
}
fn divisor(h0: i32, w0: i32) -> f32 {
  if (P.cip != 0) { return f32(P.kH * P.kW); }
  return f32(max(span(h0, P.kH, P.dH, P.H) * span(w0, P.kW, P.dW, P.W), 1));
}`;

/** `cols[(n, oh, ow), (c, ki, kj)]` = the input element under that tap, or 0 in the padding (bit for bit). */
export function im2col(rt: GpuRuntime, x: GpuBuffer, cols: GpuBuffer, g: Conv2dGeometry): void {
  const n = g.batch * g.outH * g.outW * g.channels * g.kernelH * g.kernelW;
  rt.run('im2col', [{
    key: 'im2col',
    bindings: [{ name: 'x', buf: x, elem: 'u32' }, { name: 'cols', buf: cols, write: true, elem: 'u32' }],
    params: geometry(g, n),
    groups: groups(n),
    body: () => `${entry(WG)} {
  ${INDEX}
  let j = i32(i);
  let k = P.C * P.kH * P.kW;
  let col = j % k;
  let row = j / k;
  let b = col % P.kW;
  let a = (col / P.kW) % P.kH;
  let c = col / (P.kW * P.kH);
  let ow = row % P.oW;
  let oh = (row / P.oW) % P.oH;
  let bn = row / (P.oW * P.oH);
  let ih = oh * P.sH - P.pT + a * P.dH;
  let iw = ow * P.sW - P.pL + b * P.dW;
  var v = 0u;
  if (ih >= 0 && ih < P.H && iw >= 0 && iw < P.W) { v = $x[((bn * P.C + c) * P.H + ih) * P.W + iw]; }
  $cols[i] = v;
}`,
  }]);
}

/** `x` (overwritten) = Σ of the `cols` entries read from each input position: a gather per input element. */
export function col2im(rt: GpuRuntime, cols: GpuBuffer, x: GpuBuffer, g: Conv2dGeometry): void {
  const n = g.batch * g.channels * g.height * g.width;
  rt.run('col2im', [{
    key: 'col2im',
    bindings: [{ name: 'cols', buf: cols }, { name: 'x', buf: x, write: true }],
    params: geometry(g, n),
    groups: groups(n),
    body: () => `${entry(WG)} {
  ${INDEX}
  ${gather(`let row = ((nc / P.C) * P.oH + oh) * P.oW + ow;
      acc = acc + $cols[row * P.C * P.kH * P.kW + ((nc % P.C) * P.kH + a) * P.kW + b];`)}
  $x[i] = acc;
}`,
  }]);
}

/** Window maximum (NaN maximal, first maximum wins) and its in-plane index `ih·W + iw` as float; −Inf and −1 for an all-padding window. */
export function maxPool2d(rt: GpuRuntime, x: GpuBuffer, out: GpuBuffer, argmax: GpuBuffer, g: Conv2dGeometry): void {
  const n = g.batch * g.channels * g.outH * g.outW;
  rt.run('maxPool2d', [{
    key: 'maxPool2d',
    math: true,
    bindings: [{ name: 'x', buf: x, elem: 'u32' }, { name: 'out', buf: out, write: true, elem: 'u32' }, { name: 'argmax', buf: argmax, write: true }],
    params: geometry(g, n),
    groups: groups(n),
    body: () => `${entry(WG)} {
  ${INDEX}
  ${OUT_POS}
  var best = 0xff800000u;
  var at = -1;
  ${windowLoop(`let p = ih * P.W + iw;
      let u = $x[xb + p];
      let v = bitcast<f32>(u);
      let bv = bitcast<f32>(best);
      if (at < 0 || (!is_nan(bv) && (is_nan(v) || v > bv))) { best = u; at = p; }`)}
  $out[i] = best;
  $argmax[i] = f32(at);
}`,
  }]);
}

/**
 * `dx` (overwritten) = Σ of `dy` over the windows whose `argmax` is this element: a gather per
 * input element over the windows that contain it, so an `argmax` entry must lie inside its own
 * window (as {@link maxPool2d} writes it); −1 and other indices route nothing.
 */
export function maxPool2dBackward(rt: GpuRuntime, dy: GpuBuffer, argmax: GpuBuffer, dx: GpuBuffer, g: Conv2dGeometry): void {
  const n = g.batch * g.channels * g.height * g.width;
  rt.run('maxPool2dBackward', [{
    key: 'maxPool2dBackward',
    bindings: [{ name: 'dy', buf: dy }, { name: 'argmax', buf: argmax }, { name: 'dx', buf: dx, write: true }],
    params: geometry(g, n),
    groups: groups(n),
    body: () => `${entry(WG)} {
  ${INDEX}
  ${gather(`if ($argmax[o] == f32(ih * P.W + iw)) { acc = acc + $dy[o]; }`)}
  $dx[i] = acc;
}`,
  }]);
}

/** Window sum / divisor (kH·kW when `countIncludePad`, else the in-image positions). */
export function avgPool2d(rt: GpuRuntime, x: GpuBuffer, out: GpuBuffer, g: Conv2dGeometry, countIncludePad: boolean): void {
  const n = g.batch * g.channels * g.outH * g.outW;
  const bindings: Binding[] = [{ name: 'x', buf: x }, { name: 'out', buf: out, write: true }];
  rt.run('avgPool2d', [{
    key: 'avgPool2d',
    bindings,
    params: geometry(g, n, [['cip', 'i32', countIncludePad ? 1 : 0]]),
    groups: groups(n),
    body: () => `${DIVISOR}\n${entry(WG)} {
  ${INDEX}
  ${OUT_POS}
  var s = 0.0;
  ${windowLoop('s = s + $x[xb + ih * P.W + iw];')}
  $out[i] = s / divisor(h0, w0);
}`,
  }]);
}

/** `dx` (overwritten) = Σ of `dy / divisor` over the windows that contain each element: a gather per input element. */
export function avgPool2dBackward(rt: GpuRuntime, dy: GpuBuffer, dx: GpuBuffer, g: Conv2dGeometry, countIncludePad: boolean): void {
  const n = g.batch * g.channels * g.height * g.width;
  rt.run('avgPool2dBackward', [{
    key: 'avgPool2dBackward',
    bindings: [{ name: 'dy', buf: dy }, { name: 'dx', buf: dx, write: true }],
    params: geometry(g, n, [['cip', 'i32', countIncludePad ? 1 : 0]]),
    groups: groups(n),
    body: () => `${DIVISOR}\n${entry(WG)} {
  ${INDEX}
  ${gather('acc = acc + $dy[o] / divisor(oh * P.sH - P.pT, ow * P.sW - P.pL);')}
  $dx[i] = acc;
}`,
  }]);
}
