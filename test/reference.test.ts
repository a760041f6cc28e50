/**
 * The JS reference backend against PyTorch golden fixtures (test/golden/kernels.json, made by
 * test/golden/generate.py), finite differences, Philox known answers, random-stream moments
 * and consistency, and argument validation.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JsBackend } from '../src/backends/js/index.js';
import { activate, derivative, erf } from '../src/backends/js/activations.js';
import { ACTIVATIONS, KernelError, type Activation, type Storage } from '../src/kernels/kernels.js';
import { philox4x32, philoxWords } from '../src/kernels/philox.js';

type Num = number | string;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const golden: any = JSON.parse(readFileSync(new URL('./golden/kernels.json', import.meta.url), 'utf8'));

const ks = new JsBackend();

/** Decodes a golden list ("NaN"/"Infinity" strings allowed) into float32. */
function f32(v: readonly Num[]): Float32Array {
  return Float32Array.from(v, (x) => (typeof x === 'string' ? Number(x) : x));
}
function up(v: readonly Num[] | Float32Array): Storage {
  return ks.upload(v instanceof Float32Array ? v : f32(v));
}
function get(s: Storage): Float32Array {
  return s.readSync();
}

/** Elementwise |a − e| ≤ atol + rtol·|e| (NaN matches NaN, ±Inf must be equal). */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number> | readonly Num[], rtol: number, atol: number, label: string): void {
  const exp = Array.isArray(expected) ? f32(expected as Num[]) : (expected as ArrayLike<number>);
  expect(actual.length, `${label}: length`).toBeGreaterThanOrEqual(exp.length);
  for (let i = 0; i < exp.length; i++) {
    const a = actual[i]!;
    const e = exp[i]!;
    if (Number.isNaN(e)) {
      expect(Number.isNaN(a), `${label}[${i}]: expected NaN, got ${a}`).toBe(true);
    } else if (!Number.isFinite(e)) {
      expect(a, `${label}[${i}]`).toBe(e);
    } else {
      const ok = Math.abs(a - e) <= atol + rtol * Math.abs(e);
      expect(ok, `${label}[${i}]: got ${a}, expected ${e} (diff ${Math.abs(a - e)})`).toBe(true);
    }
  }
}

const RTOL = 1e-6;
const ATOL = 1e-6;

// ---- golden: activations ---------------------------------------------------------------------

describe('golden: activations (torch float64 autograd)', () => {
  const g = golden.activations;
  const x = up(g.x);
  const dy = up(g.dy);
  const n = g.x.length as number;
  it('covers every activation', () => {
    const names = new Set((g.cases as { act: string }[]).map((c) => c.act));
    for (const a of ACTIVATIONS) expect(names.has(a), a).toBe(true);
  });
  for (const c of g.cases as { act: Activation; alpha: number | null; y: Num[]; dx: Num[] }[]) {
    const label = c.alpha === null ? c.act : `${c.act}(${c.alpha})`;
    it(`${label} forward and backward`, () => {
      const alpha = c.alpha ?? undefined;
      const y = ks.alloc(n);
      ks.activation(c.act, x, y, n, alpha);
      // ≤ 2 ulp: both sides round a float64 value (atol only for torch's own cancellation, e.g. gelu(−10) = 0)
      expectClose(get(y), c.y, 2.5e-7, 1e-12, `${label} y`);
      const dx = ks.alloc(n);
      ks.activationBackward(c.act, x, y, dy, dx, n, alpha);
      expectClose(get(dx), c.dx, 2.5e-7, 1e-12, `${label} dx`);
      // in place: dx === dy
      const dy2 = up(g.dy);
      ks.activationBackward(c.act, x, y, dy2, dy2, n, alpha);
      expect(get(dy2)).toEqual(get(dx));
      // gemm epilogue applies the same function: C = act(1·x·[1])
      const one = up([1]);
      const cOut = ks.alloc(n);
      ks.gemm({ a: x, b: one, c: cOut, m: n, n: 1, k: 1, activation: c.act, activationAlpha: alpha });
      expect(get(cOut)).toEqual(get(y));
      for (const s of [y, dx, dy2, one, cOut]) s.dispose();
    });
  }
  it('NaN propagates through every forward activation', () => {
    const nan = up([NaN]);
    const out = ks.alloc(1);
    for (const a of ACTIVATIONS) {
      ks.activation(a, nan, out, 1);
      expect(Number.isNaN(get(out)[0]), a).toBe(true);
    }
  });
});

// ---- golden: softmax family ------------------------------------------------------------------

