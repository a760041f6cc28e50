/**
 * Everything a user does, on webgpu (where `dataSync()` throws): `model.fit` / `evaluate` /
 * `predict` / save-load / earlyStopping, and every helper that reads values back — each either
 * runs on the device or has an async counterpart, and the synchronous form says which.
 *
 * Tolerance against wasm (same seeds, same data): losses and metrics within 1e-4 relative
 * (+1e-5), weights within 2e-5·max|w| + 1e-6 per tensor — the bounds of test/webgpu-parity.test.ts
 * (float32 with different summation orders; elementwise ≤ 1e-5, GEMM/reductions ≤ 1e-4).
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as ax from '../src/index.js';
import '../src/webgpu.js';
import { testGpu, webgpuRequired } from './helpers/webgpu.js';
import { linearArgmaxData } from './helpers/random.js';

const { gpu, reason } = await testGpu();
const webgpu = gpu ? await ax.init({ backend: 'webgpu', gpu }).then(() => true, (e: Error) => e.message) : (reason ?? 'no GPU');
const available = webgpu === true;

const N = 96;
const IN = 12;
const CLASSES = 4;

/** A learnable dataset: the class is the argmax of a fixed linear map of x. */
function data(n = N): { x: Float32Array; y: Float32Array } {
  return linearArgmaxData(n, IN, CLASSES, 777);
}

function mlp(): ax.Sequential {
  return new ax.Sequential([
    new ax.Dense(IN, 24, { activation: 'relu', seed: 5 }),
    new ax.BatchNorm1d(24),
    new ax.Dense(24, CLASSES, { seed: 6 }),
  ]);
}

async function weightsOf(model: ax.Module): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (const w of model.getWeights()) {
    out.push(await w.data());
    w.dispose();
  }
  return out;
}

function close(a: number, b: number, what: string): void {
  expect(Math.abs(a - b), `${what}: webgpu ${a} vs wasm ${b}`).toBeLessThanOrEqual(1e-4 * Math.abs(b) + 1e-5);
}

function closeWeights(a: Float32Array[], b: Float32Array[]): void {
  expect(a.length).toBe(b.length);
  b.forEach((w, t) => {
    const scale = w.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    for (let i = 0; i < w.length; i++) expect(Math.abs(a[t]![i]! - w[i]!), `weight ${t}[${i}]`).toBeLessThanOrEqual(2e-5 * scale + 1e-6);
  });
}

/** Runs `fn` on webgpu, then on wasm; returns both results. */
async function both<T>(fn: () => Promise<T>): Promise<{ gpu: T; wasm: T }> {
  await ax.init({ backend: 'webgpu', gpu });
  const g = await fn();
  await ax.init({ backend: 'wasm' });
  const w = await fn();
  await ax.init({ backend: 'webgpu', gpu });
  return { gpu: g, wasm: w };
}

/** The UNSUPPORTED error of a synchronous API, naming its async counterpart. */
function expectAsyncOnly(f: () => unknown, alternative: RegExp): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err, 'expected an UNSUPPORTED error').toBeInstanceOf(ax.AxonError);
  expect((err as ax.AxonError).code).toBe('UNSUPPORTED');
  expect((err as Error).message).toMatch(/'webgpu' backend cannot read values back synchronously/);
  expect((err as Error).message).toMatch(alternative);
}

