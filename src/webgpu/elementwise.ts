/**
 * Elementwise WGSL kernels: fill, copy within one buffer, scale, axpy, binary ops with
 * row/column/scalar broadcast, general strided broadcast, unary math, clip, strided copy and
 * one-hot. One invocation per output element, 256 per workgroup. Kernels that only move data
 * (fill, copy, strided copy) work on u32 bit patterns, so NaN payloads, −0 and subnormals
 * arrive unchanged.
 */
import type { BinaryOp, Broadcast, UnaryMath } from '../kernels/kernels.js';
import type { GpuBuffer } from './gputypes.js';
import { entry, type GpuRuntime, type Param } from './runtime.js';

/** Invocations per workgroup of the elementwise kernels. */
export const WG = 256;

/** Linear invocation index `i`, returning early past `P.n`. */
export const INDEX = `let i = (wid.x + wid.y * nwg.x) * ${WG}u + lid;\n  if (i >= P.n) { return; }`;

/** Workgroups covering `n` elements. */
export function groups(n: number): number {
  return Math.ceil(n / WG);
}

/** The bits of a float32 value as uint32 (NaN as the canonical quiet NaN, as a Float32Array stores it). */
export function f32Bits(v: number): number {
  const f = new Float32Array([v]);
  return new Uint32Array(f.buffer)[0]!;
}

/** `out[i] = value` for i < n, bit for bit. */
export function fill(rt: GpuRuntime, out: GpuBuffer, n: number, value: number): void {
  rt.run('fill', [{
    key: 'fill',
    bindings: [{ name: 'out', buf: out, write: true, elem: 'u32' }],
    params: [['n', 'u32', n], ['bits', 'u32', f32Bits(value)]],
    groups: groups(n),
    body: () => `${entry(WG)} {\n  ${INDEX}\n  $out[i] = P.bits;\n}`,
  }]);
}

/** `out[outOffset + i] = x[xOffset + i]`: a buffer copy, or a shader when both are one buffer (non-overlapping ranges). */
export function copy(rt: GpuRuntime, x: GpuBuffer, out: GpuBuffer, n: number, xOffset: number, outOffset: number): void {
  if (x !== out) {
    rt.copy('copy', x, 4 * xOffset, out, 4 * outOffset, 4 * n);
    return;
  }
  if (xOffset === outOffset) {
    rt.check('copy');
    return;
  }
  rt.run('copy', [{
    key: 'copySelf',
    bindings: [{ name: 'x', buf: x, elem: 'u32' }, { name: 'out', buf: out, write: true, elem: 'u32' }],
    params: [['n', 'u32', n], ['xo', 'u32', xOffset], ['oo', 'u32', outOffset]],
    groups: groups(n),
    body: () => `${entry(WG)} {\n  ${INDEX}\n  $out[P.oo + i] = $x[P.xo + i];\n}`,
  }]);
}

/** `out[i] = alpha·x[i]`. */
export function scale(rt: GpuRuntime, x: GpuBuffer, out: GpuBuffer, n: number, alpha: number): void {
  rt.run('scale', [{
    key: 'scale',
    bindings: [{ name: 'x', buf: x }, { name: 'out', buf: out, write: true }],
    params: [['n', 'u32', n], ['alpha', 'f32', alpha]],
    groups: groups(n),
    body: () => `${entry(WG)} {\n  ${INDEX}\n  $out[i] = P.alpha * $x[i];\n}`,
  }]);
}

/** `y[i] += alpha·x[i]`. */
export function axpy(rt: GpuRuntime, alpha: number, x: GpuBuffer, y: GpuBuffer, n: number): void {
  rt.run('axpy', [{
    key: 'axpy',
    bindings: [{ name: 'x', buf: x }, { name: 'y', buf: y, write: true }],
    params: [['n', 'u32', n], ['alpha', 'f32', alpha]],
    groups: groups(n),
    body: () => `${entry(WG)} {\n  ${INDEX}\n  $y[i] = $y[i] + P.alpha * $x[i];\n}`,
  }]);
}

