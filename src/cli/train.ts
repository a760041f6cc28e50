/**
 * `axon train`: loads a dataset, builds an MLP (or with `--model cnn` a LeNet-style CNN for
 * image datasets, src/cli/build-cnn.ts) from the flags, trains it with `model.fit`
 * (progress bar, one line per epoch), then reports the test accuracy and the confusion matrix,
 * and optionally saves the model (`--save`) and the training curves (`--plot`).
 *
 * The defaults are the demo's (`npm run demo`, the notes' homework: MNIST, three hidden layers,
 * the loss printed every epoch): 784-512-256-128-10, ReLU, He init, dropout 0.2, Adam 1e-3 with
 * a cosine schedule, batch 128, 10 epochs, 10 % validation.
 */
import { writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Dataset } from '../data/dataset.js';
import { augmentImages } from '../data/augment.js';
import { tensor } from '../ops/create.js';
import { createOptimizer, OPTIMIZER_NAMES } from '../optim/registry.js';
import { cosine, exponential, stepDecay, type LrSchedule } from '../optim/schedules.js';
import type { Tensor } from '../tensor.js';
import { lrScheduler } from '../train/lr-scheduler.js';
import { permutation } from '../train/shuffle.js';
import type { Callback } from '../train/callbacks.js';
import type { Activation as KernelActivation } from '../kernels/kernels.js';
import type { CommandSpec, ParsedArgs } from './args.js';
import { buildMlp, countParameters, describeMlp, HIDDEN_ACTIVATIONS, INIT_CHOICES, type MlpOptions } from './build.js';
import { buildCnn, describeCnn, type CnnOptions } from './build-cnn.js';
import { BACKEND_FLAGS, DATA_FLAGS, LIMIT_FLAGS, SEED_FLAG, backendText, datasetFlag, say, note, startBackend, type CliIo } from './common.js';
import { limitSplit, loadCliData, parseDatasetSpec, rowSize, type CliData, type CliSplit } from './data.js';
import { UsageError } from './errors.js';
import { fmtLr, formatConfusion, pct } from './format.js';
import { BestEpochStopper, EpochReporter } from './loop.js';
import { saveModelFile } from './model-file.js';
import { trainingCurvesSvg } from './plot.js';
import { applyStandardization, fitStandardization, type Standardization } from './prep.js';
import { formatDuration } from './progress.js';
import { scoreSplit } from './report.js';

/** `--model` values. */
export const MODELS = ['mlp', 'cnn'] as const;

/** `--schedule` values. */
export const SCHEDULES = ['cosine', 'step', 'exponential', 'none'] as const;

