/**
 * Fused optimiser updates (SGD incl. momentum/dampening/Nesterov/weight decay, Adam / AdamW /
 * AMSGrad, RMSprop incl. momentum and centered, Adagrad with a decaying lr, Adadelta), each over
 * several steps with fresh gradients; the parameter and every state buffer are compared with the
 * reference after the last step.
 *
 * Tolerance: `rel·|x| + update·Σ_steps|x_t − x_{t−1}| + abs` per element, with the step sizes
 * taken from the reference run (see the optim row of the table in test/helpers/backends.ts).
 */
import { it } from 'vitest';
import type { Kernels, Storage } from '../../src/kernels/kernels.js';
import { describeEachBackend, expectNoDiffs, type BackendContext, type Pair } from '../helpers/backends.js';
import { Rng } from '../helpers/random.js';

const NS = [0, 1, 7, 16, 33, 1023];
const STEPS = 4;

/** One optimiser configuration: its state buffer names and how to run step t (1-based). */
interface Config {
  name: string;
  states: string[];
  step(k: Kernels, param: Storage, grad: Storage, state: Record<string, Storage>, n: number, t: number): void;
}

const CONFIGS: Config[] = [
  { name: 'sgd plain', states: [], step: (k, param, grad, _s, n) => k.sgdStep({ param, grad, n, lr: 0.1 }) },
  { name: 'sgd weightDecay', states: [], step: (k, param, grad, _s, n) => k.sgdStep({ param, grad, n, lr: 0.1, weightDecay: 0.01 }) },
  {
    name: 'sgd momentum', states: ['momentumBuffer'],
    step: (k, param, grad, s, n, t) => k.sgdStep({ param, grad, n, lr: 0.05, momentum: 0.9, momentumBuffer: s['momentumBuffer'], firstStep: t === 1 }),
  },
  {
    name: 'sgd momentum dampening', states: ['momentumBuffer'],
    step: (k, param, grad, s, n, t) => k.sgdStep({ param, grad, n, lr: 0.05, momentum: 0.8, dampening: 0.3, momentumBuffer: s['momentumBuffer'], firstStep: t === 1 }),
  },
  {
    name: 'sgd nesterov weightDecay', states: ['momentumBuffer'],
    step: (k, param, grad, s, n, t) => k.sgdStep({ param, grad, n, lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-3, momentumBuffer: s['momentumBuffer'], firstStep: t === 1 }),
  },
  { name: 'adam', states: ['m', 'v'], step: (k, param, grad, s, n, t) => k.adamStep({ param, grad, n, lr: 1e-3, m: s['m']!, v: s['v']!, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: t }) },
  {
    name: 'adam L2 weightDecay', states: ['m', 'v'],
    step: (k, param, grad, s, n, t) => k.adamStep({ param, grad, n, lr: 1e-3, m: s['m']!, v: s['v']!, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: t, weightDecay: 0.01 }),
  },
  {
    name: 'adamW (decoupled)', states: ['m', 'v'],
    step: (k, param, grad, s, n, t) => k.adamStep({ param, grad, n, lr: 1e-3, m: s['m']!, v: s['v']!, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: t, weightDecay: 0.01, decoupled: true }),
  },
  {
    name: 'adam amsgrad', states: ['m', 'v', 'vMax'],
    step: (k, param, grad, s, n, t) => k.adamStep({ param, grad, n, lr: 1e-3, m: s['m']!, v: s['v']!, vMax: s['vMax'], amsgrad: true, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: t }),
  },
  {
    name: 'adamW amsgrad, large lr and eps', states: ['m', 'v', 'vMax'],
    step: (k, param, grad, s, n, t) =>
      k.adamStep({ param, grad, n, lr: 0.1, m: s['m']!, v: s['v']!, vMax: s['vMax'], amsgrad: true, decoupled: true, weightDecay: 0.1, beta1: 0.5, beta2: 0.9, eps: 1e-3, step: t }),
  },
  { name: 'rmsprop', states: ['squareAvg'], step: (k, param, grad, s, n) => k.rmspropStep({ param, grad, n, lr: 1e-2, squareAvg: s['squareAvg']!, alpha: 0.99, eps: 1e-8 }) },
  {
    name: 'rmsprop momentum', states: ['squareAvg', 'momentumBuffer'],
    step: (k, param, grad, s, n) => k.rmspropStep({ param, grad, n, lr: 1e-2, squareAvg: s['squareAvg']!, alpha: 0.9, eps: 1e-8, momentum: 0.9, momentumBuffer: s['momentumBuffer'] }),
  },
  {
    name: 'rmsprop centered', states: ['squareAvg', 'gradAvg'],
    step: (k, param, grad, s, n) => k.rmspropStep({ param, grad, n, lr: 1e-2, squareAvg: s['squareAvg']!, alpha: 0.99, eps: 1e-8, centered: true, gradAvg: s['gradAvg'] }),
  },
  {
    name: 'rmsprop centered momentum weightDecay', states: ['squareAvg', 'gradAvg', 'momentumBuffer'],
    step: (k, param, grad, s, n) =>
      k.rmspropStep({ param, grad, n, lr: 1e-2, squareAvg: s['squareAvg']!, alpha: 0.9, eps: 1e-6, centered: true, gradAvg: s['gradAvg'], momentum: 0.5, momentumBuffer: s['momentumBuffer'], weightDecay: 0.01 }),
  },
  // torch's lr decay is applied by the caller: lr / (1 + (step − 1)·lrDecay)
  { name: 'adagrad lrDecay', states: ['sum'], step: (k, param, grad, s, n, t) => k.adagradStep({ param, grad, n, lr: 0.01 / (1 + (t - 1) * 0.1), sum: s['sum']!, eps: 1e-10 }) },
  { name: 'adagrad weightDecay', states: ['sum'], step: (k, param, grad, s, n) => k.adagradStep({ param, grad, n, lr: 0.05, sum: s['sum']!, eps: 1e-10, weightDecay: 0.1 }) },
  { name: 'adadelta', states: ['squareAvg', 'accDelta'], step: (k, param, grad, s, n) => k.adadeltaStep({ param, grad, n, lr: 1, squareAvg: s['squareAvg']!, accDelta: s['accDelta']!, rho: 0.9, eps: 1e-6 }) },
  {
    name: 'adadelta weightDecay', states: ['squareAvg', 'accDelta'],
    step: (k, param, grad, s, n) => k.adadeltaStep({ param, grad, n, lr: 0.5, squareAvg: s['squareAvg']!, accDelta: s['accDelta']!, rho: 0.95, eps: 1e-6, weightDecay: 0.01 }),
  },
];

