/**
 * Bad-input rows of tensors, ops, the engine and autograd (src/tensor.ts, src/ops, src/engine.ts,
 * src/autograd).
 */
import * as ax from '../../src/index.js';
import { disposed, foreignExpect, invalid, noInput, option, prepped, row, shape, type Expect, type Fixtures, type Row, type Table } from './harness.js';

type Op1 = (x: ax.TensorLike) => ax.Tensor;

/** Wrong type, disposed tensor and a tensor of another backend for a one-tensor op `fn` (argument `arg`). */
function tensorArg(fn: string, call: (fx: Fixtures, t: unknown) => unknown, arg = 'x'): Row[] {
  return [
    row('wrong type', (fx) => call(fx, 'x'), invalid(fn, arg, '"x"')),
    row('object instead of a tensor', (fx) => call(fx, { shape: [2] }), invalid(fn, arg, 'Object')),
    row('disposed tensor', (fx) => call(fx, fx.gone), disposed(fn, arg)),
    row('tensor of another backend', (fx) => call(fx, fx.foreign), foreignExpect(fn, arg)),
  ];
}

function unary(fn: string, f: Op1): Row[] {
  return tensorArg(fn, (_fx, t) => f(t as ax.TensorLike));
}

/** Rows for a broadcasting binary op. */
function binary(fn: string, f: (a: ax.TensorLike, b: ax.TensorLike) => ax.Tensor): Row[] {
  return [
    ...tensorArg(fn, (fx, t) => f(fx.x, t as ax.TensorLike), 'b'),
    row('disposed first operand', (fx) => f(fx.gone, fx.x), disposed(fn, 'a')),
    row('shapes that do not broadcast', (fx) => f(fx.x, [[1, 2]]), shape(fn, undefined, '[1, 2]')),
    row('ragged nested array', (fx) => f(fx.x, [[1, 2, 3], [4, 5]]), invalid('tensor', undefined, /ragged/)),
  ];
}

/** Rows for an axis-reducing op `f(x, axis, keepDims)`. */
function reduction(fn: string, f: (x: ax.TensorLike, axis?: number | readonly number[], keep?: boolean) => ax.Tensor): Row[] {
  return [
    ...unary(fn, f),
    row('axis out of range', (fx) => f(fx.x, 2), invalid(fn, 'axis', '2')),
    row('fractional axis', (fx) => f(fx.x, 0.5), invalid(fn, 'axis', '0.5')),
    row('NaN axis', (fx) => f(fx.x, NaN), invalid(fn, 'axis', 'NaN')),
    row('repeated axis', (fx) => f(fx.x, [0, 0]), invalid(fn, 'axis', /0/)),
    row('keepDims of the wrong type', (fx) => f(fx.x, 0, 'yes' as never), invalid(fn, 'keepDims', '"yes"')),
  ];
}

const activationFns: Array<[string, Op1]> = [
  ['linear', ax.linear], ['relu', ax.relu], ['selu', ax.selu], ['silu', ax.silu], ['sigmoid', ax.sigmoid], ['tanh', ax.tanh],
  ['softplus', ax.softplus], ['softsign', ax.softsign], ['hardTanh', ax.hardTanh], ['step', ax.step], ['sign', ax.sign],
  ['bipolarSigmoid', ax.bipolarSigmoid], ['neg', ax.neg], ['abs', ax.abs], ['exp', ax.exp], ['log', ax.log], ['sqrt', ax.sqrt],
  ['square', ax.square], ['reciprocal', ax.reciprocal], ['rsqrt', ax.rsqrt],
];

const shapeRows = (fn: string, f: (s: never) => unknown): Row[] => [
  row('negative size', () => f([2, -1] as never), invalid(fn, 'shape', '-1')),
  row('fractional size', () => f([1.5] as never), invalid(fn, 'shape', '1.5')),
  row('NaN size', () => f([NaN] as never), invalid(fn, 'shape', 'NaN')),
  row('infinite size', () => f([Infinity] as never), invalid(fn, 'shape', 'Infinity')),
  row('shape of the wrong type', () => f('2x3' as never), invalid(fn, 'shape', '"2x3"')),
  row('absurd size', () => f([1 << 20, 1 << 20] as never), { code: ['INVALID_ARGUMENT', 'OUT_OF_MEMORY'], fn, arg: 'shape' }),
];

