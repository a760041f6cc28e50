/**
 * WebGPU vs wasm: the same MLP (Dense → relu → Dropout → BatchNorm1d → Dense, seeded) trained
 * for 20 steps of Adam with the manual PyTorch-style loop and class-index labels, once on each
 * backend from the same seed, must end with the same weights.
 *
 * Tolerance: |w_webgpu − w_wasm| ≤ 2e-5·max|w| + 1e-6 per weight tensor, and the losses
 * within 1e-4 relative. Both backends compute in float32 with different summation orders and
 * transcendental approximations (elementwise ≤ 1e-5, GEMM/reductions ≤ 1e-4 relative); Adam
 * keeps such differences from growing (its steps are ~lr whatever the gradient's size).
 * Measured on SwiftShader: 4.4e-7·max|w| for the weights, 5e-7 for the losses.
 * Dropout masks are bit-identical (Philox), so both runs drop the same units.
 *
 * Also here: the training loop needs no synchronous read (it runs on webgpu, where dataSync
 * throws), and a training step does not grow GPU memory.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as ax from '../src/index.js';
import '../src/webgpu.js';
import { testGpu, webgpuRequired } from './helpers/webgpu.js';
import { linearArgmaxData } from './helpers/random.js';

const { gpu, reason } = await testGpu();
const webgpu = gpu ? await ax.init({ backend: 'webgpu', gpu }).then(() => true, (e: Error) => e.message) : (reason ?? 'no GPU');
const available = webgpu === true;
const STEPS = 20;
const N = 64;
const IN = 20;
const HIDDEN = 32;
const CLASSES = 5;

/** A fixed, learnable dataset: the class is the argmax of a fixed linear map of x. */
function data(): { x: Float32Array; y: Float32Array } {
  return linearArgmaxData(N, IN, CLASSES, 12345);
}

/** Trains on the current backend; returns the losses and every layer's weights. */
async function train(): Promise<{ losses: number[]; weights: Float32Array[]; live: number[] }> {
  const { x, y } = data();
  const model = new ax.Sequential([
    new ax.Dense(IN, HIDDEN, { activation: 'relu', seed: 7 }),
    new ax.Dropout(0.1, { seed: 3 }),
    new ax.BatchNorm1d(HIDDEN),
    new ax.Dense(HIDDEN, CLASSES, { seed: 8 }),
  ]);
  const opt = new ax.Adam(model.parameters(), { lr: 1e-2 });
  const xt = ax.tensor(x, [N, IN]);
  const yt = ax.tensor(y, [N]);
  const losses: number[] = [];
  const live: number[] = [];
  for (let step = 0; step < STEPS; step++) {
    const loss = ax.tidy(() => {
      opt.zeroGrad();
      const l = ax.crossEntropy(model.forward(xt), yt);
      l.backward();
      opt.step();
      return l;
    });
    losses.push((await loss.data())[0]!);
    loss.dispose();
    live.push(ax.getBackend().liveBytes());
  }
  const weights: Float32Array[] = [];
  for (const layer of model.layers) for (const w of layer.getWeights()) weights.push(await w.data());
  xt.dispose();
  yt.dispose();
  opt.dispose();
  model.dispose();
  return { losses, weights, live };
}

describe.skipIf(!available && !webgpuRequired())(`webgpu parity with wasm${available ? '' : ` (skipped: ${String(webgpu)})`}`, () => {
  afterAll(() => ax.dispose());

  it('webgpu is available where required', () => {
    expect(webgpu, 'init({ backend: "webgpu" }) failed').toBe(true);
  });

  it(`an MLP trained ${STEPS} steps on webgpu and on wasm from the same seed ends with the same weights`, async () => {
    await ax.init({ backend: 'webgpu', gpu });
    expect(ax.getBackend().name).toBe('webgpu');
    const g = await train();
    await ax.init({ backend: 'wasm' });
    const w = await train();
    expect(g.losses.at(-1)!).toBeLessThan(g.losses[0]! * 0.8);
    for (let i = 0; i < STEPS; i++) expect(Math.abs(g.losses[i]! - w.losses[i]!), `loss at step ${i}`).toBeLessThan(1e-4 * Math.abs(w.losses[i]!) + 1e-5);
    expect(g.weights.length).toBe(w.weights.length);
    for (let t = 0; t < w.weights.length; t++) {
      const a = g.weights[t]!;
      const b = w.weights[t]!;
      expect(a.length).toBe(b.length);
      const scale = b.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      for (let i = 0; i < b.length; i++) {
        const d = Math.abs(a[i]! - b[i]!);
        expect(d, `weight tensor ${t} element ${i}: webgpu ${a[i]} vs wasm ${b[i]}`).toBeLessThanOrEqual(2e-5 * scale + 1e-6);
      }
    }
    // memory is stable across steps once the first step has allocated its workspaces
    expect(g.live.at(-1)).toBe(g.live[1]);
  });
});