describe('golden: softmax family', () => {
  (golden.softmax as { rows: number; cols: number; x: Num[]; dy: Num[]; softmax: Num[]; softmaxGrad: Num[]; logSoftmax: Num[]; logSoftmaxGrad: Num[] }[]).forEach((c, ci) => {
    it(`case ${ci}: softmax / logSoftmax forward and backward`, () => {
      const { rows, cols } = c;
      const x = up(c.x);
      const dy = up(c.dy);
      const y = ks.alloc(rows * cols);
      const dx = ks.alloc(rows * cols);
      ks.softmax(x, y, rows, cols);
      expectClose(get(y), c.softmax, RTOL, 1e-7, 'softmax');
      ks.softmaxBackward(y, dy, dx, rows, cols);
      expectClose(get(dx), c.softmaxGrad, RTOL, ATOL, 'softmax grad');
      ks.logSoftmax(x, y, rows, cols);
      expectClose(get(y), c.logSoftmax, RTOL, ATOL, 'logSoftmax');
      ks.logSoftmaxBackward(y, dy, dx, rows, cols);
      expectClose(get(dx), c.logSoftmaxGrad, RTOL, ATOL, 'logSoftmax grad');
      // in place
      const x2 = up(c.x);
      ks.softmax(x2, x2, rows, cols);
      expectClose(get(x2), c.softmax, RTOL, 1e-7, 'softmax in place');
    });
  });
  it('a row of all −Inf gives NaN (torch); other rows unaffected', () => {
    const x = up([-Infinity, -Infinity, -Infinity, 0, 0, Math.log(2)]);
    const y = ks.alloc(6);
    ks.softmax(x, y, 2, 3);
    const r = get(y);
    expect([...r.slice(0, 3)].every(Number.isNaN)).toBe(true);
    expectClose(r.slice(3), [0.25, 0.25, 0.5], 1e-7, 0, 'finite row');
    ks.logSoftmax(x, y, 2, 3);
    expect([...get(y).slice(0, 3)].every(Number.isNaN)).toBe(true);
  });
});

describe('golden: softmax cross-entropy (torch CrossEntropyLoss)', () => {
  (golden.crossEntropy as { rows: number; cols: number; oneHot: boolean; logits: Num[]; labels: Num[]; probs: Num[]; loss: Num[]; grad: Num[] }[]).forEach((c, ci) => {
    it(`case ${ci} (${c.oneHot ? 'distribution' : 'index'} targets): loss, probs and gradient`, () => {
      const { rows, cols } = c;
      const logits = up(c.logits);
      const labels = up(c.labels);
      const probs = ks.alloc(rows * cols);
      const loss = ks.alloc(rows);
      ks.softmaxCrossEntropy(logits, labels, c.oneHot, probs, loss, rows, cols);
      expectClose(get(probs), c.probs, RTOL, 1e-7, 'probs');
      expectClose(get(loss), c.loss, RTOL, ATOL, 'loss');
      expect([...get(loss)].every(Number.isFinite)).toBe(true);
      const dl = ks.alloc(rows * cols);
      ks.softmaxCrossEntropyBackward(probs, labels, c.oneHot, dl, rows, cols, 1 / rows);
      expectClose(get(dl), c.grad, RTOL, 1e-7, 'grad');
      // probs === logits (in place) and dlogits === probs give the same numbers
      ks.softmaxCrossEntropy(logits, labels, c.oneHot, logits, loss, rows, cols);
      expectClose(get(loss), c.loss, RTOL, ATOL, 'loss (in place)');
      ks.softmaxCrossEntropyBackward(logits, labels, c.oneHot, logits, rows, cols, 1 / rows);
      expectClose(get(logits), c.grad, RTOL, 1e-7, 'grad (in place)');
    });
  });
});

// ---- golden: batch norm ------------------------------------------------------------------------

describe('golden: batch norm (torch BatchNorm1d, training mode)', () => {
  type Bn = Record<'x' | 'gamma' | 'beta' | 'dy' | 'runningMean0' | 'runningVar0' | 'mean' | 'var' | 'out' | 'dx' | 'dgamma' | 'dbeta' | 'runningMean' | 'runningVar', Num[]> & { outer: number; channels: number; inner: number; eps: number; momentum: number };
  (golden.batchNorm as Bn[]).forEach((c, ci) => {
    const { outer, channels, inner, eps } = c;
    const shifted = Math.abs(Number(c.mean[0])) > 1000;
    it(`case ${ci} [${outer}, ${channels}, ${inner}]${shifted ? ' mean 1e4' : ''}`, () => {
      const total = outer * channels * inner;
      const x = up(c.x);
      const gamma = up(c.gamma);
      const beta = up(c.beta);
      const dy = up(c.dy);
      const mean = ks.alloc(channels);
      const variance = ks.alloc(channels);
      ks.batchNormStats(x, mean, variance, outer, channels, inner);
      expectClose(get(mean), c.mean, RTOL, ATOL, 'mean');
      expectClose(get(variance), c.var, 2e-6, ATOL, 'variance');
      // With a mean of 1e4 the float32 mean itself is off by up to half an ulp (≈5e-4), which
      // every consumer of the stored statistics inherits; hence the looser tolerance there.
      const tol = shifted ? 2e-3 : ATOL;
      const out = ks.alloc(total);
      ks.batchNormForward({ x, mean, variance, gamma, beta, out, outer, channels, inner, eps });
      expectClose(get(out), c.out, RTOL, tol, 'out');
      const dx = ks.alloc(total);
      const dgamma = ks.alloc(channels);
      const dbeta = ks.alloc(channels);
      ks.batchNormBackward({ x, mean, variance, gamma, dy, dx, dgamma, dbeta, outer, channels, inner, eps });
      expectClose(get(dx), c.dx, 1e-5, tol, 'dx');
      expectClose(get(dgamma), c.dgamma, 1e-5, shifted ? 2e-2 : 1e-5, 'dgamma');
      expectClose(get(dbeta), c.dbeta, RTOL, ATOL, 'dbeta');
      const rm = up(c.runningMean0);
      const rv = up(c.runningVar0);
      ks.batchNormRunningUpdate(rm, rv, mean, variance, channels, c.momentum, outer * inner);
      expectClose(get(rm), c.runningMean, RTOL, ATOL, 'runningMean');
      expectClose(get(rv), c.runningVar, 2e-6, ATOL, 'runningVar');
    });
  });
});

