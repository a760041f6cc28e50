/**
 * src/nn on every backend: layers (Dense, activation layers, Maxout, Dropout, BatchNorm1d,
 * Flatten), Sequential, initialisers, regularisers and the max-norm constraint — values and
 * gradients against PyTorch (test/golden/nn.json, made by test/golden/nn_generate.py), the
 * seed's worked example, configs, and bad input rejected before any state changes.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ax from '../src/index.js';
import { philoxWords } from '../src/kernels/philox.js';

const golden: any = JSON.parse(readFileSync(new URL('./golden/nn.json', import.meta.url), 'utf8'));

type Num = number | string;
const f32 = (a: Num[]): Float32Array => Float32Array.from(a.map((v) => (typeof v === 'number' ? v : Number(v))));

/** Every element within `rel·|e| + abs`, reporting the worst offender. */
function expectClose(got: ArrayLike<number>, expected: ArrayLike<number>, label: string, rel = 2e-5, abs = 2e-6): void {
  expect(got.length, `${label}: length`).toBe(expected.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const excess = Math.abs(got[i]! - expected[i]!) - (rel * Math.abs(expected[i]!) + abs);
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) expect.fail(`${label}: element ${worst} got ${got[worst]}, expected ${expected[worst]}`);
}

const data = (t: ax.Tensor | null): Float32Array => {
  if (!t) throw new Error('missing tensor (no gradient?)');
  return t.dataSync();
};

/** Plain SGD on the parameters' gradients (p -= lr·grad), then clears them. */
function sgdStep(params: readonly ax.Tensor[], lr: number): void {
  for (const p of params) {
    if (!p.grad) continue;
    p.backend.axpy(-lr, p.grad.storage, p.storage, p.size);
    p.grad.dispose();
    p.grad = null;
  }
}

function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s / a.length;
}

function variance(a: ArrayLike<number>): number {
  const m = mean(a);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - m) ** 2;
  return s / a.length;
}

