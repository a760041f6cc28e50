/**
 * The classic separability demonstrations, on every backend: Rosenblatt's perceptron learns
 * OR and AND but never XOR; a 2-layer MLP trained with autograd and a plain SGD loop solves XOR.
 * Each training run must stay well under 2 s.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as ax from '../src/index.js';

const X = [[0, 0], [0, 1], [1, 0], [1, 1]];
const OR = [0, 1, 1, 1];
const AND = [0, 0, 0, 1];
const XOR = [0, 1, 1, 0];

function predictions(t: ax.Tensor): number[] {
  return Array.from(t.dataSync());
}

for (const backend of ['js', 'wasm'] as const) {
  describe(`separability [${backend}]`, () => {
    beforeAll(async () => {
      await ax.init({ backend });
    });

    for (const [name, y] of [['OR', OR], ['AND', AND]] as const) {
      it(`the perceptron learns ${name}`, () => {
        const p = new ax.Perceptron(2, { lr: 0.1, seed: 1 });
        const h = p.fit(X, y, 100);
        expect(h.converged).toBe(true);
        expect(h.errors[h.errors.length - 1]).toBe(0);
        const out = p.predict(X);
        expect(out.shape).toEqual([4, 1]);
        expect(predictions(out)).toEqual([...y]);
        out.dispose();
        p.dispose();
      });
    }

    it('the perceptron never learns XOR (not linearly separable)', () => {
      const p = new ax.Perceptron(2, { lr: 0.1, seed: 1 });
      const h = p.fit(X, XOR, 200);
      expect(h.converged).toBe(false);
      expect(h.epochs).toBe(200);
      expect(Math.min(...h.errors)).toBeGreaterThan(0);
      const out = p.predict(X);
      expect(predictions(out)).not.toEqual(XOR);
      out.dispose();
      p.dispose();
    });

    it('the perceptron rejects bad targets and shapes before changing its weights', () => {
      const p = new ax.Perceptron(2, { seed: 2 });
      const w = p.W.dataSync();
      expect(() => p.fit(X, [0, 1, 2, 1])).toThrow(/y\[2\] = 2; targets must be 0 or 1/);
      expect(() => p.fit(X, [0, 1, 1])).toThrow(/y expected shape \[4\] or \[4, 1\]/);
      expect(() => p.fit([[1, 2, 3]], [1])).toThrow(/x expected shape \[samples, 2\]/);
      expect(p.W.dataSync()).toEqual(w);
      p.dispose();
    });

    it('a 2-layer MLP (tanh, sigmoid) trained with autograd + SGD solves XOR', () => {
      const start = performance.now();
      const model = new ax.Sequential([new ax.Dense(2, 4, { activation: 'tanh', seed: 3 }), new ax.Dense(4, 1, { activation: 'sigmoid', seed: 4 })]);
      const x = ax.tensor(X);
      const y = ax.tensor(XOR.map((v) => [v]));
      const params = model.parameters();
      let last = Infinity;
      for (let step = 0; step < 1500; step++) {
        last = ax.tidy(() => {
          const loss = ax.binaryCrossEntropy(model.forward(x), y);
          loss.backward();
          for (const p of params) {
            p.backend.axpy(-1.0, p.grad!.storage, p.storage, p.size);
            p.grad!.dispose();
            p.grad = null;
          }
          return step % 100 === 99 ? loss.item() : Infinity;
        }) as number;
        if (last < 0.02) break;
      }
      const out = ax.noGrad(() => model.forward(x));
      const probs = predictions(out);
      expect(probs.map((v) => (v > 0.5 ? 1 : 0))).toEqual(XOR);
      expect(last).toBeLessThan(0.05);
      const ms = performance.now() - start;
      expect(ms, `training took ${ms.toFixed(0)} ms`).toBeLessThan(2000);
      for (const t of [out, x, y]) t.dispose();
      model.dispose();
    });
  });
}
