/**
 * MNIST with a hand-written training loop, PyTorch style: for every mini-batch,
 * `opt.zeroGrad(); loss = ax.crossEntropy(model.forward(xb), yb); loss.backward(); opt.step()`,
 * inside `ax.tidy` so the batch's intermediate tensors are freed. Prints the loss per epoch and
 * the final test accuracy. (model.compile + model.fit do the same with less code.)
 *
 * MNIST is read from $AXON_DATA (e.g. AXON_DATA=../shared/data) or downloaded into the cache.
 *
 *   npx tsx examples/mnist-mlp-manual.ts [--epochs 3] [--limit 2000] [--test-limit 1000]
 *       [--batch-size 64] [--lr 0.001] [--seed 0] [--backend js|wasm]
 */
import * as ax from '../src/index.js';
import { loadMnist } from '../src/node.js';
import { parseFlags, since, startBackend } from './_args.js';

const flags = parseFlags('MNIST MLP (784-256-128-10) trained with a manual PyTorch-style loop.', {
  epochs: 3,
  limit: 0,
  'test-limit': 0,
  'batch-size': 64,
  lr: 1e-3,
  seed: 0,
  backend: '',
});
await startBackend(flags.backend);

const mnist = await loadMnist();
const all = new ax.Dataset(mnist.train, mnist.train.labels);
const train = flags.limit > 0 ? all.take(flags.limit) : all;
const testAll = new ax.Dataset(mnist.test, mnist.test.labels);
const test = flags['test-limit'] > 0 ? testAll.take(flags['test-limit']) : testAll;
console.log(`MNIST: ${train.size} training and ${test.size} test images`);

const model = new ax.Sequential([
  new ax.Dense(784, 256, { activation: 'relu', init: 'heNormal', seed: flags.seed }),
  new ax.Dense(256, 128, { activation: 'relu', init: 'heNormal', seed: flags.seed + 1 }),
  new ax.Dense(128, 10, { seed: flags.seed + 2 }),
]);
const opt = new ax.Adam(model.parameters(), { lr: flags.lr });
const batchSize = flags['batch-size'];

for (let epoch = 0; epoch < flags.epochs; epoch++) {
  const t0 = performance.now();
  let lossSum = 0;
  for (const { x: xb, y: yb } of train.batches(batchSize, { shuffle: true, seed: flags.seed, epoch })) {
    const loss = ax.tidy(() => {
      opt.zeroGrad();
      const l = ax.crossEntropy(model.forward(xb), yb);
      l.backward();
      opt.step();
      return l.item();
    });
    lossSum += loss * xb.shape[0]!;
    xb.dispose();
    yb.dispose();
  }
  console.log(`epoch ${epoch + 1}/${flags.epochs}  loss ${(lossSum / train.size).toFixed(4)}  (${since(t0)})`);
}

// Test accuracy: the predicted class is the argmax of the 10 logits.
const { x: xt, y: yt } = test.tensors();
const pred = ax.tidy(() => ax.argmax(model.predict(xt, { batchSize: 1000 }), 1));
const p = pred.dataSync();
const labels = yt.dataSync();
let right = 0;
for (let i = 0; i < p.length; i++) if (p[i] === labels[i]) right++;
console.log(`test accuracy: ${((100 * right) / p.length).toFixed(2)}% (${right}/${p.length})`);
for (const t of [xt, yt, pred]) t.dispose();
opt.dispose();
model.dispose();