// ---- golden: optimisers ------------------------------------------------------------------------

describe('golden: optimisers (torch.optim, 5 steps)', () => {
  interface Opt {
    optimizer: string;
    label: string;
    options: Record<string, number | boolean | number[]>;
    n: number;
    param0: Num[];
    grads: Num[][];
    params: Num[][];
  }
  for (const c of golden.optimizers as Opt[]) {
    it(`${c.optimizer} ${c.label}`, () => {
      const o = c.options;
      const num = (k: string, dflt: number): number => (o[k] === undefined ? dflt : (o[k] as number));
      const n = c.n;
      const param = up(c.param0);
      const s1 = ks.alloc(n);
      const s2 = ks.alloc(n);
      const s3 = ks.alloc(n);
      const lr = num('lr', NaN);
      const weightDecay = num('weightDecay', c.optimizer === 'adamw' ? 0.01 : 0);
      if (c.optimizer === 'adagrad') ks.fill(s1, n, num('initialAccumulatorValue', 0));
      c.grads.forEach((gv, t) => {
        const grad = up(gv);
        const step = t + 1;
        switch (c.optimizer) {
          case 'sgd':
            ks.sgdStep({ param, grad, n, lr, weightDecay, momentum: num('momentum', 0), dampening: num('dampening', 0), nesterov: o.nesterov === true, momentumBuffer: s1, firstStep: step === 1 });
            break;
          case 'adam':
          case 'adamw': {
            const [beta1, beta2] = (o.betas as number[] | undefined) ?? [0.9, 0.999];
            ks.adamStep({ param, grad, n, lr, weightDecay, m: s1, v: s2, vMax: s3, beta1: beta1!, beta2: beta2!, eps: num('eps', 1e-8), step, decoupled: c.optimizer === 'adamw', amsgrad: o.amsgrad === true });
            break;
          }
          case 'rmsprop':
            ks.rmspropStep({ param, grad, n, lr, weightDecay, squareAvg: s1, gradAvg: s2, momentumBuffer: s3, alpha: num('alpha', 0.99), eps: num('eps', 1e-8), momentum: num('momentum', 0), centered: o.centered === true });
            break;
          case 'adagrad':
            ks.adagradStep({ param, grad, n, lr: lr / (1 + (step - 1) * num('lrDecay', 0)), weightDecay, sum: s1, eps: num('eps', 1e-10) });
            break;
          case 'adadelta':
            ks.adadeltaStep({ param, grad, n, lr, weightDecay, squareAvg: s1, accDelta: s2, rho: num('rho', 0.9), eps: num('eps', 1e-6) });
            break;
          default:
            throw new Error(`unknown optimiser ${c.optimizer}`);
        }
        grad.dispose();
        expectClose(get(param), c.params[t]!, 1e-5, 1e-6, `step ${step}`);
      });
    });
  }
});

// ---- golden: gemm and distances -----------------------------------------------------------------

describe('golden: gemm', () => {
  interface G { m: number; n: number; k: number; transA: boolean; transB: boolean; alpha: number; beta: number; a: Num[]; b: Num[]; c0: Num[]; c: Num[]; bias?: Num[]; activation?: Activation; activationAlpha?: number }
  for (const c of golden.gemm as G[]) {
    it(`transA=${c.transA} transB=${c.transB} alpha=${c.alpha} beta=${c.beta}${c.bias ? ' +bias' : ''}${c.activation ? ` ${c.activation}` : ''}`, () => {
      const out = up(c.c0);
      ks.gemm({ a: up(c.a), b: up(c.b), c: out, m: c.m, n: c.n, k: c.k, transA: c.transA, transB: c.transB, alpha: c.alpha, beta: c.beta, bias: c.bias ? up(c.bias) : undefined, activation: c.activation, activationAlpha: c.activationAlpha });
      expectClose(get(out), c.c, RTOL, ATOL, 'C');
    });
  }
  it('beta = 0 ignores NaN in C; k = 0 gives beta·C + bias', () => {
    const c = up([NaN, NaN, Infinity, NaN]);
    ks.gemm({ a: up([1, 2]), b: up([3, 4]), c, m: 2, n: 2, k: 1 });
    expect([...get(c)]).toEqual([3, 4, 6, 8]);
    const c2 = up([1, 2]);
    ks.gemm({ a: ks.alloc(0), b: ks.alloc(0), c: c2, m: 1, n: 2, k: 0, beta: 2, bias: up([10, 20]) });
    expect([...get(c2)]).toEqual([12, 24]);
  });
});

