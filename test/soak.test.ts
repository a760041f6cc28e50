/**
 * The soak benchmark's check in small (bench/soak.bench.ts runs it for 10 000 MNIST steps): 500
 * steps of the manual PyTorch-style loop — `Dataset.batches` (fresh batch tensors each step),
 * one `tidy` per step, the loss read back, a validation pass in eval mode under `noGrad` every
 * 50 steps — keep every memory metric flat after warm-up: live tensors and bytes, the backend's
 * liveBytes and wasm `memory.buffer.byteLength`. On js, wasm (1 thread) and wasm on 2 threads.
 *
 * `fit` over 500 steps with validation is covered by test/train.test.ts ('keeps live memory flat
 * over 500 steps'); this file covers the manual loop and the linear-memory size.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { detectFeatures, threadSupport } from '../bindings/features.js';
import * as ax from '../src/index.js';
import { MemoryWatch } from './helpers/memory-watch.js';

const STEPS = 500;
const VAL_EVERY = 50;
const WARMUP = 20;
const BATCH = 32;
const N = 256;
const D = 8;
const CLASSES = 3;

/** Three noisy, separable classes in 8-D (a fixed LCG, so every run sees the same data). */
function blobs(n: number, seed: number): { x: Float32Array; y: Float32Array } {
  let s = seed;
  const r = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296 - 0.5);
  const x = new Float32Array(n * D);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % CLASSES;
    y[i] = c;
    for (let j = 0; j < D; j++) x[i * D + j] = (j % CLASSES === c ? 1.5 : 0) + 0.5 * r();
  }
  return { x, y };
}

const hasWasm = detectFeatures().simd;
const hasThreads = hasWasm && detectFeatures().threads && threadSupport().ok;
const BACKENDS: Array<{ label: string; init: ax.InitOptions; skip: string | false }> = [
  { label: 'js', init: { backend: 'js' }, skip: false },
  { label: 'wasm 1 thread', init: { backend: 'wasm', threads: 1 }, skip: hasWasm ? false : 'no WebAssembly SIMD' },
  { label: 'wasm 2 threads', init: { backend: 'wasm', threads: 2 }, skip: hasThreads ? false : 'no wasm threads here' },
];

afterAll(() => ax.dispose());

for (const b of BACKENDS) {
  describe.skipIf(b.skip !== false)(`soak: ${STEPS} steps of the manual loop with validation every ${VAL_EVERY} (${b.label}${b.skip ? `, skipped: ${b.skip}` : ''})`, () => {
    it('memory stays flat after warm-up and returns to the baseline when the model is disposed', async () => {
      await ax.init(b.init);
      const tr = blobs(N, 1);
      const train = new ax.Dataset({ data: tr.x, shape: [N, D] }, { data: tr.y, shape: [N] });
      const val = blobs(96, 2);
      const base = ax.memory();
      const model = new ax.Sequential([
        new ax.Dense(D, 16, { activation: 'relu', seed: 1 }),
        new ax.Dropout(0.2, { seed: 2 }),
        new ax.BatchNorm1d(16),
        new ax.Dense(16, CLASSES, { seed: 3 }),
      ]);
      const opt = new ax.Adam(model.parameters(), { lr: 1e-2 });
      const vx = ax.tensor(val.x, [96, D]);
      const validate = (): number => {
        model.eval();
        try {
          const pred = ax.noGrad(() => ax.tidy(() => ax.argmax(model.forward(vx), 1).dataSync()));
          return pred.reduce((n, p, i) => n + (p === val.y[i] ? 1 : 0), 0) / pred.length;
        } finally {
          model.train();
        }
      };
      const watch = new MemoryWatch();
      let step = 0;
      let acc = 0;
      const losses: number[] = [];
      for (let epoch = 0; step < STEPS; epoch++) {
        for (const batch of train.batches(BATCH, { shuffle: true, seed: 0, epoch })) {
          const loss = ax.tidy(() => {
            opt.zeroGrad();
            const l = ax.crossEntropy(model.forward(batch.x), batch.y);
            l.backward();
            opt.step();
            return l;
          });
          batch.x.dispose();
          batch.y.dispose();
          losses.push(loss.item());
          loss.dispose();
          step++;
          if (step === WARMUP) {
            acc = validate();
            watch.setReference();
          } else {
            if (step % VAL_EVERY === 0) acc = validate();
            watch.check(`step ${step}`);
          }
          if (step === STEPS) break;
        }
      }
      expect(watch.count).toBe(STEPS - WARMUP);
      expect(watch.report(), 'no memory metric may grow after warm-up').toBe('');
      expect(watch.last).toEqual(watch.reference);
      if (b.init.backend === 'wasm') expect(watch.reference!.wasmMemory).toBeGreaterThan(0);
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(acc, 'the model learned the blobs').toBeGreaterThan(0.9);
      vx.dispose();
      opt.dispose();
      model.dispose();
      expect(ax.memory()).toEqual(base);
    }, 60_000);
  });
}
