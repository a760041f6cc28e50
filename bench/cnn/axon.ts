/**
 * axon's CNN columns: the plain-JS reference backend and the wasm backend on 1 or N threads,
 * through the public API as a user writes it (`Sequential` of `Conv2d`, `MaxPool2d`, `Flatten`,
 * `Dense`, `Dropout`; `Adam`; the manual loop of DESIGN §4; `predict` for inference). NCHW.
 */
import * as ax from '../../src/index.js';
import type { Kernels } from '../../src/kernels/kernels.js';
import type { CnnEngine, InferSession, TrainSession } from './engine.js';
import { CNN_BATCH, DROPOUT, cnnWeights, type CnnData } from './workload.js';

/** The benchmark network with the shared initial weights. */
export function buildCnn(): ax.Sequential {
  const w = cnnWeights();
  const conv1 = new ax.Conv2d(1, 32, 5, { activation: 'relu' });
  const conv2 = new ax.Conv2d(32, 64, 5, { activation: 'relu' });
  const dense1 = new ax.Dense(1024, 128, { activation: 'relu' });
  const dense2 = new ax.Dense(128, 10);
  conv1.setWeights([w.conv1.w, w.conv1.b]);
  conv2.setWeights([w.conv2.w, w.conv2.b]);
  dense1.setWeights([w.dense1.w, w.dense1.b]);
  dense2.setWeights([w.dense2.w, w.dense2.b]);
  return new ax.Sequential([conv1, new ax.MaxPool2d(2), conv2, new ax.MaxPool2d(2), new ax.Flatten(), dense1, new ax.Dropout(DROPOUT, { seed: 7 }), dense2]);
}

/** Options of {@link axonCnnEngine}. */
export interface AxonCnnOptions {
  backend: 'js' | 'wasm';
  threads: number;
}

/** Makes the engine's backend current (init disposes the previous one) and checks its thread count. */
async function useBackend(o: AxonCnnOptions): Promise<Kernels> {
  const k = await ax.init(o.backend === 'wasm' ? { backend: 'wasm', threads: o.threads } : { backend: 'js' });
  const got = k.info.threads ?? 1;
  if (o.backend === 'wasm' && got < o.threads) {
    throw new Error(`init({ backend: 'wasm', threads: ${o.threads} }) runs on ${got} thread${got === 1 ? '' : 's'}${k.info.notes?.length ? ` (${k.info.notes.join('; ')})` : ''}`);
  }
  return k;
}

/** An axon column. */
export function axonCnnEngine(o: AxonCnnOptions, data: CnnData): CnnEngine {
  return {
    name: o.backend === 'js' ? 'axon js' : `axon wasm ${o.threads}t`,
    async train(): Promise<TrainSession> {
      await useBackend(o);
      const model = buildCnn();
      const opt = new ax.Adam(model.parameters(), { lr: 1e-3 });
      const xs = data.train.map((b) => ax.tensor(b.x, [CNN_BATCH, 1, 28, 28]));
      const ys = data.train.map((b) => ax.tensor(Float32Array.from(b.labels)));
      return {
        step(i: number) {
          opt.zeroGrad();
          ax.tidy(() => {
            const l = ax.crossEntropy(model.forward(xs[i % xs.length]!), ys[i % ys.length]!);
            l.backward();
            l.item();
          });
          opt.step();
        },
        dispose() {
          for (const t of [...xs, ...ys]) t.dispose();
          opt.dispose();
          model.dispose();
        },
      };
    },
    async infer(batch: number): Promise<InferSession> {
      await useBackend(o);
      const model = buildCnn().eval();
      const input = data.infer.subarray(0, batch * 784);
      return {
        // End to end: a Float32Array in, a Float32Array out, as an app would call it.
        run() {
          const x = ax.tensor(input, [batch, 1, 28, 28]);
          const y = model.predict(x, { batchSize: batch });
          const out = y.dataSync();
          x.dispose();
          y.dispose();
          return out;
        },
        dispose() {
          model.dispose();
        },
      };
    },
  };
}
