/**
 * Linear classifiers (src/classic/linear.ts) on every backend: separable toy data is learned
 * perfectly, iris reaches ≥ 90 % on a seeded split, the API (labels, inputs, probabilities,
 * weights, L2, optimisers, margins) behaves, bad input is rejected before anything changes,
 * and the js and wasm backends train to the same weights.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ax from '../src/index.js';
import { loadIris } from '../src/node.js';

const SHARED = process.env.AXON_DATA ? resolve(process.env.AXON_DATA) : fileURLToPath(new URL('../../shared/data', import.meta.url));
const HAVE_IRIS = existsSync(join(SHARED, 'sklearn', 'iris.csv'));

/** Three well-separated 2-D blobs (a fixed grid of offsets around each centre): 3 × 16 samples. */
function blobs(): { x: number[][]; y: number[] } {
  const centres = [[-4, 0], [4, 0], [0, 5]];
  const x: number[][] = [];
  const y: number[] = [];
  centres.forEach(([cx, cy], c) => {
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) {
      x.push([cx! + (i - 1.5) * 0.5, cy! + (j - 1.5) * 0.5]);
      y.push(c);
    }
  });
  return { x, y };
}

function norm(t: ax.Tensor): number {
  return Math.sqrt(Array.from(t.dataSync()).reduce((s, v) => s + v * v, 0));
}

const CLASSIFIERS = [
  ['SoftmaxRegression', (o?: ax.LinearClassifierOptions) => new ax.SoftmaxRegression(o)],
  ['LinearSVM', (o?: ax.LinearSVMOptions) => new ax.LinearSVM(o)],
] as const;

