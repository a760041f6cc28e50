/**
 * Tensor ops on both backends: forward values against hand-computed / NumPy-style expectations,
 * every op's gradient through `gradcheck` (broadcasts, axes, keepDims), the torch tie and
 * boundary conventions (values checked against torch 1.13), and the error messages.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as ax from '../src/index.js';
import type { NestedArray, Tensor, TensorLike } from '../src/index.js';

/** Flattens nested arrays. */
function flat(v: NestedArray): number[] {
  return Array.isArray(v) ? v.flatMap(flat) : [v];
}

/** Shape and values of `t` within `rel·|e| + abs` (NaN matches NaN, ±Inf exactly). */
function expectClose(t: Tensor, expected: NestedArray, shape?: readonly number[], rel = 2e-6, abs = 1e-6): void {
  const got = Array.from(t.dataSync());
  const want = flat(expected);
  if (shape) expect(t.shape).toEqual(shape);
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    const e = want[i]!;
    const msg = `element ${i}: got ${g}, expected ${e} (all: ${got.join(', ')})`;
    if (Number.isNaN(e)) expect(Number.isNaN(g), msg).toBe(true);
    else if (!Number.isFinite(e)) expect(g, msg).toBe(e);
    else expect(Math.abs(g - e), msg).toBeLessThanOrEqual(rel * Math.abs(e) + abs);
  });
}

/** Gradient values of `fn` at `inputs` (all inputs variables), for exact-value checks. */
function grads(fn: (...t: Tensor[]) => Tensor, inputs: TensorLike[]): number[][] {
  return ax.tidy(() => {
    const vs = inputs.map((x) => ax.variable(x));
    fn(...vs).sum().backward();
    const out = vs.map((v) => Array.from(v.grad ? v.grad.dataSync() : new Float32Array(v.size)));
    vs.forEach((v) => v.dispose());
    return out;
  });
}

/** Asserts that gradcheck passes, with the worst element in the failure message. */
function expectGradOk(fn: (...t: Tensor[]) => Tensor, inputs: TensorLike[], label: string): void {
  const r = ax.gradcheck(fn, inputs);
  expect(r.ok, `${label}: maxError ${r.maxError} at ${JSON.stringify(r.worst)}`).toBe(true);
}

/** Seeded values in [lo, hi) as nested arrays of `shape` (no backend random, no kinks by chance). */
function vals(shape: number[], seed: number, lo = -2, hi = 2): NestedArray {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + ((s >>> 8) / 16777216) * (hi - lo);
  };
  const build = (d: number): NestedArray => (d === shape.length ? Math.round(next() * 1000) / 1000 : Array.from({ length: shape[d]! }, () => build(d + 1)));
  return build(0);
}

function expectThrows(fn: () => unknown, ...parts: string[]): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err, `expected an error mentioning ${parts.join(', ')}`).toBeInstanceOf(ax.AxonError);
  for (const p of parts) expect((err as Error).message).toContain(p);
}