describe('golden: pairwise distances (torch.cdist)', () => {
  for (const c of golden.distance as { metric: 'l2sq' | 'l1'; m: number; n: number; d: number; a: Num[]; b: Num[]; out: Num[] }[]) {
    it(c.metric, () => {
      const out = ks.alloc(c.m * c.n);
      ks.pairwiseDistance(c.metric, up(c.a), up(c.b), out, c.m, c.n, c.d);
      expectClose(get(out), c.out, RTOL, ATOL, c.metric);
      expect(get(out)[1 * c.n + 0]).toBe(0); // the exact match in the fixture
    });
  }
});

// ---- finite differences -------------------------------------------------------------------------

/** Σ w·v in float64. */
function dot(w: ArrayLike<number>, v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i]! * v[i]!;
  return s;
}

/** Central differences of a scalar function of a float32 vector (the step is the float32-rounded one). */
function numGrad(x0: Float32Array, h: number, f: (x: Float32Array) => number): Float64Array {
  const g = new Float64Array(x0.length);
  for (let i = 0; i < x0.length; i++) {
    const xp = x0.slice();
    const xm = x0.slice();
    xp[i] = x0[i]! + h;
    xm[i] = x0[i]! - h;
    g[i] = (f(xp) - f(xm)) / (xp[i]! - xm[i]!);
  }
  return g;
}

/** Deterministic pseudo-random float32 values in [lo, hi) for small test inputs. */
function values(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const out = ks.alloc(n);
  ks.randomUniform(out, n, seed, 0, lo, hi);
  return get(out);
}

describe('finite differences', () => {
  it('scalar derivatives match central differences in float64', () => {
    const xs = [-4.2, -2.3, -0.7, -0.3, 0.4, 0.6, 1.7, 2.5, 6.1];
    const h = 1e-5;
    for (const a of ACTIVATIONS) {
      for (const alpha of a === 'leakyRelu' || a === 'elu' ? [0.01, 0.3, 1] : [0]) {
        for (const x of xs) {
          const num = (activate(a, x + h, alpha) - activate(a, x - h, alpha)) / (2 * h);
          const ana = derivative(a, x, alpha);
          expect(Math.abs(num - ana), `${a}(${alpha}) at ${x}: ${num} vs ${ana}`).toBeLessThan(1e-8 + 1e-7 * Math.abs(ana));
        }
      }
    }
  });

  it('activationBackward matches differences of the activation kernel (float32)', () => {
    const x0 = Float32Array.from([-2.3, -1.4, -0.7, -0.3, 0.4, 0.6, 1.7, 2.5]);
    const n = x0.length;
    const w = values(n, 11);
    const h = 1e-2;
    for (const a of ACTIVATIONS) {
      const fwd = (x: Float32Array): Float32Array => {
        const out = ks.alloc(n);
        ks.activation(a, up(x), out, n);
        return get(out);
      };
      const xs = up(x0);
      const y = ks.alloc(n);
      ks.activation(a, xs, y, n);
      const dx = ks.alloc(n);
      ks.activationBackward(a, xs, y, up(w), dx, n);
      const xp = Float32Array.from(x0, (v) => v + h);
      const xm = Float32Array.from(x0, (v) => v - h);
      const yp = fwd(xp);
      const ym = fwd(xm);
      const num = Float64Array.from(x0, (_, i) => (w[i]! * (yp[i]! - ym[i]!)) / (xp[i]! - xm[i]!));
      expectClose(get(dx), num, 1e-3, 2e-4, `${a} dx`);
    }
  });

  it('softmaxBackward and logSoftmaxBackward match differences of the forward kernels', () => {
    const rows = 2;
    const cols = 4;
    const x0 = values(rows * cols, 21, -2, 2);
    const w = values(rows * cols, 22);
    for (const [fwd, bwd] of [['softmax', 'softmaxBackward'], ['logSoftmax', 'logSoftmaxBackward']] as const) {
      const loss = (x: Float32Array): number => {
        const out = ks.alloc(rows * cols);
        ks[fwd](up(x), out, rows, cols);
        return dot(w, get(out));
      };
      const y = ks.alloc(rows * cols);
      ks[fwd](up(x0), y, rows, cols);
      const dx = ks.alloc(rows * cols);
      ks[bwd](y, up(w), dx, rows, cols);
      expectClose(get(dx), numGrad(x0, 3e-3, loss), 1e-3, 1e-4, `${bwd}`);
    }
  });

  it('softmaxCrossEntropyBackward matches differences of the mean loss', () => {
    const rows = 3;
    const cols = 4;
    const x0 = values(rows * cols, 31, -2, 2);
    const idx = [2, 0, 3];
    const dist = values(rows * cols, 32, 0, 1);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += dist[r * cols + j]!;
      for (let j = 0; j < cols; j++) dist[r * cols + j] = dist[r * cols + j]! / s;
    }
    for (const [oneHot, labelsArr] of [[false, Float32Array.from(idx)], [true, dist]] as const) {
      const labels = up(labelsArr);
      const meanLoss = (x: Float32Array): number => {
        const probs = ks.alloc(rows * cols);
        const loss = ks.alloc(rows);
        ks.softmaxCrossEntropy(up(x), labels, oneHot, probs, loss, rows, cols);
        return get(loss).reduce((a, b) => a + b, 0) / rows;
      };
      const probs = ks.alloc(rows * cols);
      const loss = ks.alloc(rows);
      ks.softmaxCrossEntropy(up(x0), labels, oneHot, probs, loss, rows, cols);
      const dl = ks.alloc(rows * cols);
      ks.softmaxCrossEntropyBackward(probs, labels, oneHot, dl, rows, cols, 1 / rows);
      expectClose(get(dl), numGrad(x0, 3e-3, meanLoss), 1e-3, 1e-4, `oneHot=${oneHot}`);
    }
  });

  it('batchNormBackward matches differences of stats + forward (x, gamma, beta)', () => {
    const outer = 4;
    const channels = 2;
    const inner = 3;
    const total = outer * channels * inner;
    const eps = 1e-5;
    const x0 = values(total, 41, -2, 2);
    const g0 = values(channels, 42, 0.5, 1.5);
    const b0 = values(channels, 43);
    const w = values(total, 44);
    const loss = (x: Float32Array, gamma: Float32Array, beta: Float32Array): number => {
      const xs = up(x);
      const mean = ks.alloc(channels);
      const variance = ks.alloc(channels);
      ks.batchNormStats(xs, mean, variance, outer, channels, inner);
      const out = ks.alloc(total);
      ks.batchNormForward({ x: xs, mean, variance, gamma: up(gamma), beta: up(beta), out, outer, channels, inner, eps });
      return dot(w, get(out));
    };
    const xs = up(x0);
    const mean = ks.alloc(channels);
    const variance = ks.alloc(channels);
    ks.batchNormStats(xs, mean, variance, outer, channels, inner);
    const dx = ks.alloc(total);
    const dgamma = ks.alloc(channels);
    const dbeta = ks.alloc(channels);
    ks.batchNormBackward({ x: xs, mean, variance, gamma: up(g0), dy: up(w), dx, dgamma, dbeta, outer, channels, inner, eps });
    const h = 1e-2;
    expectClose(get(dx), numGrad(x0, h, (x) => loss(x, g0, b0)), 1e-2, 1e-3, 'dx');
    expectClose(get(dgamma), numGrad(g0, h, (g) => loss(x0, g, b0)), 1e-3, 1e-4, 'dgamma');
    expectClose(get(dbeta), numGrad(b0, h, (b) => loss(x0, g0, b)), 1e-3, 1e-4, 'dbeta');
  });
});

