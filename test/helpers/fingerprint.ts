/**
 * Everything random that a fixed seed decides, computed on the current backend and returned as
 * named arrays (test/determinism.test.ts compares them between runs, thread counts, backends and
 * processes): every initialiser, Dataset shuffles / split / batch order, a Dropout layer's
 * successive masks, image augmentation, random-search sampling, layers built without a seed
 * after `resetDefaultSeeds()`, and the weights of an MLP with Dropout and BatchNorm1d after 50
 * Adam steps of the manual loop.
 *
 * Reads use `await data()` only, so it runs on webgpu too. Run as a script it prints the
 * sha256 of the fingerprint for the backend named on the command line:
 * `node --import tsx test/helpers/fingerprint.ts wasm 1` → `{"backend":"wasm","threads":1,"hash":"…"}`.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import * as ax from '../../src/index.js';

/** One named result: `random` ones must match bit for bit on every backend, `trained` ones within a tolerance. */
export interface Part {
  name: string;
  kind: 'random' | 'trained';
  data: Float32Array | Uint32Array | Float64Array;
}

/** Steps of the training part. */
export const TRAIN_STEPS = 50;
const N = 160;
const IN = 12;
const HIDDEN = 32;
const CLASSES = 4;
const BATCH = 16; // 10 steps per epoch, 5 epochs

/** Fixed inputs (an LCG, independent of every library seed) and labels learnable from them. */
function data(): { x: Float32Array; y: Float32Array } {
  let s = 2024;
  const r = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296) * 2 - 1;
  const x = Float32Array.from({ length: N * IN }, r);
  const y = new Float32Array(N);
  for (let i = 0; i < N; i++) {
    let best = 0;
    for (let c = 1; c < CLASSES; c++) if (x[i * IN + c]! + x[i * IN + c + CLASSES]! > x[i * IN + best]! + x[i * IN + best + CLASSES]!) best = c;
    y[i] = best;
  }
  return { x, y };
}

async function read(t: ax.Tensor): Promise<Float32Array> {
  const d = await t.data();
  t.dispose();
  return d;
}

/** Every initialiser (names and `constant`), on a 2-D and a 1-D shape, with a seed and an offset. */
async function initialisers(out: Part[]): Promise<void> {
  for (const name of ax.INITIALIZER_NAMES) {
    const init = ax.getInitializer(name);
    out.push({ name: `init ${name} [7, 5]`, kind: 'random', data: await read(init([7, 5], { seed: 11 })) });
    out.push({ name: `init ${name} [9] offset 3`, kind: 'random', data: await read(init([9], { seed: 12, offset: 3 })) });
  }
  out.push({ name: 'init constant(0.25)', kind: 'random', data: await read(ax.initializers.constant(0.25)([3, 2], { seed: 0 })) });
  out.push({ name: 'randn seed 3', kind: 'random', data: await read(ax.randn([33], { seed: 3, mean: 1, std: 0.5 })) });
  out.push({ name: 'rand seed 4', kind: 'random', data: await read(ax.rand([33], { seed: 4, low: -2, high: 3 })) });
}

/** Shuffles, split and shuffled batch order of a Dataset whose x is the sample index. */
async function shuffling(out: Part[]): Promise<void> {
  const n = 37;
  const idx = Float32Array.from({ length: n }, (_, i) => i);
  const ds = new ax.Dataset({ data: idx, shape: [n, 1] }, { data: idx, shape: [n] });
  out.push({ name: 'Dataset.shuffle(5)', kind: 'random', data: Float32Array.from(ds.shuffle(5).y.data) });
  const [tr, va] = ds.split(0.25, { seed: 6 });
  out.push({ name: 'Dataset.split seed 6 train', kind: 'random', data: Float32Array.from(tr.y.data) });
  out.push({ name: 'Dataset.split seed 6 validation', kind: 'random', data: Float32Array.from(va.y.data) });
  for (const epoch of [0, 1, 2]) {
    const order: number[] = [];
    for (const b of ds.batches(8, { shuffle: true, seed: 7, epoch })) {
      order.push(...(await read(b.x)));
      b.y.dispose();
    }
    out.push({ name: `Dataset.batches seed 7 epoch ${epoch}`, kind: 'random', data: Float32Array.from(order) });
  }
}

/** Three successive masks of one Dropout layer (each call continues the stream), scaled by 1/(1−p). */
async function dropout(out: Part[]): Promise<void> {
  const d = new ax.Dropout(0.3, { seed: 21 });
  const ones = ax.ones([6, 50]);
  for (let i = 0; i < 3; i++) out.push({ name: `Dropout(0.3, seed 21) call ${i}`, kind: 'random', data: await read(d.forward(ones)) });
  ones.dispose();
}

