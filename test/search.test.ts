/**
 * Random hyperparameter search (src/search): the samplers' distributions (log-uniform's log is
 * uniform), seeded reproducibility, ranking (best first, failed trials last), the result table,
 * a tiny real search on a toy problem on every backend, and clear errors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as ax from '../src/index.js';

const N = 20000;

function draws(s: ax.Sampler<number>, seed = 0): number[] {
  return ax.sampleSpace({ v: s }, N, seed).map((p) => p.v);
}

/** Counts of `values` in `bins` equal-width bins over [lo, hi). */
function histogram(values: number[], lo: number, hi: number, bins: number): number[] {
  const h = new Array<number>(bins).fill(0);
  for (const v of values) h[Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo)) * bins))]!++;
  return h;
}

/** Pearson χ² statistic against equal expected counts. */
function chiSquare(counts: number[]): number {
  const e = counts.reduce((s, c) => s + c, 0) / counts.length;
  return counts.reduce((s, c) => s + (c - e) ** 2 / e, 0);
}

// χ² critical values at p = 0.001: 9 dof 27.9, 2 dof 13.8, 4 dof 18.5
describe('samplers', () => {
  it('uniformAt: float64 in [0, 1), a pure function of (seed, index)', () => {
    const u = Array.from({ length: N }, (_, i) => ax.uniformAt(5, i));
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(ax.uniformAt(5, 1234)).toBe(u[1234]);
    expect(ax.uniformAt(6, 1234)).not.toBe(u[1234]);
    expect(chiSquare(histogram(u, 0, 1, 10))).toBeLessThan(27.9);
    expect(new Set(u).size).toBe(N); // 53-bit values: no repeats in 20 000
  });

  it('uniform(low, high): flat on [low, high)', () => {
    const v = draws(ax.uniform(-2, 3));
    expect(Math.min(...v)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...v)).toBeLessThan(3);
    expect(v.reduce((s, x) => s + x, 0) / N).toBeCloseTo(0.5, 1);
    expect(chiSquare(histogram(v, -2, 3, 10))).toBeLessThan(27.9);
  });

  it("logUniform(low, high): the log is uniform (every decade equally likely)", () => {
    const v = draws(ax.logUniform(1e-4, 1e-1));
    expect(Math.min(...v)).toBeGreaterThanOrEqual(1e-4);
    expect(Math.max(...v)).toBeLessThanOrEqual(1e-1);
    const logs = v.map(Math.log10);
    expect(chiSquare(histogram(logs, -4, -1, 10))).toBeLessThan(27.9);
    expect(logs.reduce((s, x) => s + x, 0) / N).toBeCloseTo(-2.5, 1);
    const decades = histogram(logs, -4, -1, 3);
    for (const c of decades) expect(Math.abs(c / N - 1 / 3)).toBeLessThan(0.02);
    // …whereas its values are far from uniform: most mass sits in the top decade by value range
    expect(chiSquare(histogram(v, 1e-4, 1e-1, 10))).toBeGreaterThan(1000);
  });

  it('intUniform(low, high): each integer of [low, high] equally likely, both ends included', () => {
    const v = draws(ax.intUniform(3, 7));
    expect(v.every(Number.isInteger)).toBe(true);
    const counts = [3, 4, 5, 6, 7].map((k) => v.filter((x) => x === k).length);
    expect(counts.every((c) => c > 0)).toBe(true);
    expect(counts.reduce((s, c) => s + c, 0)).toBe(N);
    expect(chiSquare(counts)).toBeLessThan(18.5);
    expect(draws(ax.intUniform(4, 4)).every((x) => x === 4)).toBe(true);
  });

  it('choice(values): each value equally likely; any value type', () => {
    const v = ax.sampleSpace({ h: ax.choice([64, 128, 256]), act: ax.choice(['relu', 'tanh']) }, N, 3);
    const counts = [64, 128, 256].map((k) => v.filter((p) => p.h === k).length);
    expect(chiSquare(counts)).toBeLessThan(13.8);
    expect(new Set(v.map((p) => p.act))).toEqual(new Set(['relu', 'tanh']));
  });

  it('sampleSpace/sampleParams: reproducible for a seed, prefix-stable, constants passed through', () => {
    const space = { lr: ax.logUniform(1e-4, 1e-1), l2: ax.logUniform(1e-6, 1e-2), dropout: ax.uniform(0, 0.5), hidden: ax.choice([64, 128, 256]), epochs: 3 };
    const a = ax.sampleSpace(space, 10, 42);
    const b = ax.sampleSpace(space, 10, 42);
    expect(b).toEqual(a);
    expect(ax.sampleSpace(space, 4, 42)).toEqual(a.slice(0, 4));
    expect(ax.sampleParams(space, 42, 7)).toEqual(a[7]);
    expect(ax.sampleSpace(space, 10, 43)).not.toEqual(a);
    expect(a.every((p) => p.epochs === 3)).toBe(true);
    expect(new Set(a.map((p) => p.lr)).size).toBe(10);
    // the documented stream layout: key k of trial t is uniform number t·K + k
    expect(a[2]!.dropout).toBe(0.5 * ax.uniformAt(42, 2 * 5 + 2));
    expect(ax.describeSpace(space)).toBe('lr ~ logUniform(0.0001, 0.1)\nl2 ~ logUniform(0.000001, 0.01)\ndropout ~ uniform(0, 0.5)\nhidden ~ choice([64, 128, 256])\nepochs = 3');
  });

  it('bad sampler arguments throw clear errors', () => {
    expect(() => ax.logUniform(0, 1)).toThrow(/logUniform: argument 'low' expected a number > 0/);
    expect(() => ax.uniform(1, 1)).toThrow(/uniform: expected low < high/);
    expect(() => ax.uniform(0, Infinity)).toThrow(/'high' expected a finite number/);
    expect(() => ax.intUniform(1.5, 3)).toThrow(/intUniform: argument 'low' expected an integer/);
    expect(() => ax.intUniform(3, 1)).toThrow(/low ≤ high/);
    expect(() => ax.choice([])).toThrow(/choice: argument 'values' expected a non-empty array/);
    expect(() => ax.sampleParams({}, 0, 0)).toThrow(/'space' is empty/);
    expect(() => ax.sampleParams({ a: ax.uniform(0, 1) }, -1, 0)).toThrow(/'seed' expected a non-negative integer/);
  });
});

