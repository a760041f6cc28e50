/**
 * The training API on models: compile / fit / evaluate / predict, metrics, callbacks and the
 * history, on the js reference backend and on wasm.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as ax from '../src/index.js';
import { accuracyMetric, maeMetric, mseMetric, topKAccuracy } from '../src/train/metrics.js';
import { permutation } from '../src/train/shuffle.js';

/** Three separable blobs in 4-D: class c centred on (c, 2c−1, 0, c). Deterministic. */
function blobs(n: number, seed = 1): { x: number[][]; y: number[] } {
  const x: number[][] = [];
  const y: number[] = [];
  let s = seed;
  const r = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    x.push([c + 0.3 * r(), 2 * c - 1 + 0.3 * r(), r(), c + 0.3 * r()]);
    y.push(c);
  }
  return { x, y };
}

function mlp(seed = 7, extra: ax.Module[] = []): ax.Sequential {
  return new ax.Sequential([new ax.Dense(4, 8, { activation: 'relu', seed }), ...extra, new ax.Dense(8, 3, { seed: seed + 1 })]);
}

/** Host copies of every layer's getWeights(). */
function weightsOf(model: ax.Sequential): Float32Array[] {
  const out: Float32Array[] = [];
  for (const l of model.layers) {
    const g = (l as unknown as { getWeights?: () => ax.Tensor[] }).getWeights;
    if (!g) continue;
    for (const w of g.call(l)) {
      out.push(w.dataSync());
      w.dispose();
    }
  }
  return out;
}

function optState(model: ax.Sequential): unknown {
  const st = model._training!.optimizer.state();
  return JSON.parse(JSON.stringify(st, (_k, v) => (v instanceof Float32Array ? Array.from(v) : v)));
}

describe('metrics (host)', () => {
  it('accuracy: class indices, one-hot targets, binary with a threshold', () => {
    const acc = accuracyMetric();
    const pred = new Float32Array([0.1, 0.9, 0.8, 0.2, 0.3, 0.7]);
    expect(acc.compute(pred, [3, 2], new Float32Array([1, 0, 0]), [3])).toBeCloseTo(2 / 3);
    expect(acc.compute(pred, [3, 2], new Float32Array([0, 1, 1, 0, 0, 1]), [3, 2])).toBeCloseTo(1);
    expect(acc.compute(new Float32Array([0.6, 0.4, 0.9]), [3, 1], new Float32Array([1, 0, 0]), [3])).toBeCloseTo(2 / 3);
    expect(accuracyMetric({ threshold: 0 }).compute(new Float32Array([-1, 2]), [2, 1], new Float32Array([0, 1]), [2])).toBe(1);
    expect(() => acc.compute(pred, [3, 2], new Float32Array(5), [5])).toThrow(/do not match/);
  });

  it('topKAccuracy counts the target among the k largest', () => {
    const pred = new Float32Array([5, 4, 3, 2, 1, 1, 2, 3, 4, 5]);
    const t = new Float32Array([2, 0]);
    expect(topKAccuracy(3).compute(pred, [2, 5], t, [2])).toBe(0.5);
    expect(topKAccuracy(5).compute(pred, [2, 5], t, [2])).toBe(1);
    expect(topKAccuracy(1).compute(pred, [2, 5], new Float32Array([0, 4]), [2])).toBe(1);
    expect(() => topKAccuracy(0)).toThrow(/positive integer/);
  });

  it('mse and mae average over all elements (class indices compared as one-hot)', () => {
    const p = new Float32Array([1, 2, 3, 4]);
    expect(mseMetric().compute(p, [2, 2], new Float32Array([0, 2, 3, 6]), [2, 2])).toBeCloseTo((1 + 0 + 0 + 4) / 4);
    expect(maeMetric().compute(p, [2, 2], new Float32Array([0, 2, 3, 6]), [2, 2])).toBeCloseTo((1 + 0 + 0 + 2) / 4);
    expect(mseMetric().compute(new Float32Array([1, 0, 0, 1]), [2, 2], new Float32Array([0, 1]), [2])).toBe(0);
  });
});