// ---- randomness ---------------------------------------------------------------------------------

describe('Philox-4x32-10 and the random kernels', () => {
  const hex = (w: Uint32Array): string[] => [...w].map((v) => v.toString(16).padStart(8, '0'));
  it('known-answer vectors (Random123)', () => {
    const out = new Uint32Array(4);
    philox4x32(0, 0, 0, 0, 0, 0, out);
    expect(hex(out)).toEqual(['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8']);
    philox4x32(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, out);
    expect(hex(out)).toEqual(['408f276d', '41c83b0e', 'a20bc7c6', '6d5451fd']);
    philox4x32(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, out);
    expect(hex(out)).toEqual(['d16cfe09', '94fdcceb', '5001e420', '24126ea1']);
  });

  it('uniform elements are the documented function of the stream words', () => {
    const seed = 2 ** 40 + 12345; // key uses both halves
    const words = new Uint32Array(10);
    philoxWords(seed, 7, 10, words);
    const out = ks.alloc(10);
    ks.randomUniform(out, 10, seed, 7, 0, 1);
    expect([...get(out)]).toEqual([...words].map((w) => (w >>> 8) / 2 ** 24));
    // normal element j from words 2j, 2j+1, here with Math.log/Math.cos as an independent check
    const nw = new Uint32Array(20);
    philoxWords(seed, 14, 20, nw);
    const normal = ks.alloc(10);
    ks.randomNormal(normal, 10, seed, 7, 0.5, 3);
    const expectedNormal = Array.from({ length: 10 }, (_, i) => {
      const z = Math.sqrt(-2 * Math.log((nw[2 * i]! + 1) / 2 ** 32)) * Math.cos(2 * Math.PI * (nw[2 * i + 1]! / 2 ** 32));
      return Math.fround(0.5 + 3 * z);
    });
    expectClose(get(normal), expectedNormal, 1e-7, 1e-7, 'normal');
    const mask = ks.alloc(10);
    const p = 0.4;
    ks.dropoutMask(mask, 10, p, seed, 7);
    expect([...get(mask)]).toEqual([...words].map((w) => (w >= Math.floor(p * 2 ** 32) ? Math.fround(1 / (1 - p)) : 0)));
  });

  const N = 100_000;
  const moments = (v: Float32Array): { mean: number; variance: number; skew: number; kurt: number } => {
    let s = 0;
    for (const x of v) s += x;
    const mean = s / v.length;
    let m2 = 0, m3 = 0, m4 = 0;
    for (const x of v) {
      const d = x - mean;
      m2 += d * d;
      m3 += d * d * d;
      m4 += d * d * d * d;
    }
    m2 /= v.length;
    m3 /= v.length;
    m4 /= v.length;
    return { mean, variance: m2, skew: m3 / m2 ** 1.5, kurt: m4 / (m2 * m2) };
  };

  it(`randomUniform moments on ${N} samples`, () => {
    const out = ks.alloc(N);
    ks.randomUniform(out, N, 7, 0, -2, 3);
    const v = get(out);
    expect(v.every((x) => x >= -2 && x < 3)).toBe(true);
    const m = moments(v);
    const sd = 5 / Math.sqrt(12);
    expect(Math.abs(m.mean - 0.5)).toBeLessThan((5 * sd) / Math.sqrt(N));
    expect(Math.abs(m.variance / (sd * sd) - 1)).toBeLessThan(0.02);
    expect(Math.abs(m.skew)).toBeLessThan(0.03);
    expect(Math.abs(m.kurt - 1.8)).toBeLessThan(0.03);
  });

  it(`randomNormal moments on ${N} samples`, () => {
    const out = ks.alloc(N);
    ks.randomNormal(out, N, 8, 0, 1, 2);
    const v = get(out);
    expect(v.every(Number.isFinite)).toBe(true);
    const m = moments(v);
    expect(Math.abs(m.mean - 1)).toBeLessThan((5 * 2) / Math.sqrt(N));
    expect(Math.abs(Math.sqrt(m.variance) / 2 - 1)).toBeLessThan(0.015);
    expect(Math.abs(m.skew)).toBeLessThan(0.05);
    expect(Math.abs(m.kurt - 3)).toBeLessThan(0.1);
    let within = 0;
    for (const x of v) if (Math.abs(x - 1) < 2) within++;
    expect(Math.abs(within / N - 0.6827)).toBeLessThan(0.01);
  });

  it(`dropoutMask keep rate and scale on ${N} samples`, () => {
    const mask = ks.alloc(N);
    for (const p of [0, 0.3, 0.9]) {
      ks.dropoutMask(mask, N, p, 9, 0);
      const v = get(mask);
      const keep = Math.fround(1 / (1 - p));
      let kept = 0;
      let other = 0;
      for (const x of v) {
        if (x === keep) kept++;
        else if (x !== 0) other++;
      }
      expect(other).toBe(0);
      expect(Math.abs(kept / N - (1 - p))).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N) + 1e-12);
    }
  });

  it('streams are consistent: elements [offset, offset + n) equal the tail of a longer call', () => {
    const cases: [number, number][] = [[3, 0], [2 ** 33 + 5, 0], [99, 2 ** 34 - 6]]; // (seed, start) — the last crosses block 2^32
    for (const [seed, start] of cases) {
      for (const kind of ['uniform', 'normal', 'dropout'] as const) {
        const long = ks.alloc(5000);
        const short = ks.alloc(4000);
        const run = (out: Storage, n: number, off: number): void => {
          if (kind === 'uniform') ks.randomUniform(out, n, seed, off, -1, 1);
          else if (kind === 'normal') ks.randomNormal(out, n, seed, off, 0, 1);
          else ks.dropoutMask(out, n, 0.5, seed, off);
        };
        run(long, 5000, start);
        run(short, 4000, start + 1000); // spans several internal chunks, unaligned
        expect(get(short), `${kind} seed ${seed}`).toEqual(get(long).slice(1000));
        long.dispose();
        short.dispose();
      }
    }
  });

  it('different seeds give different streams; same seed the same', () => {
    const a = ks.alloc(16);
    const b = ks.alloc(16);
    ks.randomNormal(a, 16, 1, 0, 0, 1);
    ks.randomNormal(b, 16, 2, 0, 0, 1);
    expect(get(a)).not.toEqual(get(b));
    ks.randomNormal(b, 16, 1, 0, 0, 1);
    expect(get(a)).toEqual(get(b));
  });
});

