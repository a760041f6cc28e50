/**
 * axon's columns: the plain-JS reference backend, the wasm backend on one thread, and the wasm
 * backend on N threads. GEMM is timed at the kernel contract (`gemm` into a preallocated
 * output, as `npm run bench` does); training and inference go through the public API
 * (`ax.init`, `Sequential`, `Adam`, `crossEntropy`, `predict`), as a user would write them.
 */
import * as ax from '../../src/index.js';
import { createBackend } from '../../src/backends/index.js';
import type { Kernels, Storage } from '../../src/kernels/kernels.js';
import { medianSeconds, type Budget } from './timer.js';
import { checksum, gemmOperands, inferInput, mlpWeights, MLP_SIZES, trainBatch, type Engine, type GemmShape } from './workload.js';

/** Engine options: which backend and how many threads. */
export interface AxonEngineOptions {
  backend: 'js' | 'wasm';
  threads: number;
  /**
   * Inference path: 'predict' (default; `model.predict`, the public batch API) or 'forward'
   * (`noGrad(() => model.forward(x))`, to show what predict's bookkeeping costs at batch 1).
   */
  inferVia?: 'predict' | 'forward';
}

/** Explains why a backend did not come up with the thread count asked for, or undefined if it did. */
function threadShortfall(k: Kernels, threads: number): string | undefined {
  const got = k.info.threads ?? 1;
  if (got >= threads) return undefined;
  const notes = k.info.notes?.length ? ` (${k.info.notes.join('; ')})` : '';
  return `init({ backend: 'wasm', threads: ${threads} }) runs on ${got} thread${got === 1 ? '' : 's'} in this build${notes}`;
}

function buildModel(): ax.Sequential {
  const [d0, d1, d2, d3] = MLP_SIZES;
  const model = new ax.Sequential([new ax.Dense(d0, d1, { activation: 'relu' }), new ax.Dense(d1, d2, { activation: 'relu' }), new ax.Dense(d2, d3)]);
  const layers = model.layers as ax.Dense[];
  mlpWeights().forEach((w, i) => layers[i]!.setWeights([w.w, w.b]));
  return model;
}

/** Creates an axon engine; `unavailable` is set when the backend (or its threads) cannot run here. */
export async function axonEngine(o: AxonEngineOptions): Promise<Engine> {
  const name = (o.backend === 'js' ? 'axon js' : `axon ${o.threads}t`) + (o.inferVia === 'forward' ? ' forward()' : '');
  let kernels: Kernels | undefined;
  let unavailable: string | undefined;
  try {
    kernels = await createBackend(o.backend, o.backend === 'wasm' ? { threads: o.threads } : {});
    if (o.backend === 'wasm') unavailable = threadShortfall(kernels, o.threads);
  } catch (e) {
    unavailable = `createBackend('${o.backend}', { threads: ${o.threads} }) threw: ${(e as Error).message}`;
  }
  if (unavailable && kernels) {
    kernels.dispose();
    kernels = undefined;
  }

  /** Makes `o`'s backend the current one for the tensor API (init disposes the previous one). */
  const useBackend = async (): Promise<void> => {
    const k = await ax.init(o.backend === 'wasm' ? { backend: 'wasm', threads: o.threads } : { backend: 'js' });
    const short = o.backend === 'wasm' ? threadShortfall(k, o.threads) : undefined;
    if (short) throw new Error(short);
  };

  const engine: Engine = {
    name,
    unavailable,
    async gemm(s: GemmShape, budget: Budget) {
      const k = kernels!;
      const { a, b } = gemmOperands(s);
      const sa: Storage = k.upload(a);
      const sb: Storage = k.upload(b);
      const sc: Storage = k.alloc(s.m * s.n);
      const p = { a: sa, b: sb, c: sc, m: s.m, n: s.n, k: s.k, transA: s.form === 'TN', transB: s.form === 'NT' };
      try {
        const seconds = await medianSeconds(() => k.gemm(p), budget);
        return { seconds, checksum: checksum(sc.readSync()) };
      } finally {
        for (const t of [sa, sb, sc]) t.dispose();
      }
    },
    async train(budget: Budget) {
      await useBackend();
      const data = trainBatch();
      const model = buildModel();
      const opt = new ax.Adam(model.parameters(), { lr: 1e-3 });
      const x = ax.tensor(data.x, [data.labels.length, MLP_SIZES[0]]);
      const y = ax.tensor(Float32Array.from(data.labels));
      // The PyTorch-style manual loop of DESIGN §4, reading the loss back every step.
      const step = () => {
        opt.zeroGrad();
        ax.tidy(() => {
          const l = ax.crossEntropy(model.forward(x), y);
          l.backward();
          l.item();
        });
        opt.step();
      };
      try {
        return await medianSeconds(step, budget);
      } finally {
        x.dispose();
        y.dispose();
        opt.dispose();
        model.dispose();
      }
    },
    async infer(batch: number, budget: Budget) {
      await useBackend();
      const model = buildModel().eval();
      const input = inferInput(batch);
      let output: Float32Array = new Float32Array(0);
      // End to end: a Float32Array in, a Float32Array out, as an app would call it.
      const run = () => {
        const x = ax.tensor(input, [batch, MLP_SIZES[0]]);
        const y = o.inferVia === 'forward' ? ax.noGrad(() => model.forward(x)) : model.predict(x, { batchSize: batch });
        output = y.dataSync();
        x.dispose();
        y.dispose();
      };
      try {
        const seconds = await medianSeconds(run, budget);
        return { seconds, output };
      } finally {
        model.dispose();
      }
    },
    async dispose() {
      kernels?.dispose();
      kernels = undefined;
    },
  };
  return engine;
}
