/**
 * Tiled matrix kernels in WGSL: GEMM (`C = act(alpha·op(A)·op(B) + beta·C + bias)`, every
 * transpose form) and pairwise L1 / squared-L2 distances, which share the same tiling with a
 * different inner update.
 *
 * Each workgroup of 16×16 invocations computes a 64×64 tile of the output: per step of 16 along
 * k it stages a 64×16 slice of op(A) and a 16×64 slice of op(B) in workgroup memory (loaded so
 * that neighbouring invocations read neighbouring addresses of the stored layout, whatever the
 * transpose), then each invocation accumulates a 4×4 register block (rows `ty + 16i`, columns
 * `tx + 16j`, so workgroup-memory reads are contiguous across the invocations). The epilogue
 * (alpha, beta·C, bias, activation) is fused; with beta = 0 the old C is never read.
 */
import { ACTIVATIONS, type Activation, type DistanceMetric } from '../kernels/kernels.js';
import { anyActFn } from './activations.js';
import type { GpuBuffer } from './gputypes.js';
import { entry, type Binding, type GpuRuntime } from './runtime.js';

const TILE = 64;
const BK = 16;
const R = 4; // register block: R×R outputs per invocation
const SIDE = TILE / R; // invocations per side
const THREADS = SIDE * SIDE;

interface TileSpec {
  /** op(A) stored `[k, m]` (else `[m, k]`). */
  transA: boolean;
  /** op(B) stored `[n, k]` (else `[k, n]`). */
  transB: boolean;
  /** Inner update of accumulator `acc` with operands `av`, `bv`. */
  update: (acc: string, av: string, bv: string) => string;
  /** Epilogue: WGSL writing `v` (accumulator) for output element `idx`, column `col`. */
  epilogue: string;
  /** Extra WGSL declarations (activation function). */
  extra: string;
}

/** WGSL loading the op(A) and op(B) slices into workgroup memory (zero outside the matrices). */
function loads(spec: TileSpec): string {
  const lines: string[] = [];
  for (let e = 0; e < (TILE * BK) / THREADS; e++) {
    const idx = `(lid + ${e * THREADS}u)`;
    // op(A)[r, p]: neighbouring invocations read neighbouring addresses of the stored layout
    const [ar, ap] = spec.transA ? [`${idx} % ${TILE}u`, `${idx} / ${TILE}u`] : [`${idx} / ${BK}u`, `${idx} % ${BK}u`];
    const aAddr = spec.transA ? '(k0 + ap) * P.m + (m0 + ar)' : '(m0 + ar) * P.k + (k0 + ap)';
    lines.push(`{ let ar = ${ar}; let ap = ${ap};
      As[ap * ${TILE}u + ar] = select(0.0, $A[${aAddr}], m0 + ar < P.m && k0 + ap < P.k); }`);
    // op(B)[p, c]
    const [bp, bc] = spec.transB ? [`${idx} % ${BK}u`, `${idx} / ${BK}u`] : [`${idx} / ${TILE}u`, `${idx} % ${TILE}u`];
    const bAddr = spec.transB ? '(n0 + bc) * P.k + (k0 + bp)' : '(k0 + bp) * P.n + (n0 + bc)';
    lines.push(`{ let bp = ${bp}; let bc = ${bc};
      Bs[bp * ${TILE}u + bc] = select(0.0, $B[${bAddr}], n0 + bc < P.n && k0 + bp < P.k); }`);
  }
  return lines.join('\n    ');
}

/** The whole tiled kernel for `spec` (register block unrolled). */
function tiledSource(spec: TileSpec): string {
  const regs: string[] = [];
  for (let i = 0; i < R; i++) for (let j = 0; j < R; j++) regs.push(`var c${i}_${j} = 0.0;`);
  const inner: string[] = [];
  for (let i = 0; i < R; i++) inner.push(`let a${i} = As[p * ${TILE}u + ty + ${SIDE * i}u];`);
  for (let j = 0; j < R; j++) inner.push(`let b${j} = Bs[p * ${TILE}u + tx + ${SIDE * j}u];`);
  for (let i = 0; i < R; i++) for (let j = 0; j < R; j++) inner.push(spec.update(`c${i}_${j}`, `a${i}`, `b${j}`));
  const results: string[] = [];
  for (let i = 0; i < R; i++) for (let j = 0; j < R; j++) results.push(`c${i}_${j}`);
  // One epilogue call site in a loop: an inlined activation (gelu's erfc, …) 16 times over
  // makes the shader slow to compile.
  const out = [
    `var res = array<f32, ${R * R}>(${results.join(', ')});`,
    `for (var e = 0u; e < ${R * R}u; e = e + 1u) { epilogue(m0 + ty + ${SIDE}u * (e / ${R}u), n0 + tx + ${SIDE}u * (e % ${R}u), res[e]); }`,
  ];
  return `${spec.extra}
var<workgroup> As: array<f32, ${TILE * BK}>;
var<workgroup> Bs: array<f32, ${TILE * BK}>;
fn epilogue(row: u32, col: u32, v: f32) {
  if (row < P.m && col < P.n) {
    let idx = row * P.n + col;
    ${spec.epilogue}
  }
}
${entry(THREADS)} {
  let g = wid.x + wid.y * nwg.x;
  if (g >= P.tiles) { return; }
  let m0 = (g / P.tilesN) * ${TILE}u;
  let n0 = (g % P.tilesN) * ${TILE}u;
  let tx = lid % ${SIDE}u;
  let ty = lid / ${SIDE}u;
  ${regs.join(' ')}
  let steps = (P.k + ${BK - 1}u) / ${BK}u;
  for (var s = 0u; s < steps; s = s + 1u) {
    let k0 = s * ${BK}u;
    ${loads(spec)}
    workgroupBarrier();
    for (var p = 0u; p < ${BK}u; p = p + 1u) {
      ${inner.join('\n      ')}
    }
    workgroupBarrier();
  }
  ${out.join('\n  ')}
}`;
}

