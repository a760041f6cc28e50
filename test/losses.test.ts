/**
 * Losses (src/losses) on every backend: values and gradients against PyTorch (test/golden/nn.json,
 * made by test/golden/nn_generate.py), name resolution, and bad input rejected before anything
 * changes.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ax from '../src/index.js';

const golden: any = JSON.parse(readFileSync(new URL('./golden/nn.json', import.meta.url), 'utf8'));

type Num = number | string;
const dec = (v: Num): number => (typeof v === 'number' ? v : Number(v));
const f32 = (a: Num[]): Float32Array => Float32Array.from(a.map(dec));

/** Every element within `rel·|e| + abs`, reporting the worst offender. */
function expectClose(got: ArrayLike<number>, expected: ArrayLike<number>, label: string, rel = 2e-5, abs = 1e-6): void {
  expect(got.length, `${label}: length`).toBe(expected.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const g = got[i]!;
    const e = expected[i]!;
    const excess = Math.abs(g - e) - (rel * Math.abs(e) + abs);
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) expect.fail(`${label}: element ${worst} got ${got[worst]}, expected ${expected[worst]}`);
}

interface LossCase {
  loss: string;
  args: unknown[];
  pred: Num[];
  predShape: number[];
  target: Num[];
  targetShape: number[];
  value: number;
  dpred: Num[];
  dtarget?: Num[];
  labelsKind?: 'rows';
}

const CLASSIFICATION = new Set(['crossEntropy', 'hinge']);

function callLoss(c: LossCase, pred: ax.Tensor, target: ax.Tensor): ax.Tensor {
  switch (c.loss) {
    case 'mse': return ax.mse(pred, target);
    case 'l1': return ax.l1(pred, target);
    case 'huber': return ax.huber(pred, target, c.args[0] as number);
    case 'binaryCrossEntropy': return ax.binaryCrossEntropy(pred, target);
    case 'binaryCrossEntropyWithLogits': return ax.binaryCrossEntropyWithLogits(pred, target);
    case 'crossEntropy': return ax.crossEntropy(pred, target);
    case 'hinge': return c.args.length ? ax.hinge(pred, target, c.args[0] as number) : ax.hinge(pred, target);
    default: throw new Error(c.loss);
  }
}

