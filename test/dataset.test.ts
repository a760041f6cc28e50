/**
 * Dataset (src/data/dataset.ts): construction from tensors / arrays / host data, seeded
 * shuffling (the same permutation as fit), batching, splits, slicing, one-hot targets and
 * argument errors — on the js reference backend and on wasm.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as ax from '../src/index.js';
import { permutation } from '../src/train/shuffle.js';

/** x[i] = [i, 100 + i, 200 + i], y[i] = i % 3: every row says which sample it is. */
function toy(n: number): { x: number[][]; y: number[] } {
  return { x: Array.from({ length: n }, (_, i) => [i, 100 + i, 200 + i]), y: Array.from({ length: n }, (_, i) => i % 3) };
}

/** Sample ids of a dataset (x[:, 0]), checking that x and y still belong together. */
function ids(ds: ax.Dataset): number[] {
  const out: number[] = [];
  for (let i = 0; i < ds.size; i++) {
    const id = ds.x.data[i * 3]!;
    expect(ds.x.data[i * 3 + 1]).toBe(100 + id);
    expect(ds.y.data[i]).toBe(id % 3);
    out.push(id);
  }
  return out;
}

for (const backend of ['js', 'wasm'] as const) {
  describe(`Dataset on ${backend}`, () => {
    beforeAll(async () => {
      await ax.init({ backend });
    });

    it('builds from nested arrays, tensors and { data, shape }', () => {
      const { x, y } = toy(10);
      const a = new ax.Dataset(x, y);
      expect(a.size).toBe(10);
      expect(a.sampleShape).toEqual([3]);
      expect(a.targetShape).toEqual([]);
      const tx = ax.tensor(x);
      const b = new ax.Dataset(tx, ax.tensor(y));
      expect(Array.from(b.x.data)).toEqual(x.flat());
      tx.dispose();
      expect(Array.from(b.x.data)).toEqual(x.flat()); // a host copy, independent of the tensor
      const c = new ax.Dataset({ data: new Float32Array(2 * 4 * 4), shape: [2, 4, 4] }, new Uint8Array([3, 7]));
      expect(c.sampleShape).toEqual([4, 4]);
      expect(Array.from(c.y.data)).toEqual([3, 7]);
      expect(String(c)).toBe('Dataset(size=2, x=[2, 4, 4], y=[2])');
      // an autoencoder dataset shares x as its target
      const ae = new ax.Dataset(x, x);
      expect(ae.y).toBe(ae.x);
    });

    it('shuffles reproducibly with fit’s permutation, keeping x and y together', () => {
      const { x, y } = toy(50);
      const ds = new ax.Dataset(x, y);
      const s1 = ds.shuffle(7);
      const s2 = ds.shuffle(7);
      expect(ids(s1)).toEqual(ids(s2));
      expect(ids(s1)).toEqual(Array.from(permutation(50, 7, 0)));
      expect(ids(ds.shuffle(8))).not.toEqual(ids(s1));
      expect([...ids(s1)].sort((p, q) => p - q)).toEqual(ids(ds));
      expect(ids(ds)).toEqual(Array.from({ length: 50 }, (_, i) => i)); // the original is untouched
      // golden: the first entries of the seed-0 permutation of 10 (Philox stream, fixed forever)
      expect(ids(new ax.Dataset(toy(10).x, toy(10).y).shuffle(0))).toEqual(Array.from(permutation(10, 0, 0)));
    });

    it('iterates batches: sizes, order, shuffling per epoch, dropLast', () => {
      const { x, y } = toy(10);
      const ds = new ax.Dataset(x, y);
      expect(ds.numBatches(4)).toBe(3);
      expect(ds.numBatches(4, true)).toBe(2);
      const seen: number[] = [];
      const sizes: number[] = [];
      for (const b of ds.batches(4)) {
        expect(b.x.shape).toEqual([b.x.shape[0], 3]);
        expect(b.y.shape).toEqual([b.x.shape[0]]);
        sizes.push(b.x.shape[0]!);
        const xv = b.x.dataSync();
        const yv = b.y.dataSync();
        for (let i = 0; i < b.x.shape[0]!; i++) {
          seen.push(xv[i * 3]!);
          expect(yv[i]).toBe(xv[i * 3]! % 3);
        }
        b.x.dispose();
        b.y.dispose();
      }
      expect(sizes).toEqual([4, 4, 2]);
      expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect([...ds.batches(4, { dropLast: true })].map((b) => b.x.shape[0])).toEqual([4, 4]);

      const order = (epoch: number): number[] => {
        const out: number[] = [];
        for (const b of ds.batches(3, { shuffle: true, seed: 5, epoch })) {
          const xv = b.x.dataSync();
          for (let i = 0; i < b.x.shape[0]!; i++) out.push(xv[i * 3]!);
          b.x.dispose();
          b.y.dispose();
        }
        return out;
      };
      expect(order(0)).toEqual(Array.from(permutation(10, 5, 0)));
      expect(order(1)).toEqual(Array.from(permutation(10, 5, 1)));
      expect(order(1)).not.toEqual(order(0));
      expect(order(2)).toEqual(order(2));
    });

    it('batches inside tidy free their tensors', () => {
      const { x, y } = toy(32);
      const ds = new ax.Dataset(x, y);
      const before = ax.memory().numTensors;
      let total = 0;
      ax.tidy(() => {
        for (const { x: bx } of ds.batches(8, { shuffle: true })) total += ax.sum(bx).item();
      });
      expect(total).toBe(x.flat().reduce((a, b) => a + b, 0));
      expect(ax.memory().numTensors).toBe(before);
    });

    it('splits into train and validation parts', () => {
      const { x, y } = toy(25);
      const ds = new ax.Dataset(x, y);
      const [tr, va] = ds.split(0.2, { seed: 3 });
      expect(tr.size).toBe(20);
      expect(va.size).toBe(5);
      const all = [...ids(tr), ...ids(va)];
      expect(all).toEqual(Array.from(permutation(25, 3, 0)));
      const [tr2, va2] = ds.split(0.2, { seed: 3 });
      expect(ids(va2)).toEqual(ids(va));
      expect(ids(tr2)).toEqual(ids(tr));
      const [a, b] = ds.split(0.1, { shuffle: false });
      expect(ids(a)).toEqual(Array.from({ length: 23 }, (_, i) => i));
      expect(ids(b)).toEqual([23, 24]); // floor(25·0.1) = 2 last samples, like fit's validationSplit
    });

    it('slices, takes and gathers', () => {
      const { x, y } = toy(10);
      const ds = new ax.Dataset(x, y);
      expect(ids(ds.take(3))).toEqual([0, 1, 2]);
      expect(ids(ds.take(99))).toEqual(ids(ds));
      expect(ids(ds.slice(7))).toEqual([7, 8, 9]);
      expect(ids(ds.slice(2, 4))).toEqual([2, 3]);
      expect(ids(ds.slice(-2))).toEqual([8, 9]);
      expect(ds.slice(5, 2).size).toBe(0);
      expect(ids(ds.gather([9, 0, 9]))).toEqual([9, 0, 9]);
      expect(ds.take(3).x.data.buffer).toBe(ds.x.data.buffer); // a view, no copy
      const { x: tx, y: ty } = ds.slice(4, 6).tensors();
      expect(tx.arraySync()).toEqual([x[4], x[5]]);
      expect(ty.arraySync()).toEqual([y[4], y[5]]);
      tx.dispose();
      ty.dispose();
    });

    it('one-hot encodes class-index targets with ax.oneHot', () => {
      const { x, y } = toy(4);
      const oh = new ax.Dataset(x, y).oneHot(3);
      expect(oh.targetShape).toEqual([3]);
      expect(Array.from(oh.y.data)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0]);
      const b = oh.batches(2).next().value!;
      expect(b.y.arraySync()).toEqual([[1, 0, 0], [0, 1, 0]]);
      b.x.dispose();
      b.y.dispose();
      expect(() => new ax.Dataset(x, y).oneHot(2)).toThrow(/label 2 at index 2/);
      expect(() => oh.oneHot(3)).toThrow(/class-index targets/);
    });

    it('throws clear errors', () => {
      const { x, y } = toy(10);
      expect(() => new ax.Dataset(x, y.slice(0, 9))).toThrow(/different numbers of samples: x \[10, 3\] has 10, y \[9\] has 9/);
      expect(() => new ax.Dataset([[1, NaN]], [0])).toThrow(expect.objectContaining({ code: 'NON_FINITE' }));
      expect(() => new ax.Dataset([[1, 2]], [Infinity])).toThrow(/'y' contains Infinity at flat index 0/);
      expect(new ax.Dataset([[1, NaN]], [0], { validate: false }).size).toBe(1);
      expect(() => new ax.Dataset(ax.tensor(3), y)).toThrow(/samples along the first axis/);
      expect(() => new ax.Dataset('abc' as never, y)).toThrow(/expected a Tensor/);
      expect(() => new ax.Dataset({ data: [1, 2, 3], shape: [2, 2] }, [0, 1])).toThrow(/3 values but shape \[2, 2\]/);
      expect(() => new ax.Dataset(x, y, { validat: true } as never)).toThrow(/did you mean 'validate'/);
      const ds = new ax.Dataset(x, y);
      // thrown when called, not at the first iteration
      expect(() => ds.batches(0)).toThrow(/'batchSize' expected a positive integer, given 0/);
      expect(() => ds.batches(-2)).toThrow(/batchSize/);
      expect(() => ds.batches(2.5)).toThrow(/batchSize/);
      expect(() => ds.batches(2, { shufle: true } as never)).toThrow(/did you mean 'shuffle'/);
      expect(() => ds.batches(2, { seed: -1 })).toThrow(/seed/);
      expect(() => ds.split(0)).toThrow(/\(0, 1\)/);
      expect(() => ds.split(1)).toThrow(/\(0, 1\)/);
      expect(() => ds.split(0.05)).toThrow(/leaves no validation samples/);
      expect(() => ds.shuffle(1.5)).toThrow(/non-negative integer/);
      expect(() => ds.gather([10])).toThrow(/index 10 at position 0/);
      expect(() => ds.take(-1)).toThrow(/non-negative integer/);
      expect(() => ds.slice(0.5)).toThrow(/integer/);
    });
  });
}