for (const backend of ['js', 'wasm'] as const) {
  describe(`ops [${backend}]`, () => {
    beforeAll(async () => {
      await ax.init({ backend });
    });

    describe('unary math', () => {
      const xs = [-2, -0.5, 0, 0.25, 1.5, 3];
      const pos = [1e-3, 0.25, 1, 2, 9, 100];
      it('forward matches Math.*', () => {
        ax.tidy(() => {
          expectClose(ax.neg(xs), xs.map((v) => -v));
          expectClose(ax.abs(xs), xs.map(Math.abs));
          expectClose(ax.exp(xs), xs.map(Math.exp));
          expectClose(ax.square(xs), xs.map((v) => v * v));
          expectClose(ax.log(pos), pos.map(Math.log));
          expectClose(ax.sqrt(pos), pos.map(Math.sqrt));
          expectClose(ax.reciprocal(pos), pos.map((v) => 1 / v));
          expectClose(ax.rsqrt(pos), pos.map((v) => 1 / Math.sqrt(v)));
          expectClose(ax.log([0, -1]), [-Infinity, NaN]);
          expectClose(ax.sqrt([-1]), [NaN]);
          expectClose(ax.reciprocal([0]), [Infinity]);
          // methods alias the functions
          const t = ax.tensor([[1, 4], [9, 16]]);
          expectClose(t.sqrt().neg().abs().square().log().exp(), [[1, 4], [9, 16]], [2, 2], 1e-5);
          expectClose(t.reciprocal(), [[1, 0.25], [1 / 9, 1 / 16]]);
          expectClose(t.rsqrt(), [[1, 0.5], [1 / 3, 0.25]]);
          // rank 0 and empty tensors
          expectClose(ax.exp(0), [1], []);
          expect(ax.exp(ax.zeros([0, 3])).shape).toEqual([0, 3]);
        });
      });

      it('gradients (gradcheck) and abs′(0) = 0', () => {
        const x = vals([2, 3], 1);
        expectGradOk((a) => ax.neg(a), [x], 'neg');
        expectGradOk((a) => ax.abs(a), [[[-1.5, 0.7, 2], [-0.2, 3, -3]]], 'abs');
        expectGradOk((a) => ax.exp(a), [x], 'exp');
        expectGradOk((a) => ax.square(a), [x], 'square');
        const p = vals([2, 3], 2, 0.3, 3);
        expectGradOk((a) => ax.log(a), [p], 'log');
        expectGradOk((a) => ax.sqrt(a), [p], 'sqrt');
        expectGradOk((a) => ax.reciprocal(a), [p], 'reciprocal');
        expectGradOk((a) => ax.rsqrt(a), [p], 'rsqrt');
        expect(grads((a) => ax.abs(a), [[0, -2, 3]])[0]).toEqual([0, -1, 1]);
      });
    });

    describe('pow', () => {
      it('forward with broadcasting and C powf special cases', () => {
        ax.tidy(() => {
          expectClose(ax.pow([[1, 2, 3], [4, 5, 6]], [2, 0.5, -1]), [[1, Math.SQRT2, 1 / 3], [16, Math.sqrt(5), 1 / 6]], [2, 3]);
          expectClose(ax.pow(2, [[0], [3]]), [[1], [8]], [2, 1]);
          expectClose(ax.tensor([2, 3]).pow(2), [4, 9]);
          // torch: pow(1, NaN) = 1, pow(−1, ∞) = 1, (−8)^(1/3) = NaN, 0^0 = 1, 0^−1 = ∞, (−2)^3 = −8
          expectClose(ax.pow([1, -1, -8, 0, 0, -2], [NaN, Infinity, 1 / 3, 0, -1, 3]), [1, 1, NaN, 1, Infinity, -8]);
        });
      });

      it('gradients: both operands, broadcast either way, db only when needed', () => {
        const a = vals([2, 3], 3, 0.5, 2.5);
        expectGradOk((x, y) => ax.pow(x, y), [a, vals([2, 3], 4, -2, 2)], 'pow full');
        expectGradOk((x, y) => ax.pow(x, y), [a, [1.5, -0.5, 2]], 'pow b row');
        expectGradOk((x, y) => ax.pow(x, y), [[[0.7], [1.9]], vals([2, 3], 5)], 'pow a column');
        expectGradOk((x, y) => ax.pow(x, y), [a, 2.5], 'pow b scalar');
        expectGradOk((x) => ax.pow(x, 3), [vals([4], 6)], 'pow constant exponent (negative bases)');
        // only a requires grad: b's rule is skipped (no log of negative bases needed)
        const g = ax.tidy(() => {
          const x = ax.variable([-2, 3]);
          ax.pow(x, ax.tensor([3, 2])).sum().backward();
          const out = Array.from(x.grad!.dataSync());
          x.dispose();
          return out;
        });
        expect(g).toEqual([12, 6]);
      });

      it("torch's special-case gradients at a = 0", () => {
        // torch 1.13: pow([0, 0, 2], [0, 2, 0]) → da = [0, 0, 0], db = [0, 0, ln 2]
        const [da, db] = grads((x, y) => ax.pow(x, y), [[0, 0, 2], [0, 2, 0]]);
        expect(da).toEqual([0, 0, 0]);
        expect(db!.slice(0, 2)).toEqual([0, 0]);
        expect(db![2]).toBeCloseTo(Math.LN2, 6);
        // 0^−1: both gradients −∞ (torch)
        expect(grads((x, y) => ax.pow(x, y), [[0], [-1]])).toEqual([[-Infinity], [-Infinity]]);
      });
    });

    describe('maximum / minimum', () => {
      it('forward with broadcasting; NaN propagates', () => {
        ax.tidy(() => {
          expectClose(ax.maximum([[1, 5], [3, -1]], [2, 0]), [[2, 5], [3, 0]], [2, 2]);
          expectClose(ax.minimum([[1, 5], [3, -1]], [[2], [0]]), [[1, 2], [0, -1]], [2, 2]);
          expectClose(ax.maximum([NaN, 1], [0, NaN]), [NaN, NaN]);
          expectClose(ax.minimum([NaN, 1], [0, NaN]), [NaN, NaN]);
          expectClose(ax.tensor([1, 4]).maximum(2).minimum(3), [2, 3]);
        });
      });

      it('ties split the gradient ½ / ½ as torch', () => {
        // torch 1.13: maximum([1, 2, 3], [1, 1, 4]) → da = [0.5, 1, 0], db = [0.5, 0, 1]
        expect(grads((a, b) => ax.maximum(a, b), [[1, 2, 3], [1, 1, 4]])).toEqual([[0.5, 1, 0], [0.5, 0, 1]]);
        expect(grads((a, b) => ax.minimum(a, b), [[1, 2, 3], [1, 1, 4]])).toEqual([[0.5, 0, 1], [0.5, 1, 0]]);
        // broadcast operand accumulates its shares
        expect(grads((a, b) => ax.maximum(a, b), [[[1, 3], [2, 0]], [2]])).toEqual([[0, 1, 0.5, 0], [2.5]]);
      });

      it('gradients (gradcheck) with broadcasting', () => {
        expectGradOk((a, b) => ax.maximum(a, b), [vals([3, 4], 7), vals([4], 8)], 'maximum');
        expectGradOk((a, b) => ax.minimum(a, b), [vals([3, 1], 9), vals([2, 3, 4], 10)], 'minimum');
      });
    });

    describe('clip', () => {
      it('forward: both bounds, one bound, infinite bounds, NaN kept', () => {
        ax.tidy(() => {
          expectClose(ax.clip([-3, -1, 0, 1, 3, NaN], -1, 1), [-1, -1, 0, 1, 1, NaN]);
          expectClose(ax.clip([-3, 3], 0), [0, 3]);
          expectClose(ax.clip([-3, 3], undefined, 0), [-3, 0]);
          expectClose(ax.tensor([-Infinity, Infinity]).clip(-2, 2), [-2, 2]);
        });
      });

      it('gradient is 1 on the closed interval (torch.clamp)', () => {
        // torch 1.13: clamp([-1, 0, 0.5, 1, 2], -1, 1) → [1, 1, 1, 1, 0]
        expect(grads((x) => ax.clip(x, -1, 1), [[-1, 0, 0.5, 1, 2]])[0]).toEqual([1, 1, 1, 1, 0]);
        expect(grads((x) => ax.clip(x, 0), [[-Infinity, -1, 0, Infinity]])[0]).toEqual([0, 0, 1, 1]);
        expect(grads((x) => ax.clip(x), [[Infinity, -Infinity, 2]])[0]).toEqual([1, 1, 1]);
        expectGradOk((x) => ax.clip(x, -0.9, 1.1), [vals([3, 3], 11)], 'clip');
      });

      it('bad bounds', () => {
        expectThrows(() => ax.clip([1], 2, 1), 'clip', "'lo'", "'hi'");
        expectThrows(() => ax.clip([1], NaN, 1), 'clip', "'lo'");
      });
    });

    describe('softmax / logSoftmax', () => {
      const x3 = vals([2, 3, 4], 12, -3, 3);
      const xs = flat(x3);
      /** Reference softmax along axis of a [2, 3, 4] array, in float64. */
      function ref(axis: number, log: boolean): number[] {
        const shape = [2, 3, 4];
        const strides = [12, 4, 1];
        const out = new Array<number>(24);
        for (let i = 0; i < 24; i++) {
          const idx = [Math.floor(i / 12), Math.floor(i / 4) % 3, i % 4];
          let m = -Infinity;
          const group: number[] = [];
          for (let k = 0; k < shape[axis]!; k++) group.push(xs[i + (k - idx[axis]!) * strides[axis]!]!);
          for (const g of group) m = Math.max(m, g);
          const lse = m + Math.log(group.reduce((s, g) => s + Math.exp(g - m), 0));
          out[i] = log ? xs[i]! - lse : Math.exp(xs[i]! - lse);
        }
        return out;
      }

      it('forward along every axis (last, middle, first, negative)', () => {
        ax.tidy(() => {
          for (const axis of [2, 1, 0, -1, -3]) {
            const a = axis < 0 ? axis + 3 : axis;
            expectClose(ax.softmax(x3, axis), ref(a, false), [2, 3, 4], 1e-5, 1e-7);
            expectClose(ax.logSoftmax(x3, axis), ref(a, true), [2, 3, 4], 1e-5, 1e-6);
          }
          expectClose(ax.softmax([1000, 1000]), [0.5, 0.5]); // stable for large values
          expectClose(ax.logSoftmax([[0, -1000]]), [[-0, -1000]]);
          expectClose(ax.tensor([[1, 1]]).softmax(0), [[1, 1]]);
          expectClose(ax.tensor([1, 2]).logSoftmax(), ref1([1, 2]));
          expectClose(ax.softmax(5), [1], []);
          expect(ax.softmax(ax.zeros([0, 3])).shape).toEqual([0, 3]);
        });
        function ref1(v: number[]): number[] {
          const lse = Math.log(v.reduce((s, g) => s + Math.exp(g), 0));
          return v.map((g) => g - lse);
        }
      });

      it('gradients along every axis (gradcheck)', () => {
        for (const axis of [-1, 1, 0]) {
          expectGradOk((a) => ax.softmax(a, axis), [x3], `softmax axis ${axis}`);
          expectGradOk((a) => ax.logSoftmax(a, axis), [x3], `logSoftmax axis ${axis}`);
        }
      });

      it('bad axis', () => {
        expectThrows(() => ax.softmax([[1, 2]], 2), 'softmax', "'axis'");
      });
    });

    describe('transpose', () => {
      it('forward: default reverses axes; explicit permutations; negative axes', () => {
        ax.tidy(() => {
          expectClose(ax.transpose([[1, 2, 3], [4, 5, 6]]), [[1, 4], [2, 5], [3, 6]], [3, 2]);
          const x = ax.tensor(Float32Array.from({ length: 24 }, (_, i) => i), [2, 3, 4]);
          const t = ax.transpose(x, [1, 2, 0]);
          expect(t.shape).toEqual([3, 4, 2]);
          const v = t.arraySync() as number[][][];
          for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) for (let k = 0; k < 2; k++) expect(v[i]![j]![k]).toBe(k * 12 + i * 4 + j);
          expectClose(x.transpose([-1, 0, 1]), flat(ax.transpose(x, [2, 0, 1]).arraySync()), [4, 2, 3]);
          expectClose(x.transpose(), flat(ax.transpose(x, [2, 1, 0]).arraySync()), [4, 3, 2]);
          expectClose(ax.transpose(7), [7], []);
          expectClose(ax.transpose([1, 2]), [1, 2], [2]);
          // large enough for the wasm 4×4-blocked path
          const big = ax.tensor(Float32Array.from({ length: 37 * 70 }, (_, i) => i), [37, 70]);
          const bt = big.transpose().dataSync();
          for (let r = 0; r < 70; r++) for (let c = 0; c < 37; c++) expect(bt[r * 37 + c]).toBe(c * 70 + r);
        });
      });

      it('gradients (gradcheck)', () => {
        expectGradOk((a) => ax.transpose(a), [vals([3, 4], 13)], 'transpose 2-D');
        expectGradOk((a) => ax.transpose(a, [2, 0, 1]), [vals([2, 3, 2], 14)], 'transpose 3-D');
      });

      it('bad permutations; rank 7 only where the layout coalesces', () => {
        expectThrows(() => ax.transpose([[1]], [0, 0]), 'transpose', 'perm');
        expectThrows(() => ax.transpose([[1]], [0]), 'transpose', 'perm');
        expectThrows(() => ax.transpose([[1]], [0, 2]), 'transpose', 'perm');
        ax.tidy(() => {
          const seven = ax.zeros([2, 2, 2, 2, 2, 2, 2]);
          expect(ax.transpose(seven, [0, 1, 2, 3, 4, 6, 5]).shape).toEqual([2, 2, 2, 2, 2, 2, 2]);
          expectThrows(() => ax.transpose(seven), 'transpose', 'at most 6');
        });
      });
    });

    describe('slice', () => {
      it('forward: begin/size, -1 = to the end, missing entries, number shorthand', () => {
        ax.tidy(() => {
          const x = ax.tensor([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]);
          expectClose(ax.slice(x, [1, 1], [2, 2]), [[6, 7], [10, 11]], [2, 2]);
          expectClose(ax.slice(x, [0, 2], [-1, -1]), [[3, 4], [7, 8], [11, 12]], [3, 2]);
          expectClose(ax.slice(x, [2]), [[9, 10, 11, 12]], [1, 4]);
          expectClose(x.slice([1, 3]), [[8], [12]], [2, 1]);
          expectClose(ax.slice([1, 2, 3, 4], 1, 2), [2, 3], [2]);
          expect(ax.slice(x, [3, 0]).shape).toEqual([0, 4]);
          expect(ax.slice(x, [1, 1], [0, 2]).shape).toEqual([0, 2]);
        });
      });

      it('gradients (gradcheck): dy lands in the sliced box, zeros elsewhere', () => {
        expectGradOk((a) => ax.slice(a, [1, 0, 1], [1, 2, -1]), [vals([3, 2, 3], 15)], 'slice');
        expect(grads((a) => ax.slice(a, [1], [2]), [[1, 2, 3, 4]])[0]).toEqual([0, 1, 1, 0]);
      });

      it('errors name the op, the axis and the shape', () => {
        const x = [[1, 2], [3, 4]];
        expectThrows(() => ax.slice(x, [0, 3]), 'slice', 'begin[1]', '[2, 2]');
        expectThrows(() => ax.slice(x, [1, 0], [2, 1]), 'slice', 'size[0]', '[2, 2]');
        expectThrows(() => ax.slice(x, [0, 0, 0]), 'slice', 'begin');
        expectThrows(() => ax.slice(x, [-1]), 'slice', 'begin[0]');
        expectThrows(() => ax.slice(x, [0.5]), 'slice', "'begin'");
      });
    });

    describe('concat / stack', () => {
      it('concat forward along axis 0, 1 and −1, several inputs', () => {
        ax.tidy(() => {
          const a = [[1, 2], [3, 4]];
          const b = [[5, 6]];
          const c = [[7], [8]];
          expectClose(ax.concat([a, b]), [[1, 2], [3, 4], [5, 6]], [3, 2]);
          expectClose(ax.concat([a, c, a], 1), [[1, 2, 7, 1, 2], [3, 4, 8, 3, 4]], [2, 5]);
          expectClose(ax.concat([c, a], -1), [[7, 1, 2], [8, 3, 4]], [2, 3]);
          expectClose(ax.concat([[1, 2]]), [1, 2], [2]);
          expectClose(ax.concat([ax.zeros([0, 2]), b]), [[5, 6]], [1, 2]);
        });
      });

      it('stack forward along a new axis', () => {
        ax.tidy(() => {
          const a = [[1, 2], [3, 4]];
          const b = [[5, 6], [7, 8]];
          expectClose(ax.stack([a, b]), [[[1, 2], [3, 4]], [[5, 6], [7, 8]]], [2, 2, 2]);
          expectClose(ax.stack([a, b], 1), [[[1, 2], [5, 6]], [[3, 4], [7, 8]]], [2, 2, 2]);
          expectClose(ax.stack([a, b], -1), [[[1, 5], [2, 6]], [[3, 7], [4, 8]]], [2, 2, 2]);
          expectClose(ax.stack([1, 2, 3]), [1, 2, 3], [3]);
        });
      });

      it('gradients (gradcheck), including one input used twice', () => {
        expectGradOk((a, b) => ax.concat([a, b, a], 1), [vals([2, 3], 16), vals([2, 1], 17)], 'concat axis 1');
        expectGradOk((a, b) => ax.concat([a, b], 0), [vals([1, 3, 2], 18), vals([2, 3, 2], 19)], 'concat axis 0');
        expectGradOk((a, b) => ax.stack([a, b, a], 1), [vals([2, 3], 20), vals([2, 3], 21)], 'stack axis 1');
        expect(grads((a) => ax.concat([a, a]), [[1, 2]])[0]).toEqual([2, 2]);
      });

      it('mismatched shapes name the op and both shapes', () => {
        expectThrows(() => ax.concat([[[1, 2]], [[1, 2, 3]]], 0), 'concat', '[1, 2]', '[1, 3]');
        expectThrows(() => ax.concat([[[1, 2]], [1, 2]]), 'concat', '[1, 2]', '[2]');
        expectThrows(() => ax.stack([[1, 2], [1, 2, 3]]), 'stack', '[2]', '[3]');
        expectThrows(() => ax.concat([]), 'concat', 'non-empty');
        expectThrows(() => ax.concat([1, 2]), 'concat', 'rank-0');
      });
    });

    describe('max / min / argmax', () => {
      const x = [[1, 5, 3], [4, 2, 6]];
      it('forward over axes, keepDims, all axes; NaN propagates', () => {
        ax.tidy(() => {
          expectClose(ax.max(x), [6], []);
          expectClose(ax.min(x), [1], []);
          expectClose(ax.max(x, 0), [4, 5, 6], [3]);
          expectClose(ax.max(x, 1, true), [[5], [6]], [2, 1]);
          expectClose(ax.min(x, -1), [1, 2], [2]);
          expectClose(ax.max(x, [0, 1], true), [[6]], [1, 1]);
          expectClose(ax.tensor(x).max(1), [5, 6]);
          expectClose(ax.tensor(x).min(0, true), [[1, 2, 3]], [1, 3]);
          expectClose(ax.max([[1, NaN], [2, 3]], 1), [NaN, 3]);
          expect(ax.max(ax.zeros([0, 3]), 1).shape).toEqual([0]);
        });
      });

      it('gradient shared among ties (torch.amax / amin)', () => {
        // torch 1.13: amax([[1, 3, 3], [2, 0, 2]], 1) → [[0, .5, .5], [.5, 0, .5]]; amax over all → [[0, .5, .5], [0, 0, 0]]
        expect(grads((a) => ax.max(a, 1), [[[1, 3, 3], [2, 0, 2]]])[0]).toEqual([0, 0.5, 0.5, 0.5, 0, 0.5]);
        expect(grads((a) => ax.max(a), [[[1, 3, 3], [2, 0, 2]]])[0]).toEqual([0, 0.5, 0.5, 0, 0, 0]);
        expect(grads((a) => ax.min(a, 0), [[[1, 0, 3], [1, 2, 3]]])[0]).toEqual([0.5, 1, 0.5, 0.5, 0, 0.5]);
      });

      it('gradients (gradcheck) over axes and keepDims', () => {
        const v = vals([2, 3, 4], 22);
        expectGradOk((a) => ax.max(a, 1), [v], 'max axis 1');
        expectGradOk((a) => ax.max(a, [0, 2], true), [v], 'max axes 0,2 keepDims');
        expectGradOk((a) => ax.min(a), [v], 'min all');
        expectGradOk((a) => ax.min(a, -1, true), [v], 'min axis −1 keepDims');
      });

      it('argmax: first maximum, NaN counts as maximal, float indices, no grad', () => {
        ax.tidy(() => {
          expectClose(ax.argmax(x), [1, 2], [2]);
          expectClose(ax.argmax(x, 0), [1, 0, 1], [3]);
          expectClose(ax.argmax([[3, 3, 1], [0, NaN, 9]]), [0, 1]);
          expectClose(ax.tensor([0.5, 2, 2]).argmax(), [1], []);
          const v = ax.variable([1, 2]);
          expect(ax.argmax(v).requiresGrad).toBe(false);
          v.dispose();
        });
      });

      it('errors: empty reduction, bad axis, scalar argmax', () => {
        expectThrows(() => ax.max(ax.zeros([0, 3]), 0), 'max', 'length 0');
        expectThrows(() => ax.argmax(ax.zeros([2, 0])), 'argmax', 'length 0');
        expectThrows(() => ax.max(x, 2), 'max', "'axis'");
        expectThrows(() => ax.max(x, [1, 1]), 'max', 'repeated');
        expectThrows(() => ax.argmax(3), 'argmax', 'rank');
      });
    });

    describe('oneHot', () => {
      it('encodes class indices of any shape', () => {
        ax.tidy(() => {
          expectClose(ax.oneHot([2, 0, 1], 3), [[0, 0, 1], [1, 0, 0], [0, 1, 0]], [3, 3]);
          expectClose(ax.oneHot([[1], [0]], 2), [[[0, 1]], [[1, 0]]], [2, 1, 2]);
          expect(ax.oneHot(ax.zeros([0]), 4).shape).toEqual([0, 4]);
        });
      });

      it('rejects labels that are not class indices, before allocating', () => {
        const before = ax.memory().numTensors;
        expectThrows(() => ax.oneHot([0, 3], 3), 'oneHot', 'label 3', 'index 1');
        expectThrows(() => ax.oneHot([0.5], 3), 'oneHot', 'label 0.5');
        expectThrows(() => ax.oneHot([-1], 3), 'oneHot', 'label -1');
        expectThrows(() => ax.oneHot([0], 0), 'oneHot', 'numClasses');
        expect(ax.memory().numTensors).toBe(before);
      });
    });

    describe('gradients of the core ops (arithmetic, matmul, reductions, reshape, activations)', () => {
      it('add / sub / mul / div with every broadcast direction', () => {
        const a = vals([2, 3, 4], 30);
        const cases: [string, number[]][] = [['full', [2, 3, 4]], ['row', [4]], ['column', [2, 3, 1]], ['middle', [3, 1]], ['scalar', []], ['outer', [2, 1, 1]]];
        for (const [label, shape] of cases) {
          const b = shape.length === 0 ? 1.3 : vals(shape, 31, 0.5, 2);
          expectGradOk((x, y) => ax.add(x, y), [a, b], `add ${label}`);
          expectGradOk((x, y) => ax.sub(y, x), [a, b], `sub ${label}`);
          expectGradOk((x, y) => ax.mul(x, y), [a, b], `mul ${label}`);
          expectGradOk((x, y) => ax.div(x, y), [a, b], `div ${label}`);
        }
      });

      it('matmul with every transpose combination', () => {
        for (const transA of [false, true]) {
          for (const transB of [false, true]) {
            const a = vals(transA ? [4, 3] : [3, 4], 32);
            const b = vals(transB ? [5, 4] : [4, 5], 33);
            expectGradOk((x, y) => ax.matmul(x, y, { transA, transB }), [a, b], `matmul transA=${transA} transB=${transB}`);
          }
        }
      });

      it('sum / mean over axes with keepDims; reshape and flatten', () => {
        const v = vals([2, 3, 4], 34);
        for (const [axis, keep] of [[undefined, false], [0, false], [1, true], [[0, 2], false], [-1, true]] as const) {
          expectGradOk((x) => ax.sum(x, axis, keep), [v], `sum axis ${JSON.stringify(axis)} keepDims ${keep}`);
          expectGradOk((x) => ax.mean(x, axis, keep), [v], `mean axis ${JSON.stringify(axis)} keepDims ${keep}`);
        }
        expectGradOk((x) => ax.reshape(x, [4, -1]), [v], 'reshape');
        expectGradOk((x) => ax.flatten(x), [v], 'flatten');
      });

      it('every activation (away from kinks)', () => {
        const x = [[-1.7, -0.6, -0.3], [0.4, 0.8, 1.9]];
        for (const act of ax.ACTIVATIONS) {
          expectGradOk((t) => ax.activation(t, act), [x], `activation ${act}`);
        }
        expectGradOk((t) => ax.leakyRelu(t, 0.2), [x], 'leakyRelu 0.2');
        expectGradOk((t) => ax.elu(t, 0.5), [x], 'elu 0.5');
      });
    });

    describe('shape errors of binary ops', () => {
      it('name the op and both shapes', () => {
        for (const [name, f] of [['pow', ax.pow], ['maximum', ax.maximum], ['minimum', ax.minimum], ['add', ax.add]] as const) {
          expectThrows(() => f([[1, 2, 3], [4, 5, 6]], [1, 2]), `${name}:`, '[2, 3]', '[2]');
        }
      });
    });
  });
}
