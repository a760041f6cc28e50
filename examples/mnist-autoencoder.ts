/**
 * An MNIST autoencoder, 784-128-32-128-784: the encoder squeezes each image into 32 numbers, the
 * decoder rebuilds the 784 pixels from them (sigmoid outputs, binary cross-entropy against the
 * input pixels, Adam). Prints the loss per epoch and the test reconstruction error, and writes
 * an SVG grid of test images (top row) above their reconstructions (bottom row).
 *
 * MNIST is read from $AXON_DATA (e.g. AXON_DATA=../shared/data) or downloaded into the cache.
 *
 *   npx tsx examples/mnist-autoencoder.ts [--epochs 3] [--limit 2000] [--test-limit 1000]
 *       [--images 12] [--out mnist-autoencoder.svg] [--seed 0] [--backend js|wasm]
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as ax from '../src/index.js';
import { loadMnist } from '../src/node.js';
import { parseFlags, since, startBackend } from './_args.js';
import { imageGridSvg } from './_images.js';

const flags = parseFlags('MNIST autoencoder 784-128-32-128-784 with an SVG of reconstructions.', {
  epochs: 3,
  limit: 0,
  'test-limit': 0,
  'batch-size': 128,
  lr: 2e-3,
  images: 12,
  out: 'mnist-autoencoder.svg',
  seed: 0,
  backend: '',
});
await startBackend(flags.backend);

const mnist = await loadMnist();
const trainAll = new ax.Dataset(mnist.train, mnist.train); // the targets are the inputs
const testAll = new ax.Dataset(mnist.test, mnist.test);
const train = flags.limit > 0 ? trainAll.take(flags.limit) : trainAll;
const test = flags['test-limit'] > 0 ? testAll.take(flags['test-limit']) : testAll;
console.log(`MNIST: ${train.size} training and ${test.size} test images`);

const s = flags.seed;
const model = new ax.Sequential([
  new ax.Dense(784, 128, { activation: 'relu', init: 'heNormal', seed: s }),
  new ax.Dense(128, 32, { activation: 'relu', init: 'heNormal', seed: s + 1 }), // the 32-number code
  new ax.Dense(32, 128, { activation: 'relu', init: 'heNormal', seed: s + 2 }),
  new ax.Dense(128, 784, { activation: 'sigmoid', seed: s + 3 }),
]);
model.compile({ optimizer: new ax.Adam({ lr: flags.lr }), loss: 'binaryCrossEntropy', metrics: ['mse'] });

const tr = train.tensors();
const te = test.tensors();
const t0 = performance.now();
await model.fit(tr.x, tr.x, {
  epochs: flags.epochs,
  batchSize: flags['batch-size'],
  seed: s,
  callbacks: [{ onEpochEnd: (e, l) => console.log(`epoch ${e + 1}/${flags.epochs}  loss ${l.loss.toFixed(4)}  mse ${l['mse']!.toFixed(4)}  (${since(t0)})`) }],
});
const ev = await model.evaluate(te.x, te.x, { batchSize: 1000 });
console.log(`test reconstruction: binary cross-entropy ${ev['loss']!.toFixed(4)}, mse ${ev['mse']!.toFixed(4)}`);

// The first test images and their reconstructions.
const n = Math.min(flags.images, test.size);
const shown = test.take(n).tensors();
const recon = model.predict(shown.x);
const [orig, rec] = [shown.x.dataSync(), recon.dataSync()];
const pick = (a: Float32Array, i: number) => a.subarray(i * 784, (i + 1) * 784);
const svg = imageGridSvg(
  `MNIST autoencoder 784-128-32-128-784 — ${flags.epochs} epochs, test mse ${ev['mse']!.toFixed(4)}`,
  [
    { label: 'original', images: Array.from({ length: n }, (_, i) => pick(orig, i)) },
    { label: 'reconstruction', images: Array.from({ length: n }, (_, i) => pick(rec, i)) },
  ],
  28,
  28,
);
const out = resolve(flags.out);
writeFileSync(out, svg);
console.log(`wrote ${out} (${n} originals above their reconstructions)`);
for (const t of [tr.x, tr.y, te.x, te.y, shown.x, shown.y, recon]) t.dispose();
model.dispose();