/** `axon train`'s flags and help. */
export const TRAIN_SPEC: CommandSpec = {
  name: 'train',
  summary: 'Train a classifier (an MLP, or a CNN with --model cnn), report test accuracy and the confusion matrix.',
  description:
    'Prints a progress bar while an epoch runs (on a terminal; plain lines otherwise) and one line per epoch with the training loss and accuracy, the validation loss and accuracy, the learning rate and the seconds taken. ' +
    'Hidden layers are Dense → (BatchNorm1d) → activation → (Dropout); the output layer gives class logits for the cross-entropy loss. ' +
    'With --model cnn (image datasets) each --filters entry is a block Conv2d → (BatchNorm2d) → activation → 2×2 MaxPool2d (5×5 kernels on 28×28 images, 3×3 \'same\' on 8×8), then Flatten and the --layers Dense layers.\n\n' +
    "--save writes ONE safetensors file: the weights as tensors, and in its __metadata__ the model config ('axon.config') and the input preprocessing and class names ('axon.data'); 'axon evaluate' and 'axon predict' read it.",
  flags: [
    datasetFlag('mnist'),
    ...DATA_FLAGS,
    { name: 'model', type: 'string', choices: MODELS, default: 'mlp', help: 'mlp, or cnn: a LeNet-style convolutional network for image datasets (input [N, 1, H, W])' },
    { name: 'layers', type: 'ints', min: 1, default: [512, 256, 128], help: 'hidden layer widths, comma-separated (with --model cnn: the dense layers after the conv blocks, default 128)' },
    { name: 'filters', type: 'ints', min: 1, metavar: 'N,N', help: 'with --model cnn: output channels of each conv block (conv → activation → 2×2 max pool), default 32,64' },
    { name: 'activation', type: 'string', choices: HIDDEN_ACTIVATIONS, default: 'relu', help: 'hidden-layer activation' },
    { name: 'init', type: 'string', choices: INIT_CHOICES, default: 'he', help: 'weight initialiser of the hidden layers' },
    { name: 'optimizer', type: 'string', choices: OPTIMIZER_NAMES, default: 'adam', help: 'optimiser' },
    { name: 'lr', type: 'number', min: 0, minOpen: true, default: 1e-3, help: 'initial learning rate' },
    { name: 'momentum', type: 'number', min: 0, max: 1, maxOpen: true, metavar: 'X', help: 'momentum for sgd and rmsprop' },
    { name: 'schedule', type: 'string', choices: SCHEDULES, default: 'cosine', help: 'learning-rate schedule over the epochs: cosine annealing to 0, step decay, exponential decay, or none' },
    { name: 'step-size', type: 'int', min: 1, metavar: 'N', help: 'epochs between decays of --schedule step (default: a third of --epochs)' },
    { name: 'gamma', type: 'number', min: 0, minOpen: true, metavar: 'X', help: 'decay factor of --schedule step (default 0.1) or exponential (default 0.9)' },
    { name: 'epochs', type: 'int', min: 1, default: 10, help: 'passes over the training data' },
    { name: 'batch-size', type: 'int', min: 1, default: 128, help: 'samples per step' },
    { name: 'dropout', type: 'number', min: 0, max: 1, maxOpen: true, default: 0.2, help: 'dropout probability after each hidden layer (0: none)' },
    { name: 'batchnorm', type: 'bool', help: 'batch normalisation after each hidden Dense layer' },
    { name: 'l2', type: 'number', min: 0, default: 0, help: 'L2 penalty λ·Σw² on every weight matrix (0: none)' },
    { name: 'max-norm', type: 'number', min: 0, default: 0, help: 'max-norm constraint on every weight matrix (0: none)' },
    { name: 'augment', type: 'bool', help: 'image augmentation each epoch: random shifts (±2 px on 28×28, ±1 px on 8×8); Fashion-MNIST also flips' },
    { name: 'val', type: 'number', min: 0, max: 1, maxOpen: true, default: 0.1, help: 'share of the training samples held out for validation (0: none)' },
    { name: 'early-stopping', type: 'int', min: 0, default: 0, metavar: 'PATIENCE', help: 'stop when the validation loss has not improved for this many epochs, keeping the best weights (0: off)' },
    SEED_FLAG,
    ...BACKEND_FLAGS,
    ...LIMIT_FLAGS,
    { name: 'save', type: 'string', metavar: 'PATH', help: 'write the trained model to this .safetensors file' },
    { name: 'plot', type: 'string', metavar: 'PATH', help: 'write loss and accuracy curves (train vs validation) to this .svg file' },
  ],
  examples: [
    'axon train                                   # the demo: MNIST, 784-512-256-128-10, 10 epochs',
    'axon train --dataset fashion-mnist --augment --epochs 15 --plot curves.svg',
    'axon train --dataset digits --layers 64 --epochs 30 --save digits.safetensors',
    'axon train --dataset csv:data.csv --layers 32,16 --batchnorm --early-stopping 5',
    'axon train --model cnn --epochs 3 --batch-size 64 --val 0   # LeNet-style CNN on MNIST, ≥ 99 %',
  ],
};

function scheduleOf(a: ParsedArgs, epochs: number): LrSchedule | null {
  const f = a.flags;
  switch (f['schedule'] as (typeof SCHEDULES)[number]) {
    case 'cosine':
      return cosine(epochs);
    case 'step':
      return stepDecay((f['step-size'] as number | undefined) ?? Math.max(1, Math.ceil(epochs / 3)), (f['gamma'] as number | undefined) ?? 0.1);
    case 'exponential':
      return exponential((f['gamma'] as number | undefined) ?? 0.9);
    default:
      return null;
  }
}

/** Flag combinations that cannot work, found before anything is loaded. */
function checkCombinations(a: ParsedArgs): void {
  const f = a.flags;
  const cmd = TRAIN_SPEC.name;
  if ((f['early-stopping'] as number) > 0 && (f['val'] as number) === 0) throw new UsageError(cmd, '--early-stopping watches the validation loss: it needs --val > 0');
  if (a.given.has('momentum') && !['sgd', 'rmsprop'].includes(f['optimizer'] as string)) throw new UsageError(cmd, `--momentum applies to --optimizer sgd or rmsprop, not ${f['optimizer']}`);
  if (a.given.has('step-size') && f['schedule'] !== 'step') throw new UsageError(cmd, '--step-size applies to --schedule step');
  if (a.given.has('gamma') && !['step', 'exponential'].includes(f['schedule'] as string)) throw new UsageError(cmd, '--gamma applies to --schedule step or exponential');
  if ((f['schedule'] as string) === 'exponential' && (f['gamma'] as number | undefined) !== undefined && (f['gamma'] as number) > 1) {
    throw new UsageError(cmd, `--gamma of an exponential decay should be ≤ 1, given ${f['gamma']}`);
  }
  if (f['model'] !== 'cnn' && a.given.has('filters')) throw new UsageError(cmd, '--filters applies to --model cnn');
  if (f['model'] === 'cnn' && (f['max-norm'] as number) > 0) throw new UsageError(cmd, '--max-norm applies to the MLP\'s weight matrices, not to --model cnn');
  for (const k of ['save', 'plot']) {
    const p = f[k] as string | undefined;
    if (p !== undefined && !existsSync(dirname(resolve(p)))) throw new UsageError(cmd, `--${k}: directory not found: ${dirname(p)}`);
  }
}

