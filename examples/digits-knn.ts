/**
 * k-nearest neighbours on scikit-learn's 8×8 digits (1 797 images): accuracy on a seeded
 * held-out quarter for several k, with L1 (Manhattan) and L2 (Euclidean) distances, next to the
 * two linear baselines of the notes (softmax regression and a multiclass linear SVM).
 *
 * The digits file is read from $AXON_DATA (e.g. AXON_DATA=../shared/data; file sklearn/digits.csv.gz).
 *
 *   npx tsx examples/digits-knn.ts [--k 1,3,5,7] [--test 0.25] [--linear-epochs 50] [--seed 0] [--backend js|wasm]
 */
import * as ax from '../src/index.js';
import { loadDigits } from '../src/node.js';
import { parseFlags, since, startBackend } from './_args.js';

const flags = parseFlags('k-NN (L1 and L2) and linear classifiers on the 8×8 digits.', { k: '1,3,5,7', test: 0.25, 'linear-epochs': 50, seed: 0, backend: '' });
const ks = flags.k.split(',').map(Number);
if (ks.some((k) => !Number.isInteger(k) || k < 1)) {
  console.error(`--k expected positive integers separated by commas, given ${JSON.stringify(flags.k)}`);
  process.exit(2);
}
await startBackend(flags.backend);

const digits = await loadDigits();
const [train, test] = new ax.Dataset(digits, digits.labels).split(flags.test, { seed: flags.seed });
console.log(`digits: ${train.size} training and ${test.size} test images (8×8, 10 classes)\n`);

console.log('   k   L1 (Manhattan)   L2 (Euclidean)');
let best = { acc: 0, k: 0, metric: '' };
for (const k of ks) {
  const cells: string[] = [];
  for (const metric of ['l1', 'l2'] as const) {
    const knn = new ax.KNearestNeighbors({ k, metric }).fit(train.x, train.y);
    const acc = knn.score(test.x, test.y);
    knn.dispose();
    if (acc > best.acc) best = { acc, k, metric };
    cells.push(`${(acc * 100).toFixed(2)}%`.padStart(14));
  }
  console.log(`${String(k).padStart(4)}   ${cells.join('   ')}`);
}
console.log(`best k-NN: k = ${best.k}, ${best.metric}: ${(best.acc * 100).toFixed(2)}% test accuracy`);

if (flags['linear-epochs'] > 0) {
  console.log(`\nlinear classifiers (${flags['linear-epochs']} epochs, Adam lr 0.01, L2 1e-4):`);
  const a = train.tensors();
  const b = test.tensors();
  for (const clf of [new ax.SoftmaxRegression(), new ax.LinearSVM()]) {
    const t0 = performance.now();
    await clf.fit(a.x, a.y, { epochs: flags['linear-epochs'], lr: 0.01, l2: 1e-4, seed: flags.seed });
    console.log(`  ${clf.name.padEnd(18)} ${((await clf.score(b.x, b.y)) * 100).toFixed(2)}% test accuracy  (${since(t0)})`);
    clf.dispose();
  }
  for (const t of [a.x, a.y, b.x, b.y]) t.dispose();
}