describe.skipIf(!available && !webgpuRequired())(`training API on webgpu${available ? '' : ` (skipped: ${String(webgpu)})`}`, () => {
  afterAll(() => ax.dispose());

  it('webgpu is available where required', () => {
    expect(webgpu, 'init({ backend: "webgpu" }) failed').toBe(true);
  });

  it('fit (validation split, accuracy) + evaluate + predict match wasm, and the loss falls', async () => {
    const run = async () => {
      const { x, y } = data();
      const model = mlp().compile({ optimizer: new ax.Adam({ lr: 1e-2 }), loss: 'crossEntropy', metrics: ['accuracy'] });
      const xt = ax.tensor(x, [N, IN]);
      const yt = ax.tensor(y, [N]);
      const h = await model.fit(xt, yt, { epochs: 6, batchSize: 16, validationSplit: 0.25, seed: 3 });
      const ev = await model.evaluate(xt, yt, { batchSize: 20 });
      const p = model.predict(xt, { batchSize: 40 });
      const pred = await p.data();
      const weights = await weightsOf(model);
      for (const t of [xt, yt, p]) t.dispose();
      model.dispose();
      return { h: h.history, ev, pred, weights };
    };
    const r = await both(run);
    const loss = r.gpu.h.loss;
    expect(loss.at(-1)!).toBeLessThan(loss[0]! * 0.8);
    for (const key of ['loss', 'accuracy', 'valLoss', 'valAccuracy'] as const) {
      r.wasm.h[key]!.forEach((v, e) => close(r.gpu.h[key]![e]!, v, `${key}[${e}]`));
    }
    for (const k of Object.keys(r.wasm.ev)) close(r.gpu.ev[k]!, r.wasm.ev[k]!, `evaluate ${k}`);
    closeWeights(r.gpu.weights, r.wasm.weights);
    const scale = r.wasm.pred.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    r.wasm.pred.forEach((v, i) => expect(Math.abs(r.gpu.pred[i]! - v)).toBeLessThanOrEqual(1e-4 * scale + 1e-5));
  });

  it('fit keeps GPU memory flat across epochs and leaves no tensor behind', async () => {
    await ax.init({ backend: 'webgpu', gpu });
    const { x, y } = data();
    const model = mlp().compile({ optimizer: 'adam', loss: 'crossEntropy', metrics: ['accuracy'] });
    const before = ax.memory().numTensors;
    const live: number[] = [];
    const xt = ax.tensor(x, [N, IN]);
    await model.fit(xt, Array.from(y), {
      epochs: 4,
      batchSize: 32,
      callbacks: [{ onEpochEnd: () => void live.push(ax.getBackend().liveBytes()) }],
    });
    expect(live[3]).toBe(live[1]);
    model.dispose();
    xt.dispose();
    expect(ax.memory().numTensors).toBeLessThanOrEqual(before);
  });

  it('onBatchEnd callbacks get every batch loss (read per batch), equal to the epoch mean', async () => {
    await ax.init({ backend: 'webgpu', gpu });
    const { x, y } = data();
    const model = mlp().compile({ optimizer: 'sgd', loss: 'crossEntropy' });
    const seen: Array<{ loss: number; size: number }> = [];
    const h = await model.fit(ax.tensor(x, [N, IN]), ax.tensor(y, [N]), {
      epochs: 1,
      batchSize: 40,
      callbacks: [{ onBatchEnd: (_b, logs) => void seen.push({ loss: logs.loss, size: logs.size }) }],
    });
    expect(seen.map((s) => s.size)).toEqual([40, 40, 16]);
    const mean = seen.reduce((a, s) => a + s.loss * s.size, 0) / N;
    expect(h.history.loss[0]).toBeCloseTo(mean, 5);
    model.dispose();
  });

  it('a non-finite loss stops fit with NON_FINITE naming the batch (read asynchronously on webgpu)', async () => {
    const run = async () => {
      const { x, y } = data(64);
      for (let j = 0; j < IN; j++) x[37 * IN + j] = 3e38; // sample 37 is in batch 2 (0-based) of 16
      const model = mlp().compile({ optimizer: 'sgd', loss: 'crossEntropy' });
      const err = await model.fit(ax.tensor(x, [64, IN]), ax.tensor(y, [64]), { epochs: 2, batchSize: 16, shuffle: false }).then(() => null, (e: unknown) => e);
      model.dispose();
      return err as ax.AxonError | null;
    };
    const r = await both(run);
    for (const e of [r.gpu, r.wasm]) {
      expect(e).toBeInstanceOf(ax.AxonError);
      expect(e!.code).toBe('NON_FINITE');
      expect(e!.message).toMatch(/the loss is (NaN|Infinity) at epoch 1\/2, batch 3\/4/);
    }
    expect(r.wasm!.message).toMatch(/before this batch's update/);
    expect(r.gpu!.message).toMatch(/read asynchronously, so this batch's update( and \d later ones?)? had already been applied/);
  });

  it('earlyStopping with restoreBestWeights restores the best epoch on webgpu', async () => {
    await ax.init({ backend: 'webgpu', gpu });
    const { x, y } = data();
    const model = mlp().compile({ optimizer: new ax.Adam({ lr: 1e-2 }), loss: 'crossEntropy' });
    const snapshots: Float32Array[][] = [];
    // 'loss' in 'max' mode: epoch 0 stays the best while the loss falls, so training stops
    // after `patience` epochs and epoch 0's weights come back.
    const es = ax.earlyStopping({ monitor: 'loss', mode: 'max', patience: 2, restoreBestWeights: true });
    const h = await model.fit(ax.tensor(x, [N, IN]), ax.tensor(y, [N]), {
      epochs: 10,
      batchSize: 32,
      callbacks: [es, { onEpochEnd: async () => void snapshots.push(await weightsOf(model)) }],
    });
    expect(h.epoch).toEqual([0, 1, 2]);
    expect(es.bestEpoch).toBe(0);
    expect(es.stoppedEpoch).toBe(2);
    const now = await weightsOf(model);
    now.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(snapshots[0]![i]!)));
    expect(Array.from(now[0]!)).not.toEqual(Array.from(snapshots[2]![0]!));
    model.dispose();
  });

  it('save and loadModel round-trip a trained model on webgpu (same predictions)', async () => {
    await ax.init({ backend: 'webgpu', gpu });
    const { x, y } = data();
    const model = mlp().compile({ optimizer: 'adam', loss: 'crossEntropy', metrics: ['accuracy'] });
    const xt = ax.tensor(x, [N, IN]);
    await model.fit(xt, Array.from(y), { epochs: 2, batchSize: 32 });
    const saved = await model.save({ includeOptimizer: true });
    expect(saved.optimizer?.state.step).toBeGreaterThan(0); // the optimiser state is read asynchronously
    const again = await ax.loadModel(saved);
    const a = model.predict(xt);
    const b = again.predict(xt);
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    // the loaded model trains on
    const h = await again.fit(xt, Array.from(y), { epochs: 1, batchSize: 32 });
    expect(Number.isFinite(h.history.loss[0]!)).toBe(true);
    for (const t of [xt, a, b]) t.dispose();
    model.dispose();
    again.dispose();
  });

  it('mse regression and a regulariser train on webgpu like on wasm', async () => {
    const run = async () => {
      const { x } = data(64);
      const target = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i));
      const model = new ax.Sequential([new ax.Dense(IN, 8, { activation: 'tanh', seed: 2, kernelRegularizer: ax.l2(1e-3) }), new ax.Dense(8, 1, { seed: 3 })]);
      model.compile({ optimizer: new ax.SGD({ lr: 0.05, momentum: 0.9 }), loss: 'mse', metrics: ['mae'] });
      const h = await model.fit(ax.tensor(x, [64, IN]), ax.tensor(target, [64, 1]), { epochs: 3, batchSize: 16, shuffle: false });
      model.dispose();
      return h.history;
    };
    const r = await both(run);
    for (const key of ['loss', 'mae'] as const) r.wasm[key]!.forEach((v, e) => close(r.gpu[key]![e]!, v, `${key}[${e}]`));
  });
});