/** Runs STEPS steps of `cfg` on both sides; returns the comparison messages for param and every state buffer. */
async function runConfig(ctx: BackendContext, rng: Rng, cfg: Config, n: number): Promise<(string | null)[]> {
  const param = ctx.uploadOut(rng.uniformArray(n, -1, 1));
  const states: Record<string, Pair> = {};
  for (const s of cfg.states) states[s] = ctx.uploadOut(new Float32Array(n)); // torch starts every state at 0
  const buffers: [string, Pair][] = [['param', param], ...Object.entries(states)];
  // Σ|Δ| per element of each buffer over the reference's steps
  const moved = new Map(buffers.map(([name]) => [name, new Float64Array(n)]));
  let prev = new Map(await Promise.all(buffers.map(async ([name, p]) => [name, (await p.ref.read()).slice(0, n)] as const)));
  for (let t = 1; t <= STEPS; t++) {
    const g = rng.uniformArray(n, -1, 1);
    for (let i = 0; i < n; i += 9) g[i] = 0; // a zero gradient: eps-only denominators
    const grad = ctx.upload(g);
    ctx.both((k, h) => {
      const s: Record<string, Storage> = {};
      for (const [name, p] of Object.entries(states)) s[name] = h(p);
      cfg.step(k, h(param), h(grad), s, n, t);
    });
    for (const [name, p] of buffers) {
      const now = (await p.ref.read()).slice(0, n);
      const acc = moved.get(name)!;
      const before = prev.get(name)!;
      for (let i = 0; i < n; i++) acc[i] += Math.abs(now[i]! - before[i]!);
      prev.set(name, now);
    }
  }
  const O = ctx.tol.optim;
  const out: (string | null)[] = [];
  for (const [name, p] of buffers) {
    const acc = moved.get(name)!;
    out.push(await ctx.diff(p, (i, e) => O.rel * Math.abs(e) + O.update * acc[i]! + O.abs, `${cfg.name} n=${n} after ${STEPS} steps: ${name}`));
  }
  return out;
}

describeEachBackend('optim', (ctx) => {
  it.each(CONFIGS.map((c) => [c.name, c] as const))('%s', async (_name, cfg) => {
    const rng = new Rng(900 + CONFIGS.indexOf(cfg));
    const diffs: (string | null)[] = [];
    for (const n of NS) diffs.push(...(await runConfig(ctx, rng, cfg, n)));
    expectNoDiffs(diffs);
  });
});
