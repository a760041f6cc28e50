/**
 * The relaxed-SIMD builds (`axon-relaxed.wasm`, `axon-relaxed-threads.wasm`): chosen at run time
 * where the engine validates relaxed SIMD, reported in `info`, loadable as an explicit module,
 * and using fused multiply-add where the CPU has it. Their numerical accuracy is checked by the
 * whole kernel suite run against them (`npm run test:builds`, runs 'relaxed' and
 * 'relaxed-threads-split'), with the same tolerance table as the SIMD build: FMA only removes
 * roundings, and the measured errors stay inside the SIMD build's bounds.
 *
 * On Node 20 relaxed SIMD needs `--experimental-wasm-relaxed-simd`; without it this file checks
 * that the relaxed build is not chosen and that asking for it explains how to enable it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectFeatures, threadSupport } from '../bindings/features.js';
import { loadWasm } from '../bindings/instantiate.js';
import { WasmBackend } from '../src/backends/wasm/index.js';
import * as ax from '../src/index.js';
import type { Kernels } from '../src/kernels/kernels.js';
import { Rng } from './helpers/random.js';

const ENV_KEYS = ['AXON_WASM_BUILD', 'AXON_THREADS', 'AXON_SPLIT'] as const;
const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
beforeAll(() => {
  for (const k of ENV_KEYS) delete process.env[k];
});
afterAll(() => {
  for (const k of ENV_KEYS) if (saved[k] !== undefined) process.env[k] = saved[k];
});

const relaxed = detectFeatures().relaxedSimd;
const threads = detectFeatures().threads && threadSupport().ok;

/** C = A·B for A = [−1, 1 + 2⁻¹²], B = [1, 1 + 2⁻¹²]ᵀ: 2⁻¹¹ + 2⁻²⁴ with one rounding (FMA), 2⁻¹¹ with two. */
function fmaProbe(k: Kernels): number {
  const e = 2 ** -12;
  const a = k.upload(new Float32Array([-1, 1 + e])), b = k.upload(new Float32Array([1, 1 + e])), c = k.alloc(1);
  k.gemm({ a, b, c, m: 1, n: 1, k: 2 });
  const v = c.readSync()[0]!;
  for (const s of [a, b, c]) s.dispose();
  return v;
}
const FUSED = 2 ** -11 + 2 ** -24;
const UNFUSED = 2 ** -11;

describe.skipIf(!relaxed)('relaxed SIMD build', () => {
  it('is chosen when the engine has relaxed SIMD, threaded or not, and info says so', async () => {
    const k1 = await WasmBackend.create({ threads: 1 });
    expect(k1.info).toMatchObject({ simd: true, relaxedSimd: true, threads: 1, build: 'relaxed', file: 'axon-relaxed.wasm' });
    k1.dispose();
    if (threads) {
      const k2 = await WasmBackend.create({ threads: 2 });
      expect(k2.info).toMatchObject({ relaxedSimd: true, threads: 2, build: 'relaxed-threads', file: 'axon-relaxed-threads.wasm' });
      k2.dispose();
    }
  });

  it('fuses the GEMM multiply-add (one rounding) where the CPU has FMA; the SIMD build rounds twice', async () => {
    const simd = await WasmBackend.create({ build: 'simd', threads: 1 });
    const rel = await WasmBackend.create({ build: 'relaxed', threads: 1 });
    expect(fmaProbe(simd)).toBe(UNFUSED);
    // Relaxed SIMD lets the engine pick either form, but always the same one on a machine.
    const v = fmaProbe(rel);
    expect([FUSED, UNFUSED]).toContain(v);
    expect(fmaProbe(rel)).toBe(v);
    if (process.arch === 'x64' || process.arch === 'arm64') expect(v).toBe(FUSED);
    simd.dispose();
    rel.dispose();
  });

  it('stays within the SIMD tolerances of the SIMD build on an MLP layer and the activations', async () => {
    const simd = await WasmBackend.create({ build: 'simd', threads: 1 });
    const rel = await WasmBackend.create({ build: 'relaxed', threads: 1 });
    const rng = new Rng(11);
    const [m, n, k] = [128, 256, 784];
    const a = rng.normalArray(m * k), b = rng.normalArray(k * n);
    const outs = [simd, rel].map((kk) => {
      const A = kk.upload(a), B = kk.upload(b), C = kk.alloc(m * n);
      kk.gemm({ a: A, b: B, c: C, m, n, k });
      return C.readSync();
    });
    let differ = 0;
    for (let i = 0; i < m * n; i++) {
      // |Δ| ≤ 2·1e-6·√k·Σ|a·b| (each build's own bound against the exact sum); Σ|a·b| ≈ k·E|a||b| = k·2/π.
      expect(Math.abs(outs[0]![i]! - outs[1]![i]!)).toBeLessThanOrEqual(2e-6 * Math.sqrt(k) * k * (2 / Math.PI) * 3);
      if (outs[0]![i] !== outs[1]![i]) differ++;
    }
    if (fmaProbe(rel) === FUSED) expect(differ).toBeGreaterThan(0);
    const x = rng.withSpecials(10_000, -10, 10);
    for (const act of ['gelu', 'tanh', 'sigmoid', 'silu', 'softplus', 'elu'] as const) {
      const ys = [simd, rel].map((kk) => {
        const X = kk.upload(x), Y = kk.alloc(x.length);
        kk.activation(act, X, Y, x.length);
        return Y.readSync();
      });
      for (let i = 0; i < x.length; i++) {
        const want = ys[0]![i]!, got = ys[1]![i]!;
        if (Number.isNaN(want)) expect(got).toBeNaN();
        else if (got !== want) expect(Math.abs(got - want), `${act}(${x[i]})`).toBeLessThanOrEqual(4e-6 * Math.abs(want) + 5e-7);
      }
    }
    simd.dispose();
    rel.dispose();
  });

  it('loads as an explicit module with init({ wasm })', async () => {
    const { module } = await loadWasm(undefined, { build: 'relaxed' });
    const k = await ax.init({ backend: 'wasm', wasm: module, threads: 1 });
    expect(k.info).toMatchObject({ relaxedSimd: true, threads: 1, build: 'relaxed', file: 'custom' });
    expect(ax.tensor([[1, 2], [3, 4]]).matmul(ax.tensor([[1], [1]])).dataSync()).toEqual(new Float32Array([3, 7]));
    ax.dispose();
  });
});

describe.skipIf(relaxed)('relaxed SIMD unavailable (Node 20 without --experimental-wasm-relaxed-simd)', () => {
  it('is not chosen, and asking for it says how to enable it', async () => {
    const k = await WasmBackend.create({ threads: 1 });
    expect(k.info).toMatchObject({ relaxedSimd: false, build: 'simd', file: 'axon-simd.wasm' });
    k.dispose();
    await expect(WasmBackend.create({ build: 'relaxed', threads: 1 })).rejects.toThrow(/--experimental-wasm-relaxed-simd/);
  });
});
