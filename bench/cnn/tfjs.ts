/**
 * TensorFlow.js CNN columns: `@tensorflow/tfjs-backend-cpu` (plain JS) and
 * `@tensorflow/tfjs-backend-wasm` (XNNPACK; one thread in Node), on the one engine of
 * `@tensorflow/tfjs`, switched with `tf.setBackend` per session (tfjs-wasm's files and
 * production mode are set up as in bench/compare/tfjs.ts).
 *
 * The network is written with core ops in tfjs's native channels-last layout (NHWC):
 * `tf.fused.conv2d` (bias + ReLU fused, what tfjs-layers' Conv2D uses; under a gradient tape
 * tfjs runs it unfused), `tf.maxPool`, `tf.fused.matMul`, `tf.dropout`, softmax cross-entropy on
 * one-hot labels, `tf.train.adam(1e-3, 0.9, 0.999, 1e-8)`. The weights are axon's, converted to
 * HWIO and to an NHWC flatten order, so both libraries compute the same function.
 */
import * as tf from '@tensorflow/tfjs';
import { tfjsEngine } from '../compare/tfjs.js';
import type { CnnEngine, InferSession, TrainSession } from './engine.js';
import { CNN_BATCH, DROPOUT, cnnWeights, convToHwio, flattenRowsToNhwc, type CnnData } from './workload.js';

interface Params {
  w1: tf.Tensor4D;
  b1: tf.Tensor1D;
  w2: tf.Tensor4D;
  b2: tf.Tensor1D;
  w3: tf.Tensor2D;
  b3: tf.Tensor1D;
  w4: tf.Tensor2D;
  b4: tf.Tensor1D;
}

/** The shared weights as tfjs tensors (variables when training). */
function params(trainable: boolean): Params {
  const w = cnnWeights();
  const v = <T extends tf.Tensor>(t: T): T => (trainable ? (tf.variable(t) as unknown as T) : t);
  return {
    w1: v(tf.tensor4d(convToHwio(w.conv1.w, 32, 1, 5, 5), [5, 5, 1, 32])),
    b1: v(tf.tensor1d(w.conv1.b)),
    w2: v(tf.tensor4d(convToHwio(w.conv2.w, 64, 32, 5, 5), [5, 5, 32, 64])),
    b2: v(tf.tensor1d(w.conv2.b)),
    w3: v(tf.tensor2d(flattenRowsToNhwc(w.dense1.w, 64, 4, 4, 128), [1024, 128])),
    b3: v(tf.tensor1d(w.dense1.b)),
    w4: v(tf.tensor2d(w.dense2.w, [128, 10])),
    b4: v(tf.tensor1d(w.dense2.b)),
  };
}

function disposeParams(p: Params): void {
  for (const t of Object.values(p) as tf.Tensor[]) t.dispose();
}

/** Logits `[n, 10]` of images `[n, 28, 28, 1]`. */
function forward(p: Params, x: tf.Tensor4D, training: boolean): tf.Tensor2D {
  let h: tf.Tensor4D = tf.fused.conv2d({ x, filter: p.w1, strides: 1, pad: 'valid', bias: p.b1, activation: 'relu' });
  h = tf.maxPool(h, 2, 2, 'valid');
  h = tf.fused.conv2d({ x: h, filter: p.w2, strides: 1, pad: 'valid', bias: p.b2, activation: 'relu' });
  h = tf.maxPool(h, 2, 2, 'valid');
  let d = tf.fused.matMul({ a: tf.reshape(h, [x.shape[0], 1024]), b: p.w3, bias: p.b3, activation: 'relu' }) as tf.Tensor2D;
  if (training) d = tf.dropout(d, DROPOUT) as tf.Tensor2D;
  return tf.fused.matMul({ a: d, b: p.w4, bias: p.b4 }) as tf.Tensor2D;
}

/** A tfjs column on `backend`. */
export async function tfjsCnnEngine(backend: 'cpu' | 'wasm', data: CnnData): Promise<CnnEngine & { version: string; wasmThreads: number }> {
  // Reuses the comparison bench's set-up: wasm paths, production mode, the wasm init check.
  const base = await tfjsEngine(backend);
  const use = async () => {
    if (tf.getBackend() !== backend && !(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed`);
  };
  return {
    name: `tfjs-${backend}`,
    unavailable: base.unavailable,
    version: base.info.version,
    wasmThreads: base.info.wasmThreads,
    async train(): Promise<TrainSession> {
      await use();
      const p = params(true);
      const xs = data.train.map((b) => tf.tensor4d(b.x, [CNN_BATCH, 28, 28, 1]));
      const ys = data.train.map((b) => tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(b.labels, 'int32'), 10), 'float32')));
      const opt = tf.train.adam(1e-3, 0.9, 0.999, 1e-8);
      const vars = Object.values(p) as tf.Variable[];
      return {
        step(i: number) {
          const x = xs[i % xs.length]!, y = ys[i % ys.length]!;
          const cost = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, forward(p, x, true)) as tf.Scalar, true, vars);
          cost!.dataSync();
          cost!.dispose();
        },
        dispose() {
          opt.dispose();
          for (const t of [...xs, ...ys]) t.dispose();
          disposeParams(p);
        },
      };
    },
    async infer(batch: number): Promise<InferSession> {
      await use();
      const p = params(false);
      const input = data.infer.subarray(0, batch * 784);
      return {
        run() {
          const out = tf.tidy(() => forward(p, tf.tensor4d(input, [batch, 28, 28, 1]), false));
          const v = out.dataSync() as Float32Array;
          out.dispose();
          return v;
        },
        dispose() {
          disposeParams(p);
        },
      };
    },
  };
}
