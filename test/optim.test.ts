/**
 * src/optim: every optimiser, gradient clipping and the LR schedules against PyTorch 1.13
 * (test/golden/optim.json, made by test/golden/optim_generate.py), on the js reference and the
 * wasm backend; plus state save/restore, allocation-free steps and the error messages.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ax from '../src/index.js';
import type { Optimizer, Tensor } from '../src/index.js';

interface OptimCase {
  name: string;
  optimizer: 'SGD' | 'Adam' | 'AdamW' | 'RMSprop' | 'Adagrad' | 'Adadelta';
  options: Record<string, unknown>;
  clip: { norm?: number; value?: number } | null;
  shapes: number[][];
  init: number[][];
  grads: Array<Array<number[] | null>>;
  expected: number[][][];
}
interface ClipCase { normType: number | 'inf'; maxNorm: number; shapes: number[][]; grads: number[][]; total: number; clipped: number[][] }
interface ScheduleCase { name: string; schedule: Record<string, unknown>; baseLr: number; metrics?: number[]; lrs: number[] }
interface Golden {
  optimizers: OptimCase[];
  clipGradNorm: ClipCase[];
  clipGradValue: { clipValue: number; shapes: number[][]; grads: number[][]; clipped: number[][] };
  schedules: ScheduleCase[];
}

const golden = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'golden', 'optim.json'), 'utf8')) as Golden;

/** Both construction forms, with loosely typed options (the cases carry them as JSON). */
interface AnyOptimizerClass {
  new (params: readonly Tensor[], options?: Record<string, unknown>): ax.FusedOptimizer<ax.BaseConfig>;
  new (options?: Record<string, unknown>): ax.FusedOptimizer<ax.BaseConfig>;
}
const CLASSES = { SGD: ax.SGD, Adam: ax.Adam, AdamW: ax.AdamW, RMSprop: ax.RMSprop, Adagrad: ax.Adagrad, Adadelta: ax.Adadelta } as unknown as Record<
  'SGD' | 'Adam' | 'AdamW' | 'RMSprop' | 'Adagrad' | 'Adadelta',
  AnyOptimizerClass
>;

/** Replaces p's gradient (null = no gradient this step). */
function setGrad(p: Tensor, values: readonly number[] | null): void {
  p.grad?.dispose();
  p.grad = values ? ax.tensor(Float32Array.from(values), p.shape).keep() : null;
}

function expectClose(got: ArrayLike<number>, want: readonly number[], rel: number, abs: number, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i]! - want[i]!);
    if (!(err <= rel * Math.abs(want[i]!) + abs)) {
      throw new Error(`${what}[${i}]: got ${got[i]}, want ${want[i]} (|Δ| = ${err.toExponential(2)})`);
    }
  }
}

function makeParams(shapes: number[][], init: number[][]): Tensor[] {
  return shapes.map((s, i) => ax.variable(ax.tensor(Float32Array.from(init[i]!), s)));
}

function disposeAll(ps: Tensor[]): void {
  for (const p of ps) p.dispose();
}

