/**
 * Determinism (issue 9): for fixed seeds, everything random — every initialiser, Dataset
 * shuffles / split / batch order, successive Dropout masks, image augmentation, random-search
 * draws, unseeded layers after `resetDefaultSeeds()` — and the weights after 50 Adam steps of an
 * MLP with Dropout and BatchNorm1d (test/helpers/fingerprint.ts) are:
 * - bit-identical across two runs in one process, on js, wasm and webgpu;
 * - bit-identical between wasm on 1 thread and on 2 threads with every kernel split (the SIMD
 *   builds, and the relaxed-SIMD builds where the engine has relaxed SIMD);
 * - bit-identical in a separate process (sha256 of the whole fingerprint, js and wasm);
 * - across backends: the random parts bit-identical (Philox streams); the trained weights and
 *   losses within TRAINED_TOL of the js reference (different summation orders and SIMD
 *   polynomial approximations; see below).
 *
 * Already covered elsewhere, not repeated here: the Philox kernels bit for bit on every backend
 * (test/kernels/random.test.ts, test/wasm-random.test.ts); each initialiser's moments and
 * same-seed repeat (test/nn.test.ts); the golden shuffle permutation (test/train.test.ts,
 * test/dataset.test.ts); augmentation and search reproducibility within a backend
 * (test/augment.test.ts, test/search.test.ts); 52 `fit` steps of a 784-256-128-10 MLP
 * bit-identical on 1 and 2 threads (test/threads.test.ts); 20 manual steps webgpu vs wasm
 * (test/webgpu-parity.test.ts).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { detectFeatures, threadSupport } from '../bindings/features.js';
import * as ax from '../src/index.js';
import '../src/webgpu.js';
import { fingerprint, hashParts, type Part } from './helpers/fingerprint.js';
import { testGpu, webgpuRequired } from './helpers/webgpu.js';

/**
 * Tolerance of trained results against the js reference: |Δ| ≤ rel·max|w| + abs per array
 * (scaled by the array's largest magnitude: Adam moves every weight by ~lr per step whatever
 * its size, so errors are absolute at the scale of the tensor). Measured (2026-11-23): wasm
 * 5.2e-7, webgpu on SwiftShader 7.8e-7; the bounds leave 20× room. webgpu's matches
 * test/webgpu-parity.test.ts.
 */
const TRAINED_TOL = {
  wasm: { rel: 1e-5, abs: 1e-6 },
  webgpu: { rel: 2e-5, abs: 1e-6 },
} as const;

const ENV_KEYS = ['AXON_WASM_BUILD', 'AXON_THREADS', 'AXON_SPLIT'] as const;
const hasWasm = detectFeatures().simd;
const canThread = hasWasm && detectFeatures().threads && threadSupport().ok;
const wantGpu = (process.env['AXON_TEST_BACKENDS'] ?? 'webgpu').split(',').includes('webgpu');
const { gpu, reason: gpuReason } = wantGpu ? await testGpu() : { gpu: undefined, reason: 'not listed in AXON_TEST_BACKENDS' };