/** Options of {@link gemm} (buffers already validated). */
export interface GemmArgs {
  a: GpuBuffer;
  b: GpuBuffer;
  c: GpuBuffer;
  bias?: GpuBuffer;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  alpha: number;
  beta: number;
  activation: Activation;
  activationAlpha: number;
}

/**
 * `C = act(alpha·op(A)·op(B) + beta·C + bias)`. Specialised per transpose form and per epilogue
 * kind (none, or fused: beta, bias and the activation are then uniform switches, so one
 * pipeline per form serves every activation — compiling 16 variants costs more than the
 * branch, which runs once per output element).
 */
export function gemm(rt: GpuRuntime, g: GemmArgs): void {
  const tilesM = Math.ceil(g.m / TILE);
  const tilesN = Math.ceil(g.n / TILE);
  const plain = g.beta === 0 && !g.bias && g.activation === 'linear';
  const bindings: Binding[] = [{ name: 'A', buf: g.a }, { name: 'B', buf: g.b }, { name: 'C', buf: g.c, write: true }];
  if (!plain) bindings.push({ name: 'bias', buf: g.bias ?? rt.dummy });
  const epilogue = plain
    ? '$C[idx] = P.alpha * v;'
    : `var o = P.alpha * v;
    if (P.useBeta != 0u) { o = o + P.beta * $C[idx]; }
    if (P.useBias != 0u) { o = o + $bias[col]; }
    $C[idx] = act(o, P.actAlpha);`;
  const form = `${g.transA ? 'T' : 'N'}${g.transB ? 'T' : 'N'}`;
  rt.run('gemm', [{
    key: `gemm:${form}:${plain ? 'plain' : 'fused'}`,
    math: !plain,
    bindings,
    params: [
      ['m', 'u32', g.m], ['n', 'u32', g.n], ['k', 'u32', g.k], ['tilesN', 'u32', tilesN], ['tiles', 'u32', tilesM * tilesN],
      ['alpha', 'f32', g.alpha], ['beta', 'f32', g.beta], ['actAlpha', 'f32', g.activationAlpha],
      ['useBeta', 'u32', g.beta !== 0 ? 1 : 0], ['useBias', 'u32', g.bias ? 1 : 0], ['act', 'u32', ACTIVATIONS.indexOf(g.activation)],
    ],
    groups: g.m === 0 || g.n === 0 ? 0 : tilesM * tilesN,
    body: () => tiledSource({
      transA: g.transA,
      transB: g.transB,
      update: (acc, av, bv) => `${acc} = ${acc} + ${av} * ${bv};`,
      epilogue,
      extra: plain ? '' : anyActFn('P.act'),
    }),
  }]);
}

/** `out[i, j] = dist(a_i, b_j)` for `a` `[m, d]`, `b` `[n, d]`: squared L2 or L1 from the differences. */
export function pairwiseDistance(rt: GpuRuntime, metric: DistanceMetric, a: GpuBuffer, b: GpuBuffer, out: GpuBuffer, m: number, n: number, d: number): void {
  const tilesM = Math.ceil(m / TILE);
  const tilesN = Math.ceil(n / TILE);
  rt.run('pairwiseDistance', [{
    key: `pairwiseDistance:${metric}`,
    bindings: [{ name: 'A', buf: a }, { name: 'B', buf: b }, { name: 'C', buf: out, write: true }],
    params: [['m', 'u32', m], ['n', 'u32', n], ['k', 'u32', d], ['tilesN', 'u32', tilesN], ['tiles', 'u32', tilesM * tilesN]],
    groups: m === 0 || n === 0 ? 0 : tilesM * tilesN,
    body: () => tiledSource({
      transA: false,
      transB: true,
      update: metric === 'l2sq'
        ? (acc, av, bv) => `{ let df = ${av} - ${bv}; ${acc} = ${acc} + df * df; }`
        : (acc, av, bv) => `${acc} = ${acc} + abs(${av} - ${bv});`,
      epilogue: '$C[idx] = v;',
      extra: '',
    }),
  }]);
}
