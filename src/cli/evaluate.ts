/**
 * `axon evaluate MODEL`: scores a model file saved by `axon train --save` on a dataset's test
 * split (by default the dataset, seed and split it was trained with), with the same input
 * preprocessing, and prints the loss, accuracy and confusion matrix.
 */
import type { CommandSpec, ParsedArgs } from './args.js';
import { BACKEND_FLAGS, DATA_FLAGS, LIMIT_FLAGS, backendText, datasetFlag, note, say, startBackend, type CliIo } from './common.js';
import { limitSplit, loadCliData, parseDatasetSpec, requireFile, rowSize } from './data.js';
import { UsageError } from './errors.js';
import { formatConfusion, pct } from './format.js';
import { loadModelFile } from './model-file.js';
import { applyStandardization } from './prep.js';
import { scoreSplit } from './report.js';

/** `axon evaluate`'s flags and help. */
export const EVALUATE_SPEC: CommandSpec = {
  name: 'evaluate',
  summary: "Score a saved model (from 'axon train --save') on a dataset's test split: loss, accuracy, confusion matrix.",
  description:
    'The dataset defaults to the one the model was trained on; for datasets without a test file (digits, iris, csv) the test split is the seeded one used in training (the seed and share are stored in the model file) unless --seed / --test-fraction say otherwise.',
  positionals: [{ name: 'MODEL', help: 'model file written by axon train --save (.safetensors)' }],
  flags: [
    datasetFlag(),
    ...DATA_FLAGS.map((f) => (f.name === 'test-fraction' ? { ...f, default: undefined } : f)),
    { name: 'seed', type: 'int', min: 0, help: 'seed of the test split for datasets without a test file (default: the one stored in the model)' },
    { name: 'batch-size', type: 'int', min: 1, default: 1000, help: 'samples per forward pass' },
    ...BACKEND_FLAGS,
    LIMIT_FLAGS[1]!,
  ],
  examples: ['axon evaluate model.safetensors', 'axon evaluate digits.safetensors --dataset digits --test-limit 100'],
};

/** Runs `axon evaluate`. Returns the exit code. */
export async function evaluateCommand(a: ParsedArgs, io: CliIo): Promise<number> {
  const cmd = EVALUATE_SPEC.name;
  const f = a.flags;
  const path = a.positionals[0];
  if (path === undefined) throw new UsageError(cmd, "missing the MODEL argument (a file from 'axon train --save'); see 'axon evaluate --help'");
  if (f['dataset'] !== undefined) parseDatasetSpec(cmd, f['dataset'] as string);
  requireFile(cmd, 'model file', path);
  const k = await startBackend(cmd, f);
  const { model, info } = await loadModelFile(cmd, path);
  const dataset = (f['dataset'] as string | undefined) ?? info.dataset;
  const data = await loadCliData(cmd, dataset, {
    dir: f['data'] as string | undefined,
    download: f['download'] as boolean,
    seed: (f['seed'] as number | undefined) ?? info.seed,
    testFraction: (f['test-fraction'] as number | undefined) ?? info.testFraction,
    onDownload: (line) => note(io, line),
  });
  const width = rowSize(data);
  const want = info.sampleShape.reduce((p, q) => p * q, 1);
  if (width !== want) throw new UsageError(cmd, `${path} takes ${want} features per sample, but ${data.title} has ${width}`);
  if (data.classNames.length > info.classNames.length) {
    throw new UsageError(cmd, `${path} predicts ${info.classNames.length} classes, but ${data.title} has ${data.classNames.length}`);
  }
  let test = limitSplit(data.test, f['test-limit'] as number | undefined);
  if (info.standardization) test = { ...test, x: applyStandardization(new Float32Array(test.x), info.standardization) };
  // Files store the raw scale they were trained with; the loaders already applied the dataset's own.
  if (data.rawScale !== info.rawScale && info.dataset !== dataset) {
    note(io, `note: ${path} was trained on ${info.dataset} (inputs ÷ ${info.rawScale}); ${data.title} inputs are ÷ ${data.rawScale}`);
  }
  say(io, `axon evaluate · ${path} on ${data.title}: ${test.count} test samples · backend ${backendText(k)}`);
  const t0 = performance.now();
  const score = await scoreSplit(model, test, info.sampleShape, info.classNames.length, f['batch-size'] as number);
  const secs = (performance.now() - t0) / 1000;
  say(io, `test: loss ${score.loss.toFixed(4)}  accuracy ${pct(score.accuracy)} (${Math.round(score.accuracy * test.count)}/${test.count}) in ${secs.toFixed(2)}s`);
  say(io, formatConfusion(score.confusion, info.classNames));
  model.dispose();
  return 0;
}