/** Augmentation settings for an image dataset. */
function augmentOptions(d: CliData): { shift: number; flip?: number } {
  const side = d.imageShape![0];
  return { shift: side >= 16 ? 2 : 1, ...(d.spec === 'fashion-mnist' ? { flip: 0.5 } : {}) };
}

/** Runs `axon train` (and `axon demo`). Returns the exit code. */
export async function trainCommand(a: ParsedArgs, io: CliIo, cmd = TRAIN_SPEC.name): Promise<number> {
  const f = a.flags;
  parseDatasetSpec(cmd, f['dataset'] as string);
  checkCombinations(a);
  const epochs = f['epochs'] as number;
  const seed = f['seed'] as number;
  const batchSize = f['batch-size'] as number;
  const valShare = f['val'] as number;

  const k = await startBackend(cmd, f);
  const tLoad = performance.now();
  const data = await loadCliData(cmd, f['dataset'] as string, {
    dir: f['data'] as string | undefined,
    download: f['download'] as boolean,
    seed,
    testFraction: f['test-fraction'] as number,
    onDownload: (line) => note(io, line),
  });
  if (f['augment'] && !data.imageShape) throw new UsageError(cmd, `--augment needs an image dataset (mnist, fashion-mnist, digits); ${data.title} is tabular`);
  const cnn = f['model'] === 'cnn';
  if (cnn && !data.imageShape) throw new UsageError(cmd, `--model cnn needs an image dataset (mnist, fashion-mnist, digits); ${data.title} is tabular`);
  // The CNN sees NCHW images [N, 1, H, W]; the MLP the flat rows.
  const sampleShape = cnn ? [1, ...data.imageShape!] : data.sampleShape;
  const width = rowSize(data);
  const classes = data.classNames.length;
  let train = limitSplit(data.train, f['limit'] as number | undefined);
  const test = limitSplit(data.test, f['test-limit'] as number | undefined);

  // Validation: a seeded random share of the training samples (Dataset.split).
  let val: CliSplit | null = null;
  if (valShare > 0) {
    const nVal = Math.floor(train.count * valShare);
    if (nVal < 1 || nVal >= train.count) throw new UsageError(cmd, `--val ${valShare} of ${train.count} training samples leaves ${nVal < 1 ? 'no validation' : 'no training'} samples`);
    const [tr, va] = new Dataset({ data: train.x, shape: [train.count, width] }, Float32Array.from(train.labels), { validate: false }).split(valShare, { seed });
    const toSplit = (d: Dataset): CliSplit => ({ x: new Float32Array(d.x.data), labels: Uint8Array.from(d.y.data), count: d.size });
    train = toSplit(tr);
    val = toSplit(va);
  } else if (data.standardize) {
    train = { ...train, x: new Float32Array(train.x) }; // standardised in place below: keep the loader's copy intact
  }
  let standardization: Standardization | null = null;
  const testX = data.standardize ? { ...test, x: new Float32Array(test.x) } : test;
  if (data.standardize) {
    standardization = fitStandardization(train.x, train.count, width);
    applyStandardization(train.x, standardization);
    if (val) applyStandardization(val.x, standardization);
    applyStandardization(testX.x, standardization);
  }
  const loadSecs = (performance.now() - tLoad) / 1000;

  const mlp: MlpOptions = {
    inputs: width,
    hidden: f['layers'] as number[],
    classes,
    activation: f['activation'] as KernelActivation,
    init: f['init'] as string,
    dropout: f['dropout'] as number,
    batchnorm: Boolean(f['batchnorm']),
    l2: f['l2'] as number,
    maxNorm: f['max-norm'] as number,
    seed,
  };
  const cnnOptions: CnnOptions | null = cnn
    ? { ...mlp, imageShape: data.imageShape!, filters: (f['filters'] as number[] | undefined) ?? [32, 64], hidden: a.given.has('layers') ? mlp.hidden : [128] }
    : null;
  const model = cnnOptions ? buildCnn(cnnOptions) : buildMlp(mlp);
  const optOptions: Record<string, unknown> = { lr: f['lr'] as number };
  if (f['momentum'] !== undefined) optOptions['momentum'] = f['momentum'];
  const optimizer = createOptimizer(f['optimizer'] as string, optOptions);
  model.compile({ optimizer, loss: 'crossEntropy', metrics: ['accuracy'] });
  const schedule = scheduleOf(a, epochs);

  say(io, `axon ${cmd} · ${data.title}: ${train.count} train / ${val?.count ?? 0} validation / ${test.count} test samples, ${width} features, ${classes} classes (loaded in ${loadSecs.toFixed(1)}s)`);
  say(io, `model: ${cnnOptions ? describeCnn(cnnOptions) : describeMlp(mlp)} · ${countParameters(model).toLocaleString('en-US')} parameters`);
  say(io, `training: ${f['optimizer']} lr ${fmtLr(f['lr'] as number)}${schedule ? `, ${f['schedule']} schedule` : ''}, batch ${batchSize}, ${epochs} epoch${epochs === 1 ? '' : 's'}${f['augment'] ? ', augmented' : ''}, seed ${seed} · backend ${backendText(k)}`);

  const reporter = new EpochReporter(io, epochs);
  const callbacks: Callback[] = [reporter];
  if (schedule) callbacks.push(lrScheduler(schedule));
  const patience = f['early-stopping'] as number;
  const stopper = patience > 0 ? new BestEpochStopper(io, patience) : null;
  if (stopper) callbacks.push(stopper);

  const yTrain = tensor(Float32Array.from(train.labels), [train.count]).keep();
  const xVal = val ? tensor(val.x, [val.count, ...sampleShape]).keep() : null;
  const yVal = val ? tensor(Float32Array.from(val.labels), [val.count]).keep() : null;
  const validationData = xVal && yVal ? ([xVal, yVal] as [Tensor, Tensor]) : undefined;
  const tTrain = performance.now();
  try {
    if (!f['augment']) {
      const xTrain = tensor(train.x, [train.count, ...sampleShape]).keep();
      try {
        await model.fit(xTrain, yTrain, { epochs, batchSize, seed, validationData, callbacks });
      } finally {
        xTrain.dispose();
      }
    } else {
      // A fresh augmented copy every epoch, in fit's shuffled order for (seed, epoch); fit then runs one unshuffled epoch on it.
      const aug = augmentOptions(data);
      const [h, w] = data.imageShape!;
      const ds = new Dataset({ data: train.x, shape: [train.count, h, w] }, Float32Array.from(train.labels), { validate: false });
      for (let e = 0; e < epochs && !stopper?.stopped; e++) {
        const order = ds.gather(permutation(train.count, seed, e));
        const images = augmentImages(order.x, { ...aug, seed, offset: e * 5 * train.count });
        const xe = tensor(images.data, [train.count, ...sampleShape]);
        const ye = tensor(order.y.data, [train.count]);
        try {
          await model.fit(xe, ye, { epochs: 1, batchSize, shuffle: false, validationData, callbacks });
        } finally {
          xe.dispose();
          ye.dispose();
        }
      }
    }
  } finally {
    yTrain.dispose();
    xVal?.dispose();
    yVal?.dispose();
  }
  const trainSecs = (performance.now() - tTrain) / 1000;
  const done = reporter.epoch;
  say(io, `trained ${done} epoch${done === 1 ? '' : 's'} in ${formatDuration(trainSecs)} (${(trainSecs / Math.max(1, done)).toFixed(2)} s/epoch, ${Math.round((train.count * done) / trainSecs)} samples/s)`);
  if (stopper?.restore(model)) say(io, `restored the weights of epoch ${stopper.bestEpoch + 1} (best validation loss ${stopper.best.toFixed(4)})`);

  const score = await scoreSplit(model, testX, sampleShape, classes);
  say(io, '');
  say(io, `test: loss ${score.loss.toFixed(4)}  accuracy ${pct(score.accuracy)} (${Math.round(score.accuracy * test.count)}/${test.count}${data.testSource === 'split' ? `, a seeded ${Math.round((f['test-fraction'] as number) * 100)} % split` : ''})`);
  say(io, formatConfusion(score.confusion, data.classNames));

  if (f['save'] !== undefined) {
    const path = await saveModelFile(cmd, f['save'] as string, model, {
      dataset: data.spec,
      classNames: data.classNames,
      sampleShape,
      imageShape: data.imageShape,
      rawScale: data.rawScale,
      standardization,
      seed,
      testFraction: f['test-fraction'] as number,
      testAccuracy: score.accuracy,
    });
    say(io, `saved the model to ${path}`);
  }
  if (f['plot'] !== undefined) {
    const path = resolve(f['plot'] as string);
    const arch = cnnOptions ? `CNN (${cnnOptions.filters.join('-')} filters)` : `${[width, ...mlp.hidden, classes].join('-')} MLP`;
    const title = `${data.title} · ${arch} · test accuracy ${pct(score.accuracy)}`;
    await writeFile(path, trainingCurvesSvg(title, reporter.curves));
    say(io, `wrote the training curves to ${path}`);
  }
  model.dispose();
  return 0;
}