for (const backend of ['js', 'wasm'] as const) {
  describe(`linear classifiers [${backend}]`, () => {
    beforeAll(async () => {
      await ax.init({ backend });
    });

    for (const [name, make] of CLASSIFIERS) {
      describe(name, () => {
        it('learns linearly separable blobs perfectly (100 %)', async () => {
          const { x, y } = blobs();
          const before = ax.memory().numTensors;
          const clf = make({ epochs: 40, batchSize: 8, lr: 0.05, seed: 1 });
          const h = await clf.fit(x, y);
          expect(h.history.loss).toHaveLength(40);
          expect(h.history.loss[39]!).toBeLessThan(h.history.loss[0]!);
          expect(await clf.score(x, y)).toBe(1);
          const pred = clf.predict(x);
          expect(pred.shape).toEqual([48]);
          expect(Array.from(pred.dataSync())).toEqual(y);
          pred.dispose();
          expect(clf.numClasses).toBe(3);
          expect(clf.nFeatures).toBe(2);
          expect(clf.toString()).toBe(`${name}(2 features → 3 classes)`);
          const [w, b] = clf.getWeights();
          expect(w!.shape).toEqual([2, 3]);
          expect(b!.shape).toEqual([3]);
          w!.dispose();
          b!.dispose();
          clf.dispose();
          expect(ax.memory().numTensors).toBe(before);
        });

        it.skipIf(!HAVE_IRIS)(`iris: ≥ 90 % test accuracy on a seeded 70/30 split${HAVE_IRIS ? '' : ' (skipped: iris.csv not found; set AXON_DATA)'}`, async () => {
          const iris = await loadIris({ dir: SHARED });
          const [train, test] = new ax.Dataset(iris, iris.labels).split(0.3, { seed: 7 });
          const a = train.tensors();
          const b = test.tensors();
          const clf = make({ epochs: 100, lr: 0.05, seed: 0 });
          await clf.fit(a.x, a.y);
          const acc = await clf.score(b.x, b.y);
          expect(acc).toBeGreaterThanOrEqual(0.9);
          expect(await clf.score(a.x, a.y)).toBeGreaterThanOrEqual(0.9);
          for (const t of [a.x, a.y, b.x, b.y]) t.dispose();
          clf.dispose();
        });

        it('takes one-hot labels, typed-array labels and [N, …] inputs (flattened)', async () => {
          const { x, y } = blobs();
          const oneHot = y.map((c) => [0, 1, 2].map((j) => (j === c ? 1 : 0)));
          const clf = make({ epochs: 30, batchSize: 8, lr: 0.05, seed: 2 });
          await clf.fit(x, oneHot);
          expect(await clf.score(x, oneHot)).toBe(1);
          const x3 = ax.tensor(x.flat(), [48, 1, 2]);
          await clf.fit(x3, Uint8Array.from(y));
          expect(await clf.score(x3, Int32Array.from(y))).toBe(1);
          expect(await clf.score(x, y)).toBe(1); // [N, 2] works too: the feature count is what matters
          x3.dispose();
          clf.dispose();
        });

        it('the same seed gives the same weights; l2 shrinks them', async () => {
          const { x, y } = blobs();
          const w = async (l2: number, seed: number) => {
            const clf = make({ epochs: 20, batchSize: 8, lr: 0.05, seed, l2 });
            await clf.fit(x, y);
            const [W, b] = clf.getWeights();
            const out = { W: W!.dataSync(), n: norm(W!) };
            W!.dispose();
            b!.dispose();
            clf.dispose();
            return out;
          };
          const a = await w(0, 3);
          const b = await w(0, 3);
          const c = await w(0, 4);
          const d = await w(0.1, 3);
          expect(b.W).toEqual(a.W);
          expect(c.W).not.toEqual(a.W);
          expect(d.n).toBeLessThan(a.n * 0.8);
        });

        it('trains with any optimiser: an instance or a name', async () => {
          const { x, y } = blobs();
          for (const opt of [new ax.SGD({ lr: 0.1, momentum: 0.9 }), new ax.RMSprop({ lr: 0.01 }), 'adagrad', 'sgd'] as const) {
            const clf = make({ epochs: 30, batchSize: 8, optimizer: opt, ...(typeof opt === 'string' ? { lr: 0.1 } : {}), seed: 5 });
            await clf.fit(x, y);
            expect(await clf.score(x, y)).toBe(1);
            clf.dispose();
          }
        });

        it('fit options override the constructor defaults; validation is logged', async () => {
          const { x, y } = blobs();
          const clf = make({ epochs: 100, lr: 0.05 });
          const h = await clf.fit(x, y, { epochs: 3, validationData: [x, y], batchSize: 16 });
          expect(h.history.loss).toHaveLength(3);
          expect(h.history.valAccuracy).toHaveLength(3);
          expect(h.history.accuracy).toHaveLength(3);
          clf.dispose();
        });

        it('rejects bad input clearly, before replacing the trained model', async () => {
          const { x, y } = blobs();
          expect(() => make({ epoch: 3 } as never)).toThrow(/unknown option 'epoch'.*epochs/);
          expect(() => make({ optimizer: new ax.Adam({ lr: 0.1 }), lr: 0.1 })).toThrow(/'lr' applies only when 'optimizer' is a name/);
          expect(() => make({ l2: -1 })).toThrow(/'l2' expected a finite number ≥ 0/);
          expect(() => make({ numClasses: 1 })).toThrow(/at least 2/);
          const clf = make({ epochs: 5, batchSize: 16, seed: 1 });
          expect(() => clf.predict(x)).toThrow(/not trained; call fit\(x, y\) first/);
          await clf.fit(x, y);
          const [w0] = clf.getWeights();
          await expect(clf.fit(x, y.slice(1))).rejects.toThrow(/expected class indices of shape \[48\]/);
          await expect(clf.fit(x, y.map((v) => v + 0.5))).rejects.toThrow(/y\[0\] = 0.5 is not a class index/);
          await expect(clf.fit(x, y, { numClasses: 2 })).rejects.toThrow(/label 2 is out of range for numClasses 2/);
          await expect(clf.fit(x, y.map(() => 0))).rejects.toThrow(/only one class/);
          await expect(clf.fit([1, 2, 3] as never, [0, 1, 0])).rejects.toThrow(/expected shape \[samples, features\]/);
          await expect(clf.fit(x, y, { optimizer: 'adamm' })).rejects.toThrow(/option 'optimizer'.*adam/);
          await expect(clf.fit(x, y, { batchsize: 3 } as never)).rejects.toThrow(/unknown option 'batchsize'/);
          const [w1] = clf.getWeights();
          expect(w1!.dataSync()).toEqual(w0!.dataSync());
          expect(() => clf.predict([[1, 2, 3]])).toThrow(/expected 2 features per sample \(as in fit\), given shape \[1, 3\]/);
          w0!.dispose();
          w1!.dispose();
          clf.dispose();
        });
      });
    }

    it('SoftmaxRegression.predictProba: rows are probabilities whose argmax is predict', async () => {
      const { x, y } = blobs();
      const clf = new ax.SoftmaxRegression({ epochs: 30, batchSize: 8, lr: 0.05, seed: 1 });
      await clf.fit(x, y);
      const p = clf.predictProba(x);
      expect(p.shape).toEqual([48, 3]);
      const d = p.dataSync();
      for (let i = 0; i < 48; i++) {
        const row = Array.from(d.subarray(i * 3, i * 3 + 3));
        expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
        expect(row.indexOf(Math.max(...row))).toBe(y[i]);
      }
      p.dispose();
      clf.dispose();
    });

    it('LinearSVM: decisionFunction gives scores; a wider margin (custom loss path) also separates', async () => {
      const { x, y } = blobs();
      const svm = new ax.LinearSVM({ epochs: 40, batchSize: 8, lr: 0.05, seed: 1, margin: 2 });
      expect(() => new ax.LinearSVM({ margin: 0 })).toThrow(/'margin' expected a finite number > 0/);
      expect(() => new ax.SoftmaxRegression({ margin: 1 } as never)).toThrow(/unknown option 'margin'/);
      await svm.fit(x, y);
      expect(await svm.score(x, y)).toBe(1);
      const s = svm.decisionFunction(x);
      expect(s.shape).toEqual([48, 3]);
      // trained to the margin: the true class beats the others by a clear gap on this easy data
      const d = s.dataSync();
      for (let i = 0; i < 48; i++) {
        const row = Array.from(d.subarray(i * 3, i * 3 + 3));
        const others = row.filter((_, j) => j !== y[i]);
        expect(row[y[i]!]! - Math.max(...others)).toBeGreaterThan(0.5);
      }
      s.dispose();
      svm.dispose();
    });
  });
}

describe('linear classifiers: js and wasm train to the same weights', () => {
  it('SoftmaxRegression and LinearSVM after 10 epochs agree to 1e-4', async () => {
    const { x, y } = blobs();
    const weights: Record<string, Float32Array[]> = {};
    for (const backend of ['js', 'wasm'] as const) {
      await ax.init({ backend });
      for (const [name, make] of CLASSIFIERS) {
        const clf = make({ epochs: 10, batchSize: 8, lr: 0.05, seed: 9, l2: 1e-3 });
        await clf.fit(x, y);
        const ws = clf.getWeights();
        (weights[name] ??= []).push(...ws.map((w) => w.dataSync()));
        for (const w of ws) w.dispose();
        clf.dispose();
      }
    }
    for (const [name] of CLASSIFIERS) {
      const [wj, bj, ww, bw] = weights[name]!;
      for (const [a, b] of [[wj!, ww!], [bj!, bw!]]) {
        for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-4);
      }
    }
  });
});