/** WGSL expression of a binary op on `a` and `b` (the math library provides m_max/m_min/m_pow). */
export function binaryExpr(op: BinaryOp, a: string, b: string): string {
  switch (op) {
    case 'add': return `(${a} + ${b})`;
    case 'sub': return `(${a} - ${b})`;
    case 'mul': return `(${a} * ${b})`;
    case 'div': return `(${a} / ${b})`;
    case 'max': return `m_max(${a}, ${b})`;
    case 'min': return `m_min(${a}, ${b})`;
    case 'pow': return `m_pow(${a}, ${b})`;
  }
}

function broadcastIndex(mode: Broadcast): string {
  switch (mode) {
    case 'full': return 'i';
    case 'row': return 'i % P.cols';
    case 'col': return 'i / P.cols';
    case 'scalar': return '0u';
  }
}

/** `out[r, c] = a[·] (op) b[·]` over `[rows, cols]`, operands laid out per their broadcast mode. */
export function binary(rt: GpuRuntime, op: BinaryOp, a: GpuBuffer, aMode: Broadcast, b: GpuBuffer, bMode: Broadcast, out: GpuBuffer, rows: number, cols: number): void {
  const n = rows * cols;
  rt.run('binary', [{
    key: `binary:${op}:${aMode}:${bMode}`,
    math: true,
    bindings: [{ name: 'a', buf: a }, { name: 'b', buf: b }, { name: 'out', buf: out, write: true }],
    params: [['n', 'u32', n], ['cols', 'u32', Math.max(cols, 1)]],
    groups: groups(n),
    body: () => `${entry(WG)} {\n  ${INDEX}\n  $out[i] = ${binaryExpr(op, `$a[${broadcastIndex(aMode)}]`, `$b[${broadcastIndex(bMode)}]`)};\n}`,
  }]);
}

/** Pads shape/strides to rank 6 (leading axes of size 1) as uniform parameters `s0…s5` and `<prefix>0…5`. */
function rank6(shape: readonly number[], strides: Record<string, readonly number[]>): Param[] {
  const pad = 6 - shape.length;
  const params: Param[] = [];
  for (let d = 0; d < 6; d++) params.push([`s${d}`, 'u32', d < pad ? 1 : shape[d - pad]!]);
  for (const [prefix, st] of Object.entries(strides)) {
    for (let d = 0; d < 6; d++) params.push([`${prefix}${d}`, 'u32', d < pad ? 0 : st[d - pad]!]);
  }
  return params;
}

/** WGSL that turns the flat index `i` into offsets `<prefix>Off` for each stride set (rank 6, unrolled). */
function offsets(prefixes: readonly string[]): string {
  const lines = ['var rem = i;', ...prefixes.map((p) => `var ${p}Off = 0u;`)];
  for (let d = 5; d >= 0; d--) {
    lines.push(`{ let idx = rem % P.s${d}; rem = rem / P.s${d};${prefixes.map((p) => ` ${p}Off = ${p}Off + idx * P.${p}${d};`).join('')} }`);
  }
  return lines.join('\n  ');
}

/** General broadcast: `out[flat] = a[Σ idx·aStrides] (op) b[Σ idx·bStrides]` over `shape` (rank ≤ 6). */
export function binaryStrided(rt: GpuRuntime, op: BinaryOp, a: GpuBuffer, aStrides: readonly number[], b: GpuBuffer, bStrides: readonly number[], out: GpuBuffer, shape: readonly number[]): void {
  const n = shape.reduce((p, s) => p * s, 1);
  rt.run('binaryStrided', [{
    key: `binaryStrided:${op}`,
    math: true,
    bindings: [{ name: 'a', buf: a }, { name: 'b', buf: b }, { name: 'out', buf: out, write: true }],
    params: [['n', 'u32', n], ...rank6(shape, { a: aStrides, b: bStrides })],
    groups: groups(n),
    body: () => `${entry(WG)} {\n  ${INDEX}\n  ${offsets(['a', 'b'])}\n  $out[i] = ${binaryExpr(op, '$a[aOff]', '$b[bOff]')};\n}`,
  }]);
}

