/**
 * Bad-input rows of layers, initialisers, regularisers, constraints, the module registry and
 * losses (src/nn, src/losses).
 */
import * as ax from '../../src/index.js';
import { disposed, foreignExpect, invalid, noInput, nonFinite, option, prepped, row, shape, type Expect, type Fixtures, type Row, type Table } from './harness.js';

/** `forward` rows of a layer built by `make`: wrong type, disposed, another backend, and (with `bad`) a wrong shape. */
function forwardRows(fn: string, make: () => ax.Module, bad?: (fx: Fixtures) => ax.Tensor, badGiven?: string): Row[] {
  const rows = [
    prepped('forward: wrong type', (fx) => {
      const m = fx.own(make());
      return () => m.forward('x' as never);
    }, invalid(fn, 'x', '"x"')),
    prepped('forward: disposed input', (fx) => {
      const m = fx.own(make());
      return () => m.forward(fx.gone);
    }, disposed(fn, 'x')),
    prepped('forward: tensor of another backend', (fx) => {
      const m = fx.own(make());
      return () => m.forward(fx.foreign);
    }, foreignExpect(fn, 'x')),
  ];
  if (bad) {
    rows.push(prepped('forward: wrong shape', (fx) => {
      const m = fx.own(make());
      const t = bad(fx);
      return () => m.forward(t);
    }, shape(fn, undefined, badGiven)));
  }
  return rows;
}

/** Constructor rows shared by layers with a positive-integer size argument. */
function sizeArg(fn: string, arg: string, make: (n: number) => unknown): Row[] {
  return [
    row(`${arg} zero`, () => make(0), invalid(fn, arg, '0')),
    row(`${arg} negative`, () => make(-3), invalid(fn, arg, '-3')),
    row(`${arg} fractional`, () => make(2.5), invalid(fn, arg, '2.5')),
    row(`${arg} NaN`, () => make(NaN), invalid(fn, arg, 'NaN')),
    row(`${arg} of the wrong type`, () => make('4' as never), invalid(fn, arg, '"4"')),
  ];
}

const lossRows = (fn: string, f: (a: ax.TensorLike, b: ax.TensorLike) => ax.Tensor): Row[] => [
  row('prediction of the wrong type', (fx) => f('x' as never, fx.x), invalid(fn, undefined, '"x"')),
  row('disposed prediction', (fx) => f(fx.gone, fx.x), disposed(fn)),
  row('prediction of another backend', (fx) => f(fx.foreign, fx.x), foreignExpect(fn, 'pred')),
  row('shapes that differ', (fx) => f(fx.x, fx.sq), shape(fn, undefined, '[3, 3]')),
];

const classRows = (fn: string, f: (s: ax.TensorLike, l: never) => ax.Tensor): Row[] => [
  row('label out of range', (fx) => f(fx.x, [0, 7] as never), invalid(fn, 'label', '7')),
  row('negative label', (fx) => f(fx.x, [0, -1] as never), invalid(fn, 'label', '-1')),
  row('fractional label', (fx) => f(fx.x, [0.5, 1] as never), invalid(fn, 'label', '0.5')),
  row('NaN label', (fx) => f(fx.x, [NaN, 1] as never), invalid(fn, 'label', 'NaN')),
  row('too few labels', (fx) => f(fx.x, [0] as never), shape(fn, 'labels', /length 1|\[1\]/)),
  row('labels of the wrong type', (fx) => f(fx.x, 'x' as never), invalid(fn, 'labels', '"x"')),
  row('disposed labels', (fx) => f(fx.x, fx.gone as never), disposed(fn, 'labels')),
  row('labels of another backend', (fx) => f(fx.x, fx.foreign as never), foreignExpect(fn, 'labels')),
  row('scores of rank 1', (fx) => f(fx.v, [0] as never), shape(fn, undefined, '[3]')),
  row('disposed scores', (fx) => f(fx.gone, [0, 1] as never), disposed(fn)),
];

const noArgActivation = (fn: string, make: () => ax.Module): Row[] => forwardRows(fn, make);

const unknownName = (fn: string, arg: string, given: string, near: string): Expect => ({ code: 'INVALID_ARGUMENT', fn, arg, given: `"${given}"`, near });

