/**
 * MNIST with a LeNet-style convolutional network (NCHW: images as `[N, 1, 28, 28]`):
 *
 *   Conv2d(1→32, 5×5, relu) → MaxPool2d(2) → Conv2d(32→64, 5×5, relu) → MaxPool2d(2)
 *   → Flatten → Dense(1024→128, relu) → Dropout(0.3) → Dense(128→10)
 *
 * trained with `model.fit` (Adam 1e-3, batch 64, a cosine learning-rate schedule), printing
 * one line per epoch with its time, then the test accuracy. The defaults reach ≥ 99 % test
 * accuracy. `--threads N` sets the wasm kernels' threads (default: the backend's choice).
 *
 * MNIST is read from $AXON_DATA (e.g. AXON_DATA=../shared/data) or downloaded into the cache.
 *
 *   npx tsx examples/mnist-cnn.ts [--epochs 3] [--limit 0] [--test-limit 0] [--batch-size 64]
 *       [--lr 0.001] [--seed 0] [--threads 2] [--backend js|wasm]
 */
import * as ax from '../src/index.js';
import { loadMnist } from '../src/node.js';
import { parseFlags, since } from './_args.js';

const flags = parseFlags('MNIST LeNet-style CNN (conv 5×5 ×32 → pool → conv 5×5 ×64 → pool → dense 128 → 10).', {
  epochs: 3,
  limit: 0,
  'test-limit': 0,
  'batch-size': 64,
  lr: 1e-3,
  seed: 0,
  threads: 0,
  backend: '',
});
const backend = flags.backend;
if (backend !== '' && backend !== 'js' && backend !== 'wasm' && backend !== 'webgpu') {
  console.error(`unknown backend ${JSON.stringify(backend)} (js, wasm or webgpu)`);
  process.exit(2);
}
await ax.init({ ...(backend === '' ? {} : { backend }), ...(flags.threads > 0 ? { threads: flags.threads } : {}) });
const info = ax.getBackend().info;
console.log(`backend: ${ax.getBackend().name}${info.threads ? `, ${info.threads} thread${info.threads === 1 ? '' : 's'}` : ''}`);

const mnist = await loadMnist();
/** The first `limit` samples (all for 0) as `[N, 1, 28, 28]` images and `[N]` labels. */
function images(set: typeof mnist.train, limit: number): { x: ax.Tensor; y: ax.Tensor; n: number } {
  const n = limit > 0 ? Math.min(limit, set.labels.length) : set.labels.length;
  return { x: ax.tensor(set.data.subarray(0, n * 784), [n, 1, 28, 28]), y: ax.tensor(Float32Array.from(set.labels.subarray(0, n)), [n]), n };
}
const train = images(mnist.train, flags.limit);
const test = images(mnist.test, flags['test-limit']);
console.log(`MNIST: ${train.n} training and ${test.n} test images`);

let seed = flags.seed * 10;
const model = new ax.Sequential([
  new ax.Conv2d(1, 32, 5, { activation: 'relu', init: 'heUniform', seed: seed++ }),
  new ax.MaxPool2d(2),
  new ax.Conv2d(32, 64, 5, { activation: 'relu', init: 'heUniform', seed: seed++ }),
  new ax.MaxPool2d(2),
  new ax.Flatten(),
  new ax.Dense(64 * 4 * 4, 128, { activation: 'relu', init: 'heUniform', seed: seed++ }),
  new ax.Dropout(0.3, { seed: seed++ }),
  new ax.Dense(128, 10, { seed: seed++ }),
]);
const params = model.parameters().reduce((s, p) => s + p.size, 0);
console.log(`model: ${model.layers.map((l) => l.toString()).join(' → ')} · ${params.toLocaleString('en-US')} parameters`);

model.compile({ optimizer: new ax.Adam({ lr: flags.lr }), loss: 'crossEntropy', metrics: ['accuracy'] });
let t0 = performance.now();
const epochSeconds: number[] = [];
await model.fit(train.x, train.y, {
  epochs: flags.epochs,
  batchSize: flags['batch-size'],
  seed: flags.seed,
  callbacks: [
    ax.lrScheduler(ax.schedules.cosine(flags.epochs)),
    {
      onEpochBegin: () => {
        t0 = performance.now();
      },
      onEpochEnd: (epoch, logs) => {
        epochSeconds.push((performance.now() - t0) / 1000);
        console.log(`epoch ${epoch + 1}/${flags.epochs}  loss ${logs['loss']!.toFixed(4)}  accuracy ${(100 * logs['accuracy']!).toFixed(2)}%  (${since(t0)})`);
      },
    },
  ],
});
const mean = epochSeconds.reduce((a, b) => a + b, 0) / Math.max(1, epochSeconds.length);
console.log(`${mean.toFixed(1)} s per epoch (${Math.round(train.n / mean)} images/s)`);

const result = await model.evaluate(test.x, test.y, { batchSize: 500 });
const right = Math.round(result['accuracy']! * test.n);
console.log(`test accuracy: ${(100 * result['accuracy']!).toFixed(2)}% (${right}/${test.n})`);
for (const t of [train.x, train.y, test.x, test.y]) t.dispose();
model.dispose();
