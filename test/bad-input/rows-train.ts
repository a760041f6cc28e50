/**
 * Bad-input rows of optimisers, gradient clipping, learning-rate schedules and the training API
 * (src/optim, src/train). Rows that touch the fixture optimiser check that a refused call leaves
 * its state (step, lr, slots) as it was.
 */
import * as ax from '../../src/index.js';
import { disposed, invalid, noInput, nonFinite, option, prepped, row, shape, type Expect, type Row, type Table } from './harness.js';

const unknownName = (fn: string, arg: string, given: string, near: string): Expect => ({ code: 'INVALID_ARGUMENT', fn, arg, given: `"${given}"`, near });

type OptCtor = new (a?: unknown, b?: unknown) => ax.Optimizer;

/** Rows every optimiser class shares: option names, lr, weightDecay, the parameter list. */
function optimizerRows(fn: string, C: OptCtor, extra: Row[]): Row[] {
  return [
    row('unknown option', () => new C({ lr: 0.1, lrr: 1 }), option(fn, 'lrr', 'lr')),
    row('negative lr', () => new C({ lr: -1 }), invalid(fn, 'lr', '-1')),
    row('NaN lr', () => new C({ lr: NaN }), invalid(fn, 'lr', 'NaN')),
    row('infinite weightDecay', () => new C({ lr: 0.1, weightDecay: Infinity }), invalid(fn, 'weightDecay', 'Infinity')),
    row('options of the wrong type', () => new C('fast'), invalid(fn, 'options', '"fast"')),
    row('parameter list with a non-tensor', () => new C([42], { lr: 0.1 }), invalid(fn, 'parameter 0', '42')),
    row('parameter list with a disposed tensor', (fx) => new C([fx.gone], { lr: 0.1 }), disposed(fn, 'parameter 0')),
    row('negative clipNorm', () => new C({ lr: 0.1, clipNorm: -1 }), invalid(fn, 'clipNorm', '-1')),
    ...extra,
  ];
}

