/**
 * k-nearest neighbours (src/classic/knn.ts) on a hand-checkable set, its tie rules, batching,
 * errors, and accuracy on the sklearn digits (80/20 split) — on the js reference backend and wasm.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ax from '../src/index.js';

const DIGITS = new URL('../../shared/data/sklearn/digits.csv.gz', import.meta.url);

/** The sklearn digits: x [1797, 64] (pixel values 0..16), y [1797]. */
function loadDigits(): { x: ax.HostArray; y: Float32Array } {
  const rows = gunzipSync(readFileSync(DIGITS)).toString('utf8').trim().split('\n');
  const x = new Float32Array(rows.length * 64);
  const y = new Float32Array(rows.length);
  rows.forEach((line, i) => {
    const v = line.split(',').map(Number);
    for (let j = 0; j < 64; j++) x[i * 64 + j] = v[j]!;
    y[i] = v[64]!;
  });
  return { x: { data: x, shape: [rows.length, 64] }, y };
}

const CLUSTERS = {
  x: [[0, 0], [1, 0], [0, 1], [10, 10], [11, 10], [10, 11]],
  y: [0, 0, 0, 1, 1, 1],
};

function labels(t: ax.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

for (const backend of ['js', 'wasm'] as const) {
  describe(`KNearestNeighbors on ${backend}`, () => {
    beforeAll(async () => {
      await ax.init({ backend });
    });

    it('classifies a tiny set by hand', () => {
      const knn = new ax.KNearestNeighbors().fit(CLUSTERS.x, CLUSTERS.y);
      expect(knn.k).toBe(1);
      expect(knn.metric).toBe('l2');
      expect(knn.numClasses).toBe(2);
      expect(knn.nSamples).toBe(6);
      expect(labels(knn.predict([[0.2, 0.1], [9, 9], [6, 6], [4, 5]]))).toEqual([0, 1, 1, 0]);
      const nb = knn.kneighbors([[0.9, 0.1], [10.4, 10.7]], { k: 3 });
      expect(nb.indices.arraySync()).toEqual([[1, 0, 2], [5, 3, 4]]);
      const d = nb.distances.dataSync();
      expect(d[0]).toBeCloseTo(Math.hypot(0.1, 0.1), 6);
      expect(d[1]).toBeCloseTo(Math.hypot(0.9, 0.1), 6);
      expect(d[2]).toBeCloseTo(Math.hypot(0.9, 0.9), 6);
      nb.distances.dispose();
      nb.indices.dispose();
      expect(knn.score([[0, 0.5], [10.5, 10.5], [5, 4]], [0, 1, 1])).toBeCloseTo(2 / 3, 10);
      knn.dispose();
    });

    it('L1 and L2 pick different neighbours where they should', () => {
      // from the origin: A = (3, 0) is L2 distance 3 and L1 3; B = (2, 2) is L2 2.83 but L1 4
      const x = [[3, 0], [2, 2]];
      const y = [0, 1];
      const l2 = new ax.KNearestNeighbors({ metric: 'l2' }).fit(x, y);
      const l1 = new ax.KNearestNeighbors({ metric: 'l1' }).fit(x, y);
      expect(labels(l2.predict([[0, 0]]))).toEqual([1]);
      expect(labels(l1.predict([[0, 0]]))).toEqual([0]);
      const nb = l1.kneighbors([[0, 0]], { k: 2 });
      expect(Array.from(nb.distances.dataSync())).toEqual([3, 4]);
      nb.distances.dispose();
      nb.indices.dispose();
      l1.dispose();
      l2.dispose();
    });

    it('breaks vote ties by distance sum, then by the smallest label; distance ties by index', () => {
      const knn = new ax.KNearestNeighbors({ k: 2 }).fit([[0], [3]], [1, 0]);
      // one vote each: query 1 is nearer to label 1's sample (sum 1 vs 2)
      expect(labels(knn.predict([[1]]))).toEqual([1]);
      // one vote each at equal distance: the smaller label wins
      expect(labels(knn.predict([[1.5]]))).toEqual([0]);
      knn.dispose();
      const dup = new ax.KNearestNeighbors({ k: 1 }).fit([[2], [0], [2]], [3, 1, 2]);
      // samples 0 and 2 are both at distance 1 from 1 (as is sample 1): the earliest index wins
      const nb = dup.kneighbors([[1], [2]], { k: 2 });
      expect(nb.indices.arraySync()).toEqual([[0, 1], [0, 2]]);
      nb.distances.dispose();
      nb.indices.dispose();
      expect(labels(dup.predict([[1]]))).toEqual([3]);
      // majority beats distance: two far votes for 2 outvote one near vote for 7
      const maj = new ax.KNearestNeighbors({ k: 3 }).fit([[0], [2], [2.1], [50]], [7, 2, 2, 7]);
      expect(labels(maj.predict([[0.1]]))).toEqual([2]);
      dup.dispose();
      maj.dispose();
    });

    it('gives the same answers for every batch size, and accepts images, tensors and one-hot labels', () => {
      const { x, y } = loadDigits();
      const train = { data: x.data.subarray(0, 300 * 64), shape: [300, 8, 8] };
      const query = ax.tensor(x.data.subarray(300 * 64, 400 * 64), [100, 8, 8]);
      const onehot = ax.oneHot(ax.tensor(y.subarray(0, 300)), 10);
      const knn = new ax.KNearestNeighbors({ k: 5, metric: 'l1' }).fit(train, onehot);
      const ref = labels(knn.predict(query));
      for (const batchSize of [1, 7, 100, 1000]) expect(labels(knn.predict(query, { batchSize }))).toEqual(ref);
      const truth = Array.from(y.subarray(300, 400));
      const acc = ref.filter((p, i) => p === truth[i]).length / 100;
      expect(knn.score(query, truth, { batchSize: 13 })).toBeCloseTo(acc, 10);
      expect(acc).toBeGreaterThan(0.85);
      query.dispose();
      onehot.dispose();
      knn.dispose();
    });

    it('reaches ≥ 95 % on the sklearn digits with k = 3, L1, on an 80/20 split', () => {
      const { x, y } = loadDigits();
      const [train, test] = new ax.Dataset(x, y).split(0.2, { seed: 0 });
      expect(train.size).toBe(1438);
      expect(test.size).toBe(359);
      const knn = new ax.KNearestNeighbors({ k: 3, metric: 'l1' }).fit(train.x, train.y.data);
      const acc = knn.score(test.x, test.y.data);
      console.log(`digits k-NN (k=3, l1) on ${backend}: test accuracy ${(100 * acc).toFixed(2)} %`);
      expect(acc).toBeGreaterThanOrEqual(0.95);
      const l2 = new ax.KNearestNeighbors({ k: 1 }).fit(train.x, train.y.data);
      expect(l2.score(test.x, test.y.data)).toBeGreaterThanOrEqual(0.95);
      knn.dispose();
      l2.dispose();
    });

    it('keeps memory bounded', () => {
      const knn = new ax.KNearestNeighbors({ k: 3 }).fit(CLUSTERS.x, CLUSTERS.y);
      const before = ax.memory().numTensors;
      for (let i = 0; i < 5; i++) knn.score([[0, 0], [9, 9], [1, 1]], [0, 1, 0], { batchSize: 1 });
      expect(ax.memory().numTensors).toBe(before);
      knn.dispose();
      expect(ax.memory().numTensors).toBe(before - 1);
    });

    it('throws clear errors', () => {
      expect(() => new ax.KNearestNeighbors({ k: 0 })).toThrow(/'k' expected a positive integer/);
      expect(() => new ax.KNearestNeighbors({ metric: 'l3' as never })).toThrow(/unknown metric "l3".*valid: l2, l1/);
      expect(() => new ax.KNearestNeighbors({ kk: 1 } as never)).toThrow(/did you mean 'k'/);
      const knn = new ax.KNearestNeighbors({ k: 3 });
      expect(() => knn.predict([[0, 0]])).toThrow(/call fit\(\) first/);
      expect(() => knn.fit([[0, 0], [1, 1]], [0, 1])).toThrow(/k = 3 needs at least 3 training samples, given 2/);
      expect(() => knn.fit(CLUSTERS.x, [0, 1])).toThrow(/expected 6 labels/);
      expect(() => knn.fit(CLUSTERS.x, [0, 0, 0, 1, 1, 1.5])).toThrow(/label 1.5 at index 5/);
      expect(() => knn.fit(CLUSTERS.x, [0, 0, 0, 1, 1, -1])).toThrow(/label -1/);
      expect(() => knn.fit([[0, NaN], [1, 1], [2, 2]], [0, 1, 1])).toThrow(/NaN/);
      expect(() => knn.fit([1, 2, 3], [0, 1, 1])).toThrow(/\[samples, features...\]/);
      knn.fit(CLUSTERS.x, CLUSTERS.y);
      expect(() => knn.predict([[0, 0, 0]])).toThrow(/expected \[queries, 2 features\]/);
      expect(() => knn.predict([[0, 0]], { batchSize: 0 })).toThrow(/batchSize/);
      expect(() => knn.predict([[0, 0]], { k: 2 } as never)).toThrow(/unknown option 'k'/);
      expect(() => knn.kneighbors([[0, 0]], { k: 7 })).toThrow(/option 'k' expected an integer in \[1, 6\]/);
      expect(() => knn.predict([[NaN, 0]])).toThrow(/query row 0 has non-finite distances/);
      knn.dispose();
    });
  });
}

describe('KNearestNeighbors across init()', () => {
  it('asks for a refit when the backend changed', async () => {
    await ax.init({ backend: 'js' });
    const knn = new ax.KNearestNeighbors().fit(CLUSTERS.x, CLUSTERS.y);
    await ax.init({ backend: 'wasm' });
    expect(() => knn.predict([[0, 0]])).toThrow(/init\(\) was called after fit\(\)\); call fit\(\) again/);
    knn.fit(CLUSTERS.x, CLUSTERS.y);
    expect(labels(knn.predict([[10, 10]]))).toEqual([1]);
    knn.dispose();
  });
});
