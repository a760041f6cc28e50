/**
 * Convolutional networks (src/ops/conv.ts, src/ops/pool.ts, src/nn/conv.ts, src/nn/pool.ts,
 * BatchNorm2d): forward values and gradients against PyTorch (test/golden/cnn.json, made by
 * test/golden/cnn_generate.py) on every backend through `describeEachBackend` — conv2d with odd
 * sizes, stride, padding ('same' with an even kernel, explicit asymmetric, TensorFlow's 'same'
 * for stride 2), dilation, fused activations; max/avg pooling; BatchNorm2d; a tiny LeNet — then,
 * on js, gradcheck, batch chunking, save/load, shape errors; and a wasm-vs-js training parity run.
 *
 * Tolerance against torch (float64 references): |got − want| ≤ rel·max|want| + 1e-6 per array,
 * rel = 1e-5 (js, wasm: float32 sums of ≤ 100 terms) or 1e-4 (webgpu).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ax from '../src/index.js';
import { setConvWorkspaceLimit } from '../src/ops/conv-geometry.js';
import { describeEachBackend } from './helpers/backends.js';
import { testGpu } from './helpers/webgpu.js';

const golden: any = JSON.parse(readFileSync(new URL('./golden/cnn.json', import.meta.url), 'utf8'));

const f32 = (a: Array<number | string>): Float32Array => Float32Array.from(a.map(Number));

/** Every element within `rel·max|want| + abs`, reporting the worst offender. */
function expectClose(got: Float32Array, want: Float32Array, label: string, rel: number, abs = 1e-6): void {
  expect(got.length, `${label}: length`).toBe(want.length);
  let scale = 0;
  for (const v of want) scale = Math.max(scale, Math.abs(v));
  const tol = rel * scale + abs;
  let worst = -1;
  let worstErr = 0;
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i]! - want[i]!);
    if (!(err <= tol) && (worst < 0 || err > worstErr || Number.isNaN(err))) [worst, worstErr] = [i, err];
  }
  if (worst >= 0) expect.fail(`${label}: element ${worst} got ${got[worst]}, expected ${want[worst]} (|Δ| ${worstErr}, tolerance ${tol})`);
}

const read = async (t: ax.Tensor | null): Promise<Float32Array> => {
  if (!t) throw new Error('missing tensor (no gradient?)');
  return t.data();
};

/** Plain SGD on the parameters' gradients, then clears them. */
function sgdStep(params: readonly ax.Tensor[], lr: number): void {
  for (const p of params) {
    if (!p.grad) continue;
    p.backend.axpy(-lr, p.grad.storage, p.storage, p.size);
    p.grad.dispose();
    p.grad = null;
  }
}

/** The tiny LeNet of the golden file (weights set from it). */
function lenet(): ax.Sequential {
  const m = new ax.Sequential([
    new ax.Conv2d(1, 4, 3, { padding: 1, activation: 'relu' }),
    new ax.MaxPool2d(2),
    new ax.Conv2d(4, 6, 3, { activation: 'relu' }),
    new ax.MaxPool2d(2),
    new ax.Flatten(),
    new ax.Dense(24, 5),
  ]);
  const w = golden.lenet.weights.map(f32);
  const ls = m.layers;
  // Flat Float32Arrays (no synchronous read of a tensor: this also runs on webgpu).
  ls[0]!.setWeights([w[0], w[1]]);
  ls[2]!.setWeights([w[2], w[3]]);
  ls[5]!.setWeights([w[4], w[5]]);
  return m;
}

