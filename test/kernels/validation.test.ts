/**
 * Argument validation on every backend: foreign handles (another instance, another backend),
 * too-small and disposed handles, bad sizes and parameters, unknown op / activation names and
 * disallowed aliasing each throw a KernelError naming the kernel and the argument, and leave
 * every buffer untouched. Also: the memory API (alloc/upload/write/read/dispose/liveBytes), and a
 * self-test of the comparison helper the other suites rely on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelError, type Kernels, type Storage } from '../../src/kernels/kernels.js';
import { describeEachBackend, diffArrays, expectKernelError, expectNoDiffs } from '../helpers/backends.js';
import { Rng } from '../helpers/random.js';

/** Buffers a rejected call may touch: all 64 elements unless named otherwise. */
interface Fixture {
  a: Storage;
  b: Storage;
  c: Storage;
  d: Storage;
  e: Storage;
  /** 3 elements. */
  small: Storage;
  /** 8 elements. */
  vec: Storage;
  /** 8 elements. */
  vec2: Storage;
  /** Disposed. */
  dead: Storage;
  /** 64 elements of a second instance of the same backend. */
  foreign: Storage;
  /** 64 elements of the JS reference backend (a different backend, or another js instance). */
  refHandle: Storage;
}

type Case = readonly [label: string, kernel: string, argument: string | readonly string[], call: (k: Kernels, f: Fixture) => void];

const bad = (v: unknown) => v as never; // deliberately ill-typed arguments

