/**
 * What the CNN benchmark runs, defined once so every library gets identical inputs: the
 * LeNet-style network of examples/mnist-cnn.ts, its initial weights (in axon's layout, with
 * converters to TensorFlow.js's), and real MNIST batches.
 *
 *   conv 5×5 ×32 relu → maxpool 2 → conv 5×5 ×64 relu → maxpool 2 → flatten (1024)
 *   → dense 128 relu → dropout 0.3 → dense 10; Adam 1e-3; batch 64
 */
import { loadMnist } from '../../src/node.js';
import { randomArray } from '../harness.js';

/** Training batch size (examples/mnist-cnn.ts's default). */
export const CNN_BATCH = 64;
/** Steps in one MNIST epoch at batch 64 (60 000 / 64, rounded up). */
export const CNN_EPOCH_STEPS = Math.ceil(60000 / CNN_BATCH);
/** Distinct training batches cycled through (step i trains on batch i mod this). */
export const TRAIN_BATCHES = 16;
/** Dropout rate before the last layer. */
export const DROPOUT = 0.3;
/** The network in one line, for table titles. */
export const CNN_LABEL = 'conv5×5×32 relu → maxpool2 → conv5×5×64 relu → maxpool2 → dense 128 relu → dropout 0.3 → dense 10';

/** Initial weights in axon's layouts: conv W `[outC, inC, kH, kW]`, dense W `[in, out]`; flatten order (c, h, w). */
export interface CnnWeights {
  conv1: { w: Float32Array; b: Float32Array };
  conv2: { w: Float32Array; b: Float32Array };
  dense1: { w: Float32Array; b: Float32Array };
  dense2: { w: Float32Array; b: Float32Array };
}

function uniform(n: number, seed: number, bound: number): Float32Array {
  return randomArray(n, seed).map((v) => v * bound);
}

/** He-uniform weights (bound √(6 / fan-in)) and small biases, the same for every library. */
export function cnnWeights(): CnnWeights {
  const he = (fanIn: number) => Math.sqrt(6 / fanIn);
  return {
    conv1: { w: uniform(32 * 1 * 5 * 5, 101, he(25)), b: uniform(32, 201, 0.01) },
    conv2: { w: uniform(64 * 32 * 5 * 5, 102, he(800)), b: uniform(64, 202, 0.01) },
    dense1: { w: uniform(1024 * 128, 103, he(1024)), b: uniform(128, 203, 0.01) },
    dense2: { w: uniform(128 * 10, 104, he(128)), b: uniform(10, 204, 0.01) },
  };
}

/** Conv weight `[outC, inC, kH, kW]` (axon, torch) → `[kH, kW, inC, outC]` (TensorFlow.js). */
export function convToHwio(w: Float32Array, outC: number, inC: number, kH: number, kW: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let o = 0; o < outC; o++)
    for (let c = 0; c < inC; c++)
      for (let i = 0; i < kH; i++)
        for (let j = 0; j < kW; j++) out[((i * kW + j) * inC + c) * outC + o] = w[((o * inC + c) * kH + i) * kW + j]!;
  return out;
}

/**
 * Dense weight `[C·H·W, out]` whose rows follow an NCHW flatten (c, h, w) → rows in NHWC order
 * (h, w, c), so a channels-last network computes the same function.
 */
export function flattenRowsToNhwc(w: Float32Array, C: number, H: number, W: number, out: number): Float32Array {
  const res = new Float32Array(w.length);
  for (let c = 0; c < C; c++)
    for (let h = 0; h < H; h++)
      for (let x = 0; x < W; x++) res.set(w.subarray(((c * H + h) * W + x) * out, ((c * H + h) * W + x + 1) * out), ((h * W + x) * C + c) * out);
  return res;
}

/** Images `[n, 784]` scaled to [0, 1] (the same bytes as NCHW `[n, 1, 28, 28]` and NHWC `[n, 28, 28, 1]`) and labels. */
export interface Batch {
  x: Float32Array;
  labels: Int32Array;
}

/** The data every engine uses: training batches and inference inputs (real MNIST images). */
export interface CnnData {
  train: Batch[];
  /** Test images: the first 256, for inference at batch 256 (and its first image for batch 1). */
  infer: Float32Array;
  /** Where the files were read from. */
  source: string;
}

/**
 * Loads MNIST (from `dir`, else `$AXON_DATA`, else the cache, downloading if allowed) and cuts
 * {@link TRAIN_BATCHES} training batches of {@link CNN_BATCH} and the inference images.
 */
export async function cnnData(dir?: string): Promise<CnnData> {
  const m = await loadMnist(dir ? { dir } : {});
  const train: Batch[] = [];
  for (let i = 0; i < TRAIN_BATCHES; i++) {
    const a = i * CNN_BATCH, b = a + CNN_BATCH;
    train.push({ x: m.train.data.slice(a * 784, b * 784), labels: Int32Array.from(m.train.labels.subarray(a, b)) });
  }
  return { train, infer: m.test.data.slice(0, 256 * 784), source: m.files.trainImages };
}