export const TRAIN_ROWS: Table = {
  SGD: optimizerRows('SGD', ax.SGD as unknown as OptCtor, [
    row('no lr', () => new ax.SGD({} as never), invalid('SGD', 'lr')),
    row('unknown option near momentum', () => new ax.SGD({ lr: 0.1, momentun: 0.9 } as never), option('SGD', 'momentun', 'momentum')),
    row('momentum NaN', () => new ax.SGD({ lr: 0.1, momentum: NaN }), invalid('SGD', 'momentum', 'NaN')),
    row('nesterov without momentum', () => new ax.SGD({ lr: 0.1, nesterov: true }), invalid('SGD', 'Nesterov', /momentum 0/)),
  ]),
  Adam: optimizerRows('Adam', ax.Adam as unknown as OptCtor, [
    row('beta above 1', () => new ax.Adam({ betas: [1.5, 0.9] }), invalid('Adam', 'betas', '1.5')),
    row('betas of the wrong length', () => new ax.Adam({ betas: [0.9] }), invalid('Adam', 'betas', /array of length 1|\[0.9\]/)),
    row('negative eps', () => new ax.Adam({ eps: -1 }), invalid('Adam', 'eps', '-1')),
    row('amsgrad of the wrong type', () => new ax.Adam({ amsgrad: 1 as never }), invalid('Adam', 'amsgrad', '1')),
  ]),
  AdamW: optimizerRows('AdamW', ax.AdamW as unknown as OptCtor, [row('beta NaN', () => new ax.AdamW({ betas: [0.9, NaN] }), invalid('AdamW', 'betas', 'NaN'))]),
  RMSprop: optimizerRows('RMSprop', ax.RMSprop as unknown as OptCtor, [
    row('alpha above 1', () => new ax.RMSprop({ alpha: 2 }), invalid('RMSprop', 'alpha', '2')),
    row('centered of the wrong type', () => new ax.RMSprop({ centered: 'yes' as never }), invalid('RMSprop', 'centered', '"yes"')),
  ]),
  Adagrad: optimizerRows('Adagrad', ax.Adagrad as unknown as OptCtor, [row('negative initialAccumulatorValue', () => new ax.Adagrad({ initialAccumulatorValue: -1 }), invalid('Adagrad', 'initialAccumulatorValue', '-1'))]),
  Adadelta: optimizerRows('Adadelta', ax.Adadelta as unknown as OptCtor, [row('rho above 1', () => new ax.Adadelta({ rho: 1.5 }), invalid('Adadelta', 'rho', '1.5'))]),
  FusedOptimizer: [
    row('lr setter: negative', (fx) => {
      fx.opt.lr = -1;
    }, invalid('Adam', 'lr', '-1')),
    row('lr setter: NaN', (fx) => {
      fx.opt.lr = NaN;
    }, invalid('Adam', 'lr', 'NaN')),
    row('setParameters: not an array', (fx) => fx.opt.setParameters('x' as never), invalid('Adam.setParameters', 'params', '"x"')),
    row('setParameters: a disposed tensor', (fx) => fx.opt.setParameters([fx.gone]), disposed('Adam.setParameters', 'parameter 0')),
  ],
  Optimizer: [
    row('loadState: not an object', (fx) => fx.opt.loadState(null as never), invalid('loadState', 'state', 'null')),
    row('loadState: another optimiser type', (fx) => fx.opt.loadState({ type: 'sgd', options: {}, step: 1, slots: {} }), invalid('Adam.loadState', undefined, '"sgd"')),
    prepped('loadState: slots of the wrong size', (fx) => {
      const st = fx.opt.state();
      const bad = { ...st, slots: { ...st.slots, 0: { ...st.slots[0], m: new Float32Array(1) } } };
      return () => fx.opt.loadState(bad as never);
    }, shape('loadState', 'm', '1')),
    prepped('loadState: NaN in a slot', (fx) => {
      const st = fx.opt.state();
      const m = st.slots[0]!['m']!.slice();
      m[0] = NaN;
      return () => fx.opt.loadState({ ...st, slots: { ...st.slots, 0: { ...st.slots[0], m } } });
    }, nonFinite('Adam.loadState', "slot 0 buffer 'm'", 'NaN at index 0')),
    prepped('loadState: Infinity in a slot (number array)', (fx) => {
      const st = fx.opt.state();
      const v = Array.from(st.slots[1]!['v']!);
      v[v.length - 1] = Infinity;
      return () => fx.opt.loadState({ ...st, slots: { ...st.slots, 1: { ...st.slots[1], v } } } as never);
    }, nonFinite('Adam.loadState', "slot 1 buffer 'v'", `Infinity at index`)),
    prepped('loadState: NaN step of a slot', (fx) => {
      const st = fx.opt.state();
      return () => fx.opt.loadState({ ...st, slots: { ...st.slots, 0: { ...st.slots[0], step: Float32Array.of(NaN) } } });
    }, invalid('Adam.loadState', "slot 0's 'step'", 'NaN')),
    prepped('loadState: infinite step', (fx) => {
      const st = fx.opt.state();
      return () => fx.opt.loadState({ ...st, step: Infinity });
    }, invalid('Adam.loadState', "'step'", 'Infinity')),
    prepped('loadState: NaN option', (fx) => {
      const st = fx.opt.state();
      return () => fx.opt.loadState({ ...st, options: { ...st.options, eps: NaN } });
    }, invalid('Adam.loadState', "'eps'", 'NaN')),
    prepped('loadState: negative step', (fx) => {
      const st = fx.opt.state();
      return () => fx.opt.loadState({ ...st, step: -1 });
    }, invalid('loadState', 'step', '-1')),
  ],
  createOptimizer: [
    row('unknown name', () => ax.createOptimizer('adamm'), unknownName('createOptimizer', 'optimizer', 'adamm', 'adam')),
    row('unknown option', () => ax.createOptimizer('adam', { lrr: 1 }), option('Adam', 'lrr', 'lr')),
    row('config with a bad value', () => ax.createOptimizer({ type: 'sgd', lr: -1 }), invalid('SGD', 'lr', '-1')),
    row('wrong type', () => ax.createOptimizer(42 as never), invalid('createOptimizer', 'optimizer', '42')),
  ],
  OPTIMIZER_NAMES: noInput('constant: the optimiser names'),
  clipGradNorm: [
    row('negative maxNorm', (fx) => ax.clipGradNorm([fx.w], -1), invalid('clipGradNorm', 'maxNorm', '-1')),
    row('NaN maxNorm', (fx) => ax.clipGradNorm([fx.w], NaN), invalid('clipGradNorm', 'maxNorm', 'NaN')),
    row('unknown norm type', (fx) => ax.clipGradNorm([fx.w], 1, 'l2' as never), invalid('clipGradNorm', 'normType', '"l2"')),
    row('params of the wrong type', () => ax.clipGradNorm('x' as never, 1), invalid('clipGradNorm', 'params', '"x"')),
    row('a disposed parameter', (fx) => ax.clipGradNorm([fx.w, fx.gone], 1), disposed('clipGradNorm', 'parameter 1')),
  ],
  clipGradNormAsync: [
    row('negative maxNorm', (fx) => ax.clipGradNormAsync([fx.w], -1), invalid('clipGradNormAsync', 'maxNorm', '-1')),
    row('a disposed parameter', (fx) => ax.clipGradNormAsync([fx.w, fx.gone], 1), disposed('clipGradNormAsync', 'parameter 1')),
  ],
  clipGradValue: [
    row('negative clipValue', (fx) => ax.clipGradValue([fx.w], -1), invalid('clipGradValue', 'clipValue', '-1')),
    row('NaN clipValue', (fx) => ax.clipGradValue([fx.w], NaN), invalid('clipGradValue', 'clipValue', 'NaN')),
    row('a disposed parameter', (fx) => ax.clipGradValue([fx.w, fx.gone], 1), disposed('clipGradValue', 'parameter 1')),
  ],
  GradClipper: [
    row('backend of the wrong type', () => new ax.GradClipper('x' as never, 2), invalid('GradClipper', 'k', '"x"')),
    row('negative norm type', (fx) => new ax.GradClipper(fx.k, -1), invalid('GradClipper', 'normType', '-1')),
  ],
  LrScheduler: [
    row('optimizer of the wrong type', () => new ax.LrScheduler('x' as never, () => 0.1), invalid('LrScheduler', 'optimizer', '"x"')),
    row('schedule of the wrong type', (fx) => new ax.LrScheduler(fx.opt, 42 as never), invalid('LrScheduler', 'schedule', '42')),
    row('a schedule that returns NaN', (fx) => new ax.LrScheduler(fx.opt, () => NaN), { code: ['NON_FINITE', 'INVALID_ARGUMENT'], fn: 'LrScheduler', given: 'NaN' }),
    prepped('step: ReduceOnPlateau without a metric', (fx) => {
      const s = new ax.LrScheduler(fx.opt, new ax.ReduceOnPlateau());
      return () => s.step();
    }, invalid('LrScheduler', 'metric', 'undefined')),
  ],
  ReduceOnPlateau: [
    row('factor above 1', () => new ax.ReduceOnPlateau({ factor: 1.5 }), invalid('reduceOnPlateau', 'factor', '1.5')),
    row('unknown mode', () => new ax.ReduceOnPlateau({ mode: 'mn' as never }), unknownName('reduceOnPlateau', 'mode', 'mn', 'min')),
    row('unknown option', () => new ax.ReduceOnPlateau({ patiense: 2 } as never), option('reduceOnPlateau', 'patiense', 'patience')),
    row('negative patience', () => new ax.ReduceOnPlateau({ patience: -1 }), invalid('reduceOnPlateau', 'patience', '-1')),
    row('update with a NaN lr', () => new ax.ReduceOnPlateau().update(1, NaN), invalid('reduceOnPlateau', 'lr', 'NaN')),
  ],
  schedules: [
    row('stepDecay with step size 0', () => ax.schedules.stepDecay(0), invalid('stepDecay', 'stepSize', '0')),
    row('exponential with a negative gamma', () => ax.schedules.exponential(-1), invalid('exponential', 'gamma', '-1')),
    row('cosine with tMax 0', () => ax.schedules.cosine(0), invalid('cosine', 'tMax', '0')),
    row('inverseTime with NaN decay', () => ax.schedules.inverseTime(NaN), invalid('inverseTime', 'decayRate', 'NaN')),
    row('linearWarmup with fractional steps', () => ax.schedules.linearWarmup(1.5), invalid('linearWarmup', 'warmupSteps', '1.5')),
    row('linearWarmup with a non-schedule', () => ax.schedules.linearWarmup(2, 42 as never), invalid('linearWarmup', 'after', '42')),
    row('scheduleFromConfig with an unknown type', () => ax.schedules.scheduleFromConfig({ type: 'stepDecy' }), unknownName('scheduleFromConfig', 'type', 'stepDecy', 'stepDecay')),
    row('lrAt with a negative epoch', () => ax.schedules.stepDecay(2).lrAt(-1, 0.1), invalid('stepDecay', 'epoch', '-1')),
  ],

  // ---- training API --------------------------------------------------------------------------
  compileModel: [
    row('model of the wrong type', () => ax.compileModel('x' as never, { optimizer: 'adam', loss: 'mse' }), invalid('compile', 'model', '"x"')),
    row('optimizer of the wrong type', (fx) => ax.compileModel(fx.bare, { optimizer: 42 as never, loss: 'mse' }), invalid('compile', 'optimizer', '42')),
    row('options of the wrong type', (fx) => ax.compileModel(fx.bare, null as never), invalid('compile', 'options', 'null')),
    row('loss of the wrong type', (fx) => ax.compileModel(fx.bare, { optimizer: 'adam', loss: 42 as never }), invalid('compile', 'loss', '42')),
  ],
  fitModel: [
    row('model of the wrong type', (fx) => ax.fitModel('x' as never, fx.hostX, fx.hostY), invalid('fit', 'model', '"x"')),
    row('x of the wrong type', (fx) => ax.fitModel(fx.model, 'x' as never, fx.hostY), invalid('fit', 'x', '"x"')),
    row('validationData with the wrong width', (fx) => ax.fitModel(fx.model, fx.hostX, fx.hostY, { validationData: [[[1, 2]], [0]] }), shape('fit', 'validationData', '2')),
    row('seed negative', (fx) => ax.fitModel(fx.model, fx.hostX, fx.hostY, { seed: -1 }), invalid('fit', 'seed', '-1')),
    row('verbose of the wrong type', (fx) => ax.fitModel(fx.model, fx.hostX, fx.hostY, { verbose: 'yes' as never }), invalid('fit', 'verbose', '"yes"')),
    row('shuffle of the wrong type', (fx) => ax.fitModel(fx.model, fx.hostX, fx.hostY, { shuffle: 1 as never }), invalid('fit', 'shuffle', '1')),
    row('x of another backend', (fx) => ax.fitModel(fx.model, fx.foreign, [0, 1]), invalid('fit', 'x', /backend/)),
  ],
  evaluateModel: [
    row('not compiled', (fx) => ax.evaluateModel(fx.bare, fx.hostX, fx.hostY), { code: 'NOT_COMPILED', fn: 'evaluate', given: /not compiled/ }),
    row('negative batchSize', (fx) => ax.evaluateModel(fx.model, fx.hostX, fx.hostY, { batchSize: -1 }), invalid('evaluate', 'batchSize', '-1')),
    row('y of the wrong type', (fx) => ax.evaluateModel(fx.model, fx.hostX, 'y' as never), invalid('evaluate', 'y', '"y"')),
    row('NaN labels', (fx) => ax.evaluateModel(fx.model, fx.hostX, [0, 1, 2, 0, 1, NaN]), { code: ['INVALID_ARGUMENT', 'NON_FINITE'], fn: 'evaluate', given: 'NaN' }),
  ],
  predictModel: [
    row('x of the wrong type', (fx) => ax.predictModel(fx.model, 'x' as never), invalid('predict', 'x', '"x"')),
    row('disposed x', (fx) => ax.predictModel(fx.model, fx.gone), disposed('predict', 'x')),
    row('fractional batchSize', (fx) => ax.predictModel(fx.model, fx.x, { batchSize: 1.5 }), invalid('predict', 'batchSize', '1.5')),
    row('model of the wrong type', (fx) => ax.predictModel({} as never, fx.x), invalid('predict', 'model', 'Object')),
  ],
  History: [
    row('record: fractional epoch', () => new ax.History().record(0.5, { loss: 1 }), invalid('History.record', 'epoch', '0.5')),
    row('record: non-number log', () => new ax.History().record(0, { loss: 'x' as never }), invalid('History.record', 'loss', '"x"')),
  ],
  EarlyStopping: [
    row('unknown option', () => new ax.EarlyStopping({ monitr: 'loss' } as never), option('earlyStopping', 'monitr', 'monitor')),
    row('negative patience', () => new ax.EarlyStopping({ patience: -1 }), invalid('earlyStopping', 'patience', '-1')),
    row('unknown mode', () => new ax.EarlyStopping({ mode: 'mn' as never }), unknownName('earlyStopping', 'mode', 'mn', 'min')),
    row('NaN minDelta', () => new ax.EarlyStopping({ minDelta: NaN }), invalid('earlyStopping', 'minDelta', 'NaN')),
    row('monitoring a key fit does not log', (fx) => fx.model.fit(fx.hostX, fx.hostY, { epochs: 1, callbacks: [new ax.EarlyStopping({ monitor: 'valLos' })] }), { code: 'INVALID_ARGUMENT', fn: 'earlyStopping', arg: 'monitor', given: 'valLos' }),
  ],
  earlyStopping: [row('patience of the wrong type', () => ax.earlyStopping({ patience: '3' as never }), invalid('earlyStopping', 'patience', '"3"'))],
  LrSchedulerCallback: [
    row('schedule of the wrong type', () => new ax.LrSchedulerCallback(42 as never), invalid('lrScheduler', 'schedule', '42')),
    row('unknown option', () => new ax.LrSchedulerCallback(() => 0.1, { montor: 'valLoss' } as never), option('lrScheduler', 'montor', 'monitor')),
  ],
  lrScheduler: [row('schedule of the wrong type', () => ax.lrScheduler('cosine' as never), invalid('lrScheduler', 'schedule', '"cosine"'))],
  accuracyMetric: [
    row('unknown option', () => ax.accuracyMetric({ threshhold: 0.5 } as never), option('accuracy', 'threshhold', 'threshold')),
    row('NaN threshold', () => ax.accuracyMetric({ threshold: NaN }), invalid('accuracy', 'threshold', 'NaN')),
    row('compute with mismatched sizes', () => ax.accuracyMetric().compute(new Float32Array(6), [2, 3], new Float32Array(3), [3]), { code: ['SHAPE_MISMATCH', 'INVALID_ARGUMENT'], fn: 'accuracy', given: '[3]' }),
  ],
  topKAccuracy: [
    row('k zero', () => ax.topKAccuracy(0), invalid('topKAccuracy', 'k', '0')),
    row('fractional k', () => ax.topKAccuracy(1.5), invalid('topKAccuracy', 'k', '1.5')),
  ],
  mseMetric: [row('compute with mismatched sizes', () => ax.mseMetric().compute(new Float32Array(2), [2], new Float32Array(3), [3]), { code: ['SHAPE_MISMATCH', 'INVALID_ARGUMENT'], fn: 'mse', given: '[3]' })],
  maeMetric: [row('compute with mismatched sizes', () => ax.maeMetric().compute(new Float32Array(2), [2], new Float32Array(3), [3]), { code: ['SHAPE_MISMATCH', 'INVALID_ARGUMENT'], fn: 'mae', given: '[3]' })],
  METRIC_NAMES: noInput('constant: the metric names'),
  CALLBACK_HOOKS: noInput('constant: the callback hook names'),
};