const CASES: readonly Case[] = [
  // ---- handles of another backend instance / another backend / not a handle
  ['fill: out from another instance', 'fill', 'out', (k, f) => k.fill(f.foreign, 4, 0)],
  ['gemm: a from another instance', 'gemm', 'a', (k, f) => k.gemm({ a: f.foreign, b: f.b, c: f.c, m: 8, n: 8, k: 8 })],
  ['gemm: bias from the reference backend', 'gemm', 'bias', (k, f) => k.gemm({ a: f.a, b: f.b, c: f.c, m: 8, n: 8, k: 8, bias: f.refHandle })],
  ['activation: x from another instance', 'activation', 'x', (k, f) => k.activation('relu', f.foreign, f.c, 8)],
  ['softmax: out from another instance', 'softmax', 'out', (k, f) => k.softmax(f.a, f.foreign, 8, 8)],
  ['reduce: x from the reference backend', 'reduce', 'x', (k, f) => k.reduce('sum', f.refHandle, f.c, 8, 8, 1)],
  ['batchNormForward: gamma from another instance', 'batchNormForward', 'gamma', (k, f) => k.batchNormForward({ x: f.a, mean: f.vec, variance: f.vec2, gamma: f.foreign, out: f.c, outer: 8, channels: 8, inner: 1, eps: 1e-5 })],
  ['adamStep: v from another instance', 'adamStep', 'v', (k, f) => k.adamStep({ param: f.a, grad: f.b, m: f.c, v: f.foreign, n: 8, lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 1 })],
  ['randomUniform: out from the reference backend', 'randomUniform', 'out', (k, f) => k.randomUniform(f.refHandle, 8, 1, 0, 0, 1)],
  ['write: dst from another instance', 'write', 'dst', (k, f) => k.write(f.foreign, new Float32Array(2))],
  ['copy: x is not a storage handle', 'copy', 'x', (k, f) => k.copy(bad({ size: 100 }), f.c, 4)],
  ['fill: out is null', 'fill', 'out', (k) => k.fill(bad(null), 4, 0)],
  // ---- too small
  ['fill: n > size', 'fill', 'out', (k, f) => k.fill(f.small, 4, 0)],
  ['copy: out too small', 'copy', 'out', (k, f) => k.copy(f.a, f.small, 4)],
  ['copy: xOffset + n past the end of x', 'copy', 'x', (k, f) => k.copy(f.a, f.b, 10, 60, 0)],
  ['gemm: op(A) needs m·k elements', 'gemm', 'a', (k, f) => k.gemm({ a: f.a, b: f.b, c: f.c, m: 9, n: 7, k: 8 })],
  ['gemm: bias shorter than n', 'gemm', 'bias', (k, f) => k.gemm({ a: f.a, b: f.b, c: f.c, m: 8, n: 8, k: 8, bias: f.small })],
  ['binary: row operand shorter than cols', 'binary', 'b', (k, f) => k.binary('add', f.a, 'full', f.small, 'row', f.c, 4, 8)],
  ['binaryStrided: strides reach past a', 'binaryStrided', 'a', (k, f) => k.binaryStrided('add', f.a, [32, 1], f.b, [4, 1], f.c, [4, 4])],
  ['activationBackward: dy too small', 'activationBackward', 'dy', (k, f) => k.activationBackward('tanh', f.a, f.b, f.small, f.c, 8)],
  ['softmaxCrossEntropy: one-hot labels need rows·cols', 'softmaxCrossEntropy', 'labels', (k, f) => k.softmaxCrossEntropy(f.a, f.vec, true, f.c, f.d, 4, 4)],
  ['reduce: out needs outer·inner', 'reduce', 'out', (k, f) => k.reduce('max', f.a, f.small, 2, 2, 2)],
  ['pairwiseDistance: out needs m·n', 'pairwiseDistance', 'out', (k, f) => k.pairwiseDistance('l1', f.a, f.b, f.vec, 3, 3, 2)],
  ['batchNormStats: mean needs channels', 'batchNormStats', 'mean', (k, f) => k.batchNormStats(f.a, f.small, f.vec, 2, 4, 2)],
  ['sgdStep: momentumBuffer too small', 'sgdStep', 'momentumBuffer', (k, f) => k.sgdStep({ param: f.a, grad: f.b, n: 8, lr: 0.1, momentum: 0.9, momentumBuffer: f.small })],
  ['adagradStep: sum too small', 'adagradStep', 'sum', (k, f) => k.adagradStep({ param: f.a, grad: f.b, sum: f.small, n: 8, lr: 0.1, eps: 1e-10 })],
  ['dropoutMask: mask too small', 'dropoutMask', 'mask', (k, f) => k.dropoutMask(f.small, 8, 0.5, 1, 0)],
  ['write: data runs past the end', 'write', 'dst', (k, f) => k.write(f.small, new Float32Array(2), 2)],
  // ---- disposed handles
  ['fill: disposed out', 'fill', 'out', (k, f) => k.fill(f.dead, 1, 0)],
  ['gemm: disposed b', 'gemm', 'b', (k, f) => k.gemm({ a: f.a, b: f.dead, c: f.c, m: 1, n: 1, k: 1 })],
  ['rmspropStep: disposed squareAvg', 'rmspropStep', 'squareAvg', (k, f) => k.rmspropStep({ param: f.a, grad: f.b, squareAvg: f.dead, n: 1, lr: 0.01, alpha: 0.99, eps: 1e-8 })],
  // ---- sizes and parameters
  ['fill: n = −1', 'fill', 'n', (k, f) => k.fill(f.a, -1, 0)],
  ['fill: n = 1.5', 'fill', 'n', (k, f) => k.fill(f.a, 1.5, 0)],
  ['fill: n = NaN', 'fill', 'n', (k, f) => k.fill(f.a, NaN, 0)],
  ['fill: n = Infinity', 'fill', 'n', (k, f) => k.fill(f.a, Infinity, 0)],
  ['alloc: size = −1', 'alloc', 'size', (k) => k.alloc(-1)],
  ['alloc: size = 2.5', 'alloc', 'size', (k) => k.alloc(2.5)],
  ['copy: xOffset = −1', 'copy', 'xOffset', (k, f) => k.copy(f.a, f.b, 2, -1, 0)],
  ['gemm: m = −1', 'gemm', 'm', (k, f) => k.gemm({ a: f.a, b: f.b, c: f.c, m: -1, n: 2, k: 2 })],
  ['gemm: k = 2.5', 'gemm', 'k', (k, f) => k.gemm({ a: f.a, b: f.b, c: f.c, m: 2, n: 2, k: 2.5 })],
  ['gemm: alpha = NaN', 'gemm', 'alpha', (k, f) => k.gemm({ a: f.a, b: f.b, c: f.c, m: 2, n: 2, k: 2, alpha: NaN })],
  ['reduce: len = −1', 'reduce', 'len', (k, f) => k.reduce('sum', f.a, f.c, 1, -1, 1)],
  ['softmax: rows = −2', 'softmax', 'rows', (k, f) => k.softmax(f.a, f.c, -2, 4)],
  ['softmaxCrossEntropy: zero classes', 'softmaxCrossEntropy', 'cols', (k, f) => k.softmaxCrossEntropy(f.a, f.b, false, f.c, f.d, 2, 0)],
  ['binaryStrided: negative axis size', 'binaryStrided', 'shape[1]', (k, f) => k.binaryStrided('add', f.a, [2, 1], f.b, [2, 1], f.c, [2, -1])],
  ['binaryStrided: rank 7', 'binaryStrided', 'shape', (k, f) => k.binaryStrided('add', f.a, [0, 0, 0, 0, 0, 0, 1], f.b, [0, 0, 0, 0, 0, 0, 1], f.c, [1, 1, 1, 1, 1, 1, 2])],
  ['binaryStrided: stride count ≠ rank', 'binaryStrided', 'aStrides', (k, f) => k.binaryStrided('add', f.a, [1], f.b, [2, 1], f.c, [2, 2])],
  ['binaryStrided: negative stride', 'binaryStrided', 'bStrides[0]', (k, f) => k.binaryStrided('add', f.a, [2, 1], f.b, [-2, 1], f.c, [2, 2])],
  ['clip: lo > hi', 'clip', 'hi', (k, f) => k.clip(f.a, f.c, 4, 1, -1)],
  ['batchNormStats: channels = 1.5', 'batchNormStats', 'channels', (k, f) => k.batchNormStats(f.a, f.vec, f.vec2, 2, 1.5, 1)],
  ['batchNormForward: eps < 0', 'batchNormForward', 'eps', (k, f) => k.batchNormForward({ x: f.a, mean: f.vec, variance: f.vec2, out: f.c, outer: 8, channels: 8, inner: 1, eps: -1 })],
  ['batchNormRunningUpdate: count 1', 'batchNormRunningUpdate', 'count', (k, f) => k.batchNormRunningUpdate(f.a, f.b, f.vec, f.vec2, 4, 0.1, 1)],
  ['randomUniform: offset = −1', 'randomUniform', 'offset', (k, f) => k.randomUniform(f.a, 4, 1, -1, 0, 1)],
  ['randomUniform: seed = 1.5', 'randomUniform', 'seed', (k, f) => k.randomUniform(f.a, 4, 1.5, 0, 0, 1)],
  ['randomUniform: high < low', 'randomUniform', 'high', (k, f) => k.randomUniform(f.a, 4, 1, 0, 1, 0)],
  ['randomNormal: std < 0', 'randomNormal', 'std', (k, f) => k.randomNormal(f.a, 4, 1, 0, 0, -1)],
  ['dropoutMask: p = 1', 'dropoutMask', 'p', (k, f) => k.dropoutMask(f.a, 4, 1, 1, 0)],
  ['dropoutMask: p < 0', 'dropoutMask', 'p', (k, f) => k.dropoutMask(f.a, 4, -0.1, 1, 0)],
  ['sgdStep: nesterov without momentum', 'sgdStep', 'nesterov', (k, f) => k.sgdStep({ param: f.a, grad: f.b, n: 4, lr: 0.1, nesterov: true })],
  ['sgdStep: momentum without a buffer', 'sgdStep', 'momentumBuffer', (k, f) => k.sgdStep({ param: f.a, grad: f.b, n: 4, lr: 0.1, momentum: 0.9 })],
  ['adamStep: step 0', 'adamStep', 'step', (k, f) => k.adamStep({ param: f.a, grad: f.b, m: f.c, v: f.d, n: 4, lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 0 })],
  ['adamStep: amsgrad without vMax', 'adamStep', 'vMax', (k, f) => k.adamStep({ param: f.a, grad: f.b, m: f.c, v: f.d, n: 4, lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 1, amsgrad: true })],
  ['rmspropStep: centered without gradAvg', 'rmspropStep', 'gradAvg', (k, f) => k.rmspropStep({ param: f.a, grad: f.b, squareAvg: f.c, n: 4, lr: 0.01, alpha: 0.99, eps: 1e-8, centered: true })],
  ['adadeltaStep: lr = NaN', 'adadeltaStep', 'lr', (k, f) => k.adadeltaStep({ param: f.a, grad: f.b, squareAvg: f.c, accDelta: f.d, n: 4, lr: NaN, rho: 0.9, eps: 1e-6 })],
  // ---- unknown names
  ['binary: unknown op', 'binary', 'op', (k, f) => k.binary(bad('mod'), f.a, 'full', f.b, 'full', f.c, 2, 2)],
  ['binary: unknown broadcast mode', 'binary', 'aMode', (k, f) => k.binary('add', f.a, bad('diag'), f.b, 'full', f.c, 2, 2)],
  ['binaryStrided: unknown op', 'binaryStrided', 'op', (k, f) => k.binaryStrided(bad('hypot'), f.a, [1], f.b, [1], f.c, [2])],
  ['unary: unknown op', 'unary', 'op', (k, f) => k.unary(bad('sin'), f.a, f.c, 2)],
  ['reduce: unknown op', 'reduce', 'op', (k, f) => k.reduce(bad('prod'), f.a, f.c, 1, 2, 1)],
  ['activation: unknown activation', 'activation', 'act', (k, f) => k.activation(bad('swish'), f.a, f.c, 2)],
  ['activationBackward: unknown activation', 'activationBackward', 'act', (k, f) => k.activationBackward(bad('swish'), f.a, f.b, f.d, f.c, 2)],
  ['gemm: unknown epilogue activation', 'gemm', 'activation', (k, f) => k.gemm({ a: f.a, b: f.b, c: f.c, m: 2, n: 2, k: 2, activation: bad('swish') })],
  ['pairwiseDistance: unknown metric', 'pairwiseDistance', 'metric', (k, f) => k.pairwiseDistance(bad('cosine'), f.a, f.b, f.c, 2, 2, 2)],
  // ---- aliasing the contract forbids
  ['axpy: y === x', 'axpy', 'y', (k, f) => k.axpy(2, f.a, f.a, 4)],
  ['copy: overlapping ranges of one handle', 'copy', 'outOffset', (k, f) => k.copy(f.a, f.a, 8, 0, 4)],
  ['binary: out === a broadcast by row', 'binary', 'out', (k, f) => k.binary('add', f.vec, 'row', f.b, 'full', f.vec, 1, 8)],
  ['binary: out === b broadcast as scalar', 'binary', 'out', (k, f) => k.binary('mul', f.a, 'full', f.b, 'scalar', f.b, 2, 2)],
  ['binaryStrided: out === a with broadcast strides', 'binaryStrided', 'out', (k, f) => k.binaryStrided('add', f.a, [0, 1], f.b, [4, 1], f.a, [4, 4])],
  ['binaryStrided: out === b transposed', 'binaryStrided', 'out', (k, f) => k.binaryStrided('add', f.a, [4, 1], f.b, [1, 4], f.b, [4, 4])],
  ['activationBackward: dx === x', 'activationBackward', 'dx', (k, f) => k.activationBackward('relu', f.a, f.b, f.c, f.a, 8)],
  ['activationBackward: dx === y', 'activationBackward', 'dx', (k, f) => k.activationBackward('sigmoid', f.a, f.b, f.c, f.b, 8)],
  ['softmaxBackward: dx === y', 'softmaxBackward', 'dx', (k, f) => k.softmaxBackward(f.a, f.b, f.a, 2, 4)],
  ['logSoftmaxBackward: dx === y', 'logSoftmaxBackward', 'dx', (k, f) => k.logSoftmaxBackward(f.a, f.b, f.a, 2, 4)],
  ['softmaxCrossEntropy: probs === labels', 'softmaxCrossEntropy', 'probs', (k, f) => k.softmaxCrossEntropy(f.a, f.b, true, f.b, f.vec, 2, 4)],
  ['softmaxCrossEntropy: loss === logits', 'softmaxCrossEntropy', 'loss', (k, f) => k.softmaxCrossEntropy(f.a, f.vec, false, f.c, f.a, 2, 4)],
  ['softmaxCrossEntropyBackward: dlogits === labels', 'softmaxCrossEntropyBackward', 'dlogits', (k, f) => k.softmaxCrossEntropyBackward(f.a, f.b, true, f.b, 2, 4, 0.5)],
  ['reduce: out === x', 'reduce', 'out', (k, f) => k.reduce('sum', f.a, f.a, 2, 4, 1)],
  ['argmax: out === x', 'argmax', 'out', (k, f) => k.argmax(f.a, f.a, 2, 4, 1)],
  ['gemm: c === a', 'gemm', 'c', (k, f) => k.gemm({ a: f.a, b: f.b, c: f.a, m: 2, n: 2, k: 2 })],
  ['gemm: c === b', 'gemm', 'c', (k, f) => k.gemm({ a: f.a, b: f.b, c: f.b, m: 2, n: 2, k: 2 })],
  ['gemm: c === bias', 'gemm', 'c', (k, f) => k.gemm({ a: f.a, b: f.b, c: f.vec, m: 2, n: 2, k: 2, bias: f.vec })],
  ['pairwiseDistance: out === a', 'pairwiseDistance', 'out', (k, f) => k.pairwiseDistance('l2sq', f.a, f.b, f.a, 2, 2, 2)],
  ['batchNormStats: mean === variance', 'batchNormStats', 'mean', (k, f) => k.batchNormStats(f.a, f.vec, f.vec, 2, 4, 1)],
  ['batchNormStats: mean === x', 'batchNormStats', 'mean', (k, f) => k.batchNormStats(f.a, f.a, f.vec, 2, 4, 1)],
  ['batchNormForward: out === mean', 'batchNormForward', 'out', (k, f) => k.batchNormForward({ x: f.a, mean: f.vec, variance: f.vec2, out: f.vec, outer: 1, channels: 8, inner: 1, eps: 1e-5 })],
  ['batchNormBackward: dx === dy', 'batchNormBackward', 'dx', (k, f) => k.batchNormBackward({ x: f.a, mean: f.vec, variance: f.vec2, dy: f.b, dx: f.b, outer: 8, channels: 8, inner: 1, eps: 1e-5 })],
  ['batchNormBackward: dx === x', 'batchNormBackward', 'dx', (k, f) => k.batchNormBackward({ x: f.a, mean: f.vec, variance: f.vec2, dy: f.b, dx: f.a, outer: 8, channels: 8, inner: 1, eps: 1e-5 })],
  ['batchNormBackward: dgamma === dbeta', 'batchNormBackward', ['dgamma', 'dbeta'], (k, f) =>
    k.batchNormBackward({ x: f.a, mean: f.vec, variance: f.vec2, dy: f.b, dx: f.c, dgamma: f.d, dbeta: f.d, outer: 8, channels: 8, inner: 1, eps: 1e-5 })],
  ['batchNormRunningUpdate: runningMean === mean', 'batchNormRunningUpdate', 'runningMean', (k, f) => k.batchNormRunningUpdate(f.vec, f.b, f.vec, f.vec2, 4, 0.1, 8)],
  ['sgdStep: param === grad', 'sgdStep', 'param', (k, f) => k.sgdStep({ param: f.a, grad: f.a, n: 4, lr: 0.1 })],
  ['sgdStep: momentumBuffer === grad', 'sgdStep', 'momentumBuffer', (k, f) => k.sgdStep({ param: f.a, grad: f.b, n: 4, lr: 0.1, momentum: 0.9, momentumBuffer: f.b })],
  ['adamStep: m === v', 'adamStep', ['m', 'v'], (k, f) => k.adamStep({ param: f.a, grad: f.b, m: f.c, v: f.c, n: 4, lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 1 })],
  ['rmspropStep: squareAvg === param', 'rmspropStep', 'squareAvg', (k, f) => k.rmspropStep({ param: f.a, grad: f.b, squareAvg: f.a, n: 4, lr: 0.01, alpha: 0.99, eps: 1e-8 })],
  ['adagradStep: sum === grad', 'adagradStep', 'sum', (k, f) => k.adagradStep({ param: f.a, grad: f.b, sum: f.b, n: 4, lr: 0.1, eps: 1e-10 })],
  ['adadeltaStep: accDelta === squareAvg', 'adadeltaStep', 'accDelta', (k, f) => k.adadeltaStep({ param: f.a, grad: f.b, squareAvg: f.c, accDelta: f.c, n: 4, lr: 1, rho: 0.9, eps: 1e-6 })],
];

