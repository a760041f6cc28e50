/**
 * The threaded wasm builds (bindings/pool.ts, bindings/worker.js): every threaded kernel gives
 * exactly the bits of the single-threaded build (cuts fall on tile and vector boundaries, so each
 * output element is computed by the same instructions in the same order), training is
 * bit-identical for 1 and 2 threads, memory growth after the workers started is seen by them,
 * a failing worker kernel is reported instead of hanging, `info` says what runs, and neither
 * dispose() nor process exit hangs.
 *
 * The env overrides the build runner sets (AXON_WASM_BUILD, AXON_THREADS, AXON_SPLIT) are
 * cleared here: this file picks its builds itself, relaxed ones when the runner asked for relaxed.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectFeatures, threadSupport } from '../bindings/features.js';
import { loadWasm, type WasmBuild } from '../bindings/instantiate.js';
import { CTL_BYTES, DEFAULT_SPIN, JOB_BYTES, ThreadPool, ThreadPoolError } from '../bindings/pool.js';
import { WasmBackend } from '../src/backends/wasm/index.js';
import * as ax from '../src/index.js';
import { ACTIVATIONS, BINARY_OPS, BROADCASTS, UNARY_MATH, type Kernels, type Storage } from '../src/kernels/kernels.js';
import { Rng } from './helpers/random.js';

const ENV_KEYS = ['AXON_WASM_BUILD', 'AXON_THREADS', 'AXON_SPLIT'] as const;
const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
const relaxed = (saved['AXON_WASM_BUILD'] ?? '').startsWith('relaxed') && detectFeatures().relaxedSimd;
const SINGLE: WasmBuild = relaxed ? 'relaxed' : 'simd';
const THREADED: WasmBuild = relaxed ? 'relaxed-threads' : 'threads';
const support = threadSupport();
const canThread = detectFeatures().threads && support.ok;

beforeAll(() => {
  for (const k of ENV_KEYS) delete process.env[k];
});
afterAll(() => {
  for (const k of ENV_KEYS) if (saved[k] !== undefined) process.env[k] = saved[k];
});

/** Index of the first element whose float32 bits differ (NaN matches NaN), or −1. */
function firstBitDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < a.length; i++) if (ua[i] !== ub[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return i;
  return -1;
}

function expectSameBits(got: Float32Array, want: Float32Array, label: string): void {
  const i = firstBitDiff(got, want);
  if (i >= 0) expect.fail(`${label}: element ${i} differs: ${got[i]} (threaded) vs ${want[i]} (one thread)`);
}

/**
 * Runs `fn` on the single-threaded backend and on each threaded one with the same inputs, and
 * compares every output buffer bit for bit. `inputs` are uploaded to each; `outputs` are
 * (size, initial fill) pairs; `fn` gets the backend and the handles in that order.
 */
function same(
  label: string, backends: { one: Kernels; many: Kernels[] }, inputs: Float32Array[], outputs: Array<[number, number?] | Float32Array>,
  fn: (k: Kernels, h: Storage[]) => void,
): void {
  const results: Float32Array[][] = [];
  for (const k of [backends.one, ...backends.many]) {
    const h = [
      ...inputs.map((d) => k.upload(d)),
      ...outputs.map((o) => (o instanceof Float32Array ? k.upload(o) : k.upload(new Float32Array(o[0]).fill(o[1] ?? NaN)))),
    ];
    fn(k, h);
    results.push(h.slice(inputs.length).map((s) => s.readSync()));
    for (const s of h) s.dispose();
  }
  for (let b = 1; b < results.length; b++) {
    results[0]!.forEach((want, j) => expectSameBits(results[b]![j]!, want, `${label} [output ${j}, threaded backend ${b}]`));
  }
}

describe.skipIf(!canThread)(`threaded kernels are bit-identical to one thread (${SINGLE} vs ${THREADED})`, () => {
  let one: WasmBackend;
  let auto: WasmBackend; // 2 threads, the measured cut-offs
  let always: WasmBackend; // 2 threads, every call split
  let three: WasmBackend; // 3 threads (uneven cuts), every call split
  const rng = new Rng(2024);
  const bk = () => ({ one, many: [auto, always, three] });

  beforeAll(async () => {
    one = await WasmBackend.create({ build: SINGLE, threads: 1 });
    auto = await WasmBackend.create({ build: THREADED, threads: 2 });
    always = await WasmBackend.create({ build: THREADED, threads: 2, split: 'always' });
    three = await WasmBackend.create({ build: THREADED, threads: 3, split: 'always' });
    for (const k of [auto, always, three]) expect(k.info.notes).toEqual([]);
  });
  afterAll(() => {
    for (const k of [one, auto, always, three]) k?.dispose();
  });

  it('reports its build and thread count', () => {
    expect(one.info).toMatchObject({ threads: 1, build: SINGLE, file: `axon-${SINGLE}.wasm`, relaxedSimd: relaxed });
    expect(auto.info).toMatchObject({ threads: 2, build: THREADED, file: `axon-${THREADED}.wasm`, relaxedSimd: relaxed });
    expect(three.info.threads).toBe(3);
  });

  it('gemm: square, MLP layers (NN, TN, NT), narrow n (computed as Cᵀ), batch 1 (cut along n), beta, bias and activations', () => {
    const cases: Array<{ m: number; n: number; k: number; transA?: boolean; transB?: boolean; beta?: number; bias?: boolean; act?: 'relu' | 'gelu' | 'tanh' }> = [
      { m: 256, n: 256, k: 256 },
      { m: 128, n: 256, k: 784, bias: true, act: 'relu' },
      { m: 784, n: 256, k: 128, transA: true },
      { m: 128, n: 784, k: 256, transB: true },
      { m: 203, n: 10, k: 300, bias: true, act: 'gelu' },
      { m: 1, n: 1024, k: 512, bias: true, act: 'tanh' },
      { m: 77, n: 93, k: 600, transA: true, transB: true, beta: 0.5, bias: true },
      // K > 256 with a bias: full and edge tiles round (acc + bias) + C differently, so a cut off the tile grid shows.
      { m: 300, n: 64, k: 600, bias: true, act: 'relu' },
      { m: 9, n: 3, k: 5 },
      // m ≤ 4 reads B in place (assembly/gemv.ts): column cuts, column and k tails, every form.
      { m: 1, n: 515, k: 784, bias: true, act: 'relu' },
      { m: 3, n: 77, k: 130, beta: 0.5, bias: true, act: 'gelu' },
      { m: 4, n: 10, k: 33, transA: true, bias: true },
      { m: 2, n: 45, k: 9, transB: true, beta: 1 },
      { m: 4, n: 300, k: 257, transB: true },
      { m: 1, n: 13, k: 7, transA: true, transB: true, bias: true, act: 'relu' },
    ];
    for (const c of cases) {
      const a = rng.normalArray(c.m * c.k), b = rng.normalArray(c.k * c.n), bias = rng.normalArray(c.n), c0 = rng.normalArray(c.m * c.n);
      same(`gemm ${JSON.stringify(c)}`, bk(), [a, b, bias], [c0], (k, [A, B, Bias, C]) =>
        k.gemm({ a: A!, b: B!, c: C!, m: c.m, n: c.n, k: c.k, transA: c.transA, transB: c.transB, beta: c.beta ?? 0, bias: c.bias ? Bias : undefined, activation: c.act }));
    }
  });

  it('activations forward and backward, every activation', () => {
    const n = 70_001;
    const x = rng.withSpecials(n, -6, 6), dy = rng.normalArray(n);
    for (const act of ACTIVATIONS) {
      same(`${act} forward`, bk(), [x], [[n]], (k, [X, Y]) => k.activation(act, X!, Y!, n));
      const y = new Float32Array(n);
      const k0 = one.upload(x), y0 = one.alloc(n);
      one.activation(act, k0, y0, n);
      y.set(y0.readSync());
      k0.dispose();
      y0.dispose();
      same(`${act} backward`, bk(), [x, y, dy], [[n]], (k, [X, Y, DY, DX]) => k.activationBackward(act, X!, Y!, DY!, DX!, n));
    }
  });

  it('binary ops in every broadcast mode, unary math, clip, scale, axpy', () => {
    const rows = 300, cols = 257, n = rows * cols;
    const full = rng.normalArray(n), rowv = rng.normalArray(cols), colv = rng.normalArray(rows), sc = rng.normalArray(1);
    const operand = { full, row: rowv, col: colv, scalar: sc } as const;
    for (const op of BINARY_OPS) {
      for (const am of BROADCASTS) {
        for (const bm of BROADCASTS) {
          const a = op === 'pow' ? operand[am].map(Math.abs) : operand[am];
          same(`binary ${op} ${am}/${bm}`, bk(), [a, operand[bm]], [[n]], (k, [A, B, O]) => k.binary(op, A!, am, B!, bm, O!, rows, cols));
        }
      }
    }
    const x = rng.withSpecials(n, -3, 3);
    for (const op of UNARY_MATH) same(`unary ${op}`, bk(), [x], [[n]], (k, [X, O]) => k.unary(op, X!, O!, n));
    same('clip', bk(), [x], [[n]], (k, [X, O]) => k.clip(X!, O!, n, -0.5, 0.75));
    same('scale', bk(), [x], [[n]], (k, [X, O]) => k.scale(X!, O!, n, 1.7));
    same('axpy', bk(), [x], [full], (k, [X, Y]) => k.axpy(-0.3, X!, Y!, n));
  });

  it('softmax family and fused softmax–cross-entropy, index and one-hot labels', () => {
    const rows = 700, cols = 101, n = rows * cols;
    const x = rng.normalArray(n, 0, 4), dy = rng.normalArray(n), labels = rng.intArray(rows, 0, cols), dist = rng.distributionRows(rows, cols);
    same('softmax', bk(), [x], [[n]], (k, [X, O]) => k.softmax(X!, O!, rows, cols));
    same('logSoftmax', bk(), [x], [[n]], (k, [X, O]) => k.logSoftmax(X!, O!, rows, cols));
    same('softmaxBackward', bk(), [x.map((v) => 1 / (1 + Math.exp(-v))), dy], [[n]], (k, [Y, DY, DX]) => k.softmaxBackward(Y!, DY!, DX!, rows, cols));
    same('logSoftmaxBackward', bk(), [x.map((v) => -Math.abs(v)), dy], [[n]], (k, [Y, DY, DX]) => k.logSoftmaxBackward(Y!, DY!, DX!, rows, cols));
    for (const [oneHot, lab] of [[false, labels], [true, dist]] as const) {
      same(`softmaxCrossEntropy oneHot=${oneHot}`, bk(), [x, lab], [[n], [rows]], (k, [X, L, P, LOSS]) => k.softmaxCrossEntropy(X!, L!, oneHot, P!, LOSS!, rows, cols));
      same(`softmaxCrossEntropyBackward oneHot=${oneHot}`, bk(), [dist, lab], [[n]], (k, [P, L, D]) => k.softmaxCrossEntropyBackward(P!, L!, oneHot, D!, rows, cols, 1 / rows));
    }
  });

  it('batch-norm statistics, forward and backward (inner 1 across channel groups, inner > 1)', () => {
    for (const [outer, channels, inner] of [[64, 1030, 1], [9, 16, 49], [128, 256, 1], [3, 7, 5]] as const) {
      const n = outer * channels * inner;
      const x = rng.normalArray(n, 3, 2), dy = rng.normalArray(n), gamma = rng.normalArray(channels), beta = rng.normalArray(channels);
      const tag = `[${outer}, ${channels}, ${inner}]`;
      same(`batchNormStats ${tag}`, bk(), [x], [[channels], [channels]], (k, [X, M, V]) => k.batchNormStats(X!, M!, V!, outer, channels, inner));
      const mean = rng.normalArray(channels, 3, 0.1), variance = rng.uniformArray(channels, 1, 5);
      same(`batchNormForward ${tag}`, bk(), [x, mean, variance, gamma, beta], [[n]], (k, [X, M, V, G, B, O]) =>
        k.batchNormForward({ x: X!, mean: M!, variance: V!, gamma: G, beta: B, out: O!, outer, channels, inner, eps: 1e-5 }));
      same(`batchNormBackward ${tag}`, bk(), [x, mean, variance, gamma, dy], [[n], [channels], [channels]], (k, [X, M, V, G, DY, DX, DG, DB]) =>
        k.batchNormBackward({ x: X!, mean: M!, variance: V!, gamma: G, dy: DY!, dx: DX!, dgamma: DG, dbeta: DB, outer, channels, inner, eps: 1e-5 }));
    }
  });

  it('optimiser updates over several steps, odd lengths (zero-padded tails on every thread)', () => {
    const n = 100_003;
    const p0 = rng.normalArray(n), grads = [0, 1, 2].map(() => rng.normalArray(n));
    const steps = (k: Kernels, update: (g: Storage, step: number) => void) => {
      grads.forEach((g, i) => {
        const G = k.upload(g);
        update(G, i + 1);
        G.dispose();
      });
    };
    const z = () => new Float32Array(n);
    same('sgd nesterov', bk(), [], [p0, z()], (k, [P, B]) => steps(k, (g, t) => k.sgdStep({ param: P!, grad: g, momentumBuffer: B, n, lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-3, firstStep: t === 1 })));
    same('adam amsgrad', bk(), [], [p0, z(), z(), z()], (k, [P, M, V, VM]) => steps(k, (g, t) => k.adamStep({ param: P!, grad: g, m: M!, v: V!, vMax: VM, n, lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, step: t, decoupled: true, amsgrad: true })));
    same('rmsprop centered', bk(), [], [p0, z(), z(), z()], (k, [P, S, GA, MB]) => steps(k, (g) => k.rmspropStep({ param: P!, grad: g, squareAvg: S!, gradAvg: GA, momentumBuffer: MB, n, lr: 1e-2, alpha: 0.99, eps: 1e-8, momentum: 0.5, centered: true })));
    same('adagrad', bk(), [], [p0, z()], (k, [P, S]) => steps(k, (g) => k.adagradStep({ param: P!, grad: g, sum: S!, n, lr: 1e-2, eps: 1e-10, weightDecay: 0.1 })));
    same('adadelta', bk(), [], [p0, z(), z()], (k, [P, S, A]) => steps(k, (g) => k.adadeltaStep({ param: P!, grad: g, squareAvg: S!, accDelta: A!, n, lr: 1, rho: 0.9, eps: 1e-6 })));
  });

  it('memory grown after the workers started is used by them', () => {
    const n = 6_000_000; // 24 MB per buffer: linear memory grows while the pool runs
    const before = always.arena.capacity;
    const x = rng.normalArray(n);
    same('relu on grown memory', bk(), [x], [[n]], (k, [X, O]) => k.activation('relu', X!, O!, n));
    expect(always.arena.capacity).toBeGreaterThan(before);
  });
});

describe.skipIf(!canThread)('training is bit-identical for 1 and 2 threads', () => {
  /** Trains a seeded MLP for `epochs` and returns its weights; `threads` kernels threads. */
  async function train(threads: number, split: boolean): Promise<Float32Array[]> {
    if (split) process.env['AXON_SPLIT'] = 'always';
    try {
      await ax.init({ backend: 'wasm', threads });
    } finally {
      delete process.env['AXON_SPLIT'];
    }
    expect(ax.getBackend().info.threads).toBe(threads);
    const rng = new Rng(5);
    const N = 512, D = 784;
    const xs = rng.normalArray(N * D), ys = rng.intArray(N, 0, 10);
    const model = new ax.Sequential([
      new ax.Dense(D, 256, { activation: 'relu', seed: 1 }),
      new ax.BatchNorm1d(256),
      new ax.Dropout(0.2, { seed: 3 }),
      new ax.Dense(256, 128, { activation: 'gelu', seed: 2 }),
      new ax.Dense(128, 10, { seed: 4 }),
    ]);
    model.compile({ optimizer: new ax.Adam({ lr: 1e-3 }), loss: 'crossEntropy' });
    const x = ax.tensor(xs, [N, D]), y = ax.tensor(ys, [N]);
    await model.fit(x, y, { epochs: 13, batchSize: 128, shuffle: true, seed: 9 }); // 52 steps
    const out: Float32Array[] = [];
    for (const l of model.layers) for (const w of l.getWeights()) out.push(w.dataSync());
    x.dispose();
    y.dispose();
    model.dispose();
    return out;
  }

  it('52 Adam steps of a 784-256-128-10 MLP with batch norm and dropout, at the cut-offs and with every kernel split', async () => {
    const w1 = await train(1, false);
    const w2 = await train(2, false);
    const w2s = await train(2, true);
    expect(w1.length).toBe(w2.length);
    w1.forEach((w, i) => {
      expectSameBits(w2[i]!, w, `weights ${i}, 2 threads`);
      expectSameBits(w2s[i]!, w, `weights ${i}, 2 threads, every kernel split`);
    });
    expect(w1.every((w) => w.every(Number.isFinite))).toBe(true);
    ax.dispose();
  }, 120_000);
});

describe.skipIf(!canThread)('thread pool lifecycle', () => {
  it('init({ threads }) picks a threaded build, explicit modules and threads: 1 do not, and info says why', async () => {
    const k2 = await ax.init({ backend: 'wasm', threads: 2 });
    expect(k2.info).toMatchObject({ threads: 2, notes: [] });
    expect(k2.info.build).toMatch(/^(relaxed-)?threads$/);
    expect((k2.info as { file: string }).file).toMatch(/threads\.wasm$/);
    const k1 = await ax.init({ backend: 'wasm', threads: 1 });
    expect(k1.info.threads).toBe(1);
    expect(k1.info.build).toMatch(/^(simd|relaxed)$/);
    expect(k2.info.threads).toBe(1); // replaced by init, so disposed and its workers stopped
    const single = await loadWasm(undefined, { build: 'simd' });
    const kc = await ax.init({ backend: 'wasm', threads: 2, wasm: single.module });
    expect(kc.info).toMatchObject({ threads: 1, build: 'simd', file: 'custom' });
    expect(kc.info.notes!.join(' ')).toMatch(/not a threaded build/);
    const threaded = await loadWasm(undefined, { build: 'threads' });
    const kt = await ax.init({ backend: 'wasm', threads: 2, wasm: threaded.module });
    expect(kt.info).toMatchObject({ threads: 2, build: 'threads', file: 'custom' });
    ax.dispose();
    expect(kt.info.threads).toBe(1);
    expect(() => ax.getBackend()).toThrow(expect.objectContaining({ code: 'NOT_INITIALIZED' }));
  });

  it('defaults to min(4, cores) threads where threads work', async () => {
    const k = await WasmBackend.create();
    const cores = (await import('node:os')).availableParallelism();
    expect(k.info.threads).toBe(Math.min(4, cores));
    k.dispose();
    expect(() => k.alloc(1)).toThrow(/disposed/);
  });

  it('a kernel failing on a worker throws ThreadPoolError once all threads are done (no hang)', async () => {
    const loaded = await loadWasm(undefined, { build: 'threads' });
    const ex = loaded.exports;
    const base = (ex.heapBase() + 63) & ~63;
    const ctl = base, job = base + CTL_BYTES, scratch = job + JOB_BYTES;
    const pool = await ThreadPool.start({
      module: loaded.module, memory: loaded.memory, threads: 2, ctlPtr: ctl, jobPtr: job,
      scratchPtrs: [0, scratch], names: ['fill_f32'],
    });
    const out = scratch + ex.threadScratchBytes();
    const end = loaded.memory.buffer.byteLength;
    // fill_f32(ptr, n, value) over 64 chunks of 1000 floats; chunk 63 runs past the end of memory
    // and traps on whichever thread claims it. Slow the caller down so the worker surely joins.
    const chunkBytes = 4000;
    const start = end - 63 * chunkBytes - 8;
    const slowFill = (ptr: number, n: number, v: number) => {
      for (let i = 0; i < 20_000; i++) Math.sqrt(i);
      ex.fill_f32(ptr, n, v);
    };
    let err: unknown;
    for (let attempt = 0; attempt < 20 && !(err instanceof ThreadPoolError); attempt++) {
      try {
        pool.run('fill_f32', slowFill, [start, 0, 1], { total: 64_000, chunk: 1000, mul: [4], countAt: 1 });
      } catch (e) {
        err = e;
      }
    }
    // Either thread may have claimed the bad chunk: a trap on the caller is a RuntimeError, on a worker a ThreadPoolError.
    expect(err instanceof ThreadPoolError || err instanceof WebAssembly.RuntimeError, String(err)).toBe(true);
    // (No check that the caller ran a chunk: on a loaded host it can be descheduled between
    // publishing the job and claiming its first chunk while the polling worker takes all 64.)
    // The pool still works afterwards.
    pool.run('fill_f32', ex.fill_f32 as never, [out, 0, 2], { total: 64, chunk: 16, mul: [4], countAt: 1 });
    expect(Array.from(new Float32Array(loaded.memory.buffer, out, 64)).every((v) => v === 2)).toBe(true);
    pool.dispose();
    expect(() => pool.run('fill_f32', ex.fill_f32 as never, [out, 0, 2], { total: 1, chunk: 1 })).toThrow(/disposed/);
  });

  it('stress: 3 000 back-to-back jobs on 3 threads, workers asleep (spin 0) or polling, memory grown midway: every chunk is done when run() returns', async () => {
    for (const spin of [0, DEFAULT_SPIN]) {
      const loaded = await loadWasm(undefined, { build: 'threads' });
      const ex = loaded.exports;
      const sb = ex.threadScratchBytes();
      const ctl = (ex.heapBase() + 63) & ~63, job = ctl + CTL_BYTES, s1 = job + JOB_BYTES, s2 = s1 + sb, out = s2 + sb;
      const pool = await ThreadPool.start({
        module: loaded.module, memory: loaded.memory, threads: 3, ctlPtr: ctl, jobPtr: job, scratchPtrs: [0, s1, s2], names: ['fill_f32'], spin,
      });
      const fill = ex.fill_f32 as (...args: number[]) => void;
      let wrong = 0;
      for (let j = 1; j <= 3000; j++) {
        // 1–48 floats in chunks of 1–4: from one chunk (the caller alone) to 48 (all threads).
        const total = 1 + (j % 48), chunk = 1 + (j % 4);
        pool.run('fill_f32', fill, [out, 0, j], { total, chunk, mul: [4], countAt: 1 });
        const v = new Float32Array(loaded.memory.buffer, out, total);
        for (let i = 0; i < total; i++) if (v[i] !== j) wrong++;
        if (j === 1500) loaded.memory.grow(1);
        // Now and then let the workers run out of polling and sleep in Atomics.wait.
        if (j % 300 === 0) await new Promise((r) => setTimeout(r, 3));
      }
      pool.dispose();
      expect(wrong, `spin ${spin}`).toBe(0);
    }
  });

  it('a pool that gives up starting tells the workers that did start to stop', async () => {
    const loaded = await loadWasm(undefined, { build: 'threads' });
    const ex = loaded.exports;
    const ctl = (ex.heapBase() + 63) & ~63, job = ctl + CTL_BYTES, s1 = job + JOB_BYTES;
    await expect(ThreadPool.start({
      module: loaded.module, memory: loaded.memory, threads: 2, ctlPtr: ctl, jobPtr: job, scratchPtrs: [0, s1], names: ['fill_f32'], startTimeoutMs: 1,
    })).rejects.toThrow(ThreadPoolError);
    const c = new Int32Array(loaded.memory.buffer, ctl, 6);
    expect(Atomics.load(c, 1)).toBe(1); // STOP
    expect(Atomics.load(c, 0)).not.toBe(0); // GEN moved, so a polling worker wakes and sees STOP
  });

  it('a process that never disposes its threaded backend still exits promptly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'axon-threads-'));
    const script = join(dir, 'exit.mts');
    const src = new URL('../src/index.ts', import.meta.url).href;
    writeFileSync(script, [
      `const ax = await import(${JSON.stringify(src)});`,
      `const k = await ax.init({ backend: 'wasm', threads: 2 });`,
      `if (k.info.threads !== 2) throw new Error('expected 2 threads, got ' + JSON.stringify(k.info));`,
      `const a = ax.randn([300, 300], { seed: 1 });`,
      `const s = ax.matmul(a, a).sum().item();`,
      `console.log(Number.isFinite(s) ? 'ok' : 'bad');`,
    ].join('\n'));
    const t0 = performance.now();
    // Asynchronous: a blocked test worker misses vitest's RPC deadlines on a loaded machine.
    const { stdout: out } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { timeout: 60_000, encoding: 'utf8', env: { ...process.env, AXON_WASM_BUILD: '', AXON_THREADS: '', AXON_SPLIT: '' } });
    expect(out.trim()).toBe('ok');
    expect(performance.now() - t0).toBeLessThan(60_000);
  }, 70_000);
});

describe.skipIf(canThread)(`threads unavailable here (${support.reason ?? 'engine lacks WebAssembly threads'})`, () => {
  it('falls back to one thread and says why', async () => {
    const k = await WasmBackend.create({ threads: 2 });
    expect(k.info.threads).toBe(1);
    expect(k.info.notes.length).toBeGreaterThan(0);
    k.dispose();
  });
});
