/**
 * TensorFlow.js columns: `@tensorflow/tfjs-backend-wasm` (XNNPACK; single-threaded in Node,
 * where tfjs switches its threads off) and `@tensorflow/tfjs-backend-cpu` (plain JS), both on
 * the one engine of `@tensorflow/tfjs`, switched with `tf.setBackend` per measurement.
 *
 * GEMM is `tf.matMul(a, b, transposeA, transposeB)` (it allocates its output; disposed every
 * call). The MLP is written with `tf.fused.matMul` (bias + ReLU fused, what tfjs-layers' Dense
 * uses), softmax cross-entropy on one-hot labels (mean over the batch) and `tf.train.adam` with
 * the same hyper-parameters as axon's (lr 1e-3, betas 0.9/0.999, eps 1e-8).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
// The union package: tfjs-core + tfjs-backend-cpu + the gradient registrations that training
// needs (tfjs-core's own Node bundle registers no gradients).
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { medianSeconds, type Budget } from './timer.js';
import { checksum, gemmOperands, inferInput, mlpWeights, MLP_SIZES, trainBatch, type Engine, type GemmShape } from './workload.js';

/** Versions and facts of the loaded tfjs, for the header. */
export interface TfjsInfo {
  version: string;
  wasmThreads: number;
  wasmError?: string;
}

let ready: Promise<TfjsInfo> | undefined;

/** Points tfjs-wasm at the .wasm files inside its npm package and initialises it once. */
function setup(): Promise<TfjsInfo> {
  ready ??= (async () => {
    const require = createRequire(import.meta.url);
    // The package's own dist/ holds tfjs-backend-wasm{,-simd,-threaded-simd}.wasm.
    const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')) + '/dist/';
    setWasmPaths(dist);
    // Production mode: tfjs skips its debug checks and warnings (the fastest configuration it has).
    tf.enableProdMode();
    const info: TfjsInfo = { version: tf.version_core, wasmThreads: 0 };
    try {
      if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") returned false');
      info.wasmThreads = getThreadsCount();
    } catch (e) {
      info.wasmError = (e as Error).message ?? String(e);
    }
    return info;
  })();
  return ready;
}

type Dense = { w: tf.Tensor2D; b: tf.Tensor1D };

function forward(layers: readonly Dense[], x: tf.Tensor2D): tf.Tensor2D {
  let h = x;
  layers.forEach((l, i) => {
    h = tf.fused.matMul({ a: h, b: l.w, bias: l.b, activation: i < layers.length - 1 ? 'relu' : 'linear' }) as tf.Tensor2D;
  });
  return h;
}

/** Creates a tfjs engine on `backend` ('wasm' or 'cpu'). */
export async function tfjsEngine(backend: 'wasm' | 'cpu'): Promise<Engine & { info: TfjsInfo }> {
  const info = await setup();
  const unavailable = backend === 'wasm' && info.wasmError ? `tfjs-backend-wasm failed to initialise: ${info.wasmError}` : undefined;
  const use = async () => {
    if (tf.getBackend() !== backend && !(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed`);
  };
  return {
    name: `tfjs-${backend}`,
    unavailable,
    info,
    async gemm(s: GemmShape, budget: Budget) {
      await use();
      const { a, b, aShape, bShape } = gemmOperands(s);
      const ta = tf.tensor2d(a, aShape);
      const tb = tf.tensor2d(b, bShape);
      const transA = s.form === 'TN';
      const transB = s.form === 'NT';
      try {
        const seconds = await medianSeconds(() => tf.matMul(ta, tb, transA, transB).dispose(), budget);
        const c = tf.matMul(ta, tb, transA, transB);
        const sum = checksum(c.dataSync());
        c.dispose();
        return { seconds, checksum: sum };
      } finally {
        ta.dispose();
        tb.dispose();
      }
    },
    async train(budget: Budget) {
      await use();
      const data = trainBatch();
      const layers: Dense[] = mlpWeights().map((l) => ({
        w: tf.variable(tf.tensor2d(l.w, [l.inputs, l.outputs])) as tf.Variable<tf.Rank.R2>,
        b: tf.variable(tf.tensor1d(l.b)) as tf.Variable<tf.Rank.R1>,
      }));
      const x = tf.tensor2d(data.x, [data.labels.length, MLP_SIZES[0]]);
      const y = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(data.labels, 'int32'), MLP_SIZES[3]), 'float32'));
      const opt = tf.train.adam(1e-3, 0.9, 0.999, 1e-8);
      const step = () => {
        const cost = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, forward(layers, x)) as tf.Scalar, true);
        cost!.dataSync();
        cost!.dispose();
      };
      try {
        return await medianSeconds(step, budget);
      } finally {
        opt.dispose();
        x.dispose();
        y.dispose();
        for (const l of layers) {
          l.w.dispose();
          l.b.dispose();
        }
      }
    },
    async infer(batch: number, budget: Budget) {
      await use();
      const layers: Dense[] = mlpWeights().map((l) => ({ w: tf.tensor2d(l.w, [l.inputs, l.outputs]), b: tf.tensor1d(l.b) }));
      const input = inferInput(batch);
      let output: Float32Array = new Float32Array(0);
      const run = () => {
        const out = tf.tidy(() => forward(layers, tf.tensor2d(input, [batch, MLP_SIZES[0]])));
        output = out.dataSync() as Float32Array;
        out.dispose();
      };
      try {
        const seconds = await medianSeconds(run, budget);
        return { seconds, output };
      } finally {
        for (const l of layers) {
          l.w.dispose();
          l.b.dispose();
        }
      }
    },
    async dispose() {
      // tfjs keeps its backends for the process; nothing of ours is left allocated.
    },
  };
}