describeEachBackend('validation', (ctx) => {
  let other: Kernels;
  beforeAll(async () => {
    other = await ctx.createAnother();
  });
  afterAll(() => other?.dispose());

  /** A fresh fixture on the backend under test, plus a snapshot of every live buffer. */
  async function fixture(): Promise<{ f: Fixture; snapshot: Map<string, Float32Array>; free: () => void }> {
    const k = ctx.backend;
    const rng = new Rng(1000);
    const f: Fixture = {
      a: k.upload(rng.uniformArray(64)),
      b: k.upload(rng.uniformArray(64)),
      c: k.upload(rng.uniformArray(64)),
      d: k.upload(rng.uniformArray(64)),
      e: k.upload(rng.uniformArray(64)),
      small: k.upload(rng.uniformArray(3)),
      vec: k.upload(rng.uniformArray(8, 0.5, 1)),
      vec2: k.upload(rng.uniformArray(8, 0.5, 1)),
      dead: k.upload(rng.uniformArray(8)),
      foreign: other.upload(rng.uniformArray(64)),
      refHandle: ctx.ref.upload(rng.uniformArray(64)),
    };
    f.dead.dispose();
    const snapshot = new Map<string, Float32Array>();
    for (const [name, s] of Object.entries(f)) if (!s.disposed) snapshot.set(name, await s.read());
    const free = () => Object.values(f).forEach((s: Storage) => s.dispose());
    return { f, snapshot, free };
  }

  it.each(CASES)('%s → KernelError(%s, %s), memory untouched', async (_label, kernel, argument, call) => {
    const { f, snapshot, free } = await fixture();
    try {
      expectKernelError(() => call(ctx.backend, f), kernel, argument);
      const diffs: (string | null)[] = [];
      for (const [name, before] of snapshot) {
        const s = (f as unknown as Record<string, Storage>)[name]!;
        diffs.push(diffArrays(await s.read(), before, 'bits', `buffer '${name}' after the rejected ${kernel} call`));
      }
      expectNoDiffs(diffs);
    } finally {
      free();
    }
  });

  it('alloc is zero-filled; upload/read round-trips; write at an offset; size 0 works', async () => {
    const k = ctx.backend;
    const z = k.alloc(37);
    expect(z.size).toBe(37);
    expect(z.backend).toBe(ctx.name);
    expect(Array.from(await z.read())).toEqual(new Array(37).fill(0));
    const data = Float32Array.from([1.5, -0, NaN, Infinity, -Infinity, 1e-45, 3.4e38]);
    const u = k.upload(data);
    expectNoDiffs([diffArrays(await u.read(), data, 'bits', 'upload → read')]);
    k.write(z, Float32Array.from([7, 8, 9]), 34);
    const after = await z.read();
    expect(Array.from(after.subarray(32))).toEqual([0, 0, 7, 8, 9]);
    const empty = k.alloc(0);
    expect((await empty.read()).length).toBe(0);
    const empty2 = k.upload(new Float32Array(0));
    k.fill(empty2, 0, 1);
    for (const s of [z, u, empty, empty2]) s.dispose();
  });

  it('dispose is idempotent; a disposed handle cannot be read', async () => {
    const s = ctx.backend.upload(Float32Array.from([1, 2, 3]));
    expect(s.disposed).toBe(false);
    s.dispose();
    s.dispose();
    expect(s.disposed).toBe(true);
    // thrown synchronously or as a rejection: either way a KernelError
    await expect((async () => s.read())()).rejects.toThrow(KernelError);
  });

  it('liveBytes counts live handles and returns to its start after they are freed (workspaces excluded)', async () => {
    const k = ctx.backend;
    const start = k.liveBytes();
    const rng = new Rng(1010);
    const a = k.upload(rng.uniformArray(100 * 64));
    const b = k.upload(rng.uniformArray(64 * 50));
    const c = k.alloc(100 * 50);
    expect(k.liveBytes()).toBeGreaterThanOrEqual(start + 4 * (6400 + 3200 + 5000));
    // kernels with scratch space must not leave it counted as user data
    k.gemm({ a, b, c, m: 100, n: 50, k: 64 });
    k.pairwiseDistance('l2sq', a, a, c, 50, 50, 64);
    const mean = k.alloc(64);
    const variance = k.alloc(64);
    const dy = k.upload(rng.uniformArray(6400));
    const dx = k.alloc(6400);
    k.batchNormStats(a, mean, variance, 100, 64, 1);
    k.batchNormBackward({ x: a, mean, variance, dy, dx, outer: 100, channels: 64, inner: 1, eps: 1e-5 });
    for (const s of [a, b, c, mean, variance, dy, dx]) s.dispose();
    expect(k.liveBytes()).toBe(start);
  });

  it('after the backend is disposed, its handles are rejected', async () => {
    const k2 = await ctx.createAnother();
    const s = k2.upload(Float32Array.from([1, 2, 3, 4]));
    k2.dispose();
    expect(() => k2.fill(s, 4, 0)).toThrow(KernelError);
  });
});