/** The fingerprint on a backend created with `options` (and `env` set while it is created). */
async function on(options: ax.InitOptions, env: Record<string, string> = {}): Promise<Part[]> {
  const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  for (const k of ENV_KEYS) delete process.env[k];
  Object.assign(process.env, env);
  try {
    await ax.init(options);
  } finally {
    for (const k of ENV_KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
  return fingerprint();
}

/** Index of the first element whose bits differ, or −1. */
function firstBitDiff(a: Part['data'], b: Part['data']): number {
  if (a.length !== b.length || a.constructor !== b.constructor) return 0;
  const ua = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const ub = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return Math.floor(i / a.BYTES_PER_ELEMENT);
  return -1;
}

/** Every part of `got` bit-identical to `want` (parts filtered by `kinds`); messages name the part and element. */
function bitDiffs(got: Part[], want: Part[], label: string, kinds: ReadonlyArray<Part['kind']> = ['random', 'trained']): string[] {
  expect(got.map((p) => p.name)).toEqual(want.map((p) => p.name));
  const bad: string[] = [];
  want.forEach((w, i) => {
    if (!kinds.includes(w.kind)) return;
    const g = got[i]!;
    const j = firstBitDiff(g.data, w.data);
    if (j >= 0) bad.push(`${label}: '${w.name}' element ${j}: ${g.data[j]} vs ${w.data[j]}`);
  });
  return bad;
}

/** Trained parts of `got` within `tol` of `want`; returns the messages and the largest |Δ|/max|w| seen. */
function trainedDiffs(got: Part[], want: Part[], tol: { rel: number; abs: number }, label: string): { bad: string[]; worst: number } {
  const bad: string[] = [];
  let worst = 0;
  want.forEach((w, i) => {
    if (w.kind !== 'trained') return;
    const g = got[i]!;
    let scale = 0;
    for (let j = 0; j < w.data.length; j++) scale = Math.max(scale, Math.abs(w.data[j]!));
    const bound = tol.rel * scale + tol.abs;
    for (let j = 0; j < w.data.length; j++) {
      const d = Math.abs(g.data[j]! - w.data[j]!);
      if (scale > 0) worst = Math.max(worst, d / scale);
      if (!(d <= bound)) {
        bad.push(`${label}: '${w.name}' element ${j}: ${g.data[j]} vs js ${w.data[j]} (|Δ| ${d.toExponential(2)} > ${bound.toExponential(2)})`);
        break;
      }
    }
  });
  return { bad, worst };
}

const memo = new Map<string, Promise<Part[]>>();
function cached(key: string, options: ax.InitOptions, env?: Record<string, string>): Promise<Part[]> {
  if (!memo.has(key)) memo.set(key, on(options, env));
  return memo.get(key)!;
}
const js = () => cached('js', { backend: 'js' });
const wasm1 = () => cached('wasm1', { backend: 'wasm', threads: 1 });

afterAll(() => ax.dispose());

describe('determinism: same seed, same numbers', () => {
  it('js: two runs in one process are bit-identical', async () => {
    const a = await js();
    const b = await on({ backend: 'js' });
    expect(a.length).toBeGreaterThan(40);
    expect(bitDiffs(b, a, 'js run 2 vs run 1')).toEqual([]);
    // the training did something and dropout was active
    const losses = a.find((p) => p.name.startsWith('losses'))!.data;
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! * 0.7);
  });

  it.skipIf(!hasWasm)('wasm (1 thread): two runs in one process are bit-identical', async () => {
    expect(bitDiffs(await on({ backend: 'wasm', threads: 1 }), await wasm1(), 'wasm run 2 vs run 1')).toEqual([]);
  });

  it.skipIf(!canThread)('wasm: 2 threads with every kernel split are bit-identical to 1 thread', async () => {
    const two = await on({ backend: 'wasm', threads: 2 }, { AXON_SPLIT: 'always' });
    expect(ax.getBackend().info.threads).toBe(2);
    expect(bitDiffs(two, await wasm1(), 'wasm 2 threads vs 1 thread')).toEqual([]);
  });

  it.skipIf(!canThread || !detectFeatures().relaxedSimd)('relaxed SIMD builds: 2 threads with every kernel split are bit-identical to 1 thread', async () => {
    const one = await on({ backend: 'wasm', threads: 1 }, { AXON_WASM_BUILD: 'relaxed' });
    expect(ax.getBackend().info).toMatchObject({ relaxedSimd: true, threads: 1 });
    const two = await on({ backend: 'wasm', threads: 2 }, { AXON_WASM_BUILD: 'relaxed-threads', AXON_SPLIT: 'always' });
    expect(ax.getBackend().info).toMatchObject({ relaxedSimd: true, threads: 2 });
    expect(bitDiffs(two, one, 'relaxed: 2 threads vs 1 thread')).toEqual([]);
    // FMA changes roundings only: the random parts stay bit-identical to the plain SIMD build
    expect(bitDiffs(one, await wasm1(), 'relaxed vs simd', ['random'])).toEqual([]);
  });

  it.skipIf(!hasWasm)('js vs wasm: random parts bit-identical, trained weights within tolerance', async () => {
    const [j, w] = [await js(), await wasm1()];
    expect(bitDiffs(w, j, 'wasm vs js', ['random'])).toEqual([]);
    const { bad, worst } = trainedDiffs(w, j, TRAINED_TOL.wasm, 'wasm vs js');
    expect(bad).toEqual([]);
    console.log(`determinism: wasm vs js after 50 steps: max |Δ|/max|w| = ${worst.toExponential(2)}`);
  });

  it('a separate process gives the same sha256 (js, and wasm on 1 thread)', async () => {
    const run = promisify(execFile);
    const script = new URL('./helpers/fingerprint.ts', import.meta.url).pathname;
    const env = { ...process.env, AXON_WASM_BUILD: '', AXON_THREADS: '', AXON_SPLIT: '' };
    const cases: Array<['js' | 'wasm', () => Promise<Part[]>]> = [['js', js]];
    if (hasWasm) cases.push(['wasm', wasm1]);
    for (const [backend, parts] of cases) {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', script, backend, '1'], { env, timeout: 90_000 });
      const child = JSON.parse(stdout.trim().split('\n').pop()!) as { backend: string; threads: number; hash: string };
      expect(child).toEqual({ backend, threads: 1, hash: hashParts(await parts()) });
    }
  }, 120_000);
});

const gpuOk = gpu !== undefined && (await ax.init({ backend: 'webgpu', gpu }).then(() => true, () => false));
describe.skipIf(!gpuOk && !webgpuRequired())(`determinism on webgpu${gpuOk ? '' : ` (skipped: ${gpuReason ?? 'no adapter'})`}`, () => {
  it('two runs are bit-identical; random parts equal js bit for bit; trained weights within tolerance', async () => {
    expect(gpuOk, 'webgpu must be available here').toBe(true);
    const a = await on({ backend: 'webgpu', gpu });
    const b = await on({ backend: 'webgpu', gpu });
    expect(bitDiffs(b, a, 'webgpu run 2 vs run 1')).toEqual([]);
    const j = await js();
    expect(bitDiffs(a, j, 'webgpu vs js', ['random'])).toEqual([]);
    const { bad, worst } = trainedDiffs(a, j, TRAINED_TOL.webgpu, 'webgpu vs js');
    expect(bad).toEqual([]);
    console.log(`determinism: webgpu vs js after 50 steps: max |Δ|/max|w| = ${worst.toExponential(2)}`);
  }, 180_000);
});