const likeRows = (fn: string, f: (t: ax.Tensor) => unknown): Row[] => [
  row('wrong type', () => f('x' as never), invalid(fn, 't', '"x"')),
  row('disposed tensor', (fx) => f(fx.gone), disposed(fn, 't')),
  row('tensor of another backend', (fx) => f(fx.foreign), foreignExpect(fn, 't')),
];

const seedRows = (fn: string, f: (o: object) => unknown): Row[] => [
  row('negative seed', () => f({ seed: -1 }), invalid(fn, 'seed', '-1')),
  row('fractional seed', () => f({ seed: 0.5 }), invalid(fn, 'seed', '0.5')),
  row('NaN seed', () => f({ seed: NaN }), invalid(fn, 'seed', 'NaN')),
  row('negative offset', () => f({ offset: -3 }), invalid(fn, 'offset', '-3')),
  row('unknown option', () => f({ sed: 1 }), option(fn, 'sed', 'seed')),
];

/** A conv2d row whose weights ([1,1,2,2], [1,2,2,2], [1,1,5,5]) and bias ([3]) are made before the snapshot. */
function convRow(name: string, call: (fx: Fixtures, w: Record<'w2' | 'w22' | 'w5' | 'b3', ax.Tensor>) => unknown, e: Expect): Row {
  return prepped(name, (fx) => {
    const w = { w2: ax.zeros([1, 1, 2, 2]), w22: ax.zeros([1, 2, 2, 2]), w5: ax.zeros([1, 1, 5, 5]), b3: ax.zeros([3]) };
    return () => call(fx, w);
  }, e);
}