describe('seeded shuffling', () => {
  it('is a permutation, reproducible, different per epoch and per seed', () => {
    const a = permutation(100, 3, 0);
    expect([...a].sort((p, q) => p - q)).toEqual([...Array(100).keys()]);
    expect(permutation(100, 3, 0)).toEqual(a);
    expect(permutation(100, 3, 1)).not.toEqual(a);
    expect(permutation(100, 4, 0)).not.toEqual(a);
    expect([...permutation(1, 3, 0)]).toEqual([0]);
    // Pins the documented Philox-driven Fisher–Yates (a change would reorder every user's training).
    expect([...permutation(8, 0, 0)]).toEqual([0, 2, 1, 5, 7, 4, 6, 3]);
    expect([...permutation(8, 0, 1)]).toEqual([5, 6, 4, 3, 1, 7, 2, 0]);
  });
});

for (const backend of ['js', 'wasm'] as const) {
  describe(`training API (${backend})`, () => {
    beforeAll(async () => {
      await ax.init({ backend });
    });

    describe('compile', () => {
      it('rejects unknown optimiser, loss and metric names, listing the valid ones', () => {
        const m = mlp();
        expect(() => m.compile({ optimizer: 'adamm', loss: 'mse' })).toThrow(/did you mean 'adam'.*sgd.*adam/s);
        expect(() => m.compile({ optimizer: 'adam', loss: 'crossEntropyy' })).toThrow(/crossEntropy.*valid: mse, crossEntropy/s);
        expect(() => m.compile({ optimizer: 'adam', loss: 'mse', metrics: ['acuracy' as 'accuracy'] })).toThrow(/did you mean 'accuracy'.*valid: accuracy, topKAccuracy, mse, mae/);
        expect(() => m.compile({ optimizer: 'adam', loss: 'mse', lossWeights: 1 } as unknown as ax.CompileOptions)).toThrow(/unknown option 'lossWeights'/);
        expect(() => m.compile({ loss: 'mse' } as unknown as ax.CompileOptions)).toThrow(/'optimizer' is required/);
        expect(() => m.compile({ optimizer: 42, loss: 'mse' } as unknown as ax.CompileOptions)).toThrow(ax.ArgumentError);
        expect(m._training).toBeUndefined();
      });

      it('accepts an optimiser by name with default options', () => {
        const m = mlp().compile({ optimizer: 'adam', loss: 'crossEntropy', metrics: ['accuracy', { name: 'topKAccuracy', k: 2 }] });
        expect(m._training!.optimizer).toBeInstanceOf(ax.Adam);
        expect(m._training!.optimizer.lr).toBe(1e-3);
        expect(m._training!.config.metrics).toEqual(['accuracy', { name: 'topKAccuracy', k: 2 }]);
      });

      it('fit / evaluate before compile are NOT_COMPILED errors', async () => {
        const m = mlp();
        await expect(m.fit([[1, 2, 3, 4]], [0])).rejects.toMatchObject({ code: 'NOT_COMPILED', message: expect.stringMatching(/fit: the model is not compiled/) });
        await expect(m.evaluate([[1, 2, 3, 4]], [0])).rejects.toMatchObject({ code: 'NOT_COMPILED' });
        // predict needs no compile.
        expect(m.predict([[1, 2, 3, 4]]).shape).toEqual([1, 3]);
      });
    });

    describe('fit', () => {
      it('learns separable blobs; history has loss, metrics, validation and lr per epoch', async () => {
        const { x, y } = blobs(240);
        const m = mlp().compile({ optimizer: new ax.Adam({ lr: 0.05 }), loss: 'crossEntropy', metrics: ['accuracy'] });
        const h = await m.fit(ax.tensor(x), ax.tensor(y), { epochs: 12, batchSize: 16, validationSplit: 0.25, seed: 1 });
        expect(h.epoch).toEqual([...Array(12).keys()]);
        expect(Object.keys(h.history).sort()).toEqual(['accuracy', 'loss', 'lr', 'valAccuracy', 'valLoss']);
        for (const k of Object.keys(h.history)) expect(h.history[k]).toHaveLength(12);
        expect(h.history.lr.every((v) => v === 0.05)).toBe(true);
        expect(h.history.loss[11]!).toBeLessThan(h.history.loss[0]! * 0.5);
        expect(h.history.valAccuracy![11]!).toBeGreaterThan(0.9);
        const ev = await m.evaluate(x, y);
        expect(Object.keys(ev)).toEqual(['loss', 'accuracy']);
        expect(ev.accuracy).toBeGreaterThan(0.9);
      });

      it('is reproducible for a seed; another seed shuffles differently', async () => {
        const { x, y } = blobs(60);
        const run = async (seed: number) => {
          const m = mlp(11).compile({ optimizer: new ax.SGD({ lr: 0.1 }), loss: 'crossEntropy' });
          const h = await m.fit(x, y, { epochs: 3, batchSize: 8, seed });
          return { w: weightsOf(m), loss: h.history.loss };
        };
        const a = await run(5);
        const b = await run(5);
        const c = await run(6);
        expect(b.w).toEqual(a.w);
        expect(b.loss).toEqual(a.loss);
        expect(c.loss).not.toEqual(a.loss);
      });

      it('shuffle: false visits samples in order; batches cover every sample once per epoch', async () => {
        const { x, y } = blobs(10);
        const seen: number[] = [];
        const m = mlp().compile({ optimizer: new ax.SGD({ lr: 0 }), loss: 'crossEntropy' });
        await m.fit(x, y, { epochs: 2, batchSize: 4, shuffle: false, callbacks: [{ onBatchEnd: (_b, logs) => void seen.push(logs.size) }] });
        expect(seen).toEqual([4, 4, 2, 4, 4, 2]);
      });

      it('keeps live memory flat over 500 steps (workspaces reused, graphs freed)', async () => {
        const { x, y } = blobs(64);
        const m = mlp(3, [new ax.Dropout(0.2), new ax.BatchNorm1d(8)]).compile({ optimizer: new ax.Adam({ lr: 1e-3 }), loss: 'crossEntropy', metrics: ['accuracy'] });
        const xt = ax.tensor(x);
        const yt = ax.tensor(y);
        const snaps: ax.MemoryInfo[] = [];
        const before = ax.memory();
        await m.fit(xt, yt, {
          epochs: 63,
          batchSize: 8,
          validationData: [xt, yt],
          callbacks: [{ onBatchEnd: () => void snaps.push(ax.memory()) }],
        });
        expect(snaps.length).toBe(504);
        const ref = snaps[10]!;
        for (const s of snaps.slice(10)) {
          expect(s.numTensors).toBe(ref.numTensors);
          expect(s.numBytes).toBe(ref.numBytes);
          expect(s.backendBytes).toBe(ref.backendBytes);
        }
        // After fit, only the optimiser state remains beyond what existed before.
        const after = ax.memory();
        expect(after.numTensors).toBe(before.numTensors);
        xt.dispose();
        yt.dispose();
      });

      it('adds the regularisation penalty to the loss', async () => {
        const { x, y } = blobs(12);
        const m = new ax.Sequential([new ax.Dense(4, 3, { seed: 2, kernelRegularizer: ax.l2(0.5) })]).compile({ optimizer: new ax.SGD({ lr: 0 }), loss: 'crossEntropy' });
        const expected = ax.tidy(() => {
          const ce = ax.crossEntropy(m.forward(ax.tensor(x)), ax.tensor(y)).item();
          return ce + m.regularizationLoss()!.item();
        });
        const losses: number[] = [];
        await m.fit(x, y, { batchSize: 12, shuffle: false, callbacks: [{ onBatchEnd: (_b, l) => void losses.push(l.loss) }] });
        expect(losses[0]).toBeCloseTo(expected, 5);
        const ev = await m.evaluate(x, y);
        expect(ev.loss).toBeCloseTo(expected, 5);
      });

      it('applies constraints after every step', async () => {
        const { x, y } = blobs(30);
        const m = new ax.Sequential([new ax.Dense(4, 3, { seed: 2, kernelConstraint: ax.maxNorm(0.25) })]).compile({ optimizer: new ax.SGD({ lr: 1 }), loss: 'crossEntropy' });
        await m.fit(x, y, { epochs: 2, batchSize: 5 });
        const W = weightsOf(m)[0]!; // [4, 3]: max-norm over each unit's incoming weights (a column)
        for (let j = 0; j < 3; j++) {
          let s = 0;
          for (let i = 0; i < 4; i++) s += W[i * 3 + j]! ** 2;
          expect(Math.sqrt(s)).toBeLessThanOrEqual(0.25 + 1e-5);
        }
      });

      it('stops on a non-finite loss naming the epoch and batch, leaving the state of the last completed step', async () => {
        // A real divergence: SGD with lr 1e7 on mse. Batch 2's loss is ~1e27, batch 3's overflows
        // to Infinity/NaN (orders of magnitude of margin on both sides, so every backend agrees).
        const { x, y } = blobs(12);
        const dropout = new ax.Dropout(0.25, { seed: 9 });
        const m = new ax.Sequential([new ax.Dense(4, 4, { seed: 3 }), new ax.BatchNorm1d(4), dropout, new ax.Dense(4, 1, { seed: 4 })]);
        m.compile({ optimizer: new ax.SGD({ lr: 1e7 }), loss: 'mse' });
        const seen: Array<{ w: Float32Array[]; opt: unknown; offset: number }> = [];
        const losses: number[] = [];
        const err = await m
          .fit(x, y.map((v) => [v]), {
            epochs: 2,
            batchSize: 4,
            shuffle: false,
            callbacks: [{ onBatchEnd: (_b, l) => void (losses.push(l.loss), seen.push({ w: weightsOf(m), opt: optState(m), offset: dropout.offset })) }],
          })
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ax.AxonError);
        expect((err as ax.AxonError).code).toBe('NON_FINITE');
        expect((err as Error).message).toMatch(/loss is (Infinity|NaN) at epoch 1\/2, batch 3\/3 \(0-based: epoch 0, batch 2\)/);
        expect((err as Error).message).toMatch(/weights, optimiser state and batch-norm statistics hold the values after the previous step/);
        expect(seen).toHaveLength(2);
        expect(losses[1]).toBeGreaterThan(1e20);
        expect(Number.isFinite(losses[1])).toBe(true);
        // Weights, batch-norm running statistics (in getWeights), optimiser state and the dropout
        // stream are as after batch 2; gradients are cleared; modes are restored.
        expect(weightsOf(m)).toEqual(seen[1]!.w);
        expect(optState(m)).toEqual(seen[1]!.opt);
        expect(dropout.offset).toBe(seen[1]!.offset);
        expect(m.parameters().every((p) => p.grad === null)).toBe(true);
        expect(m.training).toBe(true);
      });

      it('rejects NaN/±Inf in x, y or validationData up front, naming the argument and the first bad index', async () => {
        const { x, y } = blobs(24);
        const m = mlp(5, [new ax.BatchNorm1d(8)]).compile({ optimizer: new ax.Adam({ lr: 0.01 }), loss: 'crossEntropy', metrics: ['accuracy'] });
        await m.fit(x, y, { epochs: 1, batchSize: 8 });
        const withX = (i: number, j: number, v: number) => x.map((r, k) => (k === i ? r.map((u, l) => (l === j ? v : u)) : r));
        const xt = ax.tensor(withX(23, 3, Infinity));
        const yt = ax.tensor(y);
        const w0 = weightsOf(m);
        const s0 = optState(m);
        const mem0 = ax.memory().numTensors;
        const began: number[] = [];
        const callbacks = [{ onTrainBegin: () => void began.push(1) }];
        const bad: Array<[() => Promise<unknown>, RegExp]> = [
          [() => m.fit(withX(5, 2, NaN), y, { callbacks }), /fit: argument 'x' contains NaN at flat index 22 \(sample 5, element 2\); expected finite values/],
          [() => m.fit(withX(0, 0, -Infinity), y, { callbacks }), /argument 'x' contains -Infinity at flat index 0 \(sample 0, element 0\)/],
          [() => m.fit(xt, yt, { callbacks }), /argument 'x' contains Infinity at flat index 95 \(sample 23, element 3\)/],
          [() => m.fit(x, y.map((v, i) => (i === 4 ? NaN : v)), { callbacks }), /argument 'y' contains NaN at flat index 4 \(sample 4\)/],
          [() => m.fit(x, y, { callbacks, validationData: [withX(1, 1, NaN), y] }), /argument 'validationData\[0\]' contains NaN at flat index 5/],
          [() => m.fit(x, y, { callbacks, validationData: [x, y.map(() => Infinity)] }), /argument 'validationData\[1\]' contains Infinity at flat index 0/],
        ];
        for (const [f, msg] of bad) {
          const e = await f().catch((err: unknown) => err);
          expect(e).toBeInstanceOf(ax.AxonError);
          expect((e as ax.AxonError).code).toBe('NON_FINITE');
          expect((e as Error).message).toMatch(msg);
          expect(weightsOf(m)).toEqual(w0);
          expect(optState(m)).toEqual(s0);
          expect(ax.memory().numTensors).toBe(mem0);
        }
        expect(began).toEqual([]);
        // A NaN in the held-out part of validationSplit is found too (it is part of x).
        await expect(m.fit(withX(23, 0, NaN), y, { validationSplit: 0.25 })).rejects.toThrow(/'x' contains NaN at flat index 92/);
        expect(weightsOf(m)).toEqual(w0);
        xt.dispose();
        yt.dispose();
      });

      it('rejects bad input before any weight, optimiser or batch-norm state changes', async () => {
        const { x, y } = blobs(24);
        const m = mlp(5, [new ax.BatchNorm1d(8)]).compile({ optimizer: new ax.Adam({ lr: 0.01 }), loss: 'crossEntropy', metrics: ['accuracy'] });
        await m.fit(x, y, { epochs: 1, batchSize: 8 });
        const w0 = weightsOf(m);
        const s0 = optState(m);
        const mem0 = ax.memory().numTensors;
        const bad: Array<[() => Promise<unknown>, RegExp]> = [
          [() => m.fit(x, y.slice(0, 20)), /x and y have different numbers of samples: x \[24, 4\] has 24, y \[20\] has 20/],
          [() => m.fit(x, y.map((v, i) => (i === 7 ? 3 : v))), /y\[7\] = 3 is not a class index.*\[0, 2\]/],
          [() => m.fit(x, y.map((v, i) => (i === 2 ? 0.5 : v))), /y\[2\] = 0.5 is not a class index/],
          [() => m.fit(x, y.map((v) => -v)), /y\[1\] = -1 is not a class index/],
          [() => m.fit(x.map((r) => [...r, 0]), y), /x of shape \[24, 5\] does not fit the model/],
          [() => m.fit(x, x), /loss 'crossEntropy' expected y as class indices \[24\] or one-hot rows \[24, 3\].*given \[24, 4\]/],
          [() => m.fit(x, y, { epochs: 0 }), /'epochs' expected a positive integer, given 0/],
          [() => m.fit(x, y, { batchSize: 2.5 }), /'batchSize' expected a positive integer/],
          [() => m.fit(x, y, { epoch: 3 } as ax.FitOptions), /unknown option 'epoch' \(did you mean 'epochs'\?\)/],
          [() => m.fit(x, y, { validationSplit: 1 }), /validationSplit' expected a number in \[0, 1\)/],
          [() => m.fit(x, y, { validationData: [x, y.slice(1)] }), /validationData\[0\] and validationData\[1\] have different numbers/],
          [() => m.fit(x, y, { validationData: [x, y.map(() => 9)] }), /validationData\[1\]\[0\] = 9 is not a class index/],
          [() => m.fit(x, y, { callbacks: [ax.earlyStopping({ monitor: 'valLoss' })] }), /monitored key 'valLoss' will not be in the logs.*validationSplit.*available: loss, accuracy, lr/],
          [() => m.fit(x, y, { callbacks: [{ onEpochEnds() {} } as ax.Callback] }), /unknown hook 'onEpochEnds' \(did you mean 'onEpochEnd'\?\)/],
          [() => m.fit(x, y, { seed: -1 }), /'seed' expected a non-negative integer/],
          [() => m.fit('nope' as unknown as ax.Tensor, y), /argument 'x' expected a Tensor or nested arrays/],
          [() => m.fit([[1, 2], [3]], [0, 1]), /ragged/],
          [() => m.evaluate(x, y.slice(1)), /different numbers of samples/],
          [() => m.evaluate(x, y.map(() => 7)), /y\[0\] = 7 is not a class index/],
        ];
        for (const [f, msg] of bad) {
          await expect(f()).rejects.toThrow(msg);
          expect(weightsOf(m)).toEqual(w0);
          expect(optState(m)).toEqual(s0);
          expect(ax.memory().numTensors).toBe(mem0);
        }
        // A disposed input is reported too.
        const xt = ax.tensor(x);
        xt.dispose();
        await expect(m.fit(xt, y)).rejects.toThrow(/disposed/);
        expect(weightsOf(m)).toEqual(w0);
      });

      it('mse with y [N] against an output [N, 1]; validationData; nested-array input', async () => {
        const x: number[][] = [];
        const y: number[] = [];
        for (let i = 0; i < 64; i++) {
          const a = (i % 8) / 8 - 0.5;
          const b = Math.floor(i / 8) / 8 - 0.5;
          x.push([a, b]);
          y.push(2 * a - b + 0.5);
        }
        const m = new ax.Sequential([new ax.Dense(2, 1, { seed: 4 })]).compile({ optimizer: new ax.Adam({ lr: 0.05 }), loss: 'mse', metrics: ['mae', 'mse'] });
        const h = await m.fit(x, y, { epochs: 40, batchSize: 16, validationData: [x.slice(0, 16), y.slice(0, 16)] });
        expect(h.history.loss.at(-1)!).toBeLessThan(1e-3);
        expect(h.history.valMae!.at(-1)!).toBeLessThan(0.05);
        expect(h.history.mse![3]).toBeCloseTo(h.history.loss[3]!, 4);
        await expect(m.fit(x, y.map((v) => [v, v]))).rejects.toThrow(/loss 'mse' expected y shaped like the model output \[64, 1\], given \[64, 2\]/);
      });

      it('binary cross-entropy targets must lie in [0, 1]', async () => {
        const m = new ax.Sequential([new ax.Dense(2, 1, { activation: 'sigmoid', seed: 1 })]).compile({ optimizer: 'sgd', loss: 'binaryCrossEntropy', metrics: ['accuracy'] });
        await expect(m.fit([[0, 1], [1, 0]], [0, 2])).rejects.toThrow(/y value 2 at element 1 is outside \[0, 1\]/);
        const h = await m.fit([[0, 1], [1, 0]], [0, 1]);
        expect(h.history.accuracy).toHaveLength(1);
        // A model without a sigmoid: its outputs are not probabilities, refused before training.
        const raw = new ax.Sequential([new ax.Dense(2, 1, { seed: 1 })]).compile({ optimizer: 'sgd', loss: 'binaryCrossEntropy' });
        const w0 = weightsOf(raw);
        await expect(raw.fit([[3, -4], [1, 0]], [0, 1])).rejects.toThrow(/argument 'prob' expected probabilities in \[0, 1\], given -?\d.*binaryCrossEntropyWithLogits/);
        expect(weightsOf(raw)).toEqual(w0);
      });

      it('a custom loss function and a custom metric', async () => {
        const { x, y } = blobs(12);
        const m = mlp().compile({
          optimizer: new ax.SGD({ lr: 0.1 }),
          loss: (p, t) => ax.crossEntropy(p, t),
          metrics: [{ name: 'half', compute: () => 0.5 }],
        });
        const h = await m.fit(x, y, { batchSize: 5 });
        expect(h.history.half).toEqual([0.5]);
        const bad = mlp().compile({ optimizer: 'sgd', loss: (p) => p });
        await expect(bad.fit(x, y)).rejects.toThrow(/the loss must return a scalar tensor, returned shape \[1, 3\]/);
      });
    });

    describe('callbacks', () => {
      it('onEpochBegin / onBatchEnd / onEpochEnd / onTrainEnd see the logs', async () => {
        const { x, y } = blobs(20);
        const calls: string[] = [];
        const m = mlp().compile({ optimizer: 'adam', loss: 'crossEntropy', metrics: ['accuracy'] });
        await m.fit(x, y, {
          epochs: 2,
          batchSize: 10,
          validationSplit: 0.5,
          callbacks: [
            {
              onTrainBegin: (ctx) => void calls.push(`begin ${ctx.steps} ${ctx.samples} ${ctx.logKeys.join(',')}`),
              onEpochBegin: (e) => void calls.push(`e${e}`),
              onBatchEnd: (b, l) => void calls.push(`b${b} ${l.size} ${Number.isFinite(l.loss)}`),
              onEpochEnd: async (e, logs) => void calls.push(`end${e} ${Object.keys(logs).join(',')}`),
              onTrainEnd: (logs) => void calls.push(`done ${logs ? 'logs' : 'none'}`),
            },
          ],
        });
        expect(calls).toEqual([
          'begin 1 10 loss,accuracy,valLoss,valAccuracy,lr',
          'e0',
          'b0 10 true',
          'end0 loss,accuracy,valLoss,valAccuracy,lr',
          'e1',
          'b0 10 true',
          'end1 loss,accuracy,valLoss,valAccuracy,lr',
          'done logs',
        ]);
      });

      it('earlyStopping stops after `patience` epochs without improvement', async () => {
        const { x, y } = blobs(12);
        const m = mlp().compile({ optimizer: new ax.SGD({ lr: 0 }), loss: 'crossEntropy' });
        // minDelta: the epoch loss is a mean over shuffled batches, so its last bit can move
        // between epochs (summation order; FMA in the relaxed build) even with lr 0.
        const es = ax.earlyStopping({ monitor: 'loss', patience: 2, minDelta: 1e-6 });
        const h = await m.fit(x, y, { epochs: 10, batchSize: 4, callbacks: [es] });
        // lr 0: the loss does not improve, so epoch 0 is best and epochs 1 and 2 exhaust the patience.
        expect(h.epoch).toEqual([0, 1, 2]);
        expect(es.stoppedEpoch).toBe(2);
        expect(es.bestEpoch).toBe(0);
        expect(() => ax.earlyStopping({ mode: 'up' as 'min' })).toThrow(/valid: auto, min, max/);
        expect(() => ax.earlyStopping({ patience: -1 })).toThrow(/patience/);
        expect(() => ax.earlyStopping({ monitr: 'loss' } as ax.EarlyStoppingOptions)).toThrow(/did you mean 'monitor'/);
      });

      it('earlyStopping restores the best weights', async () => {
        const { x, y } = blobs(12);
        const script = [5, 3, 4, 6, 7, 8];
        let epoch = 0;
        const m = mlp().compile({ optimizer: new ax.SGD({ lr: 0.5 }), loss: 'crossEntropy', metrics: [{ name: 'score', compute: () => script[epoch]! }] });
        const perEpoch: Float32Array[][] = [];
        const es = ax.earlyStopping({ monitor: 'score', patience: 2, restoreBestWeights: true });
        const h = await m.fit(x, y, {
          epochs: 6,
          batchSize: 4,
          callbacks: [{ onEpochBegin: (e) => void (epoch = e), onEpochEnd: () => void perEpoch.push(weightsOf(m)) }, es],
        });
        expect(h.epoch).toEqual([0, 1, 2, 3]);
        expect(es.bestEpoch).toBe(1);
        expect(es.mode).toBe('min');
        expect(weightsOf(m)).toEqual(perEpoch[1]);
        expect(weightsOf(m)).not.toEqual(perEpoch[3]);
      });

      it('lrScheduler drives the learning rate per epoch (schedule, function, plateau)', async () => {
        const { x, y } = blobs(12);
        const m = mlp().compile({ optimizer: new ax.Adam({ lr: 0.1 }), loss: 'crossEntropy' });
        const h = await m.fit(x, y, { epochs: 5, batchSize: 6, callbacks: [ax.lrScheduler(ax.schedules.stepDecay(2, 0.5))] });
        expect(h.history.lr).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
        const m2 = mlp().compile({ optimizer: new ax.SGD({ lr: 1 }), loss: 'crossEntropy' });
        const h2 = await m2.fit(x, y, { epochs: 3, callbacks: [ax.lrScheduler((e, lr) => (e === 0 ? lr : lr / 2))] });
        expect(h2.history.lr).toEqual([1, 0.5, 0.25]);
        const m3 = mlp().compile({ optimizer: new ax.SGD({ lr: 0 }), loss: 'crossEntropy' });
        m3._training!.optimizer.lr = 0;
        const plateau = ax.lrScheduler(ax.schedules.reduceOnPlateau({ patience: 0, factor: 0.5 }), { monitor: 'loss' });
        const h3 = await m3.fit(x, y, { epochs: 3, callbacks: [plateau] });
        expect(h3.history.lr).toEqual([0, 0, 0]);
        await expect(m3.fit(x, y, { callbacks: [ax.lrScheduler(ax.schedules.reduceOnPlateau())] })).rejects.toThrow(/monitored key 'valLoss'/);
        expect(() => ax.lrScheduler(3 as unknown as ax.ScheduleLike)).toThrow(/expected a schedule/);
      });
    });

    describe('evaluate and predict', () => {
      it('evaluate averages over batches weighted by batch size', async () => {
        const { x, y } = blobs(20);
        const m = mlp().compile({ optimizer: 'adam', loss: 'crossEntropy', metrics: ['accuracy', 'topKAccuracy', 'mse', 'mae'] });
        const whole = await m.evaluate(x, y, { batchSize: 20 });
        const pieces = await m.evaluate(x, y, { batchSize: 7 });
        for (const k of Object.keys(whole)) expect(pieces[k]).toBeCloseTo(whole[k]!, 5);
        const direct = ax.tidy(() => ax.crossEntropy(m.forward(ax.tensor(x)), ax.tensor(y)).item());
        expect(whole.loss).toBeCloseTo(direct, 5);
        expect(whole.topKAccuracy).toBe(1); // 3 classes, k = 5
        await expect(m.evaluate(x, y, { batchSize: 0 })).rejects.toThrow(/batchSize/);
      });

      it('predict is batched, in evaluation mode, without gradients; restores the mode', () => {
        const { x } = blobs(50);
        const m = mlp(9, [new ax.Dropout(0.5), new ax.BatchNorm1d(8)]);
        m.train();
        const xt = ax.tensor(x);
        const before = ax.memory().numTensors;
        const a = m.predict(xt, { batchSize: 7 });
        const b = m.predict(xt);
        const c = m.predict(xt, { batchSize: 100 });
        expect(a.shape).toEqual([50, 3]);
        expect(a.requiresGrad).toBe(false);
        const ref = c.dataSync();
        expect(Array.from(a.dataSync()).every((v, i) => Math.abs(v - ref[i]!) < 1e-5)).toBe(true);
        expect(Array.from(b.dataSync()).every((v, i) => Math.abs(v - ref[i]!) < 1e-5)).toBe(true);
        expect(m.training).toBe(true);
        expect(m.layers[1]!.training).toBe(true);
        expect(ax.memory().numTensors).toBe(before + 3);
        for (const t of [a, b, c, xt]) t.dispose();
        expect(() => m.predict(ax.tensor([[1, 2]]))).toThrow(/dense|shape/i);
        expect(() => m.predict([[1, 2, 3, 4]], { batch: 3 } as ax.PredictOptions)).toThrow(/unknown option 'batch'/);
      });
    });
  });
}
