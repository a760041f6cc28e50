/**
 * `axon knn`: the k-nearest-neighbour baseline (KNearestNeighbors on the backend's pairwise
 * distance kernel) — memorise the training split, classify the test split, print the accuracy,
 * the time and the confusion matrix.
 */
import { KNearestNeighbors } from '../classic/knn.js';
import type { CommandSpec, ParsedArgs } from './args.js';
import { BACKEND_FLAGS, DATA_FLAGS, LIMIT_FLAGS, SEED_FLAG, backendText, datasetFlag, note, say, startBackend, type CliIo } from './common.js';
import { limitSplit, loadCliData, parseDatasetSpec, rowSize } from './data.js';
import { UsageError } from './errors.js';
import { confusionMatrix, formatConfusion, pct } from './format.js';
import { applyStandardization, fitStandardization } from './prep.js';

/** `axon knn`'s flags and help. */
export const KNN_SPEC: CommandSpec = {
  name: 'knn',
  summary: 'k-nearest-neighbour classification: accuracy on the test split (seeded for datasets without a test file).',
  description: 'Features are used as the loaders give them (pixels scaled to [0, 1]); tabular datasets (iris, csv) are standardised with the training split\'s statistics. On MNIST, use --limit / --test-limit: every test sample is compared with every training sample.',
  flags: [
    datasetFlag('digits'),
    ...DATA_FLAGS,
    { name: 'k', type: 'int', min: 1, default: 3, help: 'neighbours that vote' },
    { name: 'metric', type: 'string', choices: ['l2', 'l1'], default: 'l2', help: 'distance: l2 (Euclidean) or l1 (Manhattan)' },
    SEED_FLAG,
    ...BACKEND_FLAGS,
    ...LIMIT_FLAGS,
  ],
  examples: ['axon knn --dataset digits --k 3 --metric l1', 'axon knn --dataset mnist --limit 10000 --test-limit 1000'],
};

/** Runs `axon knn`. Returns the exit code. */
export async function knnCommand(a: ParsedArgs, io: CliIo): Promise<number> {
  const cmd = KNN_SPEC.name;
  const f = a.flags;
  parseDatasetSpec(cmd, f['dataset'] as string);
  const k = await startBackend(cmd, f);
  const data = await loadCliData(cmd, f['dataset'] as string, {
    dir: f['data'] as string | undefined,
    download: f['download'] as boolean,
    seed: f['seed'] as number,
    testFraction: f['test-fraction'] as number,
    onDownload: (line) => note(io, line),
  });
  const width = rowSize(data);
  let train = limitSplit(data.train, f['limit'] as number | undefined);
  let test = limitSplit(data.test, f['test-limit'] as number | undefined);
  if (data.standardize) {
    const st = fitStandardization(train.x, train.count, width);
    train = { ...train, x: applyStandardization(new Float32Array(train.x), st) };
    test = { ...test, x: applyStandardization(new Float32Array(test.x), st) };
  }
  const kk = f['k'] as number;
  if (kk > train.count) {
    throw new UsageError(cmd, `--k ${kk} is more than the ${train.count} training samples`);
  }
  say(io, `axon knn · ${data.title}: ${train.count} train / ${test.count} test samples, ${width} features · k ${kk}, ${f['metric']} · backend ${backendText(k)}`);
  const t0 = performance.now();
  const knn = new KNearestNeighbors({ k: kk, metric: f['metric'] as 'l1' | 'l2' });
  try {
    knn.fit({ data: train.x, shape: [train.count, width] }, train.labels);
    const pred = await knn.predictAsync({ data: test.x, shape: [test.count, width] });
    const p = await pred.data();
    pred.dispose();
    const secs = (performance.now() - t0) / 1000;
    let hits = 0;
    for (let i = 0; i < test.count; i++) if (p[i] === test.labels[i]) hits++;
    const acc = test.count ? hits / test.count : NaN;
    say(io, `test accuracy ${pct(acc)} (${hits}/${test.count}${data.testSource === 'split' ? `, a seeded ${Math.round((f['test-fraction'] as number) * 100)} % split` : ''}) in ${secs.toFixed(2)}s`);
    say(io, formatConfusion(confusionMatrix(test.labels, p, data.classNames.length), data.classNames));
  } finally {
    knn.dispose();
  }
  return 0;
}