/** `out[outOffset + Σ idx·outStrides] = x[xOffset + Σ idx·xStrides]` over `shape`, bit for bit. */
export function stridedCopy(
  rt: GpuRuntime, x: GpuBuffer, xOffset: number, xStrides: readonly number[],
  out: GpuBuffer, outOffset: number, outStrides: readonly number[], shape: readonly number[],
): void {
  const n = shape.reduce((p, s) => p * s, 1);
  rt.run('stridedCopy', [{
    key: 'stridedCopy',
    bindings: [{ name: 'x', buf: x, elem: 'u32' }, { name: 'out', buf: out, write: true, elem: 'u32' }],
    params: [['n', 'u32', n], ['xo', 'u32', xOffset], ['oo', 'u32', outOffset], ...rank6(shape, { x: xStrides, o: outStrides })],
    groups: groups(n),
    body: () => `${entry(WG)} {\n  ${INDEX}\n  ${offsets(['x', 'o'])}\n  $out[P.oo + oOff] = $x[P.xo + xOff];\n}`,
  }]);
}

/** WGSL expression of a unary math op on `x`. */
function unaryExpr(op: UnaryMath): string {
  switch (op) {
    case 'neg': return '-x';
    case 'abs': return 'abs(x)';
    case 'exp': return 'm_exp(x)';
    case 'log': return 'm_log(x)';
    case 'sqrt': return 'm_sqrt(x)';
    case 'square': return 'x * x';
    case 'reciprocal': return 'm_recip(x)';
    case 'rsqrt': return 'm_rsqrt(x)';
  }
}

/** `out[i] = f(x[i])`. */
export function unary(rt: GpuRuntime, op: UnaryMath, x: GpuBuffer, out: GpuBuffer, n: number): void {
  rt.run('unary', [{
    key: `unary:${op}`,
    math: true,
    bindings: [{ name: 'xs', buf: x }, { name: 'out', buf: out, write: true }],
    params: [['n', 'u32', n]],
    groups: groups(n),
    body: () => `${entry(WG)} {\n  ${INDEX}\n  let x = $xs[i];\n  $out[i] = ${unaryExpr(op)};\n}`,
  }]);
}

/** `out[i] = clamp(x[i], lo, hi)`, NaN kept. */
export function clip(rt: GpuRuntime, x: GpuBuffer, out: GpuBuffer, n: number, lo: number, hi: number): void {
  rt.run('clip', [{
    key: 'clip',
    bindings: [{ name: 'x', buf: x }, { name: 'out', buf: out, write: true }],
    params: [['n', 'u32', n], ['lo', 'f32', lo], ['hi', 'f32', hi]],
    groups: groups(n),
    body: () => `${entry(WG)} {\n  ${INDEX}\n  let v = $x[i];\n  $out[i] = select(select(v, P.hi, v > P.hi), P.lo, v < P.lo);\n}`,
  }]);
}

/** `out[r, c] = c === labels[r] ? 1 : 0`. */
export function oneHot(rt: GpuRuntime, labels: GpuBuffer, out: GpuBuffer, rows: number, cols: number): void {
  const n = rows * cols;
  rt.run('oneHot', [{
    key: 'oneHot',
    bindings: [{ name: 'labels', buf: labels }, { name: 'out', buf: out, write: true }],
    params: [['n', 'u32', n], ['cols', 'u32', Math.max(cols, 1)]],
    groups: groups(n),
    body: () => `${entry(WG)} {\n  ${INDEX}\n  $out[i] = select(0.0, 1.0, f32(i % P.cols) == $labels[i / P.cols]);\n}`,
  }]);
}