for (const backend of ['js', 'wasm'] as const) {
  describe(`losses [${backend}]`, () => {
    beforeAll(async () => {
      await ax.init({ backend });
    });

    (golden.losses as LossCase[]).forEach((c, ci) => {
      it(`golden ${ci}: ${c.loss}${c.args.length ? `(${c.args.join(', ')})` : ''}${c.labelsKind ? ' with label rows' : ''}`, () => {
        ax.tidy(() => {
          const pred = ax.variable(ax.tensor(f32(c.pred), c.predShape));
          const isIndex = CLASSIFICATION.has(c.loss) && c.labelsKind !== 'rows';
          const target = isIndex ? ax.tensor(f32(c.target), c.targetShape) : ax.variable(ax.tensor(f32(c.target), c.targetShape));
          const loss = callLoss(c, pred, target);
          expect(loss.shape).toEqual([]);
          expectClose([loss.item()], [c.value], `${c.loss} value`);
          loss.backward();
          expectClose(pred.grad!.dataSync(), f32(c.dpred), `${c.loss} d pred`);
          if (c.dtarget) expectClose(target.grad!.dataSync(), f32(c.dtarget), `${c.loss} d target`);
          else if (!isIndex) expect(target.grad, 'targets of this loss get no gradient').toBeNull();
          pred.dispose();
          target.dispose();
        });
      });
    });

    it('gradcheck: every loss w.r.t. its predictions (and targets where they get a gradient)', () => {
      const p = ax.randn([4, 3], { seed: 7 });
      const t = ax.randn([4, 3], { seed: 8 });
      const prob = ax.rand([4, 3], { seed: 9, low: 0.1, high: 0.9 });
      const soft = ax.rand([4, 3], { seed: 10 });
      const labels = [2, 0, 1, 1];
      const checks: Array<[string, ax.GradcheckResult]> = [
        ['mse', ax.gradcheck((a, b) => ax.mse(a, b), [p, t])],
        ['l1', ax.gradcheck((a, b) => ax.l1Loss(a, b), [p, t])],
        ['huber', ax.gradcheck((a, b) => ax.huber(a, b, 0.7), [p, t])],
        ['binaryCrossEntropy', ax.gradcheck((a) => ax.binaryCrossEntropy(a, soft), [prob])],
        ['binaryCrossEntropyWithLogits', ax.gradcheck((a) => ax.binaryCrossEntropyWithLogits(a, soft), [p])],
        ['crossEntropy', ax.gradcheck((a) => ax.crossEntropy(a, labels), [p])],
        ['hinge', ax.gradcheck((a) => ax.hinge(a, labels), [p])],
      ];
      for (const [name, r] of checks) expect(r.ok, `${name}: ${JSON.stringify(r)}`).toBe(true);
      for (const x of [p, t, prob, soft]) x.dispose();
    });

    it('getLoss resolves every name to the same values as the functions', () => {
      ax.tidy(() => {
        const p = ax.tensor([[0.2, 0.7], [0.9, 0.4]]);
        const t = ax.tensor([[0, 1], [1, 0]]);
        for (const name of ax.LOSS_NAMES) {
          const fn = ax.getLoss(name);
          const direct = name === 'l1' ? ax.l1Loss(p, t) : callLoss({ loss: name, args: [] } as unknown as LossCase, p, name === 'crossEntropy' || name === 'hinge' ? ax.tensor([1, 0]) : t);
          const viaName = fn(p, name === 'crossEntropy' || name === 'hinge' ? ax.tensor([1, 0]) : t);
          expect(viaName.item(), name).toBeCloseTo(direct.item(), 6);
        }
        const custom = (a: ax.Tensor) => ax.sum(a);
        expect(ax.getLoss(custom)).toBe(custom);
      });
    });

    it('unknown loss names list the valid ones', () => {
      expect(() => ax.getLoss('crossentropy' as never)).toThrow(/did you mean 'crossEntropy'.*valid: mse, crossEntropy/);
      expect(() => ax.getLoss(3 as never)).toThrow(/expected a loss name/);
    });

    it('crossEntropy accepts labels as arrays, typed arrays and one-hot rows, equal to the tensor form', () => {
      ax.tidy(() => {
        const logits = ax.tensor([[1, 2, 0.5], [0.1, -1, 3]]);
        const ref = ax.crossEntropy(logits, ax.tensor([1, 2])).item();
        expect(ax.crossEntropy(logits, [1, 2]).item()).toBeCloseTo(ref, 6);
        expect(ax.crossEntropy(logits, Int32Array.from([1, 2])).item()).toBeCloseTo(ref, 6);
        expect(ax.crossEntropy(logits, [[0, 1, 0], [0, 0, 1]]).item()).toBeCloseTo(ref, 6);
        // hinge: one-hot rows are converted to indices
        expect(ax.hinge(logits, [[0, 1, 0], [0, 0, 1]]).item()).toBeCloseTo(ax.hinge(logits, [1, 2]).item(), 6);
      });
    });

    it('crossEntropy: out-of-range or non-integer labels throw before anything is computed', () => {
      ax.tidy(() => {
        const logits = ax.variable(ax.tensor([[1, 2, 0.5], [0.1, -1, 3]]));
        const bad = ax.tensor([-1, 0]);
        const wrongRows = ax.zeros([2, 4]);
        const rank1 = ax.zeros([3]);
        const before = ax.memory().numTensors;
        expect(() => ax.crossEntropy(logits, [1, 3])).toThrow(/label 3 at index 1 is out of range.*\[0, 2\]/);
        expect(() => ax.crossEntropy(logits, bad)).toThrow(/label -1 at index 0/);
        expect(() => ax.crossEntropy(logits, [0.5, 1])).toThrow(/label 0.5/);
        expect(() => ax.crossEntropy(logits, [0, 1, 2])).toThrow(/expected 2 class indices/);
        expect(() => ax.crossEntropy(logits, wrongRows)).toThrow(/\[2\] or rows of shape \[2, 3\]/);
        expect(() => ax.crossEntropy(rank1, [0])).toThrow(/logits expected shape \[batch, classes\]/);
        expect(() => ax.hinge(logits, [3, 0])).toThrow(/out of range/);
        expect(() => ax.hinge(logits, [[0.5, 0.5, 0], [0, 0, 1]])).toThrow(/row 0 is not one-hot/);
        expect(ax.memory().numTensors, 'nothing leaked').toBe(before);
        expect(logits.grad).toBeNull();
        logits.dispose();
      });
    });

    it('pointwise losses reject mismatched shapes (no silent broadcasting) but accept [N, 1] vs [N]', () => {
      ax.tidy(() => {
        const p = ax.tensor([[1], [2], [3]]);
        expect(() => ax.mse(p, ax.tensor([1, 2]))).toThrow(/mse: pred shape \[3, 1\] and target shape \[2\] differ/);
        expect(() => ax.mse(ax.zeros([2, 3]), ax.zeros([3, 2]))).toThrow(/differ/);
        expect(ax.mse(p, ax.tensor([1, 2, 5])).item()).toBeCloseTo(4 / 3, 6);
        // the target's gradient comes back in the target's own shape
        const pv = ax.variable(p);
        const tv = ax.variable(ax.tensor([1, 2, 5]));
        ax.mse(pv, tv).backward();
        expect(tv.grad!.shape).toEqual([3]);
        expect(Array.from(tv.grad!.dataSync(), (v) => v + 0)).toEqual([0, 0, 4 / 3].map(Math.fround));
        pv.dispose();
        tv.dispose();
        expect(() => ax.huber(p, p, 0)).toThrow(/delta/);
        expect(() => ax.hinge(ax.zeros([2, 3]), [0, 1], Number.NaN)).toThrow(/margin/);
      });
    });

    it('binaryCrossEntropy refuses probabilities (NaN included) and targets outside [0, 1], like torch BCELoss', () => {
      ax.tidy(() => {
        const p = ax.variable(ax.tensor([[0.2, 1.5], [0.5, 0.5]]));
        const nan = ax.tensor([0.5, Number.NaN]);
        const ok = ax.tensor([0, 1, 0.5]);
        const badT = ax.tensor([0, 1.25, 0.5]);
        const before = ax.memory().numTensors;
        const cases: Array<[() => unknown, RegExp]> = [
          [() => ax.binaryCrossEntropy(p, [[0, 1], [1, 0]]), /binaryCrossEntropy: argument 'prob' expected probabilities in \[0, 1\], given 1.5 at index 1; .*binaryCrossEntropyWithLogits/],
          [() => ax.binaryCrossEntropy(nan, [0, 1]), /argument 'prob' expected probabilities in \[0, 1\], given NaN at index 1/],
          [() => ax.binaryCrossEntropy([0.5, -0.5], [0, 1]), /'prob' .* given -0.5 at index 1/],
          [() => ax.binaryCrossEntropy([[0.5], [Infinity]], [[0], [1]]), /'prob' .* given Infinity at index 1/],
          [() => ax.binaryCrossEntropy(ok, badT), /argument 'target' expected targets in \[0, 1\], given 1.25 at index 1/],
          [() => ax.binaryCrossEntropy(ok, [0, 1, -1]), /'target' .* given -1 at index 2/],
          [() => ax.binaryCrossEntropy(ok, [0, 1, Number.NaN]), /'target' .* given NaN at index 2/],
        ];
        for (const [f, re] of cases) {
          expect(f).toThrow(re);
          expect(f).toThrow(ax.ArgumentError);
          expect(ax.memory().numTensors, `nothing leaked: ${re}`).toBe(before);
        }
        expect(p.grad).toBeNull();
        // The closed interval is fine: p = 0 or 1 stays finite (log clamped at −100, as torch).
        expect(ax.binaryCrossEntropy(ok, [1, 0, 0.5]).item()).toBeCloseTo((100 + 100 + Math.log(2)) / 3, 4);
        p.dispose();
      });
    });

    it('losses of plain arrays work and leave no tensors behind', () => {
      const before = ax.memory().numTensors;
      const l = ax.mse([1, 2, 3], [1, 2, 5]);
      expect(l.item()).toBeCloseTo(4 / 3, 6);
      l.dispose();
      const c = ax.crossEntropy([[0, 0]], [1]);
      expect(c.item()).toBeCloseTo(Math.log(2), 6);
      c.dispose();
      expect(ax.memory().numTensors).toBe(before);
    });

    it('the upstream gradient scales the loss gradient (loss·3 → 3× gradients)', () => {
      ax.tidy(() => {
        const x = ax.variable(ax.tensor([[1, 2, 0.5], [0.1, -1, 3]]));
        ax.crossEntropy(x, [1, 2]).backward();
        const g1 = x.grad!.dataSync();
        x.grad = null;
        ax.mul(ax.crossEntropy(x, [1, 2]), 3).backward();
        expectClose(x.grad!.dataSync(), g1.map((v) => 3 * v), 'scaled');
        x.dispose();
      });
    });
  });
}
