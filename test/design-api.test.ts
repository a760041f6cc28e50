// The public API exactly as DESIGN §4 writes it (outside checks call it this way).
import { describe, expect, it } from 'vitest';
import * as ax from '../src/index.js';

for (const backend of ['js', 'wasm'] as const) {
  describe(`DESIGN §4 API on ${backend}`, () => {
    it('tensors, autograd, models, training, save/load and the manual loop', async () => {
      await ax.init({ backend });
      expect(ax.getBackend().name).toBe(backend);

      const t = ax.tensor([[1, 2], [3, 4]]);
      expect(t.shape).toEqual([2, 2]);
      expect(t.size).toBe(4);
      expect(Array.from(await t.data())).toEqual([1, 2, 3, 4]);
      expect(Array.from(t.dataSync())).toEqual([1, 2, 3, 4]);
      expect(await t.array()).toEqual([[1, 2], [3, 4]]);
      const t2 = ax.tensor(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
      expect(t2.shape).toEqual([2, 3]);
      expect(ax.zeros([2, 3]).shape).toEqual([2, 3]);
      expect(Array.from(ax.ones([2]).dataSync())).toEqual([1, 1]);
      const r1 = ax.randn([3, 2], { seed: 1 }).dataSync();
      expect(Array.from(ax.randn([3, 2], { seed: 1 }).dataSync())).toEqual(Array.from(r1));
      expect(ax.rand([4], { seed: 2 }).dataSync().every((v) => v >= 0 && v < 1)).toBe(true);
      const before = ax.memory().numTensors;
      const kept = ax.tidy(() => ax.add(ax.ones([3]), ax.ones([3])));
      expect(ax.memory().numTensors).toBe(before + 1);
      expect(Array.from(kept.dataSync())).toEqual([2, 2, 2]);
      kept.dispose();
      t.dispose();

      const a = ax.tensor([[1, 2], [3, 4], [5, 6]]); // [3, 2]
      const b = ax.tensor([[1, 0, 1], [0, 1, 1], [1, 1, 0]]); // [3, 3]
      expect(await ax.matmul(a, b, { transA: true }).array()).toEqual([[6, 8, 4], [8, 10, 6]]);
      expect(await a.add(1).mul(2).sum().array()).toBe(54);
      for (const f of ['sub', 'div', 'exp', 'log', 'sqrt', 'square', 'abs', 'neg', 'relu', 'sigmoid', 'tanh', 'softmax', 'logSoftmax', 'transpose', 'mean', 'max'] as const) {
        expect(typeof (ax as Record<string, unknown>)[f]).toBe('function');
      }

      const x = ax.randn([4, 3], { seed: 3 });
      const w = ax.variable(ax.randn([3, 2], { seed: 1 }));
      const loss = ax.mean(ax.square(ax.matmul(x, w)));
      loss.backward();
      expect(w.grad!.shape).toEqual([3, 2]);
      ax.noGrad(() => {
        expect(ax.mul(w, 2).requiresGrad).toBe(false);
      });

      const xs = ax.randn([256, 784], { seed: 5 });
      const ys = ax.tensor(Float32Array.from({ length: 256 }, (_, i) => i % 10));
      const model = new ax.Sequential([
        new ax.Dense(784, 256, { activation: 'relu', init: 'he' }),
        new ax.Dropout(0.2),
        new ax.BatchNorm1d(256),
        new ax.Dense(256, 10),
      ]);
      model.compile({ optimizer: new ax.Adam({ lr: 1e-3 }), loss: 'crossEntropy', metrics: ['accuracy'] });
      const history = await model.fit(xs, ys, {
        epochs: 3, batchSize: 64, validationSplit: 0.25, shuffle: true, seed: 0,
        callbacks: [ax.earlyStopping({ monitor: 'valLoss', patience: 3 })],
      });
      expect(history.history.loss.length).toBe(3);
      expect(history.history.loss[2]!).toBeLessThan(history.history.loss[0]!);
      const ev = await model.evaluate(xs, ys);
      expect(typeof ev.loss).toBe('number');
      expect(model.predict(xs).shape).toEqual([256, 10]);
      const [W, bias] = model.layers[0]!.getWeights();
      expect(W!.shape).toEqual([784, 256]);
      expect(bias!.shape).toEqual([256]);
      model.layers[0]!.setWeights([W!, bias!]);
      expect(model.layers[2]!.getWeights().length).toBe(4);
      expect(model.layers[0]!.parameters().length).toBe(2);
      const saved = await model.save();
      const again = await ax.loadModel(saved);
      expect(Array.from(again.predict(xs.slice([0, 0], [4, 784])).dataSync())).toEqual(
        Array.from(model.predict(xs.slice([0, 0], [4, 784])).dataSync()),
      );

      const opt = new ax.Adam(model.parameters(), { lr: 1e-3 });
      const xb = xs.slice([0, 0], [32, 784]);
      const yb = ys.slice([0], [32]);
      opt.zeroGrad();
      const l = ax.crossEntropy(model.forward(xb), yb);
      l.backward();
      opt.step();
      expect(Number.isFinite(l.item())).toBe(true);

      for (const f of ['relu', 'gelu', 'bipolarSigmoid', 'mse', 'crossEntropy', 'hinge', 'binaryCrossEntropy'] as const) {
        expect(typeof (ax as Record<string, unknown>)[f]).toBe('function');
      }
      expect(ax.leakyRelu(ax.tensor([-1, 1]), 0.01).dataSync()[0]).toBeCloseTo(-0.01, 6);
    }, 60_000);
  });
}