describe.skipIf(!available && !webgpuRequired())(`helpers that read values back, on webgpu${available ? '' : ` (skipped: ${String(webgpu)})`}`, () => {
  afterAll(() => ax.dispose());

  it('oneHot: tensors encode on the device; bad array labels throw at once, bad tensor labels at the next data()', async () => {
    await ax.init({ backend: 'webgpu', gpu });
    const t = ax.oneHot(ax.tensor([2, 0, 1]), 3);
    expect(await t.array()).toEqual([[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
    expect(() => ax.oneHot([0, 3], 3)).toThrow(/oneHot: label 3 at index 1 is not a class index in \[0, 2\]/);
    const bad = ax.oneHot(ax.tensor([0, 5]), 3);
    await expect(bad.data()).rejects.toThrow(/oneHot: label 5 at index 1 is not a class index.*asynchronous check/);
    // reported once: the next read succeeds
    expect(await t.array()).toEqual([[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
    // Dataset.oneHot encodes its host labels on the host
    const ds = new ax.Dataset([[1], [2], [3]], [2, 0, 1]).oneHot(3);
    expect(Array.from(ds.y.data)).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
  });

  it('crossEntropy with an out-of-range label tensor reports it at the next await data()', async () => {
    await ax.init({ backend: 'webgpu', gpu });
    const logits = ax.tensor([[1, 2, 3], [0, 0, 1]]);
    const loss = ax.crossEntropy(logits, ax.tensor([1, 7]));
    await expect(loss.data()).rejects.toThrow(/crossEntropy: label 7 at index 1 is out of range.*asynchronous check/);
    expect(() => ax.crossEntropy(logits, [1, 7])).toThrow(/label 7 at index 1 is out of range/);
  });

  it('hinge with index and one-hot labels (tensor and arrays) matches wasm; non-one-hot rows are reported', async () => {
    const scores = [[1, 2, 0.5], [0.2, -1, 3], [2, 2, 2]];
    const r = await both(async () => {
      const s = ax.variable(ax.tensor(scores));
      const a = await ax.hinge(s, ax.tensor([1, 2, 0])).data();
      const b = await ax.hinge(s, ax.tensor([[0, 1, 0], [0, 0, 1], [1, 0, 0]])).data();
      const c = await ax.hinge(s, [[0, 1, 0], [0, 0, 1], [1, 0, 0]]).data();
      const l = ax.hinge(s, ax.tensor([[0, 1, 0], [0, 0, 1], [1, 0, 0]]));
      l.backward();
      const g = await s.grad!.data();
      return [a[0]!, b[0]!, c[0]!, ...g];
    });
    r.wasm.forEach((v, i) => expect(r.gpu[i]).toBeCloseTo(v, 5));
    expect(r.gpu[0]).toBeCloseTo(r.gpu[1]!, 6);
    await ax.init({ backend: 'webgpu', gpu });
    expect(() => ax.hinge(ax.tensor(scores), [[0, 1, 0], [0, 1, 1], [1, 0, 0]])).toThrow(/label row 1 is not one-hot/);
    const l = ax.hinge(ax.tensor(scores), ax.tensor([[0, 1, 0], [0.5, 0.5, 0], [1, 0, 0]]));
    await expect(l.data()).rejects.toThrow(/label row 1 is not one-hot/);
  });

  it('setWeights from tensors copies on the device (also swapped between layers), from arrays on the host', async () => {
    await ax.init({ backend: 'webgpu', gpu });
    const d = new ax.Dense(2, 2, { seed: 1 });
    d.setWeights([ax.tensor([[1, 2], [3, 4]]), ax.tensor([5, 6])]);
    const [W, b] = d.getWeights();
    expect(await W!.array()).toEqual([[1, 2], [3, 4]]);
    expect(await b!.array()).toEqual([5, 6]);
    d.setWeights([[[0, 1], [1, 0]], [7, 8]]);
    expect(await d.W.array()).toEqual([[0, 1], [1, 0]]);
    const sq = new ax.Sequential([new ax.Dense(2, 2, { seed: 2, bias: false }), new ax.Dense(2, 2, { seed: 3, bias: false })]);
    const [p0, p1] = sq.parameters();
    const v0 = Array.from(await p0!.data());
    const v1 = Array.from(await p1!.data());
    sq.setWeights([p1!, p0!]);
    expect(Array.from(await p0!.data())).toEqual(v1);
    expect(Array.from(await p1!.data())).toEqual(v0);
  });

  it('Optimizer.state() names stateAsync(); stateAsync/loadState round-trip and match wasm', async () => {
    const r = await both(async () => {
      const w = ax.variable(ax.tensor([[1, -2], [3, 0.5]]));
      const opt = new ax.Adam([w], { lr: 0.1 });
      for (let i = 0; i < 3; i++) {
        opt.zeroGrad();
        ax.sum(ax.square(w)).backward();
        opt.step();
      }
      const st = await opt.stateAsync();
      const opt2 = new ax.Adam([w], { lr: 0.1 });
      opt2.loadState(st);
      const again = await opt2.stateAsync();
      expect(Array.from(again.slots[0]!['v']!)).toEqual(Array.from(st.slots[0]!['v']!));
      if (ax.getBackend().name === 'webgpu') expectAsyncOnly(() => opt.state(), /await optimizer\.stateAsync\(\)/);
      else expect(Array.from(opt.state().slots[0]!['m']!)).toEqual(Array.from(st.slots[0]!['m']!));
      return [...st.slots[0]!['m']!, ...st.slots[0]!['v']!, st.step];
    });
    r.wasm.forEach((v, i) => expect(r.gpu[i]).toBeCloseTo(v, 5));
  });

  it('clipGradNorm names clipGradNormAsync; the async form clips on the device and resolves the norm', async () => {
    await ax.init({ backend: 'webgpu', gpu });
    const a = ax.variable(ax.tensor([3, 0]));
    const b = ax.variable(ax.tensor([[0, 4]]));
    ax.add(ax.sum(ax.mul(a, ax.tensor([3, 0]))), ax.sum(ax.mul(b, ax.tensor([[0, 4]])))).backward();
    expectAsyncOnly(() => ax.clipGradNorm([a, b], 1), /await clipGradNormAsync/);
    expect(Array.from(await a.grad!.data())).toEqual([3, 0]); // untouched by the refused call
    const norm = await ax.clipGradNormAsync([a, b], 1);
    expect(norm).toBeCloseTo(5, 5);
    const ga = await a.grad!.data();
    const gb = await b.grad!.data();
    expect(ga[0]).toBeCloseTo(0.6, 5);
    expect(gb[1]).toBeCloseTo(0.8, 5);
    // the optimiser option clips without any read
    const opt = new ax.SGD([a, b], { lr: 1, clipNorm: 0.5 });
    opt.step();
    expect((await a.data())[0]).toBeCloseTo(3 - 0.3, 5);
  });

  it('KNearestNeighbors: predict/kneighbors/score name their async forms; the async forms match wasm', async () => {
    const x = [[0, 0], [1, 0], [0, 1], [10, 10], [11, 10], [10, 11]];
    const y = [0, 0, 0, 1, 1, 1];
    const q = [[0.2, 0.1], [9, 9], [5, 5.2]];
    const r = await both(async () => {
      const knn = new ax.KNearestNeighbors({ k: 3 });
      knn.fit(x, y); // host input: no read-back needed
      const p = await knn.predictAsync(q);
      const nb = await knn.kneighborsAsync(q, { k: 2 });
      const score = await knn.scoreAsync(ax.tensor(q), ax.tensor([0, 1, 1]));
      const knn2 = await new ax.KNearestNeighbors({ k: 1, metric: 'l1' }).fitAsync(ax.tensor(x), ax.tensor(y));
      const p2 = await knn2.predictAsync(ax.tensor(q), { batchSize: 2 });
      if (ax.getBackend().name === 'webgpu') {
        expectAsyncOnly(() => knn.predict(q), /await knn\.predictAsync\(x\)/);
        expectAsyncOnly(() => knn.kneighbors(q), /kneighborsAsync/);
        expectAsyncOnly(() => knn.score(q, [0, 1, 1]), /scoreAsync/);
        expectAsyncOnly(() => knn2.fit(ax.tensor(x), y), /await knn\.fitAsync\(x, y\)/);
      }
      return { p: await p.array(), d: await nb.distances.data(), i: await nb.indices.array(), score, p2: await p2.array() };
    });
    expect(r.gpu.p).toEqual(r.wasm.p);
    expect(r.gpu.i).toEqual(r.wasm.i);
    r.wasm.d.forEach((v, i) => expect(r.gpu.d[i]).toBeCloseTo(v, 4));
    expect(r.gpu.score).toBe(r.wasm.score);
    expect(r.gpu.p2).toEqual(r.wasm.p2);
  });

  it('SoftmaxRegression and LinearSVM train and score on webgpu like on wasm', async () => {
    const { x, y } = data(64);
    const xs = Array.from({ length: 64 }, (_, i) => Array.from(x.subarray(i * IN, (i + 1) * IN)));
    const r = await both(async () => {
      const out: number[] = [];
      for (const clf of [new ax.SoftmaxRegression({ epochs: 5, lr: 0.05, seed: 1 }), new ax.LinearSVM({ epochs: 5, lr: 0.05, seed: 1 })]) {
        const h = await clf.fit(xs, Array.from(y));
        out.push(h.history.loss.at(-1)!, await clf.score(ax.tensor(x, [64, IN]), ax.tensor(y)));
      }
      return out;
    });
    r.wasm.forEach((v, i) => close(r.gpu[i]!, v, `linear classifiers [${i}]`));
  });

  it('Perceptron.fit names fitAsync; fitAsync learns OR', async () => {
    await ax.init({ backend: 'webgpu', gpu });
    const p = new ax.Perceptron(2, { init: 'zeros' });
    const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
    expectAsyncOnly(() => p.fit(x, [0, 1, 1, 1]), /await perceptron\.fitAsync/);
    const h = await p.fitAsync(x, [0, 1, 1, 1]);
    expect(h.converged).toBe(true);
    expect(Array.from(await p.predict(x).data())).toEqual([0, 1, 1, 1]);
  });

  it('PCA / scalers: fit(host arrays) works, fit(tensor) names fitAsync, fitAsync matches wasm', async () => {
    const { x } = data(40);
    const rows = Array.from({ length: 40 }, (_, i) => Array.from(x.subarray(i * IN, (i + 1) * IN)));
    const r = await both(async () => {
      const s = new ax.StandardScaler().fit(rows);
      const mm = await new ax.MinMaxScaler().fitAsync(ax.tensor(x, [40, IN]));
      const pca = await new ax.PCA({ components: 3 }).fitAsync(ax.tensor(x, [40, IN]));
      if (ax.getBackend().name === 'webgpu') {
        expectAsyncOnly(() => new ax.StandardScaler().fit(ax.tensor(x, [40, IN])), /await standardScaler\.fitAsync\(x\)/);
        expectAsyncOnly(() => new ax.PCA({ components: 3 }).fit(rows), /await pca\.fitAsync\(x\)/);
      }
      const z = await pca.transform(rows).data();
      const zs = await s.transform(rows).data();
      const zm = await mm.transform(ax.tensor(x, [40, IN])).data();
      return { ev: Array.from(pca.explainedVariance), z, zs, zm };
    });
    r.wasm.ev.forEach((v, i) => close(r.gpu.ev[i]!, v, `explained variance ${i}`));
    r.wasm.z.forEach((v, i) => expect(Math.abs(r.gpu.z[i]! - v)).toBeLessThan(1e-4));
    r.wasm.zs.forEach((v, i) => expect(Math.abs(r.gpu.zs[i]! - v)).toBeLessThan(1e-5));
    r.wasm.zm.forEach((v, i) => expect(Math.abs(r.gpu.zm[i]! - v)).toBeLessThan(1e-5));
  });

  it('gradcheck names gradcheckAsync; gradcheckAsync passes for softmax and a matmul', async () => {
    await ax.init({ backend: 'webgpu', gpu });
    const f = (a: ax.Tensor, b: ax.Tensor) => ax.softmax(ax.matmul(a, b));
    const inputs = [ax.tensor([[0.1, -0.3, 0.5], [0.7, 0.2, -0.4]]), ax.tensor([[0.3, -0.2], [0.1, 0.4], [-0.5, 0.6]])];
    expectAsyncOnly(() => ax.gradcheck(f, inputs), /await gradcheckAsync/);
    const r = await ax.gradcheckAsync(f, inputs);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(ax.memory().numTensors).toBeLessThan(1000);
  });

  it('toString does not throw on webgpu (values are shown only where they read synchronously)', async () => {
    await ax.init({ backend: 'webgpu', gpu });
    expect(String(ax.tensor([1, 2]))).toBe('Tensor(shape=[2])');
  });
});

for (const backend of ['js', 'wasm'] as const) {
  describe(`async counterparts equal the synchronous APIs on ${backend}`, () => {
    it('stateAsync, clipGradNormAsync, gradcheckAsync, knn/PCA/Perceptron async forms', async () => {
      await ax.init({ backend });
      expect(ax.canReadSync()).toBe(true);
      const w = ax.variable(ax.tensor([[1, -2], [3, 0.5]]));
      const opt = new ax.Adam([w], { lr: 0.1 });
      ax.sum(ax.square(w)).backward();
      expect(ax.clipGradNorm([w], 100)).toBeCloseTo(await ax.clipGradNormAsync([w], 100), 6);
      opt.step();
      expect(await opt.stateAsync()).toEqual(opt.state());
      const f = (a: ax.Tensor) => ax.tanh(a);
      const inputs = [ax.tensor([0.1, -0.4, 0.7])];
      expect(await ax.gradcheckAsync(f, inputs)).toEqual(ax.gradcheck(f, inputs));
      const x = [[0, 0], [1, 0], [0, 1], [10, 10], [11, 10], [10, 11]];
      const knn = new ax.KNearestNeighbors({ k: 3 }).fit(x, [0, 0, 0, 1, 1, 1]);
      expect(await (await knn.predictAsync([[1, 1], [9, 9]])).array()).toEqual(await knn.predict([[1, 1], [9, 9]]).array());
      expect(await knn.scoreAsync([[1, 1], [9, 9]], [0, 0])).toBe(knn.score([[1, 1], [9, 9]], [0, 0]));
      const a = new ax.PCA({ components: 1 }).fit(x);
      const b = await new ax.PCA({ components: 1 }).fitAsync(ax.tensor(x));
      expect(Array.from(b.components)).toEqual(Array.from(a.components));
      const p1 = new ax.Perceptron(2, { seed: 4 });
      const p2 = new ax.Perceptron(2, { seed: 4 });
      const or = [[0, 0], [0, 1], [1, 0], [1, 1]];
      expect(await p2.fitAsync(or, [0, 1, 1, 1])).toEqual(p1.fit(or, [0, 1, 1, 1]));
      ax.dispose();
    });
  });
}