/** Three separable 2-D blobs, 30 samples each, interleaved by class (so an unshuffled split is fair too). */
function blobs(): { x: number[][]; y: number[] } {
  const centres = [[-3, 0], [3, 0], [0, 4]];
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 30; i++) {
    centres.forEach(([cx, cy], c) => {
      x.push([cx! + ((i % 6) - 2.5) * 0.3, cy! + (Math.floor(i / 6) - 2) * 0.3]);
      y.push(c);
    });
  }
  return { x, y };
}

function mlp(p: { lr: number; hidden: number }, seed: number): ax.Sequential {
  return new ax.Sequential([new ax.Dense(2, p.hidden, { activation: 'relu', seed }), new ax.Dense(p.hidden, 3, { seed: seed + 1 })]).compile({
    optimizer: new ax.SGD({ lr: p.lr }),
    loss: 'crossEntropy',
    metrics: ['accuracy'],
  });
}

for (const backend of ['js', 'wasm'] as const) {
  describe(`randomSearch [${backend}]`, () => {
    beforeAll(async () => {
      await ax.init({ backend });
    });

    it('a tiny real search: ranked best first, the best one learned the toy problem, nothing leaks', async () => {
      const data = blobs();
      const before = ax.memory().numTensors;
      const seen: number[] = [];
      const results = await ax.randomSearch({
        space: { lr: ax.logUniform(1e-3, 1), hidden: ax.choice([4, 16]) },
        trials: 6,
        seed: 11,
        epochs: 4,
        batchSize: 16,
        data,
        build: (p, t) => mlp(p, 100 + t),
        onTrial: (r, pr) => {
          seen.push(r.trial);
          expect(pr.total).toBe(6);
          expect(pr.done).toBe(r.trial + 1);
        },
      });
      expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
      expect(results.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(new Set(results.map((r) => r.trial)).size).toBe(6);
      for (let i = 1; i < results.length; i++) expect(results[i - 1]!.score).toBeGreaterThanOrEqual(results[i]!.score);
      const best = results[0]!;
      expect(best.metric).toBe('valAccuracy');
      expect(best.score).toBe(best.valAccuracy);
      expect(best.valAccuracy).toBeGreaterThanOrEqual(0.95);
      expect(best.epochs).toBe(4);
      expect(best.history.valLoss).toHaveLength(4);
      expect(best.seconds).toBeGreaterThan(0);
      expect(best.params).toEqual(ax.sampleParams({ lr: ax.logUniform(1e-3, 1), hidden: ax.choice([4, 16]) }, 11, best.trial));
      // the worst trials had the smallest learning rates: 4 epochs of lr ≈ 1e-3 cannot learn much
      expect(results[5]!.params.lr).toBeLessThan(best.params.lr);
      expect(ax.memory().numTensors).toBe(before);

      const table = ax.formatTable(results);
      const lines = table.split('\n');
      expect(lines).toHaveLength(7);
      expect(lines[0]!.split(/\s+/)).toEqual(['rank', 'trial', 'lr', 'hidden', 'valAcc', 'valLoss', 'epochs', 'seconds']);
      expect(lines[1]!.trim().split(/\s+/).slice(0, 2)).toEqual(['1', String(best.trial)]);
      expect(lines[1]).toContain(`${(best.valAccuracy * 100).toFixed(2)}%`);
      expect(ax.formatTable(results, { maxRows: 2 }).split('\n')).toHaveLength(4);
    });

    it('is reproducible for a seed (same params, same scores)', async () => {
      const run = () =>
        ax.randomSearch({ space: { lr: ax.logUniform(1e-2, 1), hidden: ax.choice([4, 8]) }, trials: 3, seed: 5, epochs: 2, data: blobs(), build: (p, t) => mlp(p, t) });
      const a = await run();
      const b = await run();
      expect(b.map((r) => [r.trial, r.params, r.score, r.valLoss])).toEqual(a.map((r) => [r.trial, r.params, r.score, r.valLoss]));
    });

    it("mode 'min' on valLoss ranks ascending; failed (non-finite) trials are ranked last, not fatal", async () => {
      const before = ax.memory().numTensors;
      const results = await ax.randomSearch({
        space: { lr: ax.choice([0.3, 0.03]), blowUp: ax.choice([false, true]) },
        trials: 8,
        seed: 2,
        epochs: 2,
        metric: 'valLoss',
        data: blobs(),
        validationSplit: 0.25,
        build: (p, t) => {
          const m = mlp({ lr: p.lr, hidden: 8 }, t);
          // a loss that is infinite when asked: the trial must be recorded as failed
          return m.compile({ optimizer: new ax.SGD({ lr: p.lr }), loss: (o, y) => (p.blowUp ? ax.div(ax.crossEntropy(o, y), 0) : ax.crossEntropy(o, y)), metrics: ['accuracy'] });
        },
      });
      const failed = results.filter((r) => r.error !== undefined);
      const ok = results.filter((r) => r.error === undefined);
      expect(failed.length).toBeGreaterThan(0);
      expect(ok.length).toBeGreaterThan(0);
      expect(results.slice(0, ok.length)).toEqual(ok);
      for (const r of failed) {
        expect(r.params.blowUp).toBe(true);
        expect(r.score).toBeNaN();
        expect(r.epochs).toBe(0);
        expect(r.error).toMatch(/loss is Infinity/);
      }
      for (let i = 1; i < ok.length; i++) expect(ok[i - 1]!.valLoss).toBeLessThanOrEqual(ok[i]!.valLoss);
      expect(ax.memory().numTensors).toBe(before);
      expect(ok[0]!.metric).toBe('valLoss');
      const table = ax.formatTable(results);
      expect(table.split('\n').filter((l) => l.includes('failed'))).toHaveLength(failed.length);
      expect(table.split('\n')[0]!.split(/\s+/)).toEqual(['rank', 'trial', 'lr', 'blowUp', 'valAcc', 'valLoss', 'epochs', 'seconds']);
    });

    it('keepBest returns the best model (trained, usable); validationData and per-trial epochs work', async () => {
      const data = blobs();
      const results = await ax.randomSearch({
        space: { lr: ax.uniform(0.2, 0.5), epochs: ax.intUniform(2, 3) },
        trials: 3,
        data,
        validationData: data,
        keepBest: true,
        build: (p, t) => mlp({ lr: p.lr, hidden: 16 }, 7 + t),
      });
      for (const r of results) expect(r.epochs).toBe(r.params.epochs);
      const best = results[0]!;
      expect(best.model).toBeInstanceOf(ax.Sequential);
      expect(results.slice(1).every((r) => r.model === undefined)).toBe(true);
      const m = best.model as ax.Sequential;
      const ev = await m.evaluate(data.x, data.y);
      expect(ev['accuracy']).toBeCloseTo(best.valAccuracy, 6);
      m.dispose();
    });

    it('rejects bad options with clear errors', async () => {
      const data = blobs();
      const base = { space: { lr: ax.uniform(0.1, 0.2) }, trials: 1, data, build: (p: { lr: number }) => mlp({ lr: p.lr, hidden: 4 }, 1) };
      await expect(ax.randomSearch({ ...base, trials: 0 })).rejects.toThrow(/option 'trials' expected a positive integer/);
      await expect(ax.randomSearch({ ...base, trial: 3 } as never)).rejects.toThrow(/unknown option 'trial'.*trials/);
      await expect(ax.randomSearch({ ...base, validationSplit: 0.2, validationData: data })).rejects.toThrow(/either 'validationSplit' or 'validationData'/);
      await expect(ax.randomSearch({ ...base, validationSplit: 1 })).rejects.toThrow(/'validationSplit' expected a number in \(0, 1\)/);
      await expect(ax.randomSearch({ ...base, data: { x: data.x, y: data.y.slice(1) } })).rejects.toThrow(/data.x has 90 samples but data.y has 89/);
      await expect(ax.randomSearch({ ...base, metric: 'valAcc' })).rejects.toThrow(/option 'metric' is 'valAcc'.*logs only loss, accuracy, valLoss, valAccuracy/);
      await expect(ax.randomSearch({ ...base, build: () => new ax.Sequential([new ax.Dense(2, 3)]) })).rejects.toThrow(/not compiled/);
      await expect(ax.randomSearch({ ...base, build: () => 3 as never })).rejects.toThrow(/build\(params, 0\) expected to return a model/);
      await expect(ax.randomSearch({ ...base, fit: { epochs: 3 } as never })).rejects.toThrow(/unknown option 'epochs'/);
      await expect(ax.randomSearch({ ...base, mode: 'best' as never })).rejects.toThrow(/'mode' expected 'max' or 'min'/);
    });
  });
}
