/**
 * Bad-input rows of save/load, datasets, augmentation, preprocessing, k-NN, linear classifiers
 * and random search (src/io, src/data, src/preprocess, src/classic, src/search).
 */
import * as ax from '../../src/index.js';
import { corrupt, disposed, invalid, noInput, nonFinite, option, prepped, row, shape, type Expect, type Fixtures, type Row, type Table } from './harness.js';

const unknownName = (fn: string, arg: string, given: string, near: string): Expect => ({ code: 'INVALID_ARGUMENT', fn, arg, given: `"${given}"`, near });
const notFitted = (fn: string): Expect => ({ code: ['NOT_COMPILED', 'INVALID_ARGUMENT'], fn, given: /fit/ });

/** Rows of an image augmentation `f(x)`. */
function imageRows(fn: string, f: (x: ax.ImageInput) => unknown): Row[] {
  return [
    row('wrong type', () => f('x' as never), invalid(fn, 'x', '"x"')),
    row('rank 2 input', (fx) => f(fx.x), shape(fn, 'x', '[2, 3]')),
    row('disposed tensor', (fx) => f(fx.gone), disposed(fn, 'x')),
    row('tensor of another backend', (fx) => f(fx.foreign), invalid(fn, 'x', /backend/)),
    row('host data that does not fill its shape', () => f({ data: new Float32Array(3), shape: [1, 2, 2] }), shape(fn, 'x', '[1, 2, 2]')),
  ];
}

/** Rows every preprocessor shares (`make` builds an unfitted one). */
function preprocessorRows(fn: string, make: () => ax.Preprocessor): Row[] {
  return [
    prepped('fit: wrong type', (fx) => {
      const p = fx.own(make());
      return () => p.fit('x' as never);
    }, invalid(`${fn}.fit`, 'x', '"x"')),
    prepped('fit: NaN', (fx) => {
      const p = fx.own(make());
      return () => p.fit([[1, NaN], [2, 3], [4, 5]]);
    }, nonFinite(`${fn}.fit`, 'x', 'NaN')),
    prepped('fit: infinity', (fx) => {
      const p = fx.own(make());
      return () => p.fit([[1, Infinity], [2, 3], [4, 5]]);
    }, nonFinite(`${fn}.fit`, 'x', 'Infinity')),
    prepped('fit: no samples', (fx) => {
      const p = fx.own(make());
      return () => p.fit(fx.empty);
    }, { code: ['SHAPE_MISMATCH', 'INVALID_ARGUMENT'], fn: `${fn}.fit`, arg: 'x', given: '0' }),
    prepped('fit: rank 1', (fx) => {
      const p = fx.own(make());
      return () => p.fit(fx.v);
    }, shape(`${fn}.fit`, 'x', '[3]')),
    prepped('fit: disposed tensor', (fx) => {
      const p = fx.own(make());
      return () => p.fit(fx.gone);
    }, disposed(`${fn}.fit`, 'x')),
    prepped('transform before fit', (fx) => {
      const p = fx.own(make());
      return () => p.transform(fx.x);
    }, notFitted(`${fn}.transform`)),
    prepped('transform: wrong width', (fx) => {
      const p = fx.own(make()).fit(fx.hostX);
      return () => p.transform([[1, 2]]);
    }, shape(`${fn}.transform`, 'x', '2')),
    prepped('inverseTransform: tensor of another backend', (fx) => {
      const p = fx.own(make()).fit(fx.hostX);
      return () => p.inverseTransform(fx.foreign);
    }, invalid(`${fn}.inverseTransform`, 'x', /backend/)),
  ];
}

/** Rows of a sampler constructor `f(low, high)`. */
function samplerRows(fn: string, f: (low: number, high: number) => unknown): Row[] {
  return [
    row('low above high', () => f(2, 1), invalid(fn, 'high', '1')),
    row('NaN bound', () => f(NaN, 1), invalid(fn, 'low', 'NaN')),
    row('infinite bound', () => f(0, Infinity), invalid(fn, 'high', 'Infinity')),
    row('bound of the wrong type', () => f('0' as never, 1), invalid(fn, 'low', '"0"')),
  ];
}