describe('diffArrays (the comparison every kernel suite relies on)', () => {
  const f = (xs: number[]) => Float32Array.from(xs);
  it('accepts equal arrays, NaN ≡ NaN, ±Inf equal, and values within the bound', () => {
    expect(diffArrays(f([1, NaN, Infinity, -Infinity, 0]), f([1, NaN, Infinity, -Infinity, -0]), 'exact', 'x')).toBeNull();
    expect(diffArrays(f([1.000001]), f([1]), { rel: 2e-6, abs: 0 }, 'x')).toBeNull();
    expect(diffArrays(f([1e-8]), f([0]), { rel: 0, abs: 1e-7 }, 'x')).toBeNull();
  });
  it('rejects NaN vs number, number vs NaN, Inf vs finite, −Inf vs Inf, and values past the bound', () => {
    expect(diffArrays(f([NaN]), f([1]), { rel: 1, abs: 1 }, 'x')).toContain('got NaN');
    expect(diffArrays(f([1]), f([NaN]), { rel: 1, abs: 1 }, 'x')).toContain('expected NaN');
    expect(diffArrays(f([Infinity]), f([3e38]), { rel: 1, abs: 1 }, 'x')).not.toBeNull();
    expect(diffArrays(f([3e38]), f([Infinity]), { rel: 1, abs: 1 }, 'x')).not.toBeNull();
    expect(diffArrays(f([-Infinity]), f([Infinity]), 'exact', 'x')).not.toBeNull();
    expect(diffArrays(f([1.00001]), f([1]), { rel: 2e-6, abs: 0 }, 'x')).toContain('at 0');
    expect(diffArrays(f([-0]), f([0]), 'bits', 'x')).not.toBeNull();
  });
  it('names the index (and multi-index), got, expected and tolerance', () => {
    const msg = diffArrays(f([0, 0, 0, 0, 0, 9]), f([0, 0, 0, 0, 0, 1]), { rel: 0.5, abs: 0 }, 'k', 6, [2, 3])!;
    expect(msg).toContain('k: 1 of 6');
    expect(msg).toContain('at 5 [1, 2]');
    expect(msg).toContain('got 9.00000000');
    expect(msg).toContain('expected 1.00000000');
    expect(msg).toContain('tolerance 0.500000000');
  });
});
