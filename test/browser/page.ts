/**
 * The page script of the browser test (bundled by test/browser/webgpu.test.ts with esbuild):
 * trains the same small network on the wasm and the webgpu backend and leaves the losses and
 * final weights in `window.__axonResult` (a promise) for the test to read.
 */
import * as ax from '../../src/index.js';
import { registerWebGpu } from '../../src/webgpu.js';

// A bare `import '…/webgpu.js'` is dropped by bundlers while package.json says
// "sideEffects": false; the explicit call keeps the registration in the bundle.
registerWebGpu();

/** What the page reports for one backend. */
export interface BackendRun {
  backend: string;
  notes: string[];
  losses: number[];
  weights: number[][];
  /** Per-epoch losses of `model.fit` on the same data (a fresh model). */
  fitLosses: number[];
  /** `model.evaluate` after that fit: loss and accuracy. */
  evaluated: { loss: number; accuracy: number };
}

/** What the page reports. */
export type PageResult = { ok: true; runs: BackendRun[] } | { ok: false; error: string };

const N = 48;
const IN = 6;
const CLASSES = 3;
const STEPS = 15;

/** Points in three clusters (deterministic), labelled by cluster. */
function dataset(): { x: Float32Array; y: Float32Array } {
  let s = 2024;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) - 0.5;
  const x = new Float32Array(N * IN);
  const y = new Float32Array(N);
  for (let i = 0; i < N; i++) {
    const c = i % CLASSES;
    y[i] = c;
    for (let j = 0; j < IN; j++) x[i * IN + j] = (j % CLASSES === c ? 1.5 : 0) + rnd();
  }
  return { x, y };
}

async function train(backend: 'wasm' | 'webgpu'): Promise<BackendRun> {
  await ax.init(backend === 'wasm' ? { backend, wasm: '/axon-simd.wasm', threads: 1 } : { backend });
  const { x, y } = dataset();
  const model = new ax.Sequential([new ax.Dense(IN, 16, { activation: 'tanh', seed: 11 }), new ax.Dense(16, CLASSES, { seed: 12 })]);
  const opt = new ax.Adam(model.parameters(), { lr: 0.05 });
  const xt = ax.tensor(x, [N, IN]);
  const yt = ax.tensor(y, [N]);
  const losses: number[] = [];
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
  }
  const weights: number[][] = [];
  for (const layer of model.layers) for (const w of layer.getWeights()) weights.push(Array.from(await w.data()));
  const notes = ax.getBackend().info.notes ?? [];
  model.dispose();
  opt.dispose();
  // The training API: fit (async loss reads on webgpu) and evaluate.
  const fitted = new ax.Sequential([new ax.Dense(IN, 16, { activation: 'tanh', seed: 21 }), new ax.Dense(16, CLASSES, { seed: 22 })]);
  fitted.compile({ optimizer: new ax.Adam({ lr: 0.05 }), loss: 'crossEntropy', metrics: ['accuracy'] });
  const h = await fitted.fit(xt, yt, { epochs: 4, batchSize: 12, seed: 1 });
  const ev = await fitted.evaluate(xt, yt);
  fitted.dispose();
  xt.dispose();
  yt.dispose();
  return { backend: ax.getBackend().name, notes, losses, weights, fitLosses: h.history.loss, evaluated: { loss: ev['loss']!, accuracy: ev['accuracy']! } };
}

async function main(): Promise<PageResult> {
  try {
    const runs = [await train('wasm'), await train('webgpu')];
    return { ok: true, runs };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e) };
  }
}

(globalThis as unknown as { __axonResult: Promise<PageResult> }).__axonResult = main();