describeEachBackend('cnn vs PyTorch', (ctx) => {
  const rel = ctx.name === 'webgpu' ? 1e-4 : 1e-5;
  beforeAll(async () => {
    const gpu = ctx.name === 'webgpu' ? (await testGpu()).gpu : undefined;
    await ax.init({ backend: ctx.name, ...(gpu ? { gpu } : {}) });
  });
  afterAll(async () => {
    // A read settles the asynchronous label checks (webgpu) before the backend goes away.
    const t = ax.zeros([1]);
    await t.data();
    t.dispose();
    ax.dispose();
  });

  for (const c of golden.conv) {
    it(`conv2d: ${c.name}`, async () => {
      const x = ax.variable(ax.tensor(f32(c.x), c.xShape));
      const w = ax.variable(ax.tensor(f32(c.w), c.wShape));
      const b = c.b ? ax.variable(ax.tensor(f32(c.b), [c.wShape[0]])) : null;
      try {
        const y = await ax.tidy(async () => {
          const out = ax.conv2d(x, w, b, { stride: c.stride, padding: c.padding, dilation: c.dilation, activation: c.activation });
          out.backward(ax.tensor(f32(c.dy), c.yShape));
          return { shape: out.shape, data: await out.data() };
        });
        expect(y.shape).toEqual(c.yShape);
        expectClose(y.data, f32(c.y), 'y', rel);
        expectClose(await read(x.grad), f32(c.dx), 'dx', rel);
        expectClose(await read(w.grad), f32(c.dw), 'dW', rel);
        if (b) expectClose(await read(b.grad), f32(c.db), 'db', rel);
      } finally {
        for (const t of [x, w, b]) t?.dispose();
      }
    });
  }

  for (const c of golden.pool) {
    it(`${c.kind}Pool2d: ${c.name}`, async () => {
      const x = ax.variable(ax.tensor(f32(c.x), c.xShape));
      try {
        const y = await ax.tidy(async () => {
          const stride = c.stride ?? undefined;
          const out = c.kind === 'max'
            ? ax.maxPool2d(x, c.kernel, { stride, padding: c.padding, dilation: c.dilation })
            : ax.avgPool2d(x, c.kernel, { stride, padding: c.padding, countIncludePad: c.countIncludePad });
          out.backward(ax.tensor(f32(c.dy), c.yShape));
          return { shape: out.shape, data: await out.data() };
        });
        expect(y.shape).toEqual(c.yShape);
        expectClose(y.data, f32(c.y), 'y', rel);
        expectClose(await read(x.grad), f32(c.dx), 'dx', rel);
      } finally {
        x.dispose();
      }
    });
  }

  it('globalAvgPool2d and GlobalAvgPool2d', async () => {
    const c = golden.globalAvg;
    const x = ax.variable(ax.tensor(f32(c.x), c.xShape));
    try {
      const y = await ax.tidy(async () => {
        const out = new ax.GlobalAvgPool2d().forward(x);
        out.backward(ax.tensor(f32(c.dy), [2, 3]));
        const kept = ax.globalAvgPool2d(x, { keepDims: true });
        expect(kept.shape).toEqual([2, 3, 1, 1]);
        return { shape: out.shape, data: await out.data() };
      });
      expect(y.shape).toEqual([2, 3]);
      expectClose(y.data, f32(c.y), 'y', rel);
      expectClose(await read(x.grad), f32(c.dx), 'dx', rel);
    } finally {
      x.dispose();
    }
  });

  for (const [i, c] of (golden.batchnorm2d as any[]).entries()) {
    it(`BatchNorm2d ${JSON.stringify(c.shape)}: training step, running statistics, evaluation`, async () => {
      const bn = new ax.BatchNorm2d(c.shape[1], { eps: c.eps, momentum: c.momentum });
      bn.setWeights([f32(c.gamma), f32(c.beta), new Float32Array(c.shape[1]), new Float32Array(c.shape[1]).fill(1)]);
      const x1 = ax.variable(ax.tensor(f32(c.x1), c.shape));
      const x2 = ax.variable(ax.tensor(f32(c.x2), c.shape));
      try {
        const y1 = await ax.tidy(async () => {
          const y = bn.forward(x1);
          y.backward(ax.tensor(f32(c.dy), c.shape));
          return y.data();
        });
        expectClose(y1, f32(c.train.y), `case ${i} train y`, rel);
        expectClose(await read(x1.grad), f32(c.train.dx), 'train dx', rel);
        expectClose(await read(bn.gamma!.grad), f32(c.train.dgamma), 'train dgamma', rel);
        expectClose(await read(bn.beta!.grad), f32(c.train.dbeta), 'train dbeta', rel);
        expectClose(await bn.runningMean.data(), f32(c.train.runningMean), 'runningMean 1', rel);
        expectClose(await bn.runningVar.data(), f32(c.train.runningVar), 'runningVar 1', rel);
        bn.zeroGrad();
        const y2 = await ax.tidy(() => ax.noGrad(() => bn.forward(x2)).data());
        expectClose(y2, f32(c.train2.y), 'train2 y', rel);
        expectClose(await bn.runningVar.data(), f32(c.train2.runningVar), 'runningVar 2', rel);
        bn.eval();
        const ye = await ax.tidy(async () => {
          const y = bn.forward(x2);
          y.backward(ax.tensor(f32(c.dy), c.shape));
          return y.data();
        });
        expectClose(ye, f32(c.eval.y), 'eval y', rel);
        expectClose(await read(x2.grad), f32(c.eval.dx), 'eval dx', rel);
        expectClose(await read(bn.gamma!.grad), f32(c.eval.dgamma), 'eval dgamma', rel);
      } finally {
        for (const t of [x1, x2]) t.dispose();
        bn.dispose();
      }
    });
  }

  it('a tiny LeNet: logits, loss and every gradient', async () => {
    const g = golden.lenet;
    const m = lenet();
    const x = ax.variable(ax.tensor(f32(g.x), [3, 1, 12, 12]));
    try {
      const { logits, loss } = await ax.tidy(async () => {
        const out = m.forward(x);
        const l = ax.crossEntropy(out, ax.tensor(g.labels, [3]));
        l.backward();
        return { logits: await out.data(), loss: (await l.data())[0]! };
      });
      expectClose(logits, f32(g.logits), 'logits', rel);
      expect(Math.abs(loss - g.loss)).toBeLessThan(rel * Math.abs(g.loss) + 1e-6);
      expectClose(await read(x.grad), f32(g.dx), 'dx', rel);
      const params = m.parameters();
      for (let i = 0; i < params.length; i++) expectClose(await read(params[i]!.grad), f32(g.grads[i]), `${params[i]!.name} grad`, rel);
    } finally {
      x.dispose();
      m.dispose();
    }
  });

  it('a training step leaves no tensor or byte behind', async () => {
    const m = lenet();
    const x = ax.tensor(f32(golden.lenet.x), [3, 1, 12, 12]);
    const y = ax.tensor(golden.lenet.labels, [3]);
    const step = () =>
      ax.tidy(() => {
        const l = ax.crossEntropy(m.forward(x), y);
        l.backward();
        sgdStep(m.parameters(), 0.01);
      });
    step();
    const before = ax.memory();
    const bytes = ax.getBackend().liveBytes();
    for (let i = 0; i < 3; i++) step();
    expect(ax.memory().numTensors).toBe(before.numTensors);
    expect(ax.getBackend().liveBytes()).toBe(bytes);
    for (const t of [x, y]) t.dispose();
    m.dispose();
  });
});

