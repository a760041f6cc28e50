/**
 * Seeded random kernels in WGSL: Philox-4x32-10 in 32-bit integer arithmetic (the 64-bit
 * products split into 16-bit halves), with the stream layout of src/kernels/philox.ts, so the
 * uniform samples and dropout masks are bit-identical to the js and wasm backends. Each
 * invocation encrypts one counter block and writes its (up to) four elements.
 *
 * Normal samples are specified in float64 (Box–Muller with IEEE basic operations only), which
 * WGSL does not have; the backend computes them on the host with the reference functions and
 * uploads them (see WebGpuBackend.randomNormal).
 */
import { seedKey } from '../kernels/philox.js';
import { WG } from './elementwise.js';
import type { GpuBuffer } from './gputypes.js';
import { entry, type GpuRuntime, type Param } from './runtime.js';

const PHILOX = `
fn mulhilo(a: u32, b: u32) -> vec2<u32> {
  let a0 = a & 0xffffu;
  let a1 = a >> 16u;
  let b0 = b & 0xffffu;
  let b1 = b >> 16u;
  let p00 = a0 * b0;
  let p01 = a0 * b1;
  let p10 = a1 * b0;
  let mid = (p00 >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
  let hi = a1 * b1 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u);
  return vec2<u32>(hi, a * b);
}
fn philox(c: vec4<u32>, k: vec2<u32>) -> vec4<u32> {
  var x = c;
  var key = k;
  for (var r = 0; r < 10; r = r + 1) {
    if (r > 0) { key = key + vec2<u32>(0x9e3779b9u, 0xbb67ae85u); }
    let p0 = mulhilo(0xd2511f53u, x.x);
    let p1 = mulhilo(0xcd9e8d57u, x.z);
    x = vec4<u32>(p1.x ^ x.y ^ key.x, p1.y, p0.x ^ x.w ^ key.y, p0.y);
  }
  return x;
}`;

/**
 * Kernel skeleton: invocation t encrypts block `firstBlock + t` and calls `emit(i, w)` for each
 * element i < n whose word lies in that block.
 */
function blockKernel(emit: string): string {
  return `${PHILOX}
${entry(WG)} {
  let t = (wid.x + wid.y * nwg.x) * ${WG}u + lid;
  if (t >= P.blocks) { return; }
  let lo = P.b0 + t;
  let hi = P.b1 + select(0u, 1u, lo < t);
  let w = philox(vec4<u32>(lo, hi, 0u, 0u), vec2<u32>(P.k0, P.k1));
  for (var lane = 0u; lane < 4u; lane = lane + 1u) {
    let j = 4u * t + lane;
    if (j >= P.r0 && j - P.r0 < P.n) {
      let i = j - P.r0;
      let word = w[lane];
      ${emit}
    }
  }
}`;
}

/** Uniform parameters locating elements [offset, offset + n) of the stream for `seed`. */
function streamParams(n: number, seed: number, offset: number): { params: Param[]; blocks: number } {
  const [k0, k1] = seedKey(seed);
  const first = Math.floor(offset / 4);
  const last = Math.floor((offset + n - 1) / 4);
  const blocks = n === 0 ? 0 : last - first + 1;
  return {
    blocks,
    params: [
      ['n', 'u32', n], ['blocks', 'u32', blocks], ['r0', 'u32', offset % 4],
      ['b0', 'u32', first % 4294967296], ['b1', 'u32', Math.floor(first / 4294967296)],
      ['k0', 'u32', k0], ['k1', 'u32', k1],
    ],
  };
}

/** Uniform `[low, high)` samples: `lo + range·u`, each operation rounded to float32 (no fused multiply-add). */
export function randomUniform(rt: GpuRuntime, out: GpuBuffer, n: number, seed: number, offset: number, low: number, high: number): void {
  const lo = Math.fround(low);
  const range = Math.fround(Math.fround(high) - lo);
  const { params, blocks } = streamParams(n, seed, offset);
  rt.run('randomUniform', [{
    key: 'randomUniform',
    bindings: [{ name: 'out', buf: out, write: true }],
    // `zero` is 0 at run time; XOR-ing the product's bits with it keeps the compiler from fusing lo + range·u.
    params: [...params, ['lo', 'f32', lo], ['range', 'f32', range], ['zero', 'u32', 0]],
    groups: Math.ceil(blocks / WG),
    body: () => blockKernel(`let u = f32(word >> 8u) * 5.9604644775390625e-8;
      let prod = bitcast<f32>(bitcast<u32>(P.range * u) ^ P.zero);
      $out[i] = P.lo + prod;`),
  }]);
}

/** Inverted-dropout mask: `1/(1−p)` where the word is ≥ floor(p·2^32), else 0. */
export function dropoutMask(rt: GpuRuntime, mask: GpuBuffer, n: number, p: number, seed: number, offset: number): void {
  const { params, blocks } = streamParams(n, seed, offset);
  rt.run('dropoutMask', [{
    key: 'dropoutMask',
    bindings: [{ name: 'mask', buf: mask, write: true }],
    params: [...params, ['threshold', 'u32', Math.floor(p * 4294967296)], ['keep', 'f32', Math.fround(1 / (1 - p))]],
    groups: Math.ceil(blocks / WG),
    body: () => blockKernel('$mask[i] = select(0.0, P.keep, word >= P.threshold);'),
  }]);
}
