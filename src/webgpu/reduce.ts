/**
 * Reductions over the middle axis of `[outer, len, inner]` in WGSL. Long axes get one
 * workgroup per output element and a tree reduction in workgroup memory (./reduction.ts);
 * short axes with many outputs get one invocation per output, reading consecutive `inner`
 * elements side by side. argmax reduces (value, index) pairs with an order-independent rule
 * (NaN beats numbers, larger beats smaller, the lower index breaks ties), so the first maximum
 * wins whatever the tree's shape.
 */
import type { ReduceOp } from '../kernels/kernels.js';
import { groups, WG } from './elementwise.js';
import type { GpuBuffer } from './gputypes.js';
import { NAN_MINMAX, rowWorkgroup, wgReduce } from './reduction.js';
import { entry, type GpuRuntime, type Param } from './runtime.js';

/**
 * True when each output gets a workgroup: a long axis whose elements are contiguous (per-row
 * reductions), or too few outputs to keep the device busy with one invocation each. Many
 * outputs over a strided axis (per-column reductions) read coalesced with one invocation each.
 */
function useTree(outer: number, len: number, inner: number): boolean {
  return len > 64 && (inner === 1 || outer * inner < 256);
}

function init(op: ReduceOp): string {
  return op === 'max' ? '-f_inf()' : op === 'min' ? 'f_inf()' : '0.0';
}

function fold(op: ReduceOp, acc: string, v: string): string {
  return op === 'max' ? `nan_max(${acc}, ${v})` : op === 'min' ? `nan_min(${acc}, ${v})` : `${acc} + ${v}`;
}

function finish(op: ReduceOp, acc: string): string {
  return op === 'mean' ? `select(${acc} / f32(P.len), f_nan(), P.len == 0u)` : acc;
}

function params(outer: number, len: number, inner: number): Param[] {
  return [['n', 'u32', outer * inner], ['len', 'u32', len], ['inner', 'u32', inner]];
}

/** `out[o, i] = op_l x[o, l, i]`. */
export function reduce(rt: GpuRuntime, op: ReduceOp, x: GpuBuffer, out: GpuBuffer, outer: number, len: number, inner: number): void {
  const n = outer * inner;
  const bindings = [{ name: 'x', buf: x }, { name: 'out', buf: out, write: true }];
  if (useTree(outer, len, inner)) {
    const size = rowWorkgroup(len);
    const wgOp = op === 'max' ? 'wg_max' : op === 'min' ? 'wg_min' : 'wg_sum';
    rt.run('reduce', [{
      key: `reduce:tree:${op}:${size}`,
      math: true,
      bindings,
      params: params(outer, len, inner),
      groups: n,
      body: () => `const WGS = ${size}u;\n${wgReduce(size)}\n${entry(size)} {
  let t = wid.x + wid.y * nwg.x;
  if (t >= P.n) { return; }
  let base = (t / P.inner) * P.len * P.inner + t % P.inner;
  var acc = ${init(op)};
  for (var l = lid; l < P.len; l = l + WGS) { acc = ${fold(op, 'acc', '$x[base + l * P.inner]')}; }
  acc = ${wgOp}(acc, lid);
  if (lid == 0u) { $out[t] = ${finish(op, 'acc')}; }
}`,
    }]);
    return;
  }
  rt.run('reduce', [{
    key: `reduce:thread:${op}`,
    math: true,
    bindings,
    params: params(outer, len, inner),
    groups: groups(n),
    body: () => `${NAN_MINMAX}\n${entry(WG)} {
  let t = (wid.x + wid.y * nwg.x) * ${WG}u + lid;
  if (t >= P.n) { return; }
  let base = (t / P.inner) * P.len * P.inner + t % P.inner;
  var acc = ${init(op)};
  for (var l = 0u; l < P.len; l = l + 1u) { acc = ${fold(op, 'acc', '$x[base + l * P.inner]')}; }
  $out[t] = ${finish(op, 'acc')};
}`,
  }]);
}

/** WGSL: should the pair (vb, ib) replace (va, ia) as the arg-maximum? */
const BETTER = `
fn better(va: f32, ia: u32, vb: f32, ib: u32) -> bool {
  let na = is_nan(va);
  let nb = is_nan(vb);
  if (na && nb) { return ib < ia; }
  if (na) { return false; }
  if (nb) { return true; }
  if (vb != va) { return vb > va; }
  return ib < ia;
}`;

/** Index (as float) of the first maximum along the middle axis; NaN counts as maximal; len 0 gives NaN. */
export function argmax(rt: GpuRuntime, x: GpuBuffer, out: GpuBuffer, outer: number, len: number, inner: number): void {
  const n = outer * inner;
  const bindings = [{ name: 'x', buf: x }, { name: 'out', buf: out, write: true }];
  const scan = (start: string, step: string) => `let base = (t / P.inner) * P.len * P.inner + t % P.inner;
  var bv = -f_inf();
  var bi = 0xffffffffu;
  for (var l = ${start}; l < P.len; l = l + ${step}) {
    let v = $x[base + l * P.inner];
    if (better(bv, bi, v, l)) { bv = v; bi = l; }
  }`;
  const write = '$out[t] = select(f32(bi), f_nan(), P.len == 0u);';
  if (useTree(outer, len, inner)) {
    const size = rowWorkgroup(len);
    rt.run('argmax', [{
      key: `argmax:tree:${size}`,
      math: true,
      bindings,
      params: params(outer, len, inner),
      groups: n,
      body: () => `${BETTER}
var<workgroup> rv: array<f32, ${size}>;
var<workgroup> ri: array<u32, ${size}>;
${entry(size)} {
  let t = wid.x + wid.y * nwg.x;
  if (t >= P.n) { return; }
  ${scan('lid', `${size}u`)}
  rv[lid] = bv;
  ri[lid] = bi;
  workgroupBarrier();
  for (var s = ${size / 2}u; s > 0u; s = s >> 1u) {
    if (lid < s && better(rv[lid], ri[lid], rv[lid + s], ri[lid + s])) { rv[lid] = rv[lid + s]; ri[lid] = ri[lid + s]; }
    workgroupBarrier();
  }
  bi = ri[0];
  if (lid == 0u) { ${write} }
}`,
    }]);
    return;
  }
  rt.run('argmax', [{
    key: 'argmax:thread',
    math: true,
    bindings,
    params: params(outer, len, inner),
    groups: groups(n),
    body: () => `${BETTER}\n${entry(WG)} {
  let t = (wid.x + wid.y * nwg.x) * ${WG}u + lid;
  if (t >= P.n) { return; }
  ${scan('0u', '1u')}
  ${write}
}`,
  }]);
}
