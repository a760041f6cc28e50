/**
 * Autograd and tensor lifetime on both backends: the seed's computational-graph examples,
 * accumulation, noGrad, retainGraph and the freed-graph error, tidy and memory accounting,
 * disposed inputs, shape-mismatch messages, the FinalizationRegistry safety net, and gradcheck
 * itself (it must pass correct rules on composite graphs and catch a wrong one).
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ax from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { record } from '../src/autograd/record.js';
import { binaryRaw } from '../src/ops/arithmetic.js';
import { empty } from '../src/ops/create.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function value(t: Tensor | null): number[] {
  expect(t).not.toBeNull();
  return Array.from(t!.dataSync());
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

for (const backend of ['js', 'wasm'] as const) {
  describe(`autograd [${backend}]`, () => {
    beforeAll(async () => {
      await ax.init({ backend });
    });

    describe('the seed’s computational graphs', () => {
      it('f = (x + y)·z at x = −2, y = 5, z = −4', () => {
        const [x, y, z] = [ax.variable(-2), ax.variable(5), ax.variable(-4)];
        const f = ax.mul(ax.add(x, y), z);
        expect(f.item()).toBe(-12);
        f.backward();
        expect(value(x.grad)).toEqual([-4]);
        expect(value(y.grad)).toEqual([-4]);
        expect(value(z.grad)).toEqual([3]);
        [x, y, z, f].forEach((t) => t.dispose());
      });

      it('f = w·x + b at w = −2, x = 5, b = 3', () => {
        const [w, x, b] = [ax.variable(-2), ax.variable(5), ax.variable(3)];
        const f = w.mul(x).add(b);
        expect(f.item()).toBe(-7);
        f.backward();
        expect(value(w.grad)).toEqual([5]);
        expect(value(x.grad)).toEqual([-2]);
        expect(value(b.grad)).toEqual([1]);
        [w, x, b, f].forEach((t) => t.dispose());
      });
    });

    describe('backward mechanics', () => {
      it('gradients accumulate across two backward calls until reset', () => {
        const x = ax.variable([1, 2, 3]);
        ax.tidy(() => ax.sum(ax.square(x)).backward());
        expect(value(x.grad)).toEqual([2, 4, 6]);
        ax.tidy(() => ax.sum(ax.mul(x, 3)).backward());
        expect(value(x.grad)).toEqual([5, 7, 9]);
        x.grad!.dispose();
        x.grad = null;
        ax.tidy(() => ax.sum(x).backward());
        expect(value(x.grad)).toEqual([1, 1, 1]);
        x.dispose();
      });

      it('a tensor used twice (diamond) gets the sum of both paths', () => {
        const x = ax.variable(3);
        ax.tidy(() => {
          const y = ax.square(x);
          ax.add(ax.mul(y, x), ax.exp(ax.neg(y))).backward(); // x³ + e^(−x²)
        });
        expect(value(x.grad)[0]).toBeCloseTo(27 - 6 * Math.exp(-9), 4);
        x.dispose();
      });

      it('noGrad records nothing', () => {
        const x = ax.variable([1, 2]);
        ax.tidy(() => {
          const y = ax.noGrad(() => ax.softmax(ax.mul(x, x)));
          expect(y.requiresGrad).toBe(false);
          expect(y.node).toBeNull();
          expect(thrown(() => ax.sum(y).backward()).message).toContain('does not require grad');
          const z = ax.mul(x, x);
          expect(z.requiresGrad).toBe(true);
        });
        x.dispose();
      });

      it('retainGraph allows a second pass; without it the graph is freed with a clear error', () => {
        const x = ax.variable([0.5, -1]);
        ax.tidy(() => {
          const loss = ax.sum(ax.logSoftmax(ax.mul(x, 2)));
          loss.backward(undefined, { retainGraph: true });
          const first = value(x.grad);
          loss.backward();
          expect(value(x.grad)).toEqual(first.map((g) => 2 * g));
          const err = thrown(() => loss.backward());
          expect(err).toBeInstanceOf(ax.AxonError);
          expect(err.message).toContain('second time');
          expect(err.message).toContain('retainGraph');
        });
        x.dispose();
      });

      it('non-scalar roots need an explicit gradient of their shape', () => {
        const x = ax.variable([[1, 2], [3, 4]]);
        ax.tidy(() => {
          const y = ax.transpose(ax.mul(x, x));
          expect(thrown(() => y.backward()).message).toContain('[2, 2]');
          expect(thrown(() => y.backward(ax.ones([4]))).message).toContain('[4]');
          y.backward(ax.tensor([[1, 0], [0, 2]]));
          expect(value(x.grad)).toEqual([2, 0, 0, 16]);
        });
        x.dispose();
      });

      it('backward through an intermediate disposed early names the op', () => {
        const x = ax.variable([1, 2]);
        const h = ax.exp(x);
        const loss = ax.sum(ax.mul(h, h));
        h.dispose();
        const err = thrown(() => loss.backward()) as ax.AxonError;
        expect(err.code).toBe('DISPOSED');
        expect(err.message).toContain("'mul'");
        loss.dispose();
        x.dispose();
      });
    });

    describe('tidy and memory', () => {
      it('tidy disposes intermediates, keeps returned tensors, variables and their grads', () => {
        const base = ax.memory();
        const w = ax.variable([[0.5, -0.5], [1, 2]]);
        const kept: Tensor[] = [];
        const { out, pair } = ax.tidy(() => {
          const x = ax.tensor([[1, 2]]);
          const h = ax.matmul(x, w);
          const y = ax.softmax(ax.relu(h));
          ax.mean(ax.square(y)).backward();
          kept.push(x, h);
          return { out: ax.sum(y), pair: [ax.max(y), ax.argmax(y)] };
        });
        expect(kept.every((t) => t.disposed)).toBe(true);
        expect(out.disposed || pair.some((t) => t.disposed)).toBe(false);
        expect(out.item()).toBeCloseTo(1, 6);
        expect(w.grad && !w.grad.disposed).toBe(true);
        out.dispose();
        pair.forEach((t) => t.dispose());
        w.dispose(); // also frees w.grad
        expect(ax.memory().numTensors).toBe(base.numTensors);
        expect(ax.memory().numBytes).toBe(base.numBytes);
        expect(ax.memory().backendBytes).toBe(base.backendBytes);
      });

      it('memory() returns to baseline after many training-like steps, every op involved', () => {
        const w = ax.variable(ax.randn([4, 3], { seed: 3 }));
        const b = ax.variable([0.1, -0.2, 0.3]);
        const step = () =>
          ax.tidy(() => {
            const x = ax.randn([5, 4], { seed: 4 });
            const h = ax.add(ax.matmul(x, w), b);
            const parts = [
              ax.logSoftmax(h, 0), ax.softmax(ax.transpose(h)), ax.pow(ax.abs(h), 1.5), ax.maximum(h, 0.1),
              ax.clip(h, -0.5, 0.5), ax.max(h, 1, true), ax.slice(h, [1, 0], [2, -1]), ax.sqrt(ax.square(h)),
              ax.rsqrt(ax.add(ax.square(h), 1)), ax.reciprocal(ax.add(ax.exp(h), 1)), ax.log(ax.add(ax.exp(h), 1)),
              ax.minimum(h, ax.neg(h)), ax.min(h), ax.concat([h, h], 1), ax.stack([h, h]),
            ];
            ax.sum(ax.concat(parts.map((p) => ax.reshape(p, [-1])))).backward();
          });
        step();
        const base = ax.memory();
        for (let i = 0; i < 5; i++) step();
        expect(ax.memory()).toEqual(base);
        w.dispose();
        b.dispose();
      });

      it('using a disposed tensor is a clear error', () => {
        const a = ax.tensor([1, 2]);
        a.dispose();
        for (const f of [() => ax.exp(a), () => ax.add(a, 1), () => ax.transpose(a), () => ax.concat([a]), () => a.dataSync()]) {
          const err = thrown(f);
          expect(err).toBeInstanceOf(ax.AxonError);
          expect(err.message).toContain('disposed');
        }
        a.dispose(); // twice is fine
      });
    });

    describe('shape mismatches', () => {
      it('name the op and both shapes', () => {
        const cases: [() => unknown, string, string, string][] = [
          [() => ax.add([[1, 2, 3]], [1, 2]), 'add', '[1, 3]', '[2]'],
          [() => ax.mul(ax.zeros([2, 3]), ax.zeros([3, 2])), 'mul', '[2, 3]', '[3, 2]'],
          [() => ax.pow(ax.zeros([4]), ax.zeros([3])), 'pow', '[4]', '[3]'],
          [() => ax.matmul(ax.zeros([2, 3]), ax.zeros([2, 3])), 'matmul', '[2, 3]', '[2, 3]'],
          [() => ax.concat([ax.zeros([2, 3]), ax.zeros([3, 3])], 1), 'concat', '[2, 3]', '[3, 3]'],
        ];
        for (const [f, op, s1, s2] of cases) {
          const err = thrown(f);
          expect(err).toBeInstanceOf(ax.ShapeError);
          for (const part of [op, s1, s2]) expect(err.message).toContain(part);
        }
      });
    });

    describe('FinalizationRegistry safety net', () => {
      /** Collects garbage until the live counts stop changing (earlier tests drop intermediates too). */
      async function settle(): Promise<void> {
        let prev = -1;
        for (let stable = 0, i = 0; stable < 3 && i < 100; i++) {
          gc();
          await new Promise((r) => setTimeout(r, 5));
          const n = ax.memory().numTensors;
          stable = n === prev ? stable + 1 : 0;
          prev = n;
        }
      }

      it('frees dropped tensors once, and never a disposed one again', async () => {
        await settle();
        const base = ax.memory();
        (() => {
          for (let i = 0; i < 40; i++) ax.full([64], i); // dropped without dispose()
          for (let i = 0; i < 40; i++) ax.full([64], i).dispose(); // disposed: must not be freed again
        })();
        expect(ax.memory().numTensors).toBe(base.numTensors + 40);
        for (let i = 0; i < 100 && ax.memory().numTensors !== base.numTensors; i++) {
          gc();
          await new Promise((r) => setTimeout(r, 5));
        }
        expect(ax.memory()).toEqual(base);
        // A double free would hand one block to two tensors: fresh tensors must keep their own values.
        const fresh = Array.from({ length: 40 }, (_, i) => ax.full([64], i));
        fresh.forEach((t, i) => expect(t.dataSync().every((v) => v === i)).toBe(true));
        fresh.forEach((t) => t.dispose());
        expect(ax.memory()).toEqual(base);
      });
    });

    describe('gradcheck', () => {
      it('passes a composite graph (dense layer, broadcasting, softmax cross-entropy by hand)', () => {
        const x = [[0.2, -1.1, 0.5], [1.3, 0.4, -0.7]];
        const target = ax.tensor([[0, 1], [1, 0]]);
        const r = ax.gradcheck(
          (w, b) => ax.neg(ax.mean(ax.sum(ax.mul(ax.logSoftmax(ax.add(ax.matmul(x, w), b)), target), 1))),
          [[[0.3, -0.2], [0.1, 0.4], [-0.5, 0.25]], [0.1, -0.1]],
        );
        expect(r.ok, JSON.stringify(r)).toBe(true);
        expect(r.maxError).toBeLessThan(1e-3);
        expect(r.worst).not.toBeNull();
        target.dispose();
      });

      it('catches a wrong gradient rule and reports where', () => {
        // y = x² with the rule dy·x (missing the factor 2)
        const badSquare = (x: Tensor): Tensor => {
          const out = binaryRaw('mul', x, x);
          return record(out, 'badSquare', [x], (dy) => [binaryRaw('mul', dy, x)]);
        };
        const r = ax.gradcheck(badSquare, [[1, -2, 3]]);
        expect(r.ok).toBe(false);
        expect(r.maxError).toBeGreaterThan(0.4);
        expect(r.worst!.input).toBe(0);
        expect(Math.abs(r.worst!.numeric / r.worst!.analytic)).toBeCloseTo(2, 2);
        // and a gradient that ignores a second input
        const forgetful = (a: Tensor, b: Tensor): Tensor => {
          const out = binaryRaw('mul', a, b);
          return record(out, 'forgetful', [a, b], (dy) => [binaryRaw('mul', dy, b), null]);
        };
        const r2 = ax.gradcheck(forgetful, [[2, 3], [4, 5]]);
        expect(r2.ok).toBe(false);
        expect(r2.worst!.input).toBe(1);
      });

      it('leaves nothing allocated and does not touch its inputs', () => {
        const base = ax.memory();
        const input = ax.tensor([0.5, 1.5]);
        ax.gradcheck((a) => ax.sum(ax.exp(a)), [input]);
        ax.gradcheck((a) => ax.exp(a), [[1, 2]]);
        expect(() => ax.gradcheck(() => { throw new Error('boom'); }, [[1]])).toThrow('boom');
        expect(Array.from(input.dataSync())).toEqual([0.5, 1.5]);
        expect(input.requiresGrad).toBe(false);
        input.dispose();
        expect(ax.memory()).toEqual(base);
      });

      it('non-differentiable outputs give zero analytic gradients', () => {
        const r = ax.gradcheck((a) => {
          const out = empty(a.shape);
          a.backend.copy(a.storage, out.storage, a.size);
          return out; // no autograd link
        }, [[1, 2]]);
        expect(r.ok).toBe(false);
        expect(r.worst!.analytic).toBe(0);
      });

      it('validates its arguments', () => {
        expect(() => ax.gradcheck((a) => a, [[1]], { eps: 0 })).toThrow("'eps'");
        expect(() => ax.gradcheck((a) => a, [[1]], { tl: 1 } as never)).toThrow("did you mean 'tol'");
        expect(() => ax.gradcheck('f' as never, [[1]])).toThrow("'fn'");
        expect(() => ax.gradcheck((() => 3) as never, [[1]])).toThrow('must return a Tensor');
      });
    });
  });
}