/** Every random augmentation and the composite, on a host batch [4, 2, 6, 6]. */
function augmentation(out: Part[]): void {
  const shape = [4, 2, 6, 6];
  const src = { data: Float32Array.from({ length: 4 * 2 * 36 }, (_, i) => ((i * 37) % 101) / 100), shape };
  const add = (name: string, r: { data: Float32Array }) => out.push({ name: `augment ${name}`, kind: 'random', data: r.data });
  add('randomShift', ax.randomShift(src, 2, { seed: 31 }));
  add('randomCrop', ax.randomCrop(src, 4, 1, { seed: 32 }));
  add('randomHorizontalFlip', ax.randomHorizontalFlip(src, { seed: 33 }));
  add('randomBrightness', ax.randomBrightness(src, 0.2, { seed: 34, offset: 5 }));
  add('randomContrast', ax.randomContrast(src, [0.5, 1.5], { seed: 35 }));
  add('augmentImages', ax.augmentImages(src, { shift: 1, flip: 0.5, brightness: 0.1, contrast: 0.2, clip: [0, 1], seed: 36 }));
}

/** Random-search draws (float64) for a space with every sampler kind. */
function search(out: Part[]): void {
  const space = { lr: ax.logUniform(1e-4, 1e-1), dropout: ax.uniform(0, 0.5), hidden: ax.intUniform(8, 256), act: ax.choice(['relu', 'gelu', 'tanh']) };
  const acts = ['relu', 'gelu', 'tanh'];
  const draws = ax.sampleSpace(space, 25, 41).flatMap((p) => [p.lr, p.dropout, p.hidden, acts.indexOf(p.act)]);
  out.push({ name: 'sampleSpace seed 41', kind: 'random', data: Float64Array.from(draws) });
}

/** A model built without seeds right after resetDefaultSeeds(): its initial weights. */
async function defaultSeeds(out: Part[]): Promise<void> {
  ax.resetDefaultSeeds();
  const m = new ax.Sequential([new ax.Dense(5, 4, { activation: 'relu' }), new ax.Dropout(0.5), new ax.Dense(4, 2, { init: 'heNormal', biasInit: 'small' })]);
  for (const [i, p] of m.parameters().entries()) out.push({ name: `unseeded model parameter ${i}`, kind: 'random', data: await p.data() });
  m.dispose();
}

/**
 * 50 Adam steps of Dense(relu) → Dropout → BatchNorm1d → Dense(gelu) → Dense on shuffled
 * batches (manual loop); the losses and every weight (BatchNorm's running statistics included).
 * ReLU sits before BatchNorm on purpose: a bias feeding BatchNorm directly has a zero true
 * gradient, so its computed gradient is rounding noise that Adam scales up to ±lr per step, and
 * such a bias would differ between backends by far more than rounding.
 */
async function training(out: Part[]): Promise<void> {
  const { x, y } = data();
  const ds = new ax.Dataset({ data: x, shape: [N, IN] }, { data: y, shape: [N] });
  const model = new ax.Sequential([
    new ax.Dense(IN, HIDDEN, { activation: 'relu', seed: 51 }),
    new ax.Dropout(0.2, { seed: 52 }),
    new ax.BatchNorm1d(HIDDEN),
    new ax.Dense(HIDDEN, HIDDEN, { activation: 'gelu', seed: 53 }),
    new ax.Dense(HIDDEN, CLASSES, { seed: 54 }),
  ]);
  const opt = new ax.Adam(model.parameters(), { lr: 1e-2 });
  const losses: number[] = [];
  for (let epoch = 0; losses.length < TRAIN_STEPS; epoch++) {
    for (const b of ds.batches(BATCH, { shuffle: true, seed: 55, epoch })) {
      const loss = ax.tidy(() => {
        opt.zeroGrad();
        const l = ax.crossEntropy(model.forward(b.x), b.y);
        l.backward();
        opt.step();
        return l;
      });
      b.x.dispose();
      b.y.dispose();
      losses.push((await read(loss))[0]!);
      if (losses.length === TRAIN_STEPS) break;
    }
  }
  out.push({ name: `losses of ${TRAIN_STEPS} steps`, kind: 'trained', data: Float32Array.from(losses) });
  for (const [i, layer] of model.layers.entries()) {
    for (const [j, w] of layer.getWeights().entries()) out.push({ name: `trained layer ${i} (${layer.constructor.name}) weight ${j}`, kind: 'trained', data: await read(w) });
  }
  opt.dispose();
  model.dispose();
}

/** The whole fingerprint on the current backend (see the file comment). */
export async function fingerprint(): Promise<Part[]> {
  const out: Part[] = [];
  await initialisers(out);
  await shuffling(out);
  await dropout(out);
  augmentation(out);
  search(out);
  await defaultSeeds(out);
  await training(out);
  return out;
}

/** sha256 (hex) of the parts' names and bytes, in order. */
export function hashParts(parts: readonly Part[]): string {
  const h = createHash('sha256');
  for (const p of parts) {
    h.update(p.name);
    h.update(new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength));
  }
  return h.digest('hex');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const backend = (process.argv[2] ?? 'wasm') as 'js' | 'wasm';
  const threads = Number(process.argv[3] ?? 1);
  const k = await ax.init({ backend, threads });
  const parts = await fingerprint();
  console.log(JSON.stringify({ backend: k.name, threads: k.info.threads ?? 1, hash: hashParts(parts) }));
  ax.dispose();
}