// ---- the rest of the contract (semantics not covered by the fixtures) ----------------------------

describe('memory and elementwise semantics', () => {
  it('alloc zero-fills, upload/read copy, dispose is idempotent, liveBytes tracks live handles', async () => {
    const b = new JsBackend();
    expect(b.name).toBe('js');
    expect(b.liveBytes()).toBe(0);
    const s = b.alloc(5);
    expect([...s.readSync()]).toEqual([0, 0, 0, 0, 0]);
    const src = Float32Array.from([1, 2, 3]);
    const u = b.upload(src);
    src[0] = 99;
    expect([...(await u.read())]).toEqual([1, 2, 3]);
    const r = u.readSync();
    r[1] = 42;
    expect([...u.readSync()]).toEqual([1, 2, 3]);
    expect(b.liveBytes()).toBe(32);
    b.write(s, Float32Array.from([7, 8]), 3);
    expect([...s.readSync()]).toEqual([0, 0, 0, 7, 8]);
    s.dispose();
    s.dispose();
    expect(s.disposed).toBe(true);
    expect(b.liveBytes()).toBe(12);
    expect(() => s.readSync()).toThrow(KernelError);
    await expect(s.read()).rejects.toThrow(KernelError);
    b.dispose();
    expect(u.disposed).toBe(true);
    expect(b.liveBytes()).toBe(0);
  });

  it('copy, scale, axpy, fill, clip, unary', () => {
    const x = up([1, -2, 3, NaN]);
    const out = ks.alloc(6);
    ks.copy(x, out, 3, 1, 2);
    expect([...get(out)]).toEqual([0, 0, -2, 3, NaN, 0]);
    ks.fill(out, 6, -0.5);
    ks.scale(x, out, 3, 2);
    expect([...get(out)]).toEqual([2, -4, 6, -0.5, -0.5, -0.5]);
    ks.axpy(-1, x, out, 3);
    expect([...get(out)]).toEqual([1, -2, 3, -0.5, -0.5, -0.5]);
    ks.clip(x, out, 4, -1, 2);
    expect([...get(out).slice(0, 4)]).toEqual([1, -1, 2, NaN]);
    const u = up([4, 0.25, -1, 0]);
    const want: Record<string, number[]> = {
      neg: [-4, -0.25, 1, -0],
      abs: [4, 0.25, 1, 0],
      exp: [Math.exp(4), Math.exp(0.25), Math.exp(-1), 1].map(Math.fround),
      log: [Math.log(4), Math.log(0.25), NaN, -Infinity].map(Math.fround),
      sqrt: [2, 0.5, NaN, 0],
      square: [16, 0.0625, 1, 0],
      reciprocal: [0.25, 4, -1, Infinity],
      rsqrt: [0.5, 2, NaN, Infinity],
    };
    for (const [op, w] of Object.entries(want)) {
      ks.unary(op as 'neg', u, out, 4);
      expect([...get(out).slice(0, 4)], op).toEqual(w);
    }
  });

  it('binary ops with row/col/scalar broadcast, NaN-propagating max/min, C pow', () => {
    const a = up([1, 2, 3, 4, 5, 6]); // [2, 3]
    const row = up([10, 20, 30]);
    const col = up([100, 200]);
    const out = ks.alloc(6);
    ks.binary('add', a, 'full', row, 'row', out, 2, 3);
    expect([...get(out)]).toEqual([11, 22, 33, 14, 25, 36]);
    ks.binary('sub', col, 'col', a, 'full', out, 2, 3);
    expect([...get(out)]).toEqual([99, 98, 97, 196, 195, 194]);
    ks.binary('mul', a, 'full', up([2]), 'scalar', out, 2, 3);
    expect([...get(out)]).toEqual([2, 4, 6, 8, 10, 12]);
    ks.binary('max', up([1, NaN, 3]), 'full', up([NaN, 2, 1]), 'full', out, 1, 3);
    expect([...get(out).slice(0, 3)]).toEqual([NaN, NaN, 3]);
    ks.binary('min', up([1, 5, 3]), 'full', up([2, 2, 2]), 'full', out, 1, 3);
    expect([...get(out).slice(0, 3)]).toEqual([1, 2, 2]);
    ks.binary('pow', up([1, -1, 2, NaN]), 'full', up([NaN, Infinity, 0.5, 0]), 'full', out, 1, 4);
    expect([...get(out).slice(0, 4)]).toEqual([1, 1, Math.fround(Math.SQRT2), 1]);
    ks.binary('div', a, 'full', a, 'full', a, 2, 3); // in place
    expect([...get(a)]).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('binaryStrided: general broadcasting over rank ≤ 6', () => {
    // a: [2, 1, 3] broadcast over [2, 2, 3]; b: [2] broadcast along the middle axis
    const a = up([1, 2, 3, 4, 5, 6]);
    const b = up([10, 20]);
    const out = ks.alloc(12);
    ks.binaryStrided('add', a, [3, 0, 1], b, [0, 1, 0], out, [2, 2, 3]);
    expect([...get(out)]).toEqual([11, 12, 13, 21, 22, 23, 14, 15, 16, 24, 25, 26]);
    ks.binaryStrided('mul', up([3]), [], up([4]), [], out, []);
    expect(get(out)[0]).toBe(12);
    const six = ks.alloc(64);
    ks.binaryStrided('add', ks.alloc(64), [32, 16, 8, 4, 2, 1], up([1]), [0, 0, 0, 0, 0, 0], six, [2, 2, 2, 2, 2, 2]);
    expect(get(six).every((v) => v === 1)).toBe(true);
  });

  it('reduce and argmax over the middle axis, including NaN and empty axes', () => {
    const x = up([1, 5, 2, 8, NaN, 0]); // [outer 1, len 3, inner 2]
    const out = ks.alloc(2);
    ks.reduce('sum', up([1, 2, 3, 4, 5, 6]), out, 1, 3, 2);
    expect([...get(out)]).toEqual([9, 12]);
    ks.reduce('mean', up([1, 2, 3, 4, 5, 6]), out, 2, 3, 1);
    expect([...get(out)]).toEqual([2, 5]);
    ks.reduce('max', x, out, 1, 3, 2);
    expect([...get(out)]).toEqual([NaN, 8]);
    ks.reduce('min', x, out, 1, 3, 2);
    expect([...get(out)]).toEqual([NaN, 0]);
    ks.argmax(x, out, 1, 3, 2);
    expect([...get(out)]).toEqual([2, 1]);
    ks.argmax(up([3, 1, 3]), out, 1, 3, 1);
    expect(get(out)[0]).toBe(0); // first maximum
    const e = ks.alloc(0);
    for (const [op, v] of [['sum', 0], ['mean', NaN], ['max', -Infinity], ['min', Infinity]] as const) {
      ks.reduce(op, e, out, 2, 0, 1);
      expect([...get(out)], op).toEqual([v, v]);
    }
  });

  it('batchNormStats is accurate for mean 1e4, std 1', () => {
    const n = 4096;
    const x = ks.alloc(n);
    ks.randomNormal(x, n, 5, 0, 1e4, 1);
    const xv = get(x);
    let s = 0;
    for (const v of xv) s += v;
    const mu = s / n;
    let ss = 0;
    for (const v of xv) ss += (v - mu) ** 2;
    const mean = ks.alloc(1);
    const variance = ks.alloc(1);
    ks.batchNormStats(x, mean, variance, n, 1, 1);
    expect(get(mean)[0]).toBe(Math.fround(mu));
    expect(get(variance)[0]).toBe(Math.fround(ss / n));
    expect(Math.abs(get(variance)[0]! - 1)).toBeLessThan(0.1);
  });
});

// ---- validation ---------------------------------------------------------------------------------

describe('argument validation', () => {
  const expectKernelError = (fn: () => void, kernel: string, argument: string): void => {
    let err: unknown;
    try {
      fn();
    } catch (e) {
      err = e;
    }
    expect(err, `${kernel}/${argument} should throw`).toBeInstanceOf(KernelError);
    const ke = err as KernelError;
    expect(ke.kernel).toBe(kernel);
    expect(ke.argument).toBe(argument);
    expect(ke.message).toContain(kernel);
    expect(ke.message).toContain(`'${argument}'`);
  };

  it('rejects a handle of another backend', () => {
    const foreign: Storage = {
      backend: 'wasm', size: 16, disposed: false,
      read: async () => new Float32Array(16), readSync: () => new Float32Array(16), dispose: () => {},
    };
    expectKernelError(() => ks.fill(foreign, 4, 0), 'fill', 'out');
    expectKernelError(() => ks.gemm({ a: foreign, b: ks.alloc(4), c: ks.alloc(4), m: 2, n: 2, k: 2 }), 'gemm', 'a');
  });

  it('rejects too-small buffers', () => {
    expectKernelError(() => ks.activation('relu', ks.alloc(3), ks.alloc(4), 4), 'activation', 'x');
    expectKernelError(() => ks.softmax(ks.alloc(6), ks.alloc(5), 2, 3), 'softmax', 'out');
    expectKernelError(() => ks.write(ks.alloc(3), new Float32Array(2), 2), 'write', 'dst');
  });

  it('rejects negative or fractional sizes', () => {
    expectKernelError(() => ks.alloc(-1), 'alloc', 'size');
    expectKernelError(() => ks.fill(ks.alloc(3), -1, 0), 'fill', 'n');
    expectKernelError(() => ks.reduce('sum', ks.alloc(4), ks.alloc(4), 1, 2.5, 1), 'reduce', 'len');
  });

  it('rejects unknown op names', () => {
    expectKernelError(() => ks.activation('swish' as Activation, ks.alloc(1), ks.alloc(1), 1), 'activation', 'act');
    expectKernelError(() => ks.unary('cube' as 'neg', ks.alloc(1), ks.alloc(1), 1), 'unary', 'op');
    expectKernelError(() => ks.binary('mod' as 'add', ks.alloc(1), 'full', ks.alloc(1), 'full', ks.alloc(1), 1, 1), 'binary', 'op');
  });

  it('rejects disposed handles', () => {
    const s = ks.alloc(4);
    s.dispose();
    expectKernelError(() => ks.scale(s, ks.alloc(4), 4, 2), 'scale', 'x');
    expectKernelError(() => ks.randomUniform(s, 4, 1, 0, 0, 1), 'randomUniform', 'out');
  });

  it('rejects forbidden aliasing and missing optimiser state', () => {
    const s = ks.alloc(4);
    expectKernelError(() => ks.activationBackward('relu', s, ks.alloc(4), ks.alloc(4), s, 4), 'activationBackward', 'dx');
    expectKernelError(() => ks.sgdStep({ param: ks.alloc(4), grad: ks.alloc(4), n: 4, lr: 0.1, momentum: 0.9 }), 'sgdStep', 'momentumBuffer');
  });
});

it('erf is accurate (spot values)', () => {
  // erf(0.5), erf(1), erf(2), erf(3.5) to 16 digits
  expect(Math.abs(erf(0.5) - 0.5204998778130465)).toBeLessThan(1e-15);
  expect(Math.abs(erf(1) - 0.8427007929497149)).toBeLessThan(1e-15);
  expect(Math.abs(erf(2) - 0.9953222650189527)).toBeLessThan(1e-15);
  expect(Math.abs(erf(-3.5) + 0.9999992569016276)).toBeLessThan(1e-15);
});