// ---- js only: gradcheck, chunking, layers, errors ------------------------------------------

/** Seeded values in [lo, hi), rounded to 3 decimals (no backend random, few ties). */
function vals(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.round((lo + ((s >>> 8) / 16777216) * (hi - lo)) * 1000) / 1000;
  });
}

function expectGradOk(fn: (...t: ax.Tensor[]) => ax.Tensor, inputs: ax.Tensor[], label: string): void {
  const r = ax.gradcheck(fn, inputs);
  for (const t of inputs) t.dispose();
  expect(r.ok, `${label}: maxError ${r.maxError} at ${JSON.stringify(r.worst)}`).toBe(true);
}

function expectThrows(fn: () => unknown, ...parts: Array<string | RegExp>): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err, `expected a throw mentioning ${parts.join(', ')}`).toBeInstanceOf(ax.AxonError);
  for (const p of parts) expect((err as Error).message).toMatch(p);
}

describe('cnn [js]: gradcheck, chunking, layers, errors', () => {
  beforeAll(async () => {
    await ax.init({ backend: 'js' });
  });

  describe('gradcheck', () => {
    const t = (shape: number[], seed: number, lo = -1, hi = 1) => ax.tensor(vals(shape.reduce((a, b) => a * b, 1), seed, lo, hi), shape);
    const cases: Array<[string, ax.Conv2dOptions, number[], number[]]> = [
      ['plain', {}, [2, 2, 5, 6], [3, 2, 3, 2]],
      ['stride 2, padding 1', { stride: 2, padding: 1 }, [2, 2, 5, 6], [3, 2, 3, 3]],
      ["'same', even kernel", { padding: 'same' }, [1, 3, 5, 4], [2, 3, 2, 4]],
      ['dilation 2, asymmetric padding', { dilation: 2, padding: [1, 0, 2, 1] }, [2, 2, 6, 5], [2, 2, 2, 2]],
      ['stride [2, 1], sigmoid', { stride: [2, 1], activation: 'sigmoid' }, [2, 2, 5, 5], [2, 2, 3, 3]],
    ];
    for (const [name, opts, xs, ws] of cases) {
      it(`conv2d ${name}: x, W and b`, () => {
        expectGradOk((x, w, b) => ax.conv2d(x, w, b, opts), [t(xs, 1), t(ws, 2), t([ws[0]!], 3)], name);
      });
    }
    it('conv2d with fused relu (away from the kink)', () => {
      // Positive inputs and weights keep every pre-activation far from 0.
      expectGradOk((x, w) => ax.conv2d(x, w, null, { padding: 1, activation: 'relu' }), [t([1, 2, 4, 4], 4, 0.2, 1), t([2, 2, 3, 3], 5, 0.1, 1)], 'relu');
    });
    it('maxPool2d (distinct values) and avgPool2d', () => {
      const distinct = (shape: number[], seed: number) => {
        const n = shape.reduce((a, b) => a * b, 1);
        const v = vals(n, seed);
        const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => v[a]! - v[b]!);
        const out = new Float32Array(n);
        order.forEach((idx, rank) => (out[idx] = rank * 0.1 - n * 0.05)); // spaced 0.1 apart: no near-ties
        return ax.tensor(out, shape);
      };
      expectGradOk((x) => ax.maxPool2d(x, 3, { stride: 2, padding: 1 }), [distinct([2, 2, 5, 6], 7)], 'max 3/2/1');
      expectGradOk((x) => ax.maxPool2d(x, [2, 3], { stride: 1, dilation: [2, 1] }), [distinct([1, 2, 6, 6], 8)], 'max dilated');
      expectGradOk((x) => ax.avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false }), [t([2, 2, 5, 6], 9)], 'avg');
      expectGradOk((x) => ax.globalAvgPool2d(x), [t([2, 2, 3, 4], 10)], 'global avg');
    });
    it('toChannelsLast / toChannelsFirst', () => {
      expectGradOk((x) => ax.toChannelsFirst(ax.toChannelsLast(x).mul(ax.tensor([1, 2, 3]))), [t([2, 3, 2, 2], 11)], 'layout');
    });
  });

  describe('saved state', () => {
    it('backward twice through a retained graph doubles every gradient (the saved columns stay intact)', () => {
      ax.tidy(() => {
        const x = ax.variable(ax.tensor(vals(2 * 2 * 5 * 4, 51), [2, 2, 5, 4]));
        const w = ax.variable(ax.tensor(vals(3 * 2 * 3 * 3, 52), [3, 2, 3, 3]));
        const b = ax.variable(ax.tensor(vals(3, 53), [3]));
        const y = ax.maxPool2d(ax.conv2d(x, w, b, { padding: 1, activation: 'tanh' }), 2, { stride: 1 });
        const f = y.mul(ax.tensor(vals(y.size, 54), y.shape)).sum();
        f.backward(undefined, { retainGraph: true });
        const once = [x, w, b].map((v) => Array.from(v.grad!.dataSync()));
        f.backward();
        [x, w, b].forEach((v, i) => expectClose(v.grad!.dataSync(), Float32Array.from(once[i]!, (g) => 2 * g), `grad ${i}`, 1e-6));
        for (const v of [x, w, b]) v.dispose();
      });
    });
  });

  describe('layout helpers', () => {
    it('toChannelsLast moves C to the end and toChannelsFirst back', () => {
      const x = ax.tensor(Float32Array.from({ length: 24 }, (_, i) => i), [1, 2, 3, 4]);
      const nhwc = ax.toChannelsLast(x);
      expect(nhwc.shape).toEqual([1, 3, 4, 2]);
      expect(Array.from(nhwc.dataSync().slice(0, 4))).toEqual([0, 12, 1, 13]);
      expect(Array.from(ax.toChannelsFirst(nhwc).dataSync())).toEqual(Array.from(x.dataSync()));
    });
  });

  describe('batch chunking', () => {
    it('a workspace cap smaller than the batch gives the same results and gradients', () => {
      const run = () =>
        ax.tidy(() => {
          const x = ax.variable(ax.tensor(vals(5 * 3 * 7 * 6, 21), [5, 3, 7, 6]));
          const w = ax.variable(ax.tensor(vals(4 * 3 * 3 * 3, 22), [4, 3, 3, 3]));
          const b = ax.variable(ax.tensor(vals(4, 23), [4]));
          const y = ax.conv2d(x, w, b, { stride: [2, 1], padding: 'same', activation: 'tanh' });
          y.mul(ax.tensor(vals(y.size, 24), y.shape)).sum().backward();
          const out = [y, x.grad!, w.grad!, b.grad!].map((t) => Array.from(t.dataSync()));
          for (const v of [x, w, b]) v.dispose();
          return out;
        });
      const whole = run();
      // One image's columns: 4·6 positions × 27 = 648 floats; 1000 fits one image per chunk, 1500 two.
      for (const cap of [1, 1000, 1500]) {
        const prev = setConvWorkspaceLimit(cap);
        try {
          const [y, dx, dw, db] = run();
          // Chunks only regroup dW's sum over the batch (partial GEMMs accumulated with beta = 1).
          expect(y, `cap ${cap}: y`).toEqual(whole[0]);
          expect(dx, `cap ${cap}: dx`).toEqual(whole[1]);
          expectClose(Float32Array.from(dw!), Float32Array.from(whole[2]!), `cap ${cap}: dW`, 1e-6);
          expect(db, `cap ${cap}: db`).toEqual(whole[3]);
        } finally {
          setConvWorkspaceLimit(prev);
        }
      }
    });
  });

  describe('layers', () => {
    it('Conv2d: shapes, [W, b] in torch layout, outputShape, toString', () => {
      const c = new ax.Conv2d(3, 8, [5, 3], { stride: 2, padding: 'same', activation: 'relu', seed: 1 });
      const [W, b] = c.getWeights();
      expect(W!.shape).toEqual([8, 3, 5, 3]);
      expect(b!.shape).toEqual([8]);
      expect(c.parameters().map((p) => p.name)).toEqual(['Conv2d.W', 'Conv2d.b']);
      expect(c.outputShape([2, 3, 28, 27])).toEqual([2, 8, 14, 14]);
      const y = c.forward(ax.zeros([2, 3, 28, 27]));
      expect(y.shape).toEqual([2, 8, 14, 14]);
      expect(c.toString()).toBe('Conv2d(3 → 8, 5×3, stride 2×2, padding "same", relu)');
      expect(new ax.Conv2d(1, 2, 3, { bias: false }).parameters()).toHaveLength(1);
      c.dispose();
    });

    it('Conv2d initialisers use torch fans (fanIn = inC·kH·kW)', () => {
      const c = new ax.Conv2d(16, 64, 3, { init: 'heNormal', seed: 3 });
      const w = c.W.dataSync();
      let s = 0;
      for (const v of w) s += v * v;
      const variance = s / w.length;
      expect(variance).toBeGreaterThan((2 / 144) * 0.9);
      expect(variance).toBeLessThan((2 / 144) * 1.1);
      const g = new ax.Conv2d(16, 64, 3, { init: 'glorotUniform', seed: 4 });
      const limit = Math.sqrt(6 / (16 * 9 + 64 * 9));
      const gw = g.W.dataSync();
      expect(Math.max(...gw)).toBeLessThanOrEqual(limit);
      expect(Math.max(...gw)).toBeGreaterThan(limit * 0.95);
      c.dispose();
      g.dispose();
    });

    it('Flatten works on 4-D and a CNN round-trips through save()/loadModel()', async () => {
      const m = new ax.Sequential([
        new ax.Conv2d(1, 3, 3, { padding: [1, 0, 1, 2], seed: 5 }),
        new ax.BatchNorm2d(3),
        new ax.ReLU(),
        new ax.MaxPool2d(2, { stride: 1, padding: 1 }),
        new ax.AvgPool2d(2, { countIncludePad: false }),
        new ax.Conv2d(3, 4, 1, { dilation: 2, activation: 'elu', alpha: 0.5, seed: 6 }),
        new ax.GlobalAvgPool2d({ keepDims: true }),
        new ax.Flatten(),
        new ax.Dense(4, 2, { seed: 7 }),
      ]);
      const x = ax.tensor(vals(2 * 1 * 6 * 5, 31), [2, 1, 6, 5]);
      m.forward(x); // one training step's worth of running statistics
      m.eval();
      const want = m.forward(x).dataSync();
      const back = await ax.loadModel<ax.Sequential>(await m.save());
      back.eval();
      expect(back.layers.map((l) => l.constructor.name)).toEqual(m.layers.map((l) => l.constructor.name));
      expect(Array.from(back.forward(x).dataSync())).toEqual(Array.from(want));
      expect(back.getConfig()).toEqual(m.getConfig());
      m.dispose();
      back.dispose();
    });

    it('setWeights validates before writing', () => {
      const c = new ax.Conv2d(2, 3, 2, { seed: 8 });
      const before = c.W.dataSync();
      expectThrows(() => c.setWeights([ax.zeros([3, 2, 2, 3]), ax.zeros([3])]), /Conv2d\.setWeights: W expected shape \[3, 2, 2, 2\], given \[3, 2, 2, 3\]/);
      expectThrows(() => c.setWeights([ax.zeros([3, 2, 2, 2])]), /expected 2 arrays \[W, b\], given 1/);
      expect(Array.from(c.W.dataSync())).toEqual(Array.from(before));
      c.dispose();
    });
  });

  describe('bad input', () => {
    it('conv2d names the function, the argument, what was expected and what was given', () => {
      const x = ax.zeros([2, 3, 5, 5]);
      const w = ax.zeros([4, 3, 3, 3]);
      expectThrows(() => ax.conv2d(ax.zeros([3, 5, 5]), w), /conv2d: argument 'x' expected a 4-D tensor \[batch, channels, height, width\] \(NCHW\), given shape \[3, 5, 5\]/);
      expectThrows(() => ax.conv2d(x, ax.zeros([4, 3, 3])), /conv2d: argument 'weight' expected a 4-D tensor \[outChannels, inChannels, kernelH, kernelW\], given shape \[4, 3, 3\]/);
      expectThrows(() => ax.conv2d(x, ax.zeros([4, 2, 3, 3])), /conv2d: input has 3 channels .* but the weight expects 2/);
      expectThrows(() => ax.conv2d(x, w, ax.zeros([3])), /conv2d: argument 'bias' expected shape \[4\], given \[3\]/);
      expectThrows(() => ax.conv2d(x, ax.zeros([4, 3, 6, 3])), /conv2d: the 6×3 window is larger than the padded input 5×5/);
      expectThrows(() => ax.conv2d(x, w, null, { dilation: 3 }), /conv2d: the 3×3 window \(dilated to 7×7\) is larger than the padded input 5×5/);
      expectThrows(() => ax.conv2d(x, w, null, { stride: 0 }), /conv2d: argument 'stride' expected a positive integer or a pair \[height, width\] of them, given 0/);
      expectThrows(() => ax.conv2d(x, w, null, { padding: 'full' as never }), /conv2d: option 'padding' expected 'same', 'valid'.*given "full"/);
      expectThrows(() => ax.conv2d(x, w, null, { padding: [1, 2, 3] as never }), /given \[1, 2, 3\]/);
      expectThrows(() => ax.conv2d(x, w, null, { strides: 2 } as never), /unknown option 'strides' \(did you mean 'stride'\?\)/);
      expectThrows(() => ax.conv2d(x, w, null, { activation: 'softmax' as never }), /conv2d: unknown activation "softmax"/);
    });

    it('pooling checks its window and padding', () => {
      const x = ax.zeros([1, 2, 4, 4]);
      expectThrows(() => ax.maxPool2d(x, 5), /maxPool2d: the 5×5 window is larger than the padded input 4×4/);
      expectThrows(() => ax.maxPool2d(x, 2, { padding: 2 }), /maxPool2d: padding .* may be at most half the 2×2 window \(1 rows, 1 columns per side\), as in torch/);
      expectThrows(() => ax.avgPool2d(x, 2, { dilation: 2 } as never), /avgPool2d: unknown option 'dilation'/);
      expectThrows(() => ax.avgPool2d(x, 2, { countIncludePad: 'yes' as never }), /countIncludePad' expected a boolean/);
      expectThrows(() => ax.maxPool2d(ax.zeros([2, 4, 4]), 2), /maxPool2d: argument 'x' expected a 4-D tensor/);
      expectThrows(() => ax.globalAvgPool2d(ax.zeros([2, 4])), /globalAvgPool2d: argument 'x' expected a 4-D tensor/);
    });

    it('layers reject bad arguments at construction and bad inputs in forward', () => {
      expectThrows(() => new ax.Conv2d(0, 2, 3), /Conv2d: argument 'inChannels' expected a positive integer, given 0/);
      expectThrows(() => new ax.Conv2d(1, 2, [3, 0]), /Conv2d: argument 'kernelSize' expected a positive integer or a pair/);
      expectThrows(() => new ax.Conv2d(1, 2, 3, { padding: -1 }), /Conv2d: option 'padding'/);
      expectThrows(() => new ax.Conv2d(1, 2, 3, { activaton: 'relu' } as never), /did you mean 'activation'/);
      expectThrows(() => new ax.Conv2d(1, 2, 3, { bias: false, biasRegularizer: ax.l2(0.1) }), /'bias' is false/);
      expectThrows(() => new ax.Conv2d(1, 2, 3).forward(ax.zeros([2, 3, 8, 8])), /Conv2d\.forward: input expected shape \[batch, 1, height, width\] \(NCHW\), given \[2, 3, 8, 8\]/);
      expectThrows(() => new ax.Conv2d(1, 2, 3).forward(ax.zeros([2, 784])), /given \[2, 784\]/);
      expectThrows(() => new ax.MaxPool2d(2, { padding: 3 }), /MaxPool2d: padding 3 may be at most half the 2×2 window/);
      expectThrows(() => new ax.AvgPool2d(0), /AvgPool2d: argument 'kernelSize'/);
      expectThrows(() => new ax.BatchNorm2d(3).forward(ax.zeros([2, 3, 4])), /BatchNorm2d\.forward: input expected shape \[batch, 3, height, width\] \(NCHW\), given \[2, 3, 4\]/);
      expectThrows(() => new ax.BatchNorm2d(3).forward(ax.zeros([1, 3, 1, 1])), /BatchNorm2d\.forward: expected more than 1 value per channel/);
      expectThrows(() => new ax.GlobalAvgPool2d({ keepdims: true } as never), /did you mean 'keepDims'/);
    });
  });
});