/** Bitwise equality of two float arrays (fast, for large arrays). */
function sameBits(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function makeLayer(name: string, args: unknown[]): ax.Module {
  const m = ax.moduleFromConfig({ type: name, args });
  return m;
}

for (const backend of ['js', 'wasm'] as const) {
  describe(`nn [${backend}]`, () => {
    beforeAll(async () => {
      await ax.init({ backend });
    });

    // ---- the seed's worked example ---------------------------------------------------------

    describe('the seed\'s worked example (2-2-2 sigmoid network, one SGD step, lr 0.5)', () => {
      const run = (loss: (o: ax.Tensor, t: ax.Tensor) => ax.Tensor) =>
        ax.tidy(() => {
          // w1, w2 → h1; w3, w4 → h2: W is [in, out], so column j holds the weights into unit j.
          const model = new ax.Sequential([new ax.Dense(2, 2, { activation: 'sigmoid' }), new ax.Dense(2, 2, { activation: 'sigmoid' })]);
          const [l1, l2] = model.layers as [ax.Dense, ax.Dense];
          l1.setWeights([[[0.15, 0.25], [0.2, 0.3]], [0.35, 0.35]]);
          l2.setWeights([[[0.4, 0.5], [0.45, 0.55]], [0.6, 0.6]]);
          const x = ax.tensor([[0.05, 0.1]]);
          const t = ax.tensor([[0.01, 0.99]]);
          const out = model.forward(x);
          const e = loss(out, t);
          const E = e.item();
          e.backward();
          sgdStep(model.parameters(), 0.5);
          const res = { E, out: out.dataSync(), W1: l1.W.dataSync(), W2: l2.W.dataSync() };
          model.dispose();
          return res;
        });

      it('E = ½Σ(t − o)² = 0.298371109, w5⁺ = 0.35891648, w1⁺ = 0.149780716 (plain autograd ops)', () => {
        const r = run((o, t) => ax.mul(ax.sum(ax.square(ax.sub(t, o))), 0.5));
        expect(r.E).toBeCloseTo(0.298371109, 7);
        expectClose(r.out, [0.75136507, 0.772928465], 'outputs', 1e-6);
        expect(r.W2[0]).toBeCloseTo(0.35891648, 7); // w5
        expect(r.W1[0]).toBeCloseTo(0.149780716, 7); // w1
        const g = golden.workedExample;
        expectClose(r.W1, f32(g.W1), 'all of W1 vs torch', 1e-6, 1e-7);
        expectClose(r.W2, f32(g.W2), 'all of W2 vs torch', 1e-6, 1e-7);
      });

      it('ax.mse gives the same E and step here (mean over 2 outputs = ½Σ)', () => {
        const r = run((o, t) => ax.mse(o, t));
        expect(r.E).toBeCloseTo(0.298371109, 7);
        expect(r.W2[0]).toBeCloseTo(0.35891648, 7);
        expect(r.W1[0]).toBeCloseTo(0.149780716, 7);
      });
    });

    // ---- Dense -----------------------------------------------------------------------------

    describe('Dense', () => {
      it('W is [in, out], b is [out]; parameters() = [W, b]; forward = x·W + b', () => {
        ax.tidy(() => {
          const d = new ax.Dense(3, 2, { seed: 1 });
          expect(d.W.shape).toEqual([3, 2]);
          expect(d.b!.shape).toEqual([2]);
          expect(d.parameters()).toEqual([d.W, d.b]);
          expect(d.W.requiresGrad && d.b!.requiresGrad).toBe(true);
          d.setWeights([[[1, 2], [3, 4], [5, 6]], [0.5, -0.5]]);
          expect(d.forward(ax.tensor([[1, 0, 1], [0, 1, 0]])).arraySync()).toEqual([[6.5, 7.5], [3.5, 3.5]]);
          d.dispose();
        });
      });

      it('getWeights returns copies; setWeights validates everything before changing anything', () => {
        ax.tidy(() => {
          const d = new ax.Dense(2, 2, { seed: 3 });
          const [w, b] = d.getWeights();
          expect(w!.shape).toEqual([2, 2]);
          expect(w).not.toBe(d.W);
          const before = d.W.dataSync();
          w!.backend.fill(w!.storage, 4, 9); // mutate the copy
          expect(d.W.dataSync()).toEqual(before);
          expect(() => d.setWeights([[[1, 2], [3, 4]], [1, 2, 3]])).toThrow(/Dense\.setWeights: b expected shape \[2\], given nested arrays of shape \[3\]/);
          expect(d.W.dataSync(), 'W untouched by the failed call').toEqual(before);
          expect(() => d.setWeights([w!])).toThrow(/expected 2 arrays \[W, b\], given 1/);
          expect(() => d.setWeights([ax.zeros([2, 3]), b!])).toThrow(/W expected shape \[2, 2\], given \[2, 3\]/);
          expect(() => d.setWeights('x' as never)).toThrow(/expected an array/);
          d.setWeights([new Float32Array([1, 2, 3, 4]), b!]);
          expect(Array.from(d.W.dataSync())).toEqual([1, 2, 3, 4]);
          d.dispose();
        });
      });

      it('bad construction and input shapes are clear errors', () => {
        expect(() => new ax.Dense(0, 2)).toThrow(/inFeatures' expected a positive integer, given 0/);
        expect(() => new ax.Dense(2, 2, { activation: 'rellu' as never })).toThrow(/did you mean 'relu'/);
        expect(() => new ax.Dense(2, 2, { init: 'hee' as never })).toThrow(/unknown init name "hee".*valid: zeros/);
        expect(() => new ax.Dense(2, 2, { activaton: 'relu' } as never)).toThrow(/unknown option 'activaton' \(did you mean 'activation'\?\)/);
        expect(() => new ax.Dense(2, 2, { init: 'constant' as never })).toThrow(/initializers\.constant\(value\)/);
        ax.tidy(() => {
          const d = new ax.Dense(3, 2, { seed: 0 });
          expect(() => d.forward(ax.zeros([4, 2]))).toThrow(/Dense\.forward: input expected shape \[batch, 3\], given \[4, 2\]/);
          d.dispose();
        });
      });

      it('bias: false has parameters() = [W] and getWeights() = [W]', () => {
        ax.tidy(() => {
          const d = new ax.Dense(2, 3, { bias: false, init: 'ones' });
          expect(d.parameters()).toEqual([d.W]);
          expect(d.getWeights().length).toBe(1);
          expect(d.forward(ax.tensor([[1, 2]])).arraySync()).toEqual([[3, 3, 3]]);
          d.dispose();
        });
      });

      const g = golden.denseActivations;
      for (const c of g.cases as Array<{ act: ax.ActivationName; y: Num[]; dx: Num[]; dW: Num[]; db: Num[] }>) {
        it(`fused ${c.act}: output and dX, dW, db match torch`, () => {
          ax.tidy(() => {
            const d = new ax.Dense(3, 4, { activation: c.act, seed: 0 });
            d.setWeights([ax.tensor(f32(g.W), [3, 4]), ax.tensor(f32(g.b), [4])]);
            const x = ax.variable(ax.tensor(f32(g.x), [5, 3]));
            const y = d.forward(x);
            expectClose(y.dataSync(), f32(c.y), `${c.act} y`);
            y.backward(ax.tensor(f32(g.dy), [5, 4]));
            expectClose(data(x.grad), f32(c.dx), `${c.act} dx`);
            expectClose(data(d.W.grad), f32(c.dW), `${c.act} dW`);
            expectClose(data(d.b!.grad), f32(c.db), `${c.act} db`);
            // inference (fully fused GEMM epilogue) gives the same output
            const yi = ax.noGrad(() => d.forward(x));
            expectClose(yi.dataSync(), f32(c.y), `${c.act} y (noGrad)`);
            x.dispose();
            d.dispose();
          });
        });
      }
    });

    it('MLP 4-5-3 (relu, crossEntropy): every gradient matches torch', () => {
      const g = golden.mlp;
      ax.tidy(() => {
        const model = new ax.Sequential([new ax.Dense(4, 5, { activation: 'relu' }), new ax.Dense(5, 3)]);
        (model.layers[0] as ax.Dense).setWeights([ax.tensor(f32(g.W1), [4, 5]), ax.tensor(f32(g.b1), [5])]);
        (model.layers[1] as ax.Dense).setWeights([ax.tensor(f32(g.W2), [5, 3]), ax.tensor(f32(g.b2), [3])]);
        const x = ax.variable(ax.tensor(f32(g.x), [6, 4]));
        const loss = ax.crossEntropy(model.forward(x), g.labels as number[]);
        expect(loss.item()).toBeCloseTo(g.loss, 5);
        loss.backward();
        const [W1, b1, W2, b2] = model.parameters();
        expectClose(data(x.grad), f32(g.dx), 'dx');
        expectClose(data(W1!.grad), f32(g.dW1), 'dW1');
        expectClose(data(b1!.grad), f32(g.db1), 'db1');
        expectClose(data(W2!.grad), f32(g.dW2), 'dW2');
        expectClose(data(b2!.grad), f32(g.db2), 'db2');
        model.zeroGrad();
        expect(W1!.grad).toBeNull();
        x.dispose();
        model.dispose();
      });
    });

    // ---- activation layers -----------------------------------------------------------------

    describe('activation layers', () => {
      const g = golden.activationLayers;
      for (const c of g.cases as Array<{ layer: string; args: unknown[]; y: Num[]; dx: Num[] }>) {
        it(`${c.layer}(${c.args.map((a) => JSON.stringify(a)).join(', ')}): output and derivative match torch`, () => {
          ax.tidy(() => {
            const layer = makeLayer(c.layer, c.args);
            expect(layer.constructor.name).toBe(c.layer);
            expect(ax.moduleFromConfig(layer.getConfig()).getConfig()).toEqual(layer.getConfig());
            const x = ax.variable(ax.tensor(f32(g.x), g.shape));
            const y = layer.forward(x);
            expectClose(y.dataSync(), f32(c.y), `${c.layer} y`);
            if (y === x) {
              expect(c.layer).toBe('Linear'); // identity passes the tensor through
              x.dispose();
              return;
            }
            y.backward(ax.tensor(f32(g.dy), g.shape));
            expectClose(data(x.grad), f32(c.dx), `${c.layer} dx`);
            x.dispose();
          });
        });
      }

      it('the generic Activation(name) equals the named classes; bad names list the valid ones', () => {
        ax.tidy(() => {
          const x = ax.tensor([[-2, -0.5, 0, 0.5, 2]]);
          const pairs: Array<[ax.Module, ax.Module]> = [
            [new ax.Activation('leakyRelu', { alpha: 0.2 }), new ax.LeakyReLU(0.2)],
            [new ax.Activation('geluTanh'), new ax.GELU({ approximate: 'tanh' })],
            [new ax.Activation('bipolarSigmoid'), new ax.BipolarSigmoid()],
            [new ax.Activation('softmax'), new ax.Softmax()],
            [new ax.Activation('hardTanh'), new ax.HardTanh()],
          ];
          for (const [a, b] of pairs) expect(a.forward(x).dataSync()).toEqual(b.forward(x).dataSync());
          expect(new ax.Step().forward(x).arraySync()).toEqual([[0, 0, 0, 1, 1]]);
          expect(new ax.Sign().forward(x).arraySync()).toEqual([[-1, -1, 0, 1, 1]]);
          expect(new ax.HardTanh().forward(ax.tensor([[-3, 0.25, 3]])).arraySync()).toEqual([[-1, 0.25, 1]]);
        });
        expect(() => new ax.Activation('swish' as never)).toThrow(/unknown activation "swish".*valid: linear, relu/);
        expect(() => new ax.GELU({ approximate: 'fast' as never })).toThrow(/valid: none, tanh/);
      });
    });

    // ---- Maxout, Flatten ---------------------------------------------------------------------

    it('Maxout(3, 2, 3): output and gradients match torch (reshape + amax)', () => {
      const g = golden.maxout;
      ax.tidy(() => {
        const m = new ax.Maxout(3, 2, 3, { seed: 5 });
        expect(m.W.shape).toEqual([3, 6]);
        m.setWeights([ax.tensor(f32(g.W), [3, 6]), ax.tensor(f32(g.b), [6])]);
        const x = ax.variable(ax.tensor(f32(g.x), [4, 3]));
        const y = m.forward(x);
        expect(y.shape).toEqual([4, 2]);
        expectClose(y.dataSync(), f32(g.y), 'y');
        y.backward(ax.tensor(f32(g.dy), [4, 2]));
        expectClose(data(x.grad), f32(g.dx), 'dx');
        expectClose(data(m.W.grad), f32(g.dW), 'dW');
        expectClose(data(m.b.grad), f32(g.db), 'db');
        x.dispose();
        m.dispose();
      });
      expect(() => new ax.Maxout(3, 2, 0)).toThrow(/pieces' expected a positive integer/);
    });

    it('Flatten: [N, a, b] → [N, a·b], gradient reshaped back', () => {
      ax.tidy(() => {
        const x = ax.variable(ax.tensor(Float32Array.from({ length: 24 }, (_, i) => i), [2, 3, 4]));
        const y = new ax.Flatten().forward(x);
        expect(y.shape).toEqual([2, 12]);
        ax.sum(ax.mul(y, 2)).backward();
        expect(x.grad!.shape).toEqual([2, 3, 4]);
        expect(Array.from(x.grad!.dataSync())).toEqual(new Array(24).fill(2));
        x.dispose();
      });
    });

    // ---- Dropout -----------------------------------------------------------------------------

    describe('Dropout', () => {
      it('training: zeros ≈ p of the elements and scales the rest by 1/(1−p); gradient uses the same mask', () => {
        ax.tidy(() => {
          const drop = new ax.Dropout(0.25, { seed: 42 });
          const x = ax.variable(ax.ones([100, 100]));
          const y = drop.forward(x);
          const v = y.dataSync();
          let zeros = 0;
          let scaled = 0;
          for (const e of v) {
            if (e === 0) zeros++;
            else if (e === Math.fround(1 / 0.75)) scaled++;
          }
          expect(zeros + scaled, 'every element is 0 or 1/(1−p)').toBe(v.length);
          expect(zeros / v.length).toBeGreaterThan(0.23);
          expect(zeros / v.length).toBeLessThan(0.27);
          y.backward(ax.onesLike(y));
          expect(sameBits(x.grad!.dataSync(), v)).toBe(true);
          x.dispose();
        });
      });

      it('successive calls draw new masks; the same seed reproduces the sequence; eval and p = 0 are the identity', () => {
        ax.tidy(() => {
          const x = ax.ones([4, 8]);
          const a = new ax.Dropout(0.5, { seed: 7 });
          const b = new ax.Dropout(0.5, { seed: 7 });
          const a1 = a.forward(x).dataSync();
          const a2 = a.forward(x).dataSync();
          expect(a1).not.toEqual(a2);
          expect(b.forward(x).dataSync()).toEqual(a1);
          expect(b.forward(x).dataSync()).toEqual(a2);
          a.eval();
          expect(a.forward(x)).toBe(x);
          expect(new ax.Dropout(0).forward(x)).toBe(x);
          expect(Array.from(new ax.Dropout(1).forward(x).dataSync())).toEqual(new Array(32).fill(0));
        });
        expect(() => new ax.Dropout(1.5)).toThrow(/probability in \[0, 1\], given 1.5/);
      });

      it('the mask stream is the same on every backend (Philox)', () => {
        ax.tidy(() => {
          const y = new ax.Dropout(0.5, { seed: 99 }).forward(ax.ones([1, 16]));
          // the kept pattern for seed 99, offset 0 (Philox words ≥ 2^31)
          expect(Array.from(y.dataSync(), (v) => (v === 0 ? 0 : 1)).join('')).toBe(dropPattern());
        });
      });
    });

    // ---- BatchNorm1d -------------------------------------------------------------------------

    describe('BatchNorm1d', () => {
      for (const [ci, c] of (golden.batchnorm as Array<Record<string, any>>).entries()) {
        it(`case ${ci} ${JSON.stringify(c.shape)}: training forward/backward, running stats (2 steps), eval forward/backward match torch`, () => {
          ax.tidy(() => {
            const C = c.shape[1] as number;
            const bn = new ax.BatchNorm1d(C, { eps: c.eps, momentum: c.momentum });
            bn.setWeights([ax.tensor(f32(c.gamma), [C]), ax.tensor(f32(c.beta), [C]), ax.zeros([C]), ax.ones([C])]);
            const x1 = ax.variable(ax.tensor(f32(c.x1), c.shape));
            const y1 = bn.forward(x1);
            expectClose(y1.dataSync(), f32(c.train.y), 'train y', 2e-5, 1e-5);
            y1.backward(ax.tensor(f32(c.dy), c.shape));
            expectClose(data(x1.grad), f32(c.train.dx), 'train dx', 1e-4, 1e-5);
            expectClose(data(bn.gamma!.grad), f32(c.train.dgamma), 'train dgamma', 1e-4, 1e-5);
            expectClose(data(bn.beta!.grad), f32(c.train.dbeta), 'train dbeta', 1e-4, 1e-5);
            const [, , rm1, rv1] = bn.getWeights();
            expectClose(rm1!.dataSync(), f32(c.train.runningMean), 'runningMean after step 1');
            expectClose(rv1!.dataSync(), f32(c.train.runningVar), 'runningVar after step 1');
            const y2 = ax.noGrad(() => bn.forward(ax.tensor(f32(c.x2), c.shape)));
            expectClose(y2.dataSync(), f32(c.train2.y), 'train step 2 y', 2e-5, 1e-5);
            expectClose(bn.runningMean.dataSync(), f32(c.train2.runningMean), 'runningMean after step 2');
            expectClose(bn.runningVar.dataSync(), f32(c.train2.runningVar), 'runningVar after step 2');
            bn.zeroGrad();
            bn.eval();
            const xe = ax.variable(ax.tensor(f32(c.x2), c.shape));
            const ye = bn.forward(xe);
            expectClose(ye.dataSync(), f32(c.eval.y), 'eval y', 2e-5, 1e-5);
            const rmBefore = bn.runningMean.dataSync();
            ye.backward(ax.tensor(f32(c.dy), c.shape));
            expectClose(data(xe.grad), f32(c.eval.dx), 'eval dx', 1e-4, 1e-5);
            expectClose(data(bn.gamma!.grad), f32(c.eval.dgamma), 'eval dgamma', 1e-4, 1e-5);
            expectClose(data(bn.beta!.grad), f32(c.eval.dbeta), 'eval dbeta', 1e-4, 1e-5);
            expect(bn.runningMean.dataSync(), 'eval does not update running stats').toEqual(rmBefore);
            x1.dispose();
            xe.dispose();
            bn.dispose();
          });
        });
      }

      it('getWeights = [gamma, beta, runningMean, runningVar], parameters = [gamma, beta]; errors are clear', () => {
        ax.tidy(() => {
          const bn = new ax.BatchNorm1d(3);
          expect(bn.parameters()).toEqual([bn.gamma, bn.beta]);
          expect(bn.getWeights().map((w) => Array.from(w.dataSync()))).toEqual([[1, 1, 1], [0, 0, 0], [0, 0, 0], [1, 1, 1]]);
          expect(() => bn.forward(ax.zeros([4, 2]))).toThrow(/input expected shape \[batch, 3\] or \[batch, 3, length\], given \[4, 2\]/);
          expect(() => bn.forward(ax.zeros([1, 3]))).toThrow(/more than 1 value per channel when training/);
          expect(bn.runningMean.dataSync(), 'failed forward changed nothing').toEqual(new Float32Array(3));
          expect(() => bn.setWeights([ax.ones([3]), ax.ones([3]), ax.ones([3])])).toThrow(/expected 4 arrays \[gamma, beta, runningMean, runningVar\]/);
          bn.eval();
          expect(bn.forward(ax.tensor([[1, 2, 3]])).shape).toEqual([1, 3]); // one sample is fine in eval
          const plain = new ax.BatchNorm1d(2, { affine: false });
          expect(plain.parameters()).toEqual([]);
          expect(plain.getWeights().length).toBe(2);
          const y = plain.forward(ax.tensor([[1, 10], [3, 30]]));
          expectClose(y.dataSync(), [-1, -1, 1, 1], 'affine=false', 1e-4, 1e-4);
          bn.dispose();
          plain.dispose();
        });
        expect(() => new ax.BatchNorm1d(3, { momentum: 2 })).toThrow(/momentum' expected a number in \[0, 1\]/);
      });
    });

    // ---- initialisers ------------------------------------------------------------------------

    describe('initialisers', () => {
      const shape = [200, 300];
      const fanIn = 200;
      const fanOut = 300;
      const cases: Array<[ax.InitializerName, number, number]> = [
        ['zeros', 0, 0],
        ['ones', 1, 0],
        ['uniform', 0, 0.1 ** 2 / 12],
        ['normal', 0, 0.05 ** 2],
        ['small', 0, 0.01 ** 2],
        ['lecunNormal', 0, 1 / fanIn],
        ['lecunUniform', 0, 1 / fanIn],
        ['glorotUniform', 0, 2 / (fanIn + fanOut)],
        ['glorotNormal', 0, 2 / (fanIn + fanOut)],
        ['heUniform', 0, 2 / fanIn],
        ['heNormal', 0, 2 / fanIn],
        ['he', 0, 2 / fanIn],
      ];
      for (const [name, m, v] of cases) {
        it(`${name}: mean ${m}, variance ${v.toPrecision(3)}; seeded`, () => {
          ax.tidy(() => {
            const init = ax.getInitializer(name);
            const a = init(shape, { seed: 11 }).dataSync();
            expect(Math.abs(mean(a) - m)).toBeLessThan(Math.max(4 * Math.sqrt(v / a.length), 1e-9));
            if (v === 0) expect(variance(a)).toBe(0);
            else expect(Math.abs(variance(a) / v - 1)).toBeLessThan(0.03);
            expect(sameBits(init(shape, { seed: 11 }).dataSync(), a), 'same seed, same numbers').toBe(true);
            if (v > 0) expect(sameBits(init(shape, { seed: 12 }).dataSync(), a), 'another seed, other numbers').toBe(false);
          });
        });
      }

      it('glorotUniform draws exactly rand(shape, {seed, low: −limit, high: limit}) (same numbers on every backend)', () => {
        ax.tidy(() => {
          const lim = Math.sqrt(6 / (3 + 4));
          const d = new ax.Dense(3, 4, { seed: 21 });
          expect(d.W.dataSync()).toEqual(ax.rand([3, 4], { seed: 21, low: -lim, high: lim }).dataSync());
          const d2 = new ax.Dense(3, 4, { seed: 21, init: 'heNormal', biasInit: 'small' });
          expect(d2.W.dataSync()).toEqual(ax.randn([3, 4], { seed: 21, std: Math.sqrt(2 / 3) }).dataSync());
          expect(d2.b!.dataSync()).toEqual(ax.randn([4], { seed: 21, offset: 12, std: 0.01 }).dataSync());
          d.dispose();
          d2.dispose();
        });
      });

      it('constant and functions; a custom initialiser returning the wrong shape is a clear error', () => {
        ax.tidy(() => {
          expect(Array.from(ax.initializers.constant(0.5)([3], { seed: 0 }).dataSync())).toEqual([0.5, 0.5, 0.5]);
          const d = new ax.Dense(2, 2, { init: ax.initializers.constant(2) });
          expect(Array.from(d.W.dataSync())).toEqual([2, 2, 2, 2]);
          expect(() => new ax.Dense(2, 2, { init: () => ax.zeros([3]) })).toThrow(/initialiser returned shape \[3\], expected \[2, 2\]/);
          expect(() => ax.initializers.uniform(1, 0)).toThrow(/lo ≤ hi/);
          d.dispose();
        });
      });
    });

    // ---- regularisers and constraints --------------------------------------------------------

    describe('regularisers and constraints', () => {
      const g = golden.regularizers;

      it('l1l2 penalty value and gradient match torch (λ1·Σ|w| + λ2·Σw²)', () => {
        ax.tidy(() => {
          const w = ax.variable(ax.tensor(f32(g.w), [3, 4]));
          const p = ax.l1l2(g.l1l2.l1, g.l1l2.l2).penalty(w);
          expect(p.item()).toBeCloseTo(g.l1l2.value, 5);
          p.backward();
          expectClose(data(w.grad), f32(g.l1l2.grad), 'penalty grad');
          w.dispose();
        });
      });

      it('Dense regularizers feed model.regularizationLoss(): l2 is λ·Σw² (Keras), l1 is λ·Σ|w|', () => {
        ax.tidy(() => {
          const a = new ax.Dense(2, 2, { init: 'ones', biasInit: 'ones', kernelRegularizer: ax.l2(0.1) });
          const b = new ax.Dense(2, 1, { init: 'ones', kernelRegularizer: ax.l1(0.5), biasRegularizer: 'l2' });
          const model = new ax.Sequential([a, new ax.ReLU(), b]);
          const r = model.regularizationLoss()!;
          // 0.1·4 + 0.5·2 + 0.01·0
          expect(r.item()).toBeCloseTo(0.4 + 1.0, 6);
          r.backward();
          expect(Array.from(a.W.grad!.dataSync())).toEqual(new Array(4).fill(Math.fround(0.2)));
          expect(Array.from(b.W.grad!.dataSync())).toEqual([0.5, 0.5]);
          expect(a.b!.grad).toBeNull();
          expect(new ax.Sequential([new ax.Dense(2, 2)]).regularizationLoss()).toBeNull();
          expect(ax.l1(0.3)).toBeInstanceOf(ax.Regularizer);
          expect(ax.l1().l1).toBe(0.01);
          expect(ax.l1([1, 2], [1, 4]).item()).toBe(1); // the loss form
          expect(() => new ax.Dense(2, 2, { kernelRegularizer: 'l3' as never })).toThrow(/valid: l1, l2, l1l2/);
          expect(() => ax.l2(-1)).toThrow(/expected a finite number ≥ 0/);
          model.dispose();
        });
      });

      for (const key of ['maxNorm0', 'maxNorm1'] as const) {
        it(`${key}: maxNorm(${g[key].c}, axis ${g[key].axis}) clips each slice's L2 norm (Keras formula)`, () => {
          ax.tidy(() => {
            const w = ax.variable(ax.tensor(f32(g.w), [3, 4]));
            ax.maxNorm(g[key].c, g[key].axis).apply(w);
            expectClose(w.dataSync(), f32(g[key].w), key, 1e-5, 1e-6);
            w.dispose();
          });
        });
      }

      it('applyConstraints() after a step keeps every Dense column norm ≤ c', () => {
        ax.tidy(() => {
          const d = new ax.Dense(4, 3, { init: ax.initializers.constant(5), constraint: ax.maxNorm(1) });
          const model = new ax.Sequential([d]);
          model.applyConstraints();
          const w = d.W.arraySync() as number[][];
          for (let j = 0; j < 3; j++) expect(Math.hypot(...w.map((row) => row[j]!))).toBeCloseTo(1, 5);
          expect(() => new ax.Dense(2, 2, { constraint: ax.maxNorm(1), kernelConstraint: ax.maxNorm(2) })).toThrow(/either option 'constraint' or 'kernelConstraint'/);
          model.dispose();
        });
      });
    });

    // ---- Sequential ----------------------------------------------------------------------------

    describe('Sequential', () => {
      it('layers, add, parameters in order, train/eval propagate, config round trip', () => {
        ax.tidy(() => {
          const model = new ax.Sequential([
            new ax.Dense(4, 8, { activation: 'relu', init: 'he', seed: 1 }),
            new ax.Dropout(0.2, { seed: 2 }),
            new ax.BatchNorm1d(8),
          ]);
          model.add(new ax.Dense(8, 3, { seed: 3, kernelRegularizer: ax.l1l2(0.01, 0.02), constraint: ax.maxNorm(3) }));
          expect(model.layers.length).toBe(4);
          expect(model.parameters().map((p) => p.shape)).toEqual([[4, 8], [8], [8], [8], [8, 3], [3]]);
          model.eval();
          expect(model.layers.every((l) => !l.training)).toBe(true);
          model.train();
          expect(model.layers.every((l) => l.training)).toBe(true);
          const cfg = model.getConfig();
          const json = JSON.parse(JSON.stringify(cfg));
          expect(json).toEqual(cfg);
          const again = ax.moduleFromConfig(json) as ax.Sequential;
          expect(again.getConfig()).toEqual(cfg);
          expect(again.parameters().map((p) => p.shape)).toEqual(model.parameters().map((p) => p.shape));
          // same seeds → same initial weights
          expect((again.layers[0] as ax.Dense).W.dataSync()).toEqual((model.layers[0] as ax.Dense).W.dataSync());
          const y = model.forward(ax.randn([5, 4], { seed: 4 }));
          expect(y.shape).toEqual([5, 3]);
          expect(model.toString()).toContain('Dense(4 → 8, relu)');
          expect(() => model.add({} as never)).toThrow(/expected a Module/);
          expect(() => new ax.Sequential([new ax.ReLU(), 3 as never])).toThrow(/layers\[1\] expected a Module/);
          expect(() => ax.moduleFromConfig({ type: 'Dence', args: [] })).toThrow(/did you mean 'Dense'/);
          model.dispose();
          again.dispose();
        });
      });

      it('model getWeights/setWeights: every layer in order (running stats included), validated before any write', () => {
        ax.tidy(() => {
          const model = new ax.Sequential([new ax.Dense(2, 3, { seed: 1 }), new ax.ReLU(), new ax.BatchNorm1d(3), new ax.Dense(3, 1, { seed: 2 })]);
          const ws = model.getWeights();
          expect(ws.map((w) => w.shape)).toEqual([[2, 3], [3], [3], [3], [3], [3], [3, 1], [1]]);
          const other = new ax.Sequential([new ax.Dense(2, 3, { seed: 5 }), new ax.ReLU(), new ax.BatchNorm1d(3), new ax.Dense(3, 1, { seed: 6 })]);
          const before = other.getWeights().map((w) => w.dataSync());
          const bad = [...ws.slice(0, 7), ax.zeros([2])];
          expect(() => other.setWeights(bad)).toThrow(/Sequential\.setWeights: layers\[3\] weight 1 expected shape \[1\], given \[2\]/);
          expect(other.getWeights().map((w) => w.dataSync()), 'nothing written').toEqual(before);
          expect(() => other.setWeights(ws.slice(1))).toThrow(/expected 8 arrays/);
          other.setWeights(ws);
          expect(other.getWeights().map((w) => w.dataSync())).toEqual(ws.map((w) => w.dataSync()));
          // the base-class default: a module's parameters
          expect(new ax.ReLU().getWeights()).toEqual([]);
          model.dispose();
          other.dispose();
        });
      });

      it('a layer created without a seed gets a distinct default seed', () => {
        ax.tidy(() => {
          const a = new ax.Dense(3, 3);
          const b = new ax.Dense(3, 3);
          expect(a.seed).not.toBe(b.seed);
          expect(a.W.dataSync()).not.toEqual(b.W.dataSync());
          a.dispose();
          b.dispose();
        });
      });
    });

    describe('gradcheck (central finite differences)', () => {
      // created per test: the backend is chosen in beforeAll
      const x0 = () => ax.randn([3, 4], { seed: 31 });
      const w0 = () => ax.randn([4, 5], { seed: 32, std: 0.5 });
      const b0 = () => ax.randn([5], { seed: 33, std: 0.5 });
      for (const act of ['linear', 'relu', 'tanh', 'gelu', 'elu', 'softplus', 'sigmoid', 'silu', 'leakyRelu'] as const) {
        it(`dense op with ${act}: x, W and b`, () => {
          const r = ax.tidy(() => ax.gradcheck((x, w, b) => ax.dense(x, w, b, act), [x0(), w0(), b0()]));
          expect(r.ok, JSON.stringify(r)).toBe(true);
        });
      }
      it('BatchNorm1d (training) w.r.t. its input', () => {
        const bn = new ax.BatchNorm1d(4);
        bn.setWeights([[0.5, 1, 1.5, 2], [0, 0.1, 0.2, 0.3], [0, 0, 0, 0], [1, 1, 1, 1]]);
        const r = ax.tidy(() => ax.gradcheck((x) => bn.forward(x), [ax.randn([6, 4], { seed: 34 })]));
        expect(r.ok, JSON.stringify(r)).toBe(true);
        bn.dispose();
      });
      it('Maxout w.r.t. its input', () => {
        const m = new ax.Maxout(4, 3, 2, { seed: 35 });
        const r = ax.tidy(() => ax.gradcheck((x) => m.forward(x), [x0()]));
        expect(r.ok, JSON.stringify(r)).toBe(true);
        m.dispose();
      });
      it('l1l2 penalty', () => {
        const r = ax.tidy(() => ax.gradcheck((w) => ax.l1l2(0.3, 0.7).penalty(w), [w0()]));
        expect(r.ok, JSON.stringify(r)).toBe(true);
      });
    });

    it('training a Dense layer leaves no tensors behind when run inside tidy', () => {
      const model = new ax.Sequential([new ax.Dense(3, 4, { activation: 'tanh', seed: 1 }), new ax.BatchNorm1d(4), new ax.Dense(4, 2, { seed: 2 })]);
      const x = ax.randn([8, 3], { seed: 5 });
      const step = () =>
        ax.tidy(() => {
          const l = ax.crossEntropy(model.forward(x), [0, 1, 0, 1, 1, 0, 0, 1]);
          l.backward();
          sgdStep(model.parameters(), 0.1);
        });
      step();
      const before = ax.memory().numTensors;
      for (let i = 0; i < 5; i++) step();
      expect(ax.memory().numTensors).toBe(before);
      x.dispose();
      model.dispose();
    });
  });
}

/** Reference keep pattern of Dropout(0.5, seed 99) over 16 elements, from the Philox reference: word_j ≥ floor(0.5·2^32) keeps j. */
function dropPattern(): string {
  const words = new Uint32Array(16);
  philoxWords(99, 0, 16, words);
  return Array.from(words, (w) => (w >= 2 ** 31 ? 1 : 0)).join('');
}