export const NN_ROWS: Table = {
  Module: [
    row('setWeights: wrong count', (fx) => fx.bare.setWeights([fx.x]), { code: ['SHAPE_MISMATCH', 'INVALID_ARGUMENT'], fn: 'setWeights', given: /given 1/ }),
    row('setWeights: wrong shape', (fx) => fx.bare.layers[0]!.setWeights([fx.x, fx.v]), shape('setWeights', 'W', '[2, 3]')),
    row('setWeights: disposed tensor', (fx) => fx.bare.layers[0]!.setWeights([fx.gone, [0, 0, 0, 0]]), disposed('setWeights', 'W')),
    row('setWeights: not an array', (fx) => fx.bare.setWeights('x' as never), invalid('setWeights', 'weights', '"x"')),
    row('train: mode of the wrong type', (fx) => fx.bare.train('yes' as never), invalid('train', 'mode', '"yes"')),
  ],
  Sequential: [
    row('constructor: layers of the wrong type', () => new ax.Sequential('x' as never), invalid('Sequential', 'layers', '"x"')),
    row('constructor: a non-module layer', () => new ax.Sequential([42 as never]), invalid('Sequential', 'layers[0]', '42')),
    row('add: a non-module', (fx) => fx.bare.add({} as never), invalid('Sequential.add', 'layer', 'Object')),
    prepped('forward: wrong shape', (fx) => {
      const t = fx.sq.reshape([9, 1]);
      return () => fx.bare.forward(t);
    }, shape('Dense.forward', undefined, '[9, 1]')),
    row('forward: disposed', (fx) => fx.bare.forward(fx.gone), disposed('Dense.forward', 'x')),
    row('forward: another backend', (fx) => fx.bare.forward(fx.foreign), foreignExpect('Dense.forward', 'x')),
    row('compile: unknown option', (fx) => fx.bare.compile({ optimiser: 'adam', loss: 'mse' } as never), option('compile', 'optimiser', 'optimizer')),
    row('compile: unknown loss', (fx) => fx.bare.compile({ optimizer: 'adam', loss: 'crossEntropi' }), unknownName('compile', 'loss', 'crossEntropi', 'crossEntropy')),
    row('compile: unknown optimizer', (fx) => fx.bare.compile({ optimizer: 'adamm', loss: 'mse' }), unknownName('compile', 'optimizer', 'adamm', 'adam')),
    row('compile: unknown metric', (fx) => fx.bare.compile({ optimizer: 'adam', loss: 'mse', metrics: ['acuracy' as never] }), unknownName('compile', 'metric', 'acuracy', 'accuracy')),
    row('compile: missing loss', (fx) => fx.bare.compile({ optimizer: 'adam' } as never), invalid('compile', 'loss')),
    row('fit before compile', (fx) => fx.bare.fit(fx.hostX, fx.hostY), { code: 'NOT_COMPILED', fn: 'fit', given: /not compiled/ }),
    row('fit: unknown option', (fx) => fx.model.fit(fx.hostX, fx.hostY, { epoch: 1 } as never), option('fit', 'epoch', 'epochs')),
    row('fit: negative epochs', (fx) => fx.model.fit(fx.hostX, fx.hostY, { epochs: -1 }), invalid('fit', 'epochs', '-1')),
    row('fit: fractional batchSize', (fx) => fx.model.fit(fx.hostX, fx.hostY, { batchSize: 2.5 }), invalid('fit', 'batchSize', '2.5')),
    row('fit: validationSplit out of range', (fx) => fx.model.fit(fx.hostX, fx.hostY, { validationSplit: 1.5 }), invalid('fit', 'validationSplit', '1.5')),
    row('fit: x and y of different lengths', (fx) => fx.model.fit(fx.hostX, [0, 1]), shape('fit', 'y', /2/)),
    row('fit: label out of range', (fx) => fx.model.fit(fx.hostX, [0, 1, 2, 0, 1, 9]), invalid('fit', 'y', '9')),
    row('fit: NaN features', (fx) => fx.model.fit([[NaN, 0, 0], ...fx.hostX.slice(1)], fx.hostY), nonFinite('fit', "'x'", /NaN at flat index 0 \(sample 0/)),
    row('fit: ±Inf in a tensor x', (fx) => fx.model.fit(fx.inf, [0, 1]), nonFinite('fit', "'x'", /Infinity at flat index 1 \(sample 0, element 1\)/)),
    row('fit: infinite label', (fx) => fx.model.fit(fx.hostX, [0, 1, 2, 0, Infinity, 2]), nonFinite('fit', "'y'", /Infinity at flat index 4/)),
    row('fit: NaN in validationData', (fx) => fx.model.fit(fx.hostX, fx.hostY, { validationData: [[[0, 0, 1], [0, NaN, 0]], [0, 1]] }), nonFinite('fit', 'validationData[0]', /NaN at flat index 4 \(sample 1, element 1\)/)),
    row('fit: wrong feature count', (fx) => fx.model.fit([[1, 2], [3, 4]], [0, 1]), shape('Dense.forward', undefined, '2')),
    row('fit: no samples', (fx) => fx.model.fit(fx.empty, []), shape('fit', 'x', '0')),
    row('fit: disposed x', (fx) => fx.model.fit(fx.gone, fx.hostY.slice(0, 2)), disposed('fit', 'x')),
    row('fit: callback of the wrong type', (fx) => fx.model.fit(fx.hostX, fx.hostY, { callbacks: [42 as never] }), invalid('fit', 'callbacks[0]', '42')),
    row('fit: callback with an unknown hook', (fx) => fx.model.fit(fx.hostX, fx.hostY, { callbacks: [{ onEpochEnds() {} } as never] }), { code: 'INVALID_ARGUMENT', fn: 'fit', arg: 'onEpochEnds', near: 'onEpochEnd' }),
    row('evaluate: unknown option', (fx) => fx.model.evaluate(fx.hostX, fx.hostY, { batchsize: 2 } as never), option('evaluate', 'batchsize', 'batchSize')),
    row('evaluate: label out of range', (fx) => fx.model.evaluate(fx.hostX, [0, 1, 2, 0, 1, 3]), invalid('evaluate', 'y', '3')),
    row('evaluate: x and y of different lengths', (fx) => fx.model.evaluate(fx.hostX, [0]), shape('evaluate', 'y', /1/)),
    row('predict: unknown option', (fx) => fx.model.predict(fx.x, { batch: 2 } as never), option('predict', 'batch', 'batchSize')),
    prepped('predict: wrong feature count', (fx) => {
      const t = fx.sq.reshape([9, 1]);
      return () => fx.model.predict(t);
    }, shape('Dense.forward', undefined, '[9, 1]')),
    row('predict: zero batchSize', (fx) => fx.model.predict(fx.x, { batchSize: 0 }), invalid('predict', 'batchSize', '0')),
    row('save: unknown option', (fx) => fx.model.save({ includeOptimiser: true } as never), option('save', 'includeOptimiser', 'includeOptimizer')),
  ],
  Dense: [
    ...sizeArg('Dense', 'inFeatures', (n) => new ax.Dense(n, 2)),
    ...sizeArg('Dense', 'outFeatures', (n) => new ax.Dense(2, n)),
    row('unknown option', () => new ax.Dense(2, 2, { activaton: 'relu' } as never), option('Dense', 'activaton', 'activation')),
    row('unknown activation', () => new ax.Dense(2, 2, { activation: 'rleu' as never }), unknownName('Dense', 'activation', 'rleu', 'relu')),
    row('unknown initialiser', () => new ax.Dense(2, 2, { init: 'glorotUnifrom' as never }), unknownName('Dense', 'init', 'glorotUnifrom', 'glorotUniform')),
    row('negative seed', () => new ax.Dense(2, 2, { seed: -1 }), invalid('Dense', 'seed', '-1')),
    row('NaN alpha', () => new ax.Dense(2, 2, { activation: 'leakyRelu', alpha: NaN }), invalid('Dense', 'alpha', 'NaN')),
    row('unknown regulariser', () => new ax.Dense(2, 2, { kernelRegularizer: 'l3' as never }), invalid('Dense', 'kernelRegularizer', '"l3"')),
    ...forwardRows('Dense.forward', () => new ax.Dense(3, 2), (fx) => fx.sq.reshape([9, 1]), '[9, 1]'),
    prepped('forward: rank 1', (fx) => {
      const m = fx.own(new ax.Dense(3, 2));
      return () => m.forward(fx.v);
    }, shape('Dense.forward', undefined, '[3]')),
    row('setWeights: wrong shape', (fx) => fx.bare.layers[0]!.setWeights([fx.sq, [0, 0, 0, 0]]), shape('setWeights', 'W', '[3, 3]')),
  ],
  dense: [
    row('weights of the wrong shape', (fx) => ax.dense(fx.x, fx.x), shape('dense', undefined, '[2, 3]')),
    row('bias of the wrong shape', (fx) => ax.dense(fx.x, fx.sq, fx.x), shape('dense', 'bias', '[2, 3]')),
    row('disposed input', (fx) => ax.dense(fx.gone, fx.sq), disposed('dense', 'x')),
    row('weights of another backend', (fx) => ax.dense(fx.x, fx.foreign), foreignExpect('dense', 'w')),
    row('unknown activation', (fx) => ax.dense(fx.x, fx.sq, null, 'rleu' as never), unknownName('dense', 'activation', 'rleu', 'relu')),
  ],
  Activation: [
    row('unknown name', () => new ax.Activation('rleu' as never), unknownName('Activation', 'activation', 'rleu', 'relu')),
    row('unknown option', () => new ax.Activation('elu', { alpah: 1 } as never), option('Activation', 'alpah', 'alpha')),
    row('NaN alpha', () => new ax.Activation('elu', { alpha: NaN }), invalid('Activation', 'alpha', 'NaN')),
    row('fractional axis', () => new ax.Activation('softmax', { axis: 0.5 }), invalid('Activation', 'axis', '0.5')),
    ...forwardRows('relu', () => new ax.Activation('relu')),
  ],
  Linear: noArgActivation('linear', () => new ax.Linear()),
  ReLU: noArgActivation('relu', () => new ax.ReLU()),
  SELU: noArgActivation('selu', () => new ax.SELU()),
  SiLU: noArgActivation('silu', () => new ax.SiLU()),
  Sigmoid: noArgActivation('sigmoid', () => new ax.Sigmoid()),
  Tanh: noArgActivation('tanh', () => new ax.Tanh()),
  Softplus: noArgActivation('softplus', () => new ax.Softplus()),
  Softsign: noArgActivation('softsign', () => new ax.Softsign()),
  HardTanh: noArgActivation('hardTanh', () => new ax.HardTanh()),
  Step: noArgActivation('step', () => new ax.Step()),
  Sign: noArgActivation('sign', () => new ax.Sign()),
  BipolarSigmoid: noArgActivation('bipolarSigmoid', () => new ax.BipolarSigmoid()),
  LeakyReLU: [
    row('NaN alpha', () => new ax.LeakyReLU(NaN), invalid('LeakyReLU', 'alpha', 'NaN')),
    row('alpha of the wrong type', () => new ax.LeakyReLU('0.1' as never), invalid('LeakyReLU', 'alpha', '"0.1"')),
    ...forwardRows('leakyRelu', () => new ax.LeakyReLU()),
  ],
  ELU: [
    row('infinite alpha', () => new ax.ELU(Infinity), invalid('ELU', 'alpha', 'Infinity')),
    ...forwardRows('elu', () => new ax.ELU()),
  ],
  GELU: [
    row('unknown option', () => new ax.GELU({ approx: 'tanh' } as never), option('GELU', 'approx', 'approximate')),
    row('unknown approximation', () => new ax.GELU({ approximate: 'tahn' as never }), unknownName('GELU', 'approximate', 'tahn', 'tanh')),
  ],
  Softmax: [
    row('fractional axis', () => new ax.Softmax(0.5), invalid('Softmax', 'axis', '0.5')),
    prepped('forward: axis out of range', (fx) => {
      const m = fx.own(new ax.Softmax(3));
      return () => m.forward(fx.x);
    }, invalid('softmax', 'axis', '3')),
  ],
  LogSoftmax: [
    row('axis of the wrong type', () => new ax.LogSoftmax('1' as never), invalid('LogSoftmax', 'axis', '"1"')),
    ...forwardRows('logSoftmax', () => new ax.LogSoftmax()),
  ],
  ACTIVATION_NAMES: noInput('constant: the activation names'),
  Maxout: [
    ...sizeArg('Maxout', 'pieces', (n) => new ax.Maxout(3, 2, n)),
    ...sizeArg('Maxout', 'inFeatures', (n) => new ax.Maxout(n, 2, 2)),
    row('unknown option', () => new ax.Maxout(3, 2, 2, { sed: 1 } as never), option('Maxout', 'sed', 'seed')),
    ...forwardRows('Maxout.forward', () => new ax.Maxout(3, 2, 2), (fx) => fx.sq.reshape([9, 1]), '[9, 1]'),
  ],
  Dropout: [
    row('p above 1', () => new ax.Dropout(1.5), invalid('Dropout', 'p', '1.5')),
    row('negative p', () => new ax.Dropout(-0.1), invalid('Dropout', 'p', '-0.1')),
    row('NaN p', () => new ax.Dropout(NaN), invalid('Dropout', 'p', 'NaN')),
    row('p of the wrong type', () => new ax.Dropout('0.5' as never), invalid('Dropout', 'p', '"0.5"')),
    row('unknown option', () => new ax.Dropout(0.5, { sed: 1 } as never), option('Dropout', 'sed', 'seed')),
    row('fractional seed', () => new ax.Dropout(0.5, { seed: 0.5 }), invalid('Dropout', 'seed', '0.5')),
    ...forwardRows('Dropout', () => new ax.Dropout(0.5)),
  ],
  BatchNorm1d: [
    ...sizeArg('BatchNorm1d', 'numFeatures', (n) => new ax.BatchNorm1d(n)),
    row('unknown option', () => new ax.BatchNorm1d(3, { mometum: 0.1 } as never), option('BatchNorm1d', 'mometum', 'momentum')),
    row('negative eps', () => new ax.BatchNorm1d(3, { eps: -1 }), invalid('BatchNorm1d', 'eps', '-1')),
    row('momentum above 1', () => new ax.BatchNorm1d(3, { momentum: 2 }), invalid('BatchNorm1d', 'momentum', '2')),
    row('affine of the wrong type', () => new ax.BatchNorm1d(3, { affine: 'yes' as never }), invalid('BatchNorm1d', 'affine', '"yes"')),
    ...forwardRows('BatchNorm1d', () => new ax.BatchNorm1d(3), (fx) => fx.sq.reshape([9, 1]), '[9, 1]'),
    prepped('forward: one sample in training', (fx) => {
      const m = fx.own(new ax.BatchNorm1d(3));
      const t = ax.ones([1, 3]);
      return () => m.forward(t);
    }, shape('BatchNorm1d', undefined, '1')),
    row('setWeights: wrong count', (fx) => fx.bare.layers[1]!.setWeights([fx.v]), { code: ['SHAPE_MISMATCH', 'INVALID_ARGUMENT'], fn: 'BatchNorm1d.setWeights', given: /given 1/ }),
  ],
  BatchNorm2d: [
    ...sizeArg('BatchNorm2d', 'numFeatures', (n) => new ax.BatchNorm2d(n)),
    ...forwardRows('BatchNorm2d', () => new ax.BatchNorm2d(1), (fx) => fx.x, '[2, 3]'),
  ],
  Conv2d: [
    ...sizeArg('Conv2d', 'inChannels', (n) => new ax.Conv2d(n, 2, 3)),
    ...sizeArg('Conv2d', 'kernelSize', (n) => new ax.Conv2d(1, 2, n)),
    row('unknown option', () => new ax.Conv2d(1, 2, 3, { paddng: 1 } as never), option('Conv2d', 'paddng', 'padding')),
    row('unknown padding name', () => new ax.Conv2d(1, 2, 3, { padding: 'sme' as never }), unknownName('Conv2d', 'padding', 'sme', 'same')),
    row('negative stride', () => new ax.Conv2d(1, 2, 3, { stride: -1 }), invalid('Conv2d', 'stride', '-1')),
    ...forwardRows('Conv2d', () => new ax.Conv2d(2, 2, 2), (fx) => fx.img, '[1, 1, 4, 4]'),
  ],
  convOutputShape: [
    row('window larger than the input', () => ax.convOutputShape('f', [1, 1, 4, 4], 2, [5, 5], [1, 1], [1, 1], 0), { code: ['SHAPE_MISMATCH', 'INVALID_ARGUMENT'], fn: 'f', given: '4' }),
    row('rank 2 input', () => ax.convOutputShape('f', [2, 3], 2, [1, 1], [1, 1], [1, 1], 0), shape('f', undefined, '[2, 3]')),
  ],
  MaxPool2d: [
    ...sizeArg('MaxPool2d', 'kernelSize', (n) => new ax.MaxPool2d(n)),
    row('unknown option', () => new ax.MaxPool2d(2, { strides: 2 } as never), option('MaxPool2d', 'strides', 'stride')),
    ...forwardRows('maxPool2d', () => new ax.MaxPool2d(2), (fx) => fx.x, '[2, 3]'),
  ],
  AvgPool2d: [
    ...sizeArg('AvgPool2d', 'kernelSize', (n) => new ax.AvgPool2d(n)),
    row('unknown option', () => new ax.AvgPool2d(2, { countIncludePadding: true } as never), option('AvgPool2d', 'countIncludePadding', 'countIncludePad')),
    ...forwardRows('avgPool2d', () => new ax.AvgPool2d(2), (fx) => fx.x, '[2, 3]'),
  ],
  GlobalAvgPool2d: [
    row('unknown option', () => new ax.GlobalAvgPool2d({ keepdims: true } as never), option('GlobalAvgPool2d', 'keepdims', 'keepDims')),
    row('keepDims of the wrong type', () => new ax.GlobalAvgPool2d({ keepDims: 1 as never }), invalid('GlobalAvgPool2d', 'keepDims', '1')),
    ...forwardRows('globalAvgPool2d', () => new ax.GlobalAvgPool2d(), (fx) => fx.x, '[2, 3]'),
  ],
  Flatten: [
    row('negative startAxis', () => new ax.Flatten(-1), invalid('Flatten', 'startAxis', '-1')),
    row('fractional startAxis', () => new ax.Flatten(0.5), invalid('Flatten', 'startAxis', '0.5')),
    ...forwardRows('flatten', () => new ax.Flatten(1)),
    prepped('forward: startAxis past the rank', (fx) => {
      const m = fx.own(new ax.Flatten(3));
      return () => m.forward(fx.x);
    }, invalid('flatten', 'startAxis', '3')),
  ],
  Perceptron: [
    ...sizeArg('Perceptron', 'inputs', (n) => new ax.Perceptron(n)),
    row('unknown option', () => new ax.Perceptron(2, { lrr: 1 } as never), option('Perceptron', 'lrr', 'lr')),
    row('NaN lr', () => new ax.Perceptron(2, { lr: NaN }), invalid('Perceptron', 'lr', 'NaN')),
    prepped('fit: targets not 0/1', (fx) => {
      const p = fx.own(new ax.Perceptron(2));
      return () => p.fit([[0, 0], [1, 1]], [0, 2]);
    }, invalid('Perceptron.fit', 'y', '2')),
    prepped('fit: negative epochs', (fx) => {
      const p = fx.own(new ax.Perceptron(2));
      return () => p.fit([[0, 0], [1, 1]], [0, 1], -1);
    }, invalid('Perceptron.fit', 'epochs', '-1')),
    prepped('fit: wrong feature count', (fx) => {
      const p = fx.own(new ax.Perceptron(2));
      return () => p.fit(fx.x, [0, 1]);
    }, shape('Perceptron.fit', 'x', '[2, 3]')),
    prepped('predict: disposed', (fx) => {
      const p = fx.own(new ax.Perceptron(3));
      return () => p.predict(fx.gone);
    }, disposed('Perceptron.predict', 'x')),
  ],
  initializers: [
    row('uniform with lo above hi', () => ax.initializers.uniform(1, 0), invalid('uniform', 'hi', '0')),
    row('normal with negative std', () => ax.initializers.normal(0, -1), invalid('normal', 'std', '-1')),
    row('constant of the wrong type', () => ax.initializers.constant('1' as never), invalid('constant', 'value', '"1"')),
    row('an initialiser called with a bad shape', () => ax.initializers.heNormal()([-1, 2], { seed: 0 }), invalid('computeFans', 'shape', '-1')),
  ],
  getInitializer: [
    row('unknown name', () => ax.getInitializer('glorotUnifrom' as never), unknownName('getInitializer', 'init', 'glorotUnifrom', 'glorotUniform')),
    row('wrong type', () => ax.getInitializer(42 as never), invalid('getInitializer', 'init', '42')),
  ],
  computeFans: [
    row('shape of the wrong type', () => ax.computeFans('x' as never), invalid('computeFans', 'shape', '"x"')),
    row('negative dimension', () => ax.computeFans([-1, 2]), invalid('computeFans', 'shape', '-1')),
  ],
  INITIALIZER_NAMES: noInput('constant: the initialiser names'),
  Regularizer: [
    row('unknown type', () => new ax.Regularizer('l3' as never, 0, 0), invalid('Regularizer', 'type', '"l3"')),
    row('negative factor', () => new ax.Regularizer('l1', -1, 0), invalid('l1', 'l1', '-1')),
    row('penalty of the wrong type', () => ax.l2(0.1).penalty('x' as never), invalid('l2', 'w', '"x"')),
    row('penalty of a disposed tensor', (fx) => ax.l2(0.1).penalty(fx.gone), disposed('l2', 'w')),
  ],
  l1: [
    row('negative lambda', () => ax.l1(-1), invalid('l1', 'l1', '-1')),
    row('NaN lambda', () => ax.l1(NaN), invalid('l1', 'l1', 'NaN')),
    row('as a loss: shapes that differ', (fx) => ax.l1(fx.x, fx.sq), shape('l1', undefined, '[3, 3]')),
  ],
  l2: [row('negative lambda', () => ax.l2(-1), invalid('l2', 'l2', '-1')), row('infinite lambda', () => ax.l2(Infinity), invalid('l2', 'l2', 'Infinity'))],
  l1l2: [row('negative l2 factor', () => ax.l1l2(0.1, -1), invalid('l1l2', 'l2', '-1')), row('NaN l1 factor', () => ax.l1l2(NaN, 0.1), invalid('l1l2', 'l1', 'NaN'))],
  l1Regularizer: [row('wrong type', () => ax.l1Regularizer('x' as never), invalid('l1', 'l1', '"x"'))],
  getRegularizer: [
    row('unknown name', () => ax.getRegularizer('l1l3' as never), unknownName('getRegularizer', 'regularizer', 'l1l3', 'l1l2')),
    row('config with a negative factor', () => ax.getRegularizer({ type: 'l2', l1: 0, l2: -1 }), invalid('l2', 'l2', '-1')),
    row('wrong type', () => ax.getRegularizer(42 as never), invalid('getRegularizer', 'regularizer', '42')),
  ],
  REGULARIZER_NAMES: noInput('constant: the regulariser names'),
  MaxNorm: [
    row('negative max value', () => new ax.MaxNorm(-1), invalid('maxNorm', 'maxValue', '-1')),
    row('fractional axis', () => new ax.MaxNorm(1, 0.5), invalid('maxNorm', 'axis', '0.5')),
    row('apply to a disposed tensor', (fx) => new ax.MaxNorm(1).apply(fx.gone), disposed('maxNorm', 'w')),
    row('apply with an axis out of range', (fx) => new ax.MaxNorm(1, 3).apply(fx.w), invalid('maxNorm', 'axis', '3')),
  ],
  maxNorm: [row('NaN max value', () => ax.maxNorm(NaN), invalid('maxNorm', 'maxValue', 'NaN'))],
  getConstraint: [
    row('unknown name', () => ax.getConstraint('maxNrom' as never), unknownName('getConstraint', 'constraint', 'maxNrom', 'maxNorm')),
    row('wrong type', () => ax.getConstraint(42 as never), invalid('getConstraint', 'constraint', '42')),
  ],
  CONSTRAINT_NAMES: noInput('constant: the constraint names'),
  resetDefaultSeeds: [
    row('negative seed', () => ax.resetDefaultSeeds(-1), invalid('resetDefaultSeeds', 'seed', '-1')),
    row('fractional seed', () => ax.resetDefaultSeeds(0.5), invalid('resetDefaultSeeds', 'seed', '0.5')),
  ],
  registerModule: [
    row('factory of the wrong type', () => ax.registerModule('MyLayer', 42 as never), invalid('registerModule', 'factory', '42')),
    row('empty type name', () => ax.registerModule('', () => new ax.ReLU()), invalid('registerModule', 'type', '""')),
    row('type of the wrong type', () => ax.registerModule(42 as never, () => new ax.ReLU()), invalid('registerModule', 'type', '42')),
  ],
  registeredModules: noInput('takes no arguments; lists the registered layer types'),
  moduleFromConfig: [
    row('unknown type', () => ax.moduleFromConfig({ type: 'Dens', args: [2, 2] }), unknownName('moduleFromConfig', 'type', 'Dens', 'Dense')),
    row('not an object', () => ax.moduleFromConfig(null as never), { code: ['INVALID_ARGUMENT', 'CORRUPT_DATA'], fn: 'moduleFromConfig', arg: 'config', given: 'null' }),
    row('negative size argument', () => ax.moduleFromConfig({ type: 'Dense', args: [-1, 2] }), { code: ['INVALID_ARGUMENT', 'CORRUPT_DATA'], fn: 'Dense', given: '-1' }),
    row('args of the wrong type', () => ax.moduleFromConfig({ type: 'Dense', args: 'x' as never }), { code: ['INVALID_ARGUMENT', 'CORRUPT_DATA'], fn: 'moduleFromConfig', arg: 'args', given: '"x"' }),
  ],

  // ---- losses ----------------------------------------------------------------------------------
  mse: lossRows('mse', ax.mse),
  l1Loss: lossRows('l1', ax.l1Loss),
  huber: [
    ...lossRows('huber', ax.huber),
    row('zero delta', (fx) => ax.huber(fx.x, fx.x, 0), invalid('huber', 'delta', '0')),
    row('NaN delta', (fx) => ax.huber(fx.x, fx.x, NaN), invalid('huber', 'delta', 'NaN')),
  ],
  binaryCrossEntropy: [
    ...lossRows('binaryCrossEntropy', ax.binaryCrossEntropy),
    row('probabilities outside [0, 1]', (fx) => ax.binaryCrossEntropy(fx.x, fx.x), invalid('binaryCrossEntropy', 'prob', 'given 2 at index 1')),
    prepped('negative probability', () => {
      const p = ax.variable([[0.5, -0.25]]);
      return () => ax.binaryCrossEntropy(p, [[0, 1]]);
    }, invalid('binaryCrossEntropy', 'prob', 'given -0.25 at index 1')),
    row('NaN probability', (fx) => ax.binaryCrossEntropy(fx.nan, [[0, 0, 0], [1, 1, 1]]), invalid('binaryCrossEntropy', 'prob', 'given NaN at index 1')),
    row('NaN probability in an array', () => ax.binaryCrossEntropy([0.5, NaN], [0, 1]), invalid('binaryCrossEntropy', 'prob', 'given NaN at index 1')),
    prepped('target outside [0, 1]', () => {
      const p = ax.tensor([0.5, 0.25, 0.75]);
      const t = ax.tensor([0, 2, 1]);
      return () => ax.binaryCrossEntropy(p, t);
    }, invalid('binaryCrossEntropy', 'target', 'given 2 at index 1')),
    row('target outside [0, 1] in an array', () => ax.binaryCrossEntropy([0.5, 0.5], [-1, 1]), invalid('binaryCrossEntropy', 'target', 'given -1 at index 0')),
  ],
  binaryCrossEntropyWithLogits: lossRows('binaryCrossEntropyWithLogits', ax.binaryCrossEntropyWithLogits),
  crossEntropy: [
    ...classRows('crossEntropy', ax.crossEntropy as never),
    row('one-hot rows of the wrong width', (fx) => ax.crossEntropy(fx.x, [[1, 0], [0, 1]]), shape('crossEntropy', 'label', '[2, 2]')),
  ],
  hinge: [
    ...classRows('hinge', ax.hinge as never),
    row('NaN margin', (fx) => ax.hinge(fx.x, [0, 1], NaN), invalid('hinge', 'margin', 'NaN')),
  ],
  getLoss: [
    row('unknown name', () => ax.getLoss('crossEntropi' as never), unknownName('getLoss', 'loss', 'crossEntropi', 'crossEntropy')),
    row('wrong type', () => ax.getLoss(42 as never), invalid('getLoss', 'loss', '42')),
  ],
  LOSS_NAMES: noInput('constant: the loss names'),
  LOSS_TARGETS: noInput('constant: the target kind of each loss'),
};