export const TENSOR_ROWS: Table = {
  Tensor: [
    row('constructor with a non-storage', (fx) => new ax.Tensor('x' as never, [2], fx.k), invalid('Tensor', 'storage', '"x"')),
    row('constructor with a shape that does not fit the storage', (fx) => new ax.Tensor(fx.store, [3, 3], fx.k), shape('Tensor', 'shape', '[3, 3]')),
    row('dataSync of a disposed tensor', (fx) => fx.gone.dataSync(), disposed('dataSync', 'x')),
    row('data of a disposed tensor', (fx) => fx.gone.data(), disposed('data', 'x')),
    row('item of a non-scalar', (fx) => fx.x.item(), shape('item', undefined, '[2, 3]')),
    row('method with a bad operand', (fx) => fx.x.add('x' as never), invalid('add', 'b', '"x"')),
    row('reshape to a wrong size', (fx) => fx.x.reshape([4]), shape('reshape', undefined, '[4]')),
    row('backward of a non-scalar', (fx) => ax.tidy(() => ax.mul(fx.w, 2).backward()), shape('backward', undefined, '[3]')),
    row('backward with a gradient of the wrong shape', (fx) => ax.tidy(() => ax.mul(fx.w, 2).backward(ax.ones([2]))), shape('backward', 'gradient', '[2]')),
    prepped('backward of a tensor that needs no grad', (fx) => {
      const s = fx.x.sum();
      return () => s.backward();
    }, invalid('backward', undefined, /grad/)),
  ],
  tensor: [
    row('wrong type', () => ax.tensor('1,2' as never), invalid('tensor', 'values', '"1,2"')),
    row('ragged nested array', () => ax.tensor([[1, 2], [3]]), invalid('tensor', undefined, /ragged/)),
    row('non-numeric entry', () => ax.tensor([1, 'a'] as never), invalid('tensor', undefined, '"a"')),
    row('shape that does not fit', () => ax.tensor([1, 2, 3], [2, 2]), shape('tensor', 'shape', '[2, 2]')),
    row('negative shape', () => ax.tensor([1, 2], [-2]), invalid('tensor', 'shape', '-2')),
    row('fractional shape', () => ax.tensor(new Float32Array(2), [0.5, 4]), invalid('tensor', 'shape', '0.5')),
  ],
  zeros: shapeRows('zeros', ax.zeros),
  ones: shapeRows('ones', ax.ones),
  empty: shapeRows('empty', ax.empty),
  full: [
    ...shapeRows('full', (s) => ax.full(s, 1)),
    row('value of the wrong type', () => ax.full([2], '1' as never), invalid('full', 'value', '"1"')),
  ],
  zerosLike: likeRows('zerosLike', ax.zerosLike),
  onesLike: likeRows('onesLike', ax.onesLike),
  copyTensor: likeRows('copy', ax.copyTensor),
  rand: [
    ...shapeRows('rand', (s) => ax.rand(s)),
    ...seedRows('rand', (o) => ax.rand([2], o)),
    row('low above high', () => ax.rand([2], { low: 1, high: 0 }), invalid('rand', 'high', '0')),
    row('NaN bound', () => ax.rand([2], { low: NaN }), invalid('rand', 'low', 'NaN')),
  ],
  randn: [
    ...shapeRows('randn', (s) => ax.randn(s)),
    ...seedRows('randn', (o) => ax.randn([2], o)),
    row('negative std', () => ax.randn([2], { std: -1 }), invalid('randn', 'std', '-1')),
    row('infinite mean', () => ax.randn([2], { mean: Infinity }), invalid('randn', 'mean', 'Infinity')),
  ],
  variable: [
    ...tensorArg('variable', (_fx, t) => ax.variable(t as ax.TensorLike), 'init'),
    row('unknown option', () => ax.variable([1], { nmae: 'w' } as never), option('variable', 'nmae', 'name')),
    row('name of the wrong type', () => ax.variable([1], { name: 42 as never }), invalid('variable', 'name', '42')),
  ],
  toTensor: tensorArg('f', (_fx, t) => ax.toTensor(t as ax.TensorLike, 'f', 'x')),
  scalarLike: [row('value of the wrong type', () => ax.scalarLike('1' as never), invalid('full', 'value', '"1"'))],
  fromStorage: [
    row('storage of another backend', (fx) => ax.fromStorage(fx.k, fx.otherStore, [4]), invalid('fromStorage', 'storage', /backend/)),
    row('shape larger than the storage', (fx) => ax.fromStorage(fx.k, fx.store, [8]), shape('fromStorage', 'shape', '[8]')),
    row('disposed storage', (fx) => ax.fromStorage(fx.k, fx.goneStore, [4]), disposed('fromStorage', 'storage')),
    row('negative shape', (fx) => ax.fromStorage(fx.k, fx.store, [-4]), invalid('fromStorage', 'shape', '-4')),
  ],
  checkShape: shapeRows('f', (s) => ax.checkShape('f', s)),
  flattenNested: [
    row('wrong type', () => ax.flattenNested('x' as never), invalid('tensor', undefined, '"x"')),
    row('ragged', () => ax.flattenNested([[1], [2, 3]]), invalid('tensor', undefined, /ragged/)),
  ],

  // ---- activations and unary math ------------------------------------------------------------
  activation: [
    ...tensorArg('relu', (_fx, t) => ax.activation(t as ax.TensorLike, 'relu')),
    row('unknown activation', (fx) => ax.activation(fx.x, 'rleu' as never), { code: 'INVALID_ARGUMENT', fn: 'activation', given: '"rleu"', near: 'relu' }),
    row('NaN alpha', (fx) => ax.activation(fx.x, 'leakyRelu', NaN), invalid('leakyRelu', 'alpha', 'NaN')),
  ],
  ...Object.fromEntries(activationFns.map(([name, f]) => [name, unary(name, f)])),
  leakyRelu: [...unary('leakyRelu', ax.leakyRelu), row('NaN alpha', (fx) => ax.leakyRelu(fx.x, NaN), invalid('leakyRelu', 'alpha', 'NaN')), row('alpha of the wrong type', (fx) => ax.leakyRelu(fx.x, '0.1' as never), invalid('leakyRelu', 'alpha', '"0.1"'))],
  elu: [...unary('elu', ax.elu), row('infinite alpha', (fx) => ax.elu(fx.x, Infinity), invalid('elu', 'alpha', 'Infinity'))],
  gelu: [
    ...unary('gelu', ax.gelu),
    row('unknown option', (fx) => ax.gelu(fx.x, { approxmate: 'tanh' } as never), option('gelu', 'approxmate', 'approximate')),
    row('unknown approximation', (fx) => ax.gelu(fx.x, { approximate: 'tahn' as never }), { code: 'INVALID_ARGUMENT', fn: 'gelu', arg: 'approximate', given: '"tahn"', near: 'tanh' }),
  ],
  unaryRaw: [
    row('unknown op', (fx) => ax.unaryRaw('expp' as never, fx.x), invalid('unary', 'op', '"expp"')),
    ...tensorArg('unaryRaw', (_fx, t) => ax.unaryRaw('exp', t as ax.Tensor)),
  ],
  scaleRaw: [
    row('factor of the wrong type', (fx) => ax.scaleRaw(fx.x, '2' as never), invalid('scale', 'alpha', '"2"')),
    ...tensorArg('scaleRaw', (_fx, t) => ax.scaleRaw(t as ax.Tensor, 2)),
  ],
  scaleInPlace: [
    row('factor of the wrong type', (fx) => ax.scaleInPlace(fx.x, '2' as never), invalid('scale', 'alpha', '"2"')),
    ...tensorArg('scaleInPlace', (_fx, t) => ax.scaleInPlace(t as ax.Tensor, 2)),
  ],
  activationRaw: [
    row('unknown activation', (fx) => ax.activationRaw(fx.x, 'rleu' as never), invalid('activation', 'act', '"rleu"')),
    ...tensorArg('activationRaw', (_fx, t) => ax.activationRaw(t as ax.Tensor, 'relu')),
  ],

  // ---- binary ---------------------------------------------------------------------------------
  add: binary('add', ax.add),
  sub: binary('sub', ax.sub),
  mul: binary('mul', ax.mul),
  div: binary('div', ax.div),
  pow: binary('pow', ax.pow),
  maximum: binary('maximum', ax.maximum),
  minimum: binary('minimum', ax.minimum),
  binaryRaw: [
    row('unknown op', (fx) => ax.binaryRaw('addd' as never, fx.x, fx.x), invalid('binary', 'op', '"addd"')),
    ...tensorArg('add', (fx, t) => ax.binaryRaw('add', fx.x, t as ax.Tensor), 'b'),
  ],
  binaryOp: [
    ...tensorArg('myop', (fx, t) => ax.binaryOp('add', 'myop', fx.x, t as ax.TensorLike, () => [null, null]), 'b'),
    row('rule of the wrong type', (fx) => ax.binaryOp('add', 'myop', fx.x, fx.x, 42 as never), invalid('myop', 'rule', '42')),
  ],
  clip: [
    ...unary('clip', (x) => ax.clip(x, 0, 1)),
    row('NaN bound', (fx) => ax.clip(fx.x, NaN, 1), invalid('clip', 'lo', 'NaN')),
    row('lo above hi', (fx) => ax.clip(fx.x, 2, 1), invalid('clip', 'lo', '2')),
    row('bound of the wrong type', (fx) => ax.clip(fx.x, 0, '1' as never), invalid('clip', 'hi', '"1"')),
  ],

  // ---- reductions, shapes ------------------------------------------------------------------------
  sum: reduction('sum', ax.sum),
  mean: reduction('mean', ax.mean),
  max: [...reduction('max', ax.max), row('empty tensor', (fx) => ax.max(fx.empty, 0), shape('max', undefined, '[0, 3]'))],
  min: [...reduction('min', ax.min), row('empty tensor', (fx) => ax.min(fx.empty, 0), shape('min', undefined, '[0, 3]'))],
  argmax: [
    ...unary('argmax', ax.argmax),
    row('axis out of range', (fx) => ax.argmax(fx.x, 2), invalid('argmax', 'axis', '2')),
    row('fractional axis', (fx) => ax.argmax(fx.x, 0.5), invalid('argmax', 'axis', '0.5')),
    row('empty tensor', (fx) => ax.argmax(fx.empty, 0), shape('argmax', undefined, '[0, 3]')),
    row('scalar', () => ax.argmax(3), shape('argmax', undefined, 'scalar')),
  ],
  reduceRaw: [
    row('unknown op', (fx) => ax.reduceRaw('summ' as never, fx.x, [0]), invalid('reduce', 'op', '"summ"')),
    row('axis out of range', (fx) => ax.reduceRaw('sum', fx.x, [5]), invalid('reduceRaw', 'axes', '5')),
    ...tensorArg('reduceRaw', (_fx, t) => ax.reduceRaw('sum', t as ax.Tensor, [0])),
  ],
  sumTo: [
    row('shape it cannot reduce to', (fx) => ax.sumTo(fx.x, [4]), shape('sumTo', 'shape', '[4]')),
    row('shape of the wrong type', (fx) => ax.sumTo(fx.x, 'x' as never), invalid('sumTo', 'shape', '"x"')),
    ...tensorArg('sumTo', (_fx, t) => ax.sumTo(t as ax.Tensor, [1]), 'g'),
  ],
  reshape: [
    ...unary('reshape', (x) => ax.reshape(x, [6])),
    row('wrong element count', (fx) => ax.reshape(fx.x, [4]), shape('reshape', undefined, '[4]')),
    row('two -1 dimensions', (fx) => ax.reshape(fx.x, [-1, -1]), invalid('reshape', 'shape', '-1')),
    row('negative dimension', (fx) => ax.reshape(fx.x, [-2, -3]), invalid('reshape', 'shape', '-2')),
    row('fractional dimension', (fx) => ax.reshape(fx.x, [1.5, 4]), invalid('reshape', 'shape', '1.5')),
    row('NaN dimension', (fx) => ax.reshape(fx.x, [NaN]), invalid('reshape', 'shape', 'NaN')),
  ],
  resolveShape: [
    row('wrong element count', () => ax.resolveShape('f', [2, 3], [4]), shape('f', undefined, '[4]')),
    row('shape of the wrong type', () => ax.resolveShape('f', [2, 3], 'x' as never), invalid('f', 'shape', '"x"')),
  ],
  reshapeRaw: [
    row('wrong element count', (fx) => ax.reshapeRaw(fx.x, [4]), shape('reshapeRaw', 'shape', '[4]')),
    ...tensorArg('reshapeRaw', (_fx, t) => ax.reshapeRaw(t as ax.Tensor, [6])),
  ],
  flatten: [
    ...unary('flatten', ax.flatten),
    row('startAxis out of range', (fx) => ax.flatten(fx.x, 3), invalid('flatten', 'startAxis', '3')),
    row('fractional startAxis', (fx) => ax.flatten(fx.x, 0.5), invalid('flatten', 'startAxis', '0.5')),
  ],
  slice: [
    ...unary('slice', (x) => ax.slice(x, [0, 0])),
    row('begin past the end', (fx) => ax.slice(fx.x, [0, 5]), shape('slice', 'begin', '5')),
    row('negative begin', (fx) => ax.slice(fx.x, [-1, 0]), shape('slice', 'begin', '-1')),
    row('size past the end', (fx) => ax.slice(fx.x, [0, 1], [1, 3]), shape('slice', 'size', '3')),
    row('fractional begin', (fx) => ax.slice(fx.x, [0.5]), invalid('slice', 'begin', '0.5')),
    row('too many begin entries', (fx) => ax.slice(fx.x, [0, 0, 0]), shape('slice', 'begin', '[0, 0, 0]')),
  ],
  resolveSlice: [
    row('begin past the end', () => ax.resolveSlice('f', [2, 3], [0, 5]), shape('f', 'begin', '5')),
    row('begin of the wrong type', () => ax.resolveSlice('f', [2, 3], 'x' as never), invalid('f', 'begin', '"x"')),
  ],
  transpose: [
    ...unary('transpose', ax.transpose),
    row('perm of the wrong length', (fx) => ax.transpose(fx.x, [0]), invalid('transpose', 'perm', '[0]')),
    row('repeated axis', (fx) => ax.transpose(fx.x, [0, 0]), invalid('transpose', 'perm', '[0, 0]')),
    row('axis out of range', (fx) => ax.transpose(fx.x, [0, 2]), invalid('transpose', 'perm', '2')),
    row('fractional axis', (fx) => ax.transpose(fx.x, [0.5, 1]), invalid('transpose', 'perm', '0.5')),
  ],
  checkPerm: [
    row('perm of the wrong length', () => ax.checkPerm('f', [0], 2), invalid('f', 'perm', '[0]')),
    row('repeated axis', () => ax.checkPerm('f', [1, 1], 2), invalid('f', 'perm', '[1, 1]')),
  ],
  concat: [
    ...tensorArg('concat', (fx, t) => ax.concat([fx.x, t as ax.TensorLike]), 'tensors[1]'),
    row('empty list', () => ax.concat([]), invalid('concat', 'tensors', 'empty')),
    row('not an array', (fx) => ax.concat(fx.x as never), invalid('concat', 'tensors', 'Tensor')),
    row('shapes that differ off-axis', (fx) => ax.concat([fx.x, fx.sq], 1), shape('concat', 'tensors[1]', '[3, 3]')),
    row('axis out of range', (fx) => ax.concat([fx.x, fx.x], 2), invalid('concat', 'axis', '2')),
    row('rank-0 tensors', () => ax.concat([1, 2]), shape('concat', undefined, 'rank-0')),
  ],
  stack: [
    ...tensorArg('stack', (fx, t) => ax.stack([fx.x, t as ax.TensorLike]), 'tensors[1]'),
    row('empty list', () => ax.stack([]), invalid('stack', 'tensors', 'empty')),
    row('unequal shapes', (fx) => ax.stack([fx.x, fx.sq]), shape('stack', 'tensors[1]', '[3, 3]')),
    row('axis out of range', (fx) => ax.stack([fx.x, fx.x], 4), invalid('stack', 'axis', '4')),
  ],
  joinRaw: [
    prepped('output too small', (fx) => {
      const out = ax.zeros([1]);
      return () => ax.joinRaw('concat', [fx.x], [2], 1, 3, out);
    }, shape('stridedCopy', 'out')),
    row('disposed input', (fx) => ax.joinRaw('concat', [fx.gone], [2], 1, 3, fx.x), disposed('stridedCopy', 'x')),
  ],
  matmul: [
    ...tensorArg('matmul', (fx, t) => ax.matmul(fx.x, t as ax.TensorLike), 'b'),
    row('inner dimensions differ', (fx) => ax.matmul(fx.x, fx.x), shape('matmul', undefined, '[2, 3]')),
    row('rank 1 operand', (fx) => ax.matmul(fx.x, fx.v), shape('matmul', 'b', '[3]')),
    row('unknown option', (fx) => ax.matmul(fx.x, fx.sq, { tranA: true } as never), option('matmul', 'tranA', 'transA')),
    row('option of the wrong type', (fx) => ax.matmul(fx.x, fx.x, { transB: 1 } as never), invalid('matmul', 'transB', '1')),
  ],
  matmulDims: [
    row('inner dimensions differ', (fx) => ax.matmulDims('f', fx.x, fx.x, false, false), shape('f', undefined, '[2, 3]')),
    row('wrong type', (fx) => ax.matmulDims('f', 'x' as never, fx.x, false, false), invalid('f', 'a', '"x"')),
  ],
  matmulRaw: [
    row('inner dimensions differ', (fx) => ax.matmulRaw(fx.x, fx.x), shape('matmul', undefined, '[2, 3]')),
    ...tensorArg('matmul', (fx, t) => ax.matmulRaw(t as ax.Tensor, fx.sq), 'a'),
  ],
  denseRaw: [
    row('bias of the wrong shape', (fx) => ax.denseRaw(fx.x, fx.sq, fx.x, 'linear'), shape('dense', 'bias', '[2, 3]')),
    row('unknown activation', (fx) => ax.denseRaw(fx.x, fx.sq, null, 'rleu' as never), invalid('gemm', 'activation', '"rleu"')),
    ...tensorArg('dense', (fx, t) => ax.denseRaw(t as ax.Tensor, fx.sq, null, 'linear'), 'a'),
  ],
  oneHot: [
    ...tensorArg('oneHot', (_fx, t) => ax.oneHot(t as ax.TensorLike, 3), 'labels'),
    row('label out of range', () => ax.oneHot([0, 5], 3), invalid('oneHot', 'label', '5')),
    row('negative label', () => ax.oneHot([-1], 3), invalid('oneHot', 'label', '-1')),
    row('fractional label', () => ax.oneHot([0.5], 3), invalid('oneHot', 'label', '0.5')),
    row('NaN label', () => ax.oneHot([NaN], 3), invalid('oneHot', 'label', 'NaN')),
    row('label tensor out of range', (fx) => ax.oneHot(fx.labels, 2), invalid('oneHot', 'label', '2')),
    row('zero classes', () => ax.oneHot([0], 0), invalid('oneHot', 'numClasses', '0')),
    row('fractional classes', () => ax.oneHot([0], 2.5), invalid('oneHot', 'numClasses', '2.5')),
  ],
  checkClassIndices: [
    row('label out of range', () => ax.checkClassIndices([0, 5], 3), invalid('oneHot', 'label', '5')),
    row('fractional label', () => ax.checkClassIndices(Float32Array.of(0.5), 3), invalid('oneHot', 'label', '0.5')),
  ],
  softmax: [
    ...unary('softmax', ax.softmax),
    row('axis out of range', (fx) => ax.softmax(fx.x, 2), invalid('softmax', 'axis', '2')),
    row('fractional axis', (fx) => ax.softmax(fx.x, 0.5), invalid('softmax', 'axis', '0.5')),
  ],
  logSoftmax: [
    ...unary('logSoftmax', ax.logSoftmax),
    row('axis out of range', (fx) => ax.logSoftmax(fx.x, -3), invalid('logSoftmax', 'axis', '-3')),
  ],
  softmaxAxis: [row('axis out of range', (fx) => ax.softmaxAxis('f', fx.x, 2), invalid('f', 'axis', '2'))],
  softmaxRaw: [
    row('unknown kind', (fx) => ax.softmaxRaw('softmaxx' as never, fx.x, 1), invalid('softmaxRaw', 'kind', '"softmaxx"')),
    row('axis out of range', (fx) => ax.softmaxRaw('softmax', fx.x, 3), invalid('perRow', 'axis', '3')),
    ...tensorArg('perRow', (_fx, t) => ax.softmaxRaw('softmax', t as ax.Tensor, 0)),
  ],
  perRow: [
    row('axis out of range', (fx) => ax.perRow(fx.x, 3, () => {}), invalid('perRow', 'axis', '3')),
    row('kernel of the wrong type', (fx) => ax.perRow(fx.x, 1, 42 as never), invalid('perRow', 'kernel', '42')),
  ],

  // ---- convolution and pooling ---------------------------------------------------------------------
  conv2d: [
    ...tensorArg('conv2d', (_fx, t) => ax.conv2d(t as ax.TensorLike, [[[[0, 0], [0, 0]]]])),
    convRow('rank 2 input', (fx, w) => ax.conv2d(fx.x, w.w2), shape('conv2d', 'x', '[2, 3]')),
    convRow('channel mismatch', (fx, w) => ax.conv2d(fx.img, w.w22), shape('conv2d', 'weight', '[1, 2, 2, 2]')),
    convRow('kernel larger than the input', (fx, w) => ax.conv2d(fx.img, w.w5), { code: ['SHAPE_MISMATCH', 'INVALID_ARGUMENT'], fn: 'conv2d', given: '4' }),
    convRow('negative stride', (fx, w) => ax.conv2d(fx.img, w.w2, null, { stride: -1 }), invalid('conv2d', 'stride', '-1')),
    convRow('fractional padding', (fx, w) => ax.conv2d(fx.img, w.w2, null, { padding: 0.5 }), invalid('conv2d', 'padding', '0.5')),
    convRow('unknown option', (fx, w) => ax.conv2d(fx.img, w.w2, null, { strid: 1 } as never), option('conv2d', 'strid', 'stride')),
    convRow('bias of the wrong shape', (fx, w) => ax.conv2d(fx.img, w.w2, w.b3), shape('conv2d', 'bias', '[3]')),
  ],
  maxPool2d: [
    ...tensorArg('maxPool2d', (_fx, t) => ax.maxPool2d(t as ax.TensorLike, 2)),
    row('rank 2 input', (fx) => ax.maxPool2d(fx.x, 2), shape('maxPool2d', 'x', '[2, 3]')),
    row('zero kernel', (fx) => ax.maxPool2d(fx.img, 0), invalid('maxPool2d', 'kernelSize', '0')),
    row('fractional kernel', (fx) => ax.maxPool2d(fx.img, 1.5), invalid('maxPool2d', 'kernelSize', '1.5')),
    row('window larger than the input', (fx) => ax.maxPool2d(fx.img, 5), { code: ['SHAPE_MISMATCH', 'INVALID_ARGUMENT'], fn: 'maxPool2d', given: '4' }),
    row('unknown option', (fx) => ax.maxPool2d(fx.img, 2, { strde: 2 } as never), option('maxPool2d', 'strde', 'stride')),
  ],
  avgPool2d: [
    ...tensorArg('avgPool2d', (_fx, t) => ax.avgPool2d(t as ax.TensorLike, 2)),
    row('negative kernel', (fx) => ax.avgPool2d(fx.img, -2), invalid('avgPool2d', 'kernelSize', '-2')),
    row('countIncludePad of the wrong type', (fx) => ax.avgPool2d(fx.img, 2, { countIncludePad: 1 as never }), invalid('avgPool2d', 'countIncludePad', '1')),
    row('unknown option', (fx) => ax.avgPool2d(fx.img, 2, { paddng: 1 } as never), option('avgPool2d', 'paddng', 'padding')),
  ],
  globalAvgPool2d: [
    ...tensorArg('globalAvgPool2d', (_fx, t) => ax.globalAvgPool2d(t as ax.TensorLike)),
    row('rank 2 input', (fx) => ax.globalAvgPool2d(fx.x), shape('globalAvgPool2d', 'x', '[2, 3]')),
    row('unknown option', (fx) => ax.globalAvgPool2d(fx.img, { keepDim: true } as never), option('globalAvgPool2d', 'keepDim', 'keepDims')),
  ],
  toChannelsLast: [...unary('toChannelsLast', ax.toChannelsLast), row('rank 2 input', (fx) => ax.toChannelsLast(fx.x), shape('toChannelsLast', 'x', '[2, 3]'))],
  toChannelsFirst: [...unary('toChannelsFirst', ax.toChannelsFirst), row('rank 2 input', (fx) => ax.toChannelsFirst(fx.x), shape('toChannelsFirst', 'x', '[2, 3]'))],
  DEFAULT_CONV_WORKSPACE: noInput('constant: the default im2col workspace cap in elements'),
  setConvWorkspaceLimit: [
    row('zero', () => ax.setConvWorkspaceLimit(0), invalid('setConvWorkspaceLimit', 'elements', '0')),
    row('fractional', () => ax.setConvWorkspaceLimit(1.5), invalid('setConvWorkspaceLimit', 'elements', '1.5')),
    row('NaN', () => ax.setConvWorkspaceLimit(NaN), invalid('setConvWorkspaceLimit', 'elements', 'NaN')),
  ],

  // ---- engine and autograd -------------------------------------------------------------------------
  tidy: [
    row('not a function', () => ax.tidy('x' as never), invalid('tidy', 'fn', '"x"')),
    prepped('a throwing body frees what it made', () => () => ax.tidy(() => {
      ax.zeros([4]);
      return ax.add(ax.ones([2]), 'x' as never);
    }), invalid('add', 'b', '"x"')),
  ],
  noGrad: [row('not a function', () => ax.noGrad('x' as never), invalid('noGrad', 'fn', '"x"'))],
  memory: noInput('takes no arguments; reports live tensors and bytes'),
  backward: [
    // (a tensor of another backend is not refused: backward runs on the root's own backend)
    ...tensorArg('backward', (_fx, t) => ax.backward(t as ax.Tensor), 'root').filter((r) => r.case !== 'tensor of another backend').map((r) => (r.case === 'disposed tensor' ? { ...r, expect: disposed('backward') } : r)),
    row('non-scalar root', (fx) => ax.tidy(() => ax.backward(ax.mul(fx.w, 2))), shape('backward', undefined, '[3]')),
    row('gradient of the wrong shape', (fx) => ax.tidy(() => ax.backward(ax.sum(fx.w), ax.ones([2]))), shape('backward', 'gradient', '[2]')),
    row('unknown option', (fx) => ax.tidy(() => ax.backward(ax.sum(fx.w), undefined, { retainGrap: true } as never)), option('backward', 'retainGrap', 'retainGraph')),
  ],
  gradcheck: [
    row('fn of the wrong type', () => ax.gradcheck(42 as never, [[1]]), invalid('gradcheck', 'fn', '42')),
    row('inputs of the wrong type', () => ax.gradcheck((a) => ax.sum(a), 'x' as never), invalid('gradcheck', 'inputs', '"x"')),
    row('unknown option', () => ax.gradcheck((a) => ax.sum(a), [[1]], { epsilon: 1e-3 } as never), option('gradcheck', 'epsilon', 'eps')),
    row('negative eps', () => ax.gradcheck((a) => ax.sum(a), [[1]], { eps: -1 }), invalid('gradcheck', 'eps', '-1')),
    row('disposed input', (fx) => ax.gradcheck((a) => ax.sum(a), [fx.gone]), disposed('gradcheck', 'inputs[0]')),
  ],
  gradcheckAsync: [
    row('fn of the wrong type', () => ax.gradcheckAsync(42 as never, [[1]]), invalid('gradcheck', 'fn', '42')),
    row('unknown option', () => ax.gradcheckAsync((a) => ax.sum(a), [[1]], { tolerance: 1 } as never), option('gradcheck', 'tolerance', 'tol')),
  ],
};