for (const backend of ['js', 'wasm'] as const) {
  describe(`optim on ${backend}`, () => {
    beforeAll(async () => {
      await ax.init({ backend });
    });

    describe('optimisers match torch.optim over 5 steps', () => {
      for (const c of golden.optimizers) {
        it(c.name, () => {
          const params = makeParams(c.shapes, c.init);
          const opt = new CLASSES[c.optimizer](params, c.options);
          c.grads.forEach((row, t) => {
            params.forEach((p, i) => setGrad(p, row[i]!));
            opt.step();
            params.forEach((p, i) => expectClose(p.dataSync(), c.expected[t]![i]!, 2e-5, 1e-6, `step ${t + 1} param ${i}`));
          });
          expect(opt.stepCount).toBe(5);
          opt.dispose();
          disposeAll(params);
        });
      }
    });

    it('the compile form (options only, parameters bound later) gives the same result', () => {
      const c = golden.optimizers.find((x) => x.name.startsWith('adam amsgrad'))!;
      const params = makeParams(c.shapes, c.init);
      const opt = ax.createOptimizer({ type: 'Adam', ...c.options });
      expect(() => opt.step()).toThrow(/no parameters bound/);
      opt.setParameters(params);
      c.grads.forEach((row) => {
        params.forEach((p, i) => setGrad(p, row[i]!));
        opt.step();
      });
      params.forEach((p, i) => expectClose(p.dataSync(), c.expected[4]![i]!, 2e-5, 1e-6, `param ${i}`));
      opt.dispose();
      disposeAll(params);
    });

    describe('gradient clipping matches torch.nn.utils', () => {
      for (const c of golden.clipGradNorm) {
        it(`clipGradNorm normType ${c.normType}, maxNorm ${c.maxNorm}`, () => {
          const params = c.shapes.map((s) => ax.variable(ax.zeros(s)));
          params.forEach((p, i) => setGrad(p, c.grads[i]!));
          const total = ax.clipGradNorm(params, c.maxNorm, c.normType);
          expect(Math.abs(total - c.total)).toBeLessThanOrEqual(2e-6 * c.total);
          params.forEach((p, i) => expectClose(p.grad!.dataSync(), c.clipped[i]!, 2e-6, 1e-7, `grad ${i}`));
          disposeAll(params);
        });
      }
      it('clipGradValue', () => {
        const c = golden.clipGradValue;
        const params = c.shapes.map((s) => ax.variable(ax.zeros(s)));
        params.forEach((p, i) => setGrad(p, c.grads[i]!));
        ax.clipGradValue(params, c.clipValue);
        params.forEach((p, i) => expectClose(p.grad!.dataSync(), c.clipped[i]!, 0, 0, `grad ${i}`));
        disposeAll(params);
      });
      it('skips parameters without gradients; no gradients → total 0; accepts one tensor and Infinity', () => {
        const a = ax.variable([3, -4]);
        const b = ax.variable([1]);
        expect(ax.clipGradNorm([a, b], 1)).toBe(0);
        setGrad(a, [3, -4]);
        expect(ax.clipGradNorm(a, 10, Infinity)).toBe(4);
        expect(ax.clipGradNorm([a, b], 1)).toBeCloseTo(5, 5);
        expectClose(a.grad!.dataSync(), [0.6, -0.8], 1e-6, 0, 'a.grad');
        disposeAll([a, b]);
      });
      it('NaN gradients make the norm NaN without throwing (as torch)', () => {
        const a = ax.variable([1, 2]);
        setGrad(a, [NaN, 1]);
        expect(ax.clipGradNorm([a], 1)).toBeNaN();
        a.dispose();
      });
    });

    it('step() allocates nothing after the first step (memory flat over 100 steps)', () => {
      const shapes = [[17, 5], [5], [3, 3]];
      const configs: Array<[keyof typeof CLASSES, Record<string, unknown>]> = [
        ['SGD', { lr: 0.01, momentum: 0.9, nesterov: true, clipNorm: 1 }],
        ['Adam', { amsgrad: true, clipValue: 0.5, clipNorm: 2 }],
        ['AdamW', {}],
        ['RMSprop', { centered: true, momentum: 0.5 }],
        ['Adagrad', { initialAccumulatorValue: 0.1 }],
        ['Adadelta', {}],
      ];
      for (const [name, o] of configs) {
        const params = shapes.map((s, i) => ax.variable(ax.randn(s, { seed: i })));
        params.forEach((p, i) => {
          p.grad = ax.randn(p.shape, { seed: 10 + i }).keep();
        });
        const opt = new CLASSES[name](params, o);
        opt.step();
        const before = ax.memory();
        for (let s = 0; s < 100; s++) opt.step();
        expect(ax.memory(), name).toEqual(before);
        opt.dispose();
        expect(ax.memory().backendBytes, `${name} dispose frees its state`).toBeLessThan(before.backendBytes);
        disposeAll(params);
      }
    });

    describe('LR schedules match torch.optim.lr_scheduler', () => {
      for (const c of golden.schedules) {
        it(c.name, () => {
          const s = ax.schedules.scheduleFromConfig(c.schedule);
          const p = ax.variable([0]);
          const opt = new ax.SGD([p], { lr: c.baseLr });
          const sched = new ax.LrScheduler(opt, s);
          const lrs = [opt.lr];
          for (let e = 0; e < c.lrs.length - 1; e++) lrs.push(sched.step(c.metrics?.[e]));
          expectClose(lrs, c.lrs, 1e-12, 1e-15, 'lr');
          expect(opt.lr).toBe(lrs[lrs.length - 1]);
          if (!(s instanceof ax.ReduceOnPlateau)) expectClose(c.lrs.map((_, e) => s.lrAt(e, c.baseLr)), c.lrs, 1e-12, 1e-15, 'lrAt');
          opt.dispose();
          p.dispose();
        });
      }
    });

    it('state() / loadState() round-trips exactly and training resumes identically', () => {
      for (const [name, o] of [
        ['Adam', { amsgrad: true, weightDecay: 0.01 }],
        ['SGD', { lr: 0.1, momentum: 0.9 }],
        ['RMSprop', { centered: true, momentum: 0.3 }],
        ['Adagrad', { lrDecay: 0.1 }],
        ['Adadelta', {}],
      ] as Array<[keyof typeof CLASSES, Record<string, unknown>]>) {
        const shapes = [[4, 3], [3], [2]];
        const init = shapes.map((s, i) => Array.from(ax.randn(s, { seed: 100 + i }).dataSync()));
        const grads = (t: number): number[][] => shapes.map((s, i) => Array.from(ax.randn(s, { seed: 1000 + 10 * t + i }).dataSync()));
        const a = makeParams(shapes, init);
        const optA = new CLASSES[name](a, o);
        for (let t = 0; t < 3; t++) {
          // parameter 2 gets no gradient in the first step: its slot must record step 2, not 3
          a.forEach((p, i) => setGrad(p, t === 0 && i === 2 ? null : grads(t)[i]!));
          optA.step();
        }
        const saved = optA.state();
        expect(saved.type).toBe(name);
        expect(saved.step).toBe(3);
        expect(Array.from(saved.slots[2]!['step']!)).toEqual([2]);
        // B starts from A's parameters and state (buffers as plain arrays, as after JSON)
        const b = makeParams(shapes, a.map((p) => Array.from(p.dataSync())));
        const optB = new CLASSES[name]({ lr: 0.5 });
        optB.setParameters(b);
        const asJson = JSON.parse(JSON.stringify(saved, (_k, v: unknown) => (v instanceof Float32Array ? Array.from(v) : v))) as ax.OptimizerState;
        optB.loadState(asJson);
        expect(optB.getConfig()).toEqual(optA.getConfig());
        expect(optB.stepCount).toBe(3);
        const again = optB.state();
        for (const [i, slot] of Object.entries(saved.slots)) {
          for (const [k, v] of Object.entries(slot) as Array<[string, Float32Array]>) expect(Array.from(again.slots[Number(i)]![k]!), `${name} slot ${i}.${k}`).toEqual(Array.from(v));
        }
        for (let t = 3; t < 5; t++) {
          a.forEach((p, i) => setGrad(p, grads(t)[i]!));
          b.forEach((p, i) => setGrad(p, grads(t)[i]!));
          optA.step();
          optB.step();
        }
        a.forEach((p, i) => expect(Array.from(b[i]!.dataSync()), `${name} param ${i}`).toEqual(Array.from(p.dataSync())));
        optA.dispose();
        optB.dispose();
        disposeAll([...a, ...b]);
      }
    });

    it('loadState rejects bad states before changing anything', () => {
      const ps = [ax.variable([1, 2, 3]), ax.variable([4])];
      const opt = new ax.Adam(ps, { lr: 0.01 });
      ps.forEach((p, i) => setGrad(p, i === 0 ? [0.1, 0.2, 0.3] : [0.5]));
      opt.step();
      const good = opt.state();
      const snapshot = JSON.stringify(opt.state(), (_k, v: unknown) => (v instanceof Float32Array ? Array.from(v) : v));
      const bad: Array<[unknown, RegExp]> = [
        [null, /expected an object/],
        [{ ...good, type: 'SGD' }, /state is for "SGD", not 'Adam'/],
        [{ ...good, options: { ...good.options, lr: -1 } }, /option 'lr' expected a number ≥ 0/],
        [{ ...good, options: { ...good.options, betaz: 1 } }, /unknown option 'betaz'.*did you mean 'betas'/],
        [{ ...good, step: 1.5 }, /'step' expected an integer/],
        [{ ...good, slots: { 0: good.slots[0] } }, /state is for 1 parameters but this optimiser has 2/],
        [{ ...good, slots: { 0: good.slots[0], 1: { ...good.slots[1], m: new Float32Array(3) } } }, /buffer 'm' has 3 elements but parameter 1 has 1/],
        [{ ...good, slots: { 0: good.slots[0], 1: { ...good.slots[1], vMax: new Float32Array(1) } } }, /unknown buffer 'vMax'.*keeps: step, m, v/],
        [{ ...good, options: { ...good.options, amsgrad: true } }, /slot 0 lacks buffer 'vMax'/],
        [{ ...good, slots: { 0: good.slots[0], 1: { step: Float32Array.of(0), m: new Float32Array(1) } } }, /step 0 but holds buffers/],
        // Non-finite values: a state saved after a divergence must not resume into NaN weights.
        [{ ...good, slots: { 0: { ...good.slots[0], v: Float32Array.of(0.1, NaN, 0.2) }, 1: good.slots[1] } }, /Adam.loadState: slot 0 buffer 'v' holds NaN at index 1; expected finite values/],
        [{ ...good, slots: { 0: good.slots[0], 1: { ...good.slots[1], m: [-Infinity] } } }, /slot 1 buffer 'm' holds -Infinity at index 0/],
        [{ ...good, slots: { 0: { ...good.slots[0], step: Float32Array.of(NaN) }, 1: good.slots[1] } }, /slot 0's 'step' expected an integer ≥ 0, given NaN/],
        [{ ...good, step: Infinity }, /'step' expected an integer ≥ 0, given Infinity/],
        [{ ...good, options: { ...good.options, lr: NaN } }, /option 'lr' expected a number ≥ 0, given NaN/],
        [{ ...good, options: { ...good.options, eps: Infinity } }, /option 'eps' expected a number ≥ 0, given Infinity/],
        [{ ...good, options: { ...good.options, betas: [0.9, NaN] } }, /option 'betas' expected numbers in \[0, 1\)/],
      ];
      const codes = new Map<RegExp, string>(bad.slice(-7).map(([, re], i) => [re, i < 2 ? 'NON_FINITE' : 'INVALID_ARGUMENT']));
      for (const [state, re] of bad) {
        expect(() => opt.loadState(state as ax.OptimizerState)).toThrow(re);
        expect(() => opt.loadState(state as ax.OptimizerState)).toThrow(ax.AxonError);
        if (codes.has(re)) {
          let code: string | undefined;
          try {
            opt.loadState(state as ax.OptimizerState);
          } catch (e) {
            code = (e as ax.AxonError).code;
          }
          expect(code, String(re)).toBe(codes.get(re));
        }
        expect(JSON.stringify(opt.state(), (_k, v: unknown) => (v instanceof Float32Array ? Array.from(v) : v))).toBe(snapshot);
      }
      opt.dispose();
      disposeAll(ps);
    });
  });
}

describe('optim API (backend-independent)', () => {
  beforeAll(async () => {
    await ax.init({ backend: 'js' });
  });

  it('defaults are torch defaults', () => {
    const p = [ax.variable([1])];
    expect(new ax.Adam(p).getConfig()).toEqual({ type: 'Adam', lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false });
    expect(new ax.AdamW(p).getConfig()).toEqual({ type: 'AdamW', lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false });
    expect(new ax.RMSprop(p).getConfig()).toEqual({ type: 'RMSprop', lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false });
    expect(new ax.Adagrad(p).getConfig()).toEqual({ type: 'Adagrad', lr: 1e-2, lrDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, weightDecay: 0 });
    expect(new ax.Adadelta(p).getConfig()).toEqual({ type: 'Adadelta', lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0 });
    expect(new ax.SGD(p, { lr: 0.1 }).getConfig()).toEqual({ type: 'SGD', lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 });
    expect(new ax.SGD({ lr: 0.1, clipNorm: 1, clipValue: 2 }).getConfig()).toMatchObject({ clipNorm: 1, clipValue: 2 });
    p[0]!.dispose();
  });

  it('bad options throw clear errors', () => {
    const p = [ax.variable([1])];
    const cases: Array<[() => unknown, RegExp]> = [
      [() => new ax.Adam(p, { lr: 1e-3, bta: 1 } as never), /Adam: unknown option 'bta' \(did you mean 'betas'\?\)/],
      [() => new ax.Adam({ learningRate: 1 } as never), /unknown option 'learningRate'/],
      [() => new ax.SGD(p, {} as never), /SGD: option 'lr' is required/],
      [() => new ax.SGD({} as never), /SGD: option 'lr' is required/],
      [() => new ax.SGD(p, { lr: -0.1 }), /SGD: option 'lr' expected a number ≥ 0, given -0.1/],
      [() => new ax.SGD(p, { lr: 0.1, nesterov: true }), /Nesterov momentum requires momentum > 0 and dampening = 0/],
      [() => new ax.SGD(p, { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }), /Nesterov/],
      [() => new ax.SGD(p, { lr: 0.1, momentum: -1 }), /option 'momentum' expected a number ≥ 0/],
      [() => new ax.Adam(p, { betas: [0.9, 1] }), /option 'betas' expected numbers in \[0, 1\), given betas\[1\] = 1/],
      [() => new ax.Adam(p, { betas: [0.9] }), /option 'betas' expected an array of two numbers/],
      [() => new ax.Adam(p, { eps: -1 }), /option 'eps' expected a number ≥ 0/],
      [() => new ax.Adam(p, { lr: NaN }), /option 'lr' expected a number ≥ 0, given NaN/],
      [() => new ax.Adam(p, { weightDecay: -1 }), /option 'weightDecay'/],
      [() => new ax.Adam(p, { amsgrad: 1 } as never), /option 'amsgrad' expected true or false/],
      [() => new ax.Adam(p, { clipNorm: 0 }), /option 'clipNorm' expected a number > 0/],
      [() => new ax.RMSprop(p, { alpha: 1.5 }), /option 'alpha' expected a number ≥ 0 and ≤ 1/],
      [() => new ax.Adagrad(p, { lrDecay: -1 }), /option 'lrDecay'/],
      [() => new ax.Adagrad(p, { initialAccumulatorValue: -1 }), /option 'initialAccumulatorValue'/],
      [() => new ax.Adadelta(p, { rho: 2 }), /option 'rho' expected a number ≥ 0 and ≤ 1/],
      [() => new ax.Adam(p[0] as never), /expected an array of Tensors, given one Tensor/],
      [() => new ax.Adam([p[0], 3] as never), /parameter 1 expected a Tensor, given 3/],
      [() => new ax.Adam([p[0]!, p[0]!]), /parameter 1 .*same tensor as parameter 0/],
      [() => new ax.Adam([ax.add(p[0]!, 1)]), /not a leaf tensor/],
      [() => new ax.Adam(p, { lr: 1 }).lr = -1, /Adam.lr: value expected a number ≥ 0/],
      [() => ax.createOptimizer('adm'), /unknown optimizer "adm" \(did you mean 'adam'\?\); valid: sgd, adam, adamw, rmsprop, adagrad, adadelta/],
      [() => ax.createOptimizer({ lr: 1 }), /lacks 'type'/],
      [() => ax.clipGradNorm(p, -1), /clipGradNorm: argument 'maxNorm' expected a number ≥ 0/],
      [() => ax.clipGradNorm(p, 1, 0), /argument 'normType' expected a number > 0, Infinity or 'inf'/],
      [() => ax.clipGradValue(p, NaN), /clipGradValue: argument 'clipValue'/],
    ];
    for (const [f, re] of cases) {
      expect(f).toThrow(re);
      expect(f).toThrow(ax.ArgumentError);
    }
    p[0]!.dispose();
  });

  it('step() checks every gradient before updating anything', () => {
    const a = ax.variable([1, 2]);
    const b = ax.variable([3]);
    const opt = new ax.SGD([a, b], { lr: 1 });
    setGrad(a, [1, 1]);
    b.grad = ax.tensor([1, 2]).keep();
    expect(() => opt.step()).toThrow(/gradient of parameter 1 has 2 elements but the parameter has 1/);
    expect(Array.from(a.dataSync())).toEqual([1, 2]);
    b.grad.dispose();
    expect(() => opt.step()).toThrow(/gradient of parameter 1 was disposed/);
    b.grad = null;
    opt.step();
    expect(Array.from(a.dataSync())).toEqual([0, 1]);
    expect(Array.from(b.dataSync())).toEqual([3]);
    a.dispose();
    expect(() => opt.step()).toThrow(/parameter 0 was disposed/);
    b.dispose();
  });

  it('a NaN gradient does not throw in step(); the parameter becomes NaN', () => {
    const a = ax.variable([1, 2]);
    const opt = new ax.Adam([a]);
    setGrad(a, [NaN, 1]);
    expect(() => opt.step()).not.toThrow();
    const v = a.dataSync();
    expect(v[0]).toBeNaN();
    expect(Number.isFinite(v[1])).toBe(true);
    opt.dispose();
    a.dispose();
  });

  it('zeroGrad frees the gradients; setParameters rebinds (same list keeps the state)', () => {
    const a = ax.variable([1, 2]);
    const opt = new ax.Adam({ lr: 0.1 });
    opt.setParameters([a]);
    setGrad(a, [1, 1]);
    opt.step();
    opt.zeroGrad();
    expect(a.grad).toBeNull();
    opt.setParameters([a]);
    expect(opt.stepCount).toBe(1);
    expect(Object.keys(opt.state().slots[0]!)).toEqual(['step', 'm', 'v']);
    const b = ax.variable([1]);
    opt.setParameters([a, b]);
    expect(opt.stepCount).toBe(0);
    expect(Object.keys(opt.state().slots[0]!)).toEqual(['step']);
    opt.dispose();
    a.dispose();
    b.dispose();
  });

  it('createOptimizer: by name (case-insensitive), from getConfig(), or an instance', () => {
    const adam = ax.createOptimizer('Adam', { lr: 0.5 });
    expect(adam).toBeInstanceOf(ax.Adam);
    expect(adam.lr).toBe(0.5);
    const rms = new ax.RMSprop({ momentum: 0.5, centered: true, clipNorm: 3 });
    const again = ax.createOptimizer(rms.getConfig());
    expect(again).toBeInstanceOf(ax.RMSprop);
    expect(again.getConfig()).toEqual(rms.getConfig());
    expect(ax.createOptimizer(rms)).toBe(rms);
    expect(ax.createOptimizer('adamw')).toBeInstanceOf(ax.AdamW);
    expect(ax.OPTIMIZER_NAMES).toEqual(['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad', 'adadelta']);
  });

  it('closed-form schedules without a torch counterpart', () => {
    const { inverseTime, linearWarmup, cosine, stepDecay, exponential } = ax.schedules;
    const it2 = inverseTime(0.5, 2);
    expect([0, 1, 2, 4].map((e) => it2.lrAt(e, 1))).toEqual([1, 1 / 1.25, 1 / 1.5, 1 / 2]);
    const w = linearWarmup(4, cosine(10, 0));
    expect([0, 1, 2, 3].map((e) => w.lrAt(e, 0.2))).toEqual([0.05, 0.1, 0.15000000000000002, 0.2]);
    expect(w.lrAt(4, 0.2)).toBeCloseTo(0.2, 15);
    expect(w.lrAt(14, 0.2)).toBeCloseTo(0, 15);
    expect(linearWarmup(2).lrAt(7, 0.3)).toBe(0.3);
    const back = ax.schedules.scheduleFromConfig(w.getConfig()) as ax.LrSchedule;
    expect(back.getConfig()).toEqual({ type: 'linearWarmup', warmupSteps: 4, after: { type: 'cosine', tMax: 10, etaMin: 0 } });
    expect([0, 5, 9].map((e) => back.lrAt(e, 0.2))).toEqual([0, 5, 9].map((e) => w.lrAt(e, 0.2)));
    expect(stepDecay(2).lrAt(4, 1)).toBeCloseTo(0.01, 15);
    expect(exponential(0.5).getConfig()).toEqual({ type: 'exponential', gamma: 0.5 });
  });

  it('LrScheduler drives optimizer.lr; functions work like Keras LearningRateScheduler', () => {
    const p = ax.variable([1]);
    const opt: Optimizer = new ax.SGD([p], { lr: 0.4 });
    const warm = new ax.LrScheduler(opt, ax.schedules.linearWarmup(2));
    expect(opt.lr).toBe(0.2);
    expect(warm.step()).toBe(0.4);
    expect(warm.epoch).toBe(1);
    const seen: Array<[number, number]> = [];
    const fn = new ax.LrScheduler(opt, (e, lr) => {
      seen.push([e, lr]);
      return lr * 0.5;
    });
    fn.step();
    expect(seen).toEqual([[0, 0.4], [1, 0.2]]);
    expect(opt.lr).toBe(0.1);
    const plateau = new ax.LrScheduler(opt, ax.schedules.reduceOnPlateau({ patience: 0 }));
    expect(() => plateau.step()).toThrow(/needs the monitored metric/);
    plateau.step(1);
    expect(plateau.step(1)).toBeCloseTo(0.01, 15);
    expect(() => new ax.LrScheduler(opt, (() => -1) as never)).toThrow(/result for epoch 0 expected a number ≥ 0/);
    expect(() => new ax.LrScheduler(opt, {} as never)).toThrow(/argument 'schedule'/);
    p.dispose();
  });

  it('schedule arguments are checked', () => {
    const S = ax.schedules;
    expect(() => S.stepDecay(0)).toThrow(/stepDecay: argument 'stepSize' expected an integer ≥ 1, given 0/);
    expect(() => S.exponential(0)).toThrow(/exponential: argument 'gamma' expected a number > 0/);
    expect(() => S.cosine(0)).toThrow(/cosine: argument 'tMax'/);
    expect(() => S.inverseTime(-1)).toThrow(/inverseTime: argument 'decayRate'/);
    expect(() => S.linearWarmup(1.5)).toThrow(/linearWarmup: argument 'warmupSteps'/);
    expect(() => S.linearWarmup(2, 3 as never)).toThrow(/argument 'after' expected a schedule/);
    expect(() => S.reduceOnPlateau({ patiance: 3 } as never)).toThrow(/unknown option 'patiance' \(did you mean 'patience'\?\)/);
    expect(() => S.reduceOnPlateau({ mode: 'minimum' as never })).toThrow(/option 'mode' expected one of 'min', 'max'/);
    expect(() => S.reduceOnPlateau({ factor: 1 })).toThrow(/option 'factor' expected a number ≥ 0 and < 1/);
    expect(() => S.cosine(10).lrAt(-1, 0.1)).toThrow(/cosine.lrAt: argument 'epoch' expected an integer ≥ 0/);
    expect(() => S.scheduleFromConfig({ type: 'cosin' })).toThrow(/unknown schedule type "cosin"/);
  });
});