const space = { lr: ax.logUniform(1e-3, 1e-1) };
const searchBase = (fx: Fixtures) => ({
  space,
  trials: 1,
  build: () => new ax.Sequential([new ax.Dense(3, 3)]),
  data: { x: fx.hostX, y: fx.hostY },
  validationSplit: 0.5,
  epochs: 1,
});

const safeTensorBytes = () => ax.encodeSafetensors({ a: { shape: [2], data: Float32Array.of(1, 2) } });

export const DATA_ROWS: Table = {
  // ---- save / load -------------------------------------------------------------------------------
  encodeSafetensors: [
    row('data that does not fill its shape', () => ax.encodeSafetensors({ a: { shape: [2, 2], data: new Float32Array(3) } }), { code: ['SHAPE_MISMATCH', 'INVALID_ARGUMENT'], fn: 'encodeSafetensors', arg: 'a', given: '[2, 2]' }),
    row('negative dimension', () => ax.encodeSafetensors({ a: { shape: [-1], data: new Float32Array(1) } }), invalid('encodeSafetensors', 'a', '-1')),
    row('data of the wrong type', () => ax.encodeSafetensors({ a: { shape: [2], data: [1, 2] as never } }), invalid('encodeSafetensors', 'a', /Object/)),
    row('tensors of the wrong type', () => ax.encodeSafetensors('x' as never), invalid('encodeSafetensors', 'tensors', '"x"')),
    row('metadata with a non-string value', () => ax.encodeSafetensors({}, { epochs: 3 as never }), invalid('encodeSafetensors', 'metadata', '3')),
  ],
  decodeSafetensors: [
    row('bytes of the wrong type', () => ax.decodeSafetensors('x' as never), invalid('decodeSafetensors', 'bytes', '"x"')),
    row('truncated header', () => ax.decodeSafetensors(new Uint8Array(4)), corrupt('safetensors', undefined, /4 bytes|header/)),
    row('header length past the end', () => ax.decodeSafetensors(Uint8Array.of(255, 255, 255, 255, 0, 0, 0, 0, 123)), corrupt('safetensors', undefined, /header/)),
    row('unknown option', () => ax.decodeSafetensors(safeTensorBytes(), { maxbytes: 10 } as never), option('decodeSafetensors', 'maxbytes', 'maxBytes')),
    row('negative maxBytes', () => ax.decodeSafetensors(safeTensorBytes(), { maxBytes: -1 }), invalid('decodeSafetensors', 'maxBytes', '-1')),
    row('input over maxBytes', () => ax.decodeSafetensors(safeTensorBytes(), { maxBytes: 8 }), corrupt('safetensors', 'maxBytes', '8')),
  ],
  saveModel: [
    row('model of the wrong type', () => ax.saveModel('x' as never), invalid('save', 'model', '"x"')),
    row('unknown option', (fx) => ax.saveModel(fx.model, { includeOptimiser: true } as never), option('save', 'includeOptimiser', 'includeOptimizer')),
  ],
  loadModel: [
    row('not an object', () => ax.loadModel(null as never), { code: ['INVALID_ARGUMENT', 'CORRUPT_DATA'], fn: 'loadModel', given: 'null' }),
    row('config that is not JSON', () => ax.loadModel({ config: '{oops', weights: new Uint8Array(0) }), corrupt('loadModel', 'config', /JSON/)),
    row('weights that are not safetensors', (fx) => fx.model.save().then((s) => ax.loadModel({ ...s, weights: new Uint8Array(3) })), corrupt('loadModel', 'weights', /3 bytes|header/)),
    prepped('weights of another model', (fx) => {
      const other = ax.encodeSafetensors({ 'layers.0.W': { shape: [2, 2], data: new Float32Array(4) } });
      return () => fx.model.save().then((a) => ax.loadModel({ ...a, weights: other }));
    }, { code: ['SHAPE_MISMATCH', 'CORRUPT_DATA'], fn: 'loadModel', given: /\[2, 2\]|missing|2/ }),
    row('unknown layer type', () => ax.loadModel({ config: { format: 'axon.model', version: 1, model: { type: 'Dens', args: [2, 2] }, compile: null }, weights: ax.encodeSafetensors({}) }), { code: ['CORRUPT_DATA', 'INVALID_ARGUMENT'], fn: 'loadModel', given: '"Dens"', near: 'Dense' }),
    row('newer format version', () => ax.loadModel({ config: { format: 'axon.model', version: 99, model: { type: 'Sequential', args: [] }, compile: null }, weights: ax.encodeSafetensors({}) }), { code: 'UNSUPPORTED', fn: 'loadModel', given: '99' }),
    row('unknown option', (fx) => fx.model.save().then((s) => ax.loadModel(s, { compiled: true } as never)), option('loadModel', 'compiled', 'compile')),
    row('negative maxBytes', (fx) => fx.model.save().then((s) => ax.loadModel(s, { maxBytes: -1 })), invalid('loadModel', 'maxBytes', '-1')),
    row('weights over maxBytes', (fx) => fx.model.save().then((s) => ax.loadModel(s, { maxBytes: 16 })), corrupt('loadModel', 'maxBytes', '16')),
  ],
  MODEL_FORMAT: noInput('constant: the saved-model format tag'),
  MODEL_FORMAT_VERSION: noInput('constant: the saved-model format version'),

  // ---- datasets and augmentation ------------------------------------------------------------------
  Dataset: [
    row('x of the wrong type', () => new ax.Dataset('x' as never, [0]), invalid('Dataset', 'x', '"x"')),
    row('x and y of different lengths', (fx) => new ax.Dataset(fx.hostX, [0, 1]), shape('Dataset', 'y', /2/)),
    row('NaN in x', () => new ax.Dataset([[1, NaN]], [0]), nonFinite('Dataset', 'x', 'NaN')),
    row('infinity in y', () => new ax.Dataset([[1, 2]], [Infinity]), nonFinite('Dataset', 'y', 'Infinity')),
    row('unknown option', (fx) => new ax.Dataset(fx.hostX, fx.hostY, { validation: false } as never), option('Dataset', 'validation', 'validate')),
    row('disposed x', (fx) => new ax.Dataset(fx.gone, [0, 1]), disposed('Dataset', 'x')),
    row('gather: index out of range', (fx) => new ax.Dataset(fx.hostX, fx.hostY).gather([0, 6]), invalid('Dataset.gather', 'index', '6')),
    row('gather: fractional index', (fx) => new ax.Dataset(fx.hostX, fx.hostY).gather([0.5]), invalid('Dataset.gather', 'index', '0.5')),
    row('slice: fractional start', (fx) => new ax.Dataset(fx.hostX, fx.hostY).slice(0.5), invalid('Dataset.slice', 'start', '0.5')),
    row('take: negative', (fx) => new ax.Dataset(fx.hostX, fx.hostY).take(-1), invalid('Dataset.take', 'count', '-1')),
    row('split: fraction above 1', (fx) => new ax.Dataset(fx.hostX, fx.hostY).split(1.5), invalid('Dataset.split', 'fraction', '1.5')),
    row('numBatches: zero', (fx) => new ax.Dataset(fx.hostX, fx.hostY).numBatches(0), invalid('Dataset.numBatches', 'batchSize', '0')),
    row('batches: fractional size', (fx) => new ax.Dataset(fx.hostX, fx.hostY).batches(1.5).next(), invalid('Dataset.batches', 'batchSize', '1.5')),
    row('batches: unknown option', (fx) => new ax.Dataset(fx.hostX, fx.hostY).batches(2, { suffle: true } as never).next(), option('Dataset.batches', 'suffle', 'shuffle')),
    row('oneHot: label out of range', (fx) => new ax.Dataset(fx.hostX, fx.hostY).oneHot(2), invalid('oneHot', 'label', '2')),
    row('shuffle: negative seed', (fx) => new ax.Dataset(fx.hostX, fx.hostY).shuffle(-1), invalid('Dataset.shuffle', 'seed', '-1')),
  ],
  shiftImages: [
    ...imageRows('shiftImages', (x) => ax.shiftImages(x, 1, 0)),
    row('fractional shift', (fx) => ax.shiftImages(fx.img, 1.5, 0), invalid('shiftImages', 'dy', '1.5')),
    row('unknown option', (fx) => ax.shiftImages(fx.img, 1, 0, { fil: 0 } as never), option('shiftImages', 'fil', 'fill')),
    row('NaN fill', (fx) => ax.shiftImages(fx.img, 1, 0, { fill: NaN }), invalid('shiftImages', 'fill', 'NaN')),
  ],
  randomShift: [
    ...imageRows('randomShift', (x) => ax.randomShift(x, 1)),
    row('negative max shift', (fx) => ax.randomShift(fx.img, -1), invalid('randomShift', 'maxShift', '-1')),
    row('negative seed', (fx) => ax.randomShift(fx.img, 1, { seed: -1 }), invalid('randomShift', 'seed', '-1')),
  ],
  randomCrop: [
    ...imageRows('randomCrop', (x) => ax.randomCrop(x, 2)),
    row('crop larger than the padded image', (fx) => ax.randomCrop(fx.img, 9), { code: ['SHAPE_MISMATCH', 'INVALID_ARGUMENT'], fn: 'randomCrop', arg: 'size', given: '9' }),
    row('negative padding', (fx) => ax.randomCrop(fx.img, 2, -1), invalid('randomCrop', 'padding', '-1')),
  ],
  flipHorizontal: imageRows('flipHorizontal', (x) => ax.flipHorizontal(x)),
  randomHorizontalFlip: [
    ...imageRows('randomHorizontalFlip', (x) => ax.randomHorizontalFlip(x)),
    row('p above 1', (fx) => ax.randomHorizontalFlip(fx.img, { p: 2 }), invalid('randomHorizontalFlip', 'p', '2')),
  ],
  randomBrightness: [
    ...imageRows('randomBrightness', (x) => ax.randomBrightness(x, 0.1)),
    row('negative delta', (fx) => ax.randomBrightness(fx.img, -1), invalid('randomBrightness', 'maxDelta', '-1')),
    row('clip range reversed', (fx) => ax.randomBrightness(fx.img, 0.1, { clip: [1, 0] }), invalid('randomBrightness', 'clip', /1/)),
  ],
  randomContrast: [
    ...imageRows('randomContrast', (x) => ax.randomContrast(x, 0.1)),
    row('range reversed', (fx) => ax.randomContrast(fx.img, [2, 1]), invalid('randomContrast', 'factor', /2/)),
    row('NaN factor', (fx) => ax.randomContrast(fx.img, NaN), invalid('randomContrast', 'factor', 'NaN')),
  ],
  augmentImages: [
    ...imageRows('augmentImages', (x) => ax.augmentImages(x, { flip: 0.5 })),
    row('unknown option', (fx) => ax.augmentImages(fx.img, { shfit: 1 } as never), option('augmentImages', 'shfit', 'shift')),
    row('flip probability above 1', (fx) => ax.augmentImages(fx.img, { flip: 1.5 }), invalid('augmentImages', 'flip', '1.5')),
  ],

  // ---- preprocessing ---------------------------------------------------------------------------------
  Preprocessor: [
    prepped('inverseTransform before fit', (fx) => {
      const p = fx.own(new ax.MeanCenter());
      return () => p.inverseTransform(fx.x);
    }, notFitted('MeanCenter.inverseTransform')),
    prepped('fitTransform: NaN', (fx) => {
      const p = fx.own(new ax.MeanCenter());
      return () => p.fitTransform([[NaN, 1], [2, 3]]);
    }, nonFinite('MeanCenter.fit', 'x', 'NaN')),
  ],
  MeanCenter: [
    ...preprocessorRows('MeanCenter', () => new ax.MeanCenter()),
  ],
  StandardScaler: [
    row('unknown option', () => new ax.StandardScaler({ withMea: true } as never), option('StandardScaler', 'withMea', 'withMean')),
    row('withStd of the wrong type', () => new ax.StandardScaler({ withStd: 1 as never }), invalid('StandardScaler', 'withStd', '1')),
    ...preprocessorRows('StandardScaler', () => new ax.StandardScaler()),
  ],
  MinMaxScaler: [
    row('range reversed', () => new ax.MinMaxScaler({ range: [1, 0] }), invalid('MinMaxScaler', 'range', /1/)),
    row('range with NaN', () => new ax.MinMaxScaler({ range: [0, NaN] }), invalid('MinMaxScaler', 'range', 'NaN')),
    ...preprocessorRows('MinMaxScaler', () => new ax.MinMaxScaler()),
  ],
  PCA: [
    row('zero components', () => new ax.PCA({ components: 0 }), invalid('PCA', 'components', '0')),
    row('fractional components', () => new ax.PCA({ components: 1.5 }), invalid('PCA', 'components', '1.5')),
    row('varianceRatio above 1', () => new ax.PCA({ varianceRatio: 1.5 }), invalid('PCA', 'varianceRatio', '1.5')),
    row('unknown option', () => new ax.PCA({ component: 2 } as never), option('PCA', 'component', 'components')),
    prepped('fit: more components than features', (fx) => {
      const p = fx.own(new ax.PCA({ components: 5 }));
      return () => p.fit(fx.hostX);
    }, invalid('PCA.fit', 'components', '5')),
    ...preprocessorRows('PCA', () => new ax.PCA({ components: 2 })),
  ],
  symmetricEigen: [
    row('length not n²', () => ax.symmetricEigen([1, 2, 3], 2), { code: ['SHAPE_MISMATCH', 'INVALID_ARGUMENT'], fn: 'symmetricEigen', arg: 'a', given: '3' }),
    row('negative n', () => ax.symmetricEigen([], -1), invalid('symmetricEigen', 'n', '-1')),
    row('NaN entry', () => ax.symmetricEigen([1, NaN, NaN, 1], 2), { code: ['NON_FINITE', 'INVALID_ARGUMENT'], fn: 'symmetricEigen', arg: 'a', given: /non-finite/ }),
    row('unknown option', () => ax.symmetricEigen([1, 0, 0, 1], 2, { maxSweep: 3 } as never), option('symmetricEigen', 'maxSweep', 'maxSweeps')),
    row('unknown method', () => ax.symmetricEigen([1, 0, 0, 1], 2, { method: 'lapack' } as never), invalid('symmetricEigen', 'method', '"lapack"')),
  ],

  // ---- classic -------------------------------------------------------------------------------------------
  KNearestNeighbors: [
    row('k zero', () => new ax.KNearestNeighbors({ k: 0 }), invalid('KNearestNeighbors', 'k', '0')),
    row('unknown metric', () => new ax.KNearestNeighbors({ metric: 'l22' as never }), unknownName('KNearestNeighbors', 'metric', 'l22', 'l2')),
    row('unknown option', () => new ax.KNearestNeighbors({ neighbors: 3 } as never), invalid('KNearestNeighbors', 'neighbors')),
    prepped('fit: x and y of different lengths', (fx) => {
      const m = fx.own(new ax.KNearestNeighbors());
      return () => m.fit(fx.hostX, [0, 1]);
    }, shape('KNearestNeighbors.fit', 'y', /2/)),
    prepped('fit: NaN features', (fx) => {
      const m = fx.own(new ax.KNearestNeighbors({ k: 1 }));
      return () => m.fit([[NaN, 1]], [0]);
    }, nonFinite('KNearestNeighbors.fit', 'x', 'NaN')),
    prepped('fit: negative label', (fx) => {
      const m = fx.own(new ax.KNearestNeighbors({ k: 1 }));
      return () => m.fit(fx.hostX, [0, 1, 2, 0, 1, -1]);
    }, invalid('KNearestNeighbors.fit', 'label', '-1')),
    prepped('fit: k larger than the training set', (fx) => {
      const m = fx.own(new ax.KNearestNeighbors({ k: 5 }));
      return () => m.fit([[0, 1]], [0]);
    }, invalid('KNearestNeighbors.fit', 'k', '5')),
    prepped('predict before fit', (fx) => {
      const m = fx.own(new ax.KNearestNeighbors());
      return () => m.predict(fx.x);
    }, notFitted('KNearestNeighbors.predict')),
    prepped('predict: wrong width', (fx) => {
      const m = fx.own(new ax.KNearestNeighbors({ k: 1 })).fit(fx.hostX, fx.hostY);
      return () => m.predict([[1, 2]]);
    }, shape('KNearestNeighbors.predict', 'x', '2')),
    prepped('predict: disposed', (fx) => {
      const m = fx.own(new ax.KNearestNeighbors({ k: 1 })).fit(fx.hostX, fx.hostY);
      return () => m.predict(fx.gone);
    }, disposed('KNearestNeighbors.predict', 'x')),
    prepped('kneighbors: unknown option', (fx) => {
      const m = fx.own(new ax.KNearestNeighbors({ k: 1 })).fit(fx.hostX, fx.hostY);
      return () => m.kneighbors(fx.x, { batchsize: 2 } as never);
    }, option('KNearestNeighbors.kneighbors', 'batchsize', 'batchSize')),
  ],
  LinearClassifier: [
    prepped('predict before fit', (fx) => {
      const m = fx.own(new ax.SoftmaxRegression());
      return () => m.predict(fx.x);
    }, notFitted('SoftmaxRegression')),
    prepped('score before fit', (fx) => {
      const m = fx.own(new ax.SoftmaxRegression());
      return () => m.score(fx.x, [0, 1]);
    }, notFitted('SoftmaxRegression')),
  ],
  SoftmaxRegression: [
    row('unknown option', () => new ax.SoftmaxRegression({ epoch: 3 } as never), option('SoftmaxRegression', 'epoch', 'epochs')),
    row('negative epochs', () => new ax.SoftmaxRegression({ epochs: -1 }), invalid('SoftmaxRegression', 'epochs', '-1')),
    row('NaN lr', () => new ax.SoftmaxRegression({ lr: NaN }), invalid('SoftmaxRegression', 'lr', 'NaN')),
    prepped('fit: label out of range for numClasses', (fx) => {
      const m = fx.own(new ax.SoftmaxRegression({ numClasses: 2, epochs: 1 }));
      return () => m.fit(fx.hostX, fx.hostY);
    }, invalid('SoftmaxRegression.fit', 'label', '2')),
    prepped('fit: x and y of different lengths', (fx) => {
      const m = fx.own(new ax.SoftmaxRegression({ epochs: 1 }));
      return () => m.fit(fx.hostX, [0, 1]);
    }, shape('SoftmaxRegression.fit', 'y', /2/)),
    prepped('fit: fractional labels', (fx) => {
      const m = fx.own(new ax.SoftmaxRegression({ epochs: 1 }));
      return () => m.fit(fx.hostX, [0, 1, 2, 0, 1, 0.5]);
    }, invalid('SoftmaxRegression.fit', 'y', '0.5')),
  ],
  LinearSVM: [
    row('negative margin', () => new ax.LinearSVM({ margin: -1 }), invalid('LinearSVM', 'margin', '-1')),
    row('unknown option', () => new ax.LinearSVM({ margn: 1 } as never), option('LinearSVM', 'margn', 'margin')),
    row('unknown optimizer', () => new ax.LinearSVM({ optimizer: 'sdg' }), unknownName('LinearSVM', 'optimizer', 'sdg', 'sgd')),
  ],

  // ---- search --------------------------------------------------------------------------------------------
  randomSearch: [
    row('unknown option', (fx) => ax.randomSearch({ ...searchBase(fx), trails: 2 } as never), option('randomSearch', 'trails', 'trials')),
    row('zero trials', (fx) => ax.randomSearch({ ...searchBase(fx), trials: 0 }), invalid('randomSearch', 'trials', '0')),
    row('build of the wrong type', (fx) => ax.randomSearch({ ...searchBase(fx), build: 42 as never }), invalid('randomSearch', 'build', '42')),
    row('space of the wrong type', (fx) => ax.randomSearch({ ...searchBase(fx), space: 'x' as never }), invalid('randomSearch', 'space', '"x"')),
    row('x and y of different lengths', (fx) => ax.randomSearch({ ...searchBase(fx), data: { x: fx.hostX, y: [0] } }), shape('randomSearch', 'data.y', /has 1/)),
    row('unknown mode', (fx) => ax.randomSearch({ ...searchBase(fx), mode: 'mx' as never }), unknownName('randomSearch', 'mode', 'mx', 'max')),
  ],
  formatTable: [
    row('results of the wrong type', () => ax.formatTable('x' as never), invalid('formatTable', 'results', '"x"')),
    row('unknown option', () => ax.formatTable([], { maxrows: 3 } as never), option('formatTable', 'maxrows', 'maxRows')),
    row('negative maxRows', () => ax.formatTable([], { maxRows: -1 }), invalid('formatTable', 'maxRows', '-1')),
  ],
  formatValue: noInput('formats any value for a table cell; every input is valid by design'),
  uniform: samplerRows('uniform', ax.uniform),
  logUniform: [...samplerRows('logUniform', ax.logUniform), row('non-positive low', () => ax.logUniform(0, 1), invalid('logUniform', 'low', '0'))],
  intUniform: [...samplerRows('intUniform', ax.intUniform), row('fractional bound', () => ax.intUniform(0.5, 3), invalid('intUniform', 'low', '0.5'))],
  choice: [
    row('empty list', () => ax.choice([]), invalid('choice', 'values', 'empty')),
    row('not an array', () => ax.choice('abc' as never), invalid('choice', 'values', '"abc"')),
  ],
  UniformSampler: samplerRows('uniform', (a, b) => new ax.UniformSampler(a, b)),
  LogUniformSampler: samplerRows('logUniform', (a, b) => new ax.LogUniformSampler(a, b)),
  IntUniformSampler: samplerRows('intUniform', (a, b) => new ax.IntUniformSampler(a, b)),
  ChoiceSampler: [row('empty list', () => new ax.ChoiceSampler([]), invalid('choice', 'values', 'empty'))],
  Sampler: [row('sample with u outside [0, 1)', () => ax.uniform(0, 1).sample(2), invalid('uniform.sample', 'u', '2'))],
  sampleParams: [
    row('negative seed', () => ax.sampleParams(space, -1, 0), invalid('sampleParams', 'seed', '-1')),
    row('fractional trial', () => ax.sampleParams(space, 0, 0.5), invalid('sampleParams', 'trial', '0.5')),
    row('space of the wrong type', () => ax.sampleParams('x' as never, 0, 0), invalid('sampleParams', 'space', '"x"')),
  ],
  sampleSpace: [
    row('negative count', () => ax.sampleSpace(space, -1), invalid('sampleSpace', 'n', '-1')),
    row('NaN seed', () => ax.sampleSpace(space, 2, NaN), invalid('sampleSpace', 'seed', 'NaN')),
  ],
  describeSpace: [row('space of the wrong type', () => ax.describeSpace(null as never), invalid('describeSpace', 'space', 'null'))],
  uniformAt: [
    row('negative seed', () => ax.uniformAt(-1, 0), invalid('uniformAt', 'seed', '-1')),
    row('fractional index', () => ax.uniformAt(0, 1.5), invalid('uniformAt', 'index', '1.5')),
  ],
};