// ---- backend parity: wasm vs js, a few training steps of a small CNN -------------------------

describe('cnn parity: wasm vs js, 5 Adam steps of a small CNN', () => {
  async function train(backend: 'js' | 'wasm'): Promise<{ losses: number[]; weights: Float32Array[] }> {
    await ax.init({ backend });
    const model = new ax.Sequential([
      new ax.Conv2d(1, 4, 3, { padding: 'same', activation: 'relu', init: 'heNormal', seed: 1 }),
      new ax.BatchNorm2d(4),
      new ax.MaxPool2d(2),
      new ax.Conv2d(4, 6, 3, { stride: 2, activation: 'tanh', seed: 2 }),
      new ax.Dropout(0.2, { seed: 3 }),
      new ax.Flatten(),
      new ax.Dense(6 * 2 * 2, 3, { seed: 4 }),
    ]);
    const opt = new ax.Adam(model.parameters(), { lr: 1e-2 });
    const x = ax.tensor(vals(8 * 10 * 10, 41), [8, 1, 10, 10]);
    const y = ax.tensor([0, 1, 2, 0, 1, 2, 0, 1], [8]);
    const losses: number[] = [];
    for (let s = 0; s < 5; s++) {
      losses.push(
        ax.tidy(() => {
          opt.zeroGrad();
          const l = ax.crossEntropy(model.forward(x), y);
          l.backward();
          opt.step();
          return l.item();
        }),
      );
    }
    const weights = model.getWeights().map((w) => w.dataSync());
    opt.dispose();
    model.dispose();
    return { losses, weights };
  }

  it('the same losses and weights within float32 rounding', async () => {
    let wasmOk = true;
    try {
      await ax.init({ backend: 'wasm' });
    } catch {
      wasmOk = false;
    }
    if (!wasmOk) return; // wasm unavailable on this host: the suites above report it
    const a = await train('js');
    const b = await train('wasm');
    for (let i = 0; i < a.losses.length; i++) expect(Math.abs(a.losses[i]! - b.losses[i]!)).toBeLessThan(1e-4 * Math.abs(a.losses[i]!) + 1e-6);
    a.weights.forEach((w, i) => expectClose(b.weights[i]!, w, `weight ${i}`, 2e-4, 1e-6));
  });
});
