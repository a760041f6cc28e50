/**
 * Training-step benchmark (issue 3 targets): samples/s of one step — forward, cross-entropy,
 * backward, Adam — of a 784-256-128-10 ReLU MLP at batch 128 on synthetic data, with the plain-JS
 * reference backend and the wasm backend side by side in one process.
 *
 * Overhead outside the kernels (autograd, allocation, JS) is measured two ways:
 * - instrumented: every compute kernel of the backend is wrapped with a timer for a second run;
 *   overhead = 1 − (time inside kernels) / (step time);
 * - kernel-only: the same step written directly against the kernel contract with preallocated
 *   buffers (no tensors, no tape); overhead = 1 − kernel-only time / library step time.
 * A third row trains through `model.fit` (batch gathering, shuffling, metrics-free) for the
 * end-to-end rate. wasm runs once on 1 thread and once on N = min(4, cores) threads (the
 * threaded build; results are bit-identical, only the speed differs).
 *
 * webgpu, where available (bench/webgpu.ts), gets a row too: its library step awaits the loss
 * (`await l.data()`, the manual loop's sync point), its kernel-only step awaits the loss read,
 * and `fit` reads asynchronously a few steps behind; the instrumented overhead does not apply
 * (kernels only queue work). On SwiftShader the row is labelled a smoke check of CPU emulation.
 *
 * `npm run bench:train` (add `-- --quick` for a shorter run, `-- --no-webgpu` to skip webgpu).
 */
import os from 'node:os';
import * as ax from '../src/index.js';
import type { Kernels, Storage } from '../src/kernels/kernels.js';
import { machineLine } from './harness.js';
import { backendLabel, benchWebGpu, type BenchGpu } from './webgpu.js';

const quick = process.argv.includes('--quick');
const BATCH = 128;
const SIZES = [784, 256, 128, 10] as const;
/** Timed seconds per measurement (split into repeats; the best repeat's median is kept). */
const BUDGET_S = quick ? 0.6 : 2;

/** Methods of the kernel contract that are memory management rather than compute. */
const NOT_KERNELS = new Set([
  'alloc', 'upload', 'write', 'dispose', 'liveBytes', 'constructor',
  // the wasm backend's private helpers (timing them would count their kernels twice)
  'releaseStorage', 'checkAlive', 'workspace', 'ownAlloc', 'ownRelease', 'startPool', 'poolExports',
  'worthSplitting', 'chunkOf', 'split', 'elementwise', 'rowwise', 'channelwise', 'gemmSplit',
]);

function now(): number {
  return performance.now();
}

/** Median seconds per call of `fn`, best of `repeats` groups that each run ≥ `minIters` or the time budget. */
function timeIt(fn: () => void, minIters: number): number {
  fn();
  fn(); // warm-up (first steps allocate optimiser state and JIT-compile)
  const repeats = 3;
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const samples: number[] = [];
    const t0 = now();
    while (samples.length < minIters || (now() - t0) / 1000 < BUDGET_S / repeats) {
      const s = now();
      fn();
      samples.push((now() - s) / 1000);
      if (samples.length >= 400) break;
    }
    samples.sort((a, b) => a - b);
    best = Math.min(best, samples[samples.length >> 1]!);
  }
  return best;
}

/** Wraps every compute kernel of `k` with a timer; returns the accumulator and an undo. */
function instrument(k: Kernels): { ms: () => number; reset: () => void; restore: () => void } {
  let acc = 0;
  const names: string[] = [];
  let proto: object | null = Object.getPrototypeOf(k);
  const seen = new Set<string>();
  while (proto && proto !== Object.prototype) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (seen.has(name) || NOT_KERNELS.has(name)) continue;
      seen.add(name);
      const d = Object.getOwnPropertyDescriptor(proto, name);
      if (!d || typeof d.value !== 'function' || name.startsWith('_')) continue;
      names.push(name);
    }
    proto = Object.getPrototypeOf(proto);
  }
  const target = k as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const name of names) {
    const orig = target[name]!;
    target[name] = function (this: unknown, ...args: unknown[]) {
      const t = now();
      try {
        return orig.apply(this, args);
      } finally {
        acc += now() - t;
      }
    };
  }
  return {
    ms: () => acc,
    reset: () => void (acc = 0),
    restore: () => {
      for (const name of names) delete target[name];
    },
  };
}

/** {@link timeIt} for asynchronous steps. */
async function timeItAsync(fn: () => Promise<void>, minIters: number): Promise<number> {
  await fn();
  await fn();
  const repeats = 3;
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const samples: number[] = [];
    const t0 = now();
    while (samples.length < minIters || (now() - t0) / 1000 < BUDGET_S / repeats) {
      const s = now();
      await fn();
      samples.push((now() - s) / 1000);
      if (samples.length >= 400) break;
    }
    samples.sort((a, b) => a - b);
    best = Math.min(best, samples[samples.length >> 1]!);
  }
  return best;
}

interface Row {
  backend: string;
  threads: number;
  stepS: number;
  instrumentedS: number;
  kernelS: number;
  kernelOnlyS: number;
  fitS: number;
}

function buildModel(): ax.Sequential {
  return new ax.Sequential([
    new ax.Dense(SIZES[0], SIZES[1], { activation: 'relu', init: 'heNormal', seed: 1 }),
    new ax.Dense(SIZES[1], SIZES[2], { activation: 'relu', init: 'heNormal', seed: 2 }),
    new ax.Dense(SIZES[2], SIZES[3], { seed: 3 }),
  ]);
}

/** The same step straight on the kernels: preallocated buffers, no tensors, no tape. */
function kernelOnlyStep(k: Kernels, x: Storage, labels: Storage, readLoss = true): { step: () => void; loss: Storage; dispose: () => void } {
  const [d0, d1, d2, d3] = SIZES;
  const B = BATCH;
  const fill = (n: number, seed: number, std: number) => {
    const s = k.alloc(n);
    k.randomNormal(s, n, seed, 0, 0, std);
    return s;
  };
  const W = [fill(d0 * d1, 1, Math.sqrt(2 / d0)), fill(d1 * d2, 2, Math.sqrt(2 / d1)), fill(d2 * d3, 3, Math.sqrt(1 / d2))];
  const b = [k.alloc(d1), k.alloc(d2), k.alloc(d3)];
  const dW = [k.alloc(d0 * d1), k.alloc(d1 * d2), k.alloc(d2 * d3)];
  const db = [k.alloc(d1), k.alloc(d2), k.alloc(d3)];
  const m = [...W, ...b].map((p) => k.alloc(p.size));
  const v = [...W, ...b].map((p) => k.alloc(p.size));
  const h1 = k.alloc(B * d1);
  const h2 = k.alloc(B * d2);
  const logits = k.alloc(B * d3);
  const probs = k.alloc(B * d3);
  const rowLoss = k.alloc(B);
  const loss = k.alloc(1);
  const dh2 = k.alloc(B * d2);
  const dh1 = k.alloc(B * d1);
  let t = 0;
  const params = [...W, ...b];
  const grads = [...dW, ...db];
  const step = () => {
    k.gemm({ a: x, b: W[0]!, c: h1, m: B, n: d1, k: d0, bias: b[0], activation: 'relu' });
    k.gemm({ a: h1, b: W[1]!, c: h2, m: B, n: d2, k: d1, bias: b[1], activation: 'relu' });
    k.gemm({ a: h2, b: W[2]!, c: logits, m: B, n: d3, k: d2, bias: b[2] });
    k.softmaxCrossEntropy(logits, labels, false, probs, rowLoss, B, d3);
    k.reduce('mean', rowLoss, loss, 1, B, 1);
    if (readLoss) loss.readSync();
    k.softmaxCrossEntropyBackward(probs, labels, false, logits, B, d3, 1 / B);
    k.gemm({ a: h2, b: logits, c: dW[2]!, m: d2, n: d3, k: B, transA: true });
    k.reduce('sum', logits, db[2]!, 1, B, d3);
    k.gemm({ a: logits, b: W[2]!, c: dh2, m: B, n: d2, k: d3, transB: true });
    k.activationBackward('relu', h2, h2, dh2, dh2, B * d2);
    k.gemm({ a: h1, b: dh2, c: dW[1]!, m: d1, n: d2, k: B, transA: true });
    k.reduce('sum', dh2, db[1]!, 1, B, d2);
    k.gemm({ a: dh2, b: W[1]!, c: dh1, m: B, n: d1, k: d2, transB: true });
    k.activationBackward('relu', h1, h1, dh1, dh1, B * d1);
    k.gemm({ a: x, b: dh1, c: dW[0]!, m: d0, n: d1, k: B, transA: true });
    k.reduce('sum', dh1, db[0]!, 1, B, d1);
    t++;
    for (let i = 0; i < params.length; i++) {
      k.adamStep({ param: params[i]!, grad: grads[i]!, n: params[i]!.size, lr: 1e-3, m: m[i]!, v: v[i]!, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: t });
    }
  };
  const all = [...W, ...b, ...dW, ...db, ...m, ...v, h1, h2, logits, probs, rowLoss, loss, dh2, dh1];
  return { step, loss, dispose: () => all.forEach((s) => s.dispose()) };
}

/** The webgpu row: the same model, data and steps, with awaited reads (see the file comment). */
async function measureWebGpu(g: BenchGpu): Promise<Row> {
  const k = await ax.init({ backend: 'webgpu', gpu: g.gpu });
  const minIters = 3;
  const x = ax.randn([BATCH, SIZES[0]], { seed: 11 });
  const r = ax.rand([BATCH], { seed: 12, low: 0, high: SIZES[3] });
  const y = ax.tensor((await r.data()).map(Math.floor));
  r.dispose();
  const model = buildModel();
  const opt = new ax.Adam(model.parameters(), { lr: 1e-3 });
  const step = async () => {
    opt.zeroGrad();
    const l = ax.tidy(() => {
      const loss = ax.crossEntropy(model.forward(x), y);
      loss.backward();
      return loss;
    });
    opt.step();
    await l.data();
    l.dispose();
  };
  const stepS = await timeItAsync(step, minIters);
  const ko = kernelOnlyStep(k, x.storage, y.storage, false);
  const kernelOnlyS = await timeItAsync(async () => {
    ko.step();
    await ko.loss.read();
  }, minIters);
  ko.dispose();
  const n = BATCH * 8;
  const fx = ax.randn([n, SIZES[0]], { seed: 13 });
  const fy = ax.tensor(Float32Array.from({ length: n }, (_, i) => (i * 7) % SIZES[3]));
  const fitModel = buildModel().compile({ optimizer: new ax.Adam({ lr: 1e-3 }), loss: 'crossEntropy' });
  await fitModel.fit(fx, fy, { epochs: 1, batchSize: BATCH });
  const t0 = now();
  await fitModel.fit(fx, fy, { epochs: 1, batchSize: BATCH });
  const fitS = (now() - t0) / 1000 / 8;
  for (const t of [x, y, fx, fy]) t.dispose();
  model.dispose();
  fitModel.dispose();
  opt.dispose();
  return { backend: backendLabel(k, g.emulated), threads: 1, stepS, instrumentedS: NaN, kernelS: NaN, kernelOnlyS, fitS };
}

async function measure(backend: 'js' | 'wasm', threads = 1): Promise<Row> {
  const k = await ax.init({ backend, threads });
  if ((k.info.threads ?? 1) !== threads) throw new Error(`asked for ${threads} threads, got ${k.info.threads}: ${k.info.notes?.join('; ')}`);
  const slow = backend === 'js';
  const minIters = slow ? 3 : 20;
  const x = ax.randn([BATCH, SIZES[0]], { seed: 11 });
  const labels = ax.tidy(() => ax.rand([BATCH], { seed: 12, low: 0, high: SIZES[3] }).dataSync().map(Math.floor));
  const y = ax.tensor(labels);
  const model = buildModel();
  const opt = new ax.Adam(model.parameters(), { lr: 1e-3 });
  // One library step, exactly as the manual PyTorch-style loop of DESIGN §4 (plus reading the loss).
  const step = () => {
    opt.zeroGrad();
    ax.tidy(() => {
      const l = ax.crossEntropy(model.forward(x), y);
      l.backward();
      l.item();
    });
    opt.step();
  };
  const stepS = timeIt(step, minIters);
  const ko = kernelOnlyStep(k, x.storage, y.storage);
  const kernelOnlyS = timeIt(ko.step, minIters);
  ko.dispose();

  // End to end through fit: 8 batches per epoch, shuffled, no metrics.
  const n = BATCH * 8;
  const fx = ax.randn([n, SIZES[0]], { seed: 13 });
  const fy = ax.tensor(Float32Array.from({ length: n }, (_, i) => (i * 7) % SIZES[3]));
  const fitModel = buildModel().compile({ optimizer: new ax.Adam({ lr: 1e-3 }), loss: 'crossEntropy' });
  await fitModel.fit(fx, fy, { epochs: 1, batchSize: BATCH });
  const epochs = slow ? 1 : quick ? 3 : 6;
  let fitS = Infinity;
  for (let r = 0; r < (slow ? 1 : 3); r++) {
    const t0 = now();
    await fitModel.fit(fx, fy, { epochs, batchSize: BATCH });
    fitS = Math.min(fitS, (now() - t0) / 1000 / (epochs * 8));
  }
  // Last: instrumenting adds and deletes properties on the backend object, which can slow
  // later calls (dictionary-mode objects), so nothing else is timed after it.
  const probe = instrument(k);
  let kernelMs = 0;
  let wallMs = 0;
  const instrumentedS = timeIt(() => {
    probe.reset();
    const t0 = now();
    step();
    wallMs += now() - t0;
    kernelMs += probe.ms();
  }, minIters);
  probe.restore();
  const kernelS = (instrumentedS * kernelMs) / wallMs;

  for (const t of [x, y, fx, fy]) t.dispose();
  model.dispose();
  fitModel.dispose();
  opt.dispose();
  return { backend: backend === 'wasm' ? `wasm ${threads}t` : backend, threads, stepS, instrumentedS, kernelS, kernelOnlyS, fitS };
}

function pct(v: number): string {
  return Number.isNaN(v) ? '—' : `${(100 * v).toFixed(1)} %`;
}

async function main(): Promise<void> {
  console.log(`axon training-step benchmark — ${machineLine()}`);
  const many = Math.min(4, os.availableParallelism());
  console.log(`784-256-128-10 ReLU MLP, batch ${BATCH}, Adam, cross-entropy, synthetic data, 1 and ${many} threads${quick ? ' (quick)' : ''}\n`);
  const rows: Row[] = [];
  rows.push(await measure('js'));
  rows.push(await measure('wasm', 1));
  if (many > 1) rows.push(await measure('wasm', many));
  const g = await benchWebGpu();
  if (g.backend) {
    g.backend.dispose(); // measureWebGpu makes its own through init()
    rows.push(await measureWebGpu(g));
  } else console.log(`webgpu: not measured (${g.reason})`);
  const sps = (s: number) => BATCH / s;
  const lines = [
    '| backend | step ms | samples/s | fit samples/s | kernel-only samples/s | overhead (instrumented) | overhead (vs kernel-only) |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.backend} | ${(r.stepS * 1000).toFixed(2)} | ${sps(r.stepS).toFixed(0)} | ${sps(r.fitS).toFixed(0)} | ${sps(r.kernelOnlyS).toFixed(0)} | ${pct(1 - r.kernelS / r.instrumentedS)} | ${pct(1 - r.kernelOnlyS / r.stepS)} |`,
    );
  }
  const [js, wasm] = rows as [Row, Row];
  const wasmN = rows.find((r) => r.backend.startsWith('wasm') && r.threads > 1);
  lines.push(`| wasm 1t/js | | ${(js.stepS / wasm.stepS).toFixed(1)}× | ${(js.fitS / wasm.fitS).toFixed(1)}× | ${(js.kernelOnlyS / wasm.kernelOnlyS).toFixed(1)}× | | |`);
  if (wasmN) lines.push(`| wasm ${wasmN.threads}t/1t | | ${(wasm.stepS / wasmN.stepS).toFixed(2)}× | ${(wasm.fitS / wasmN.fitS).toFixed(2)}× | ${(wasm.kernelOnlyS / wasmN.kernelOnlyS).toFixed(2)}× | | |`);
  const gpuRow = rows.find((r) => r.backend.startsWith('webgpu'));
  if (gpuRow) lines.push(`| webgpu/wasm 1t | | ${(wasm.stepS / gpuRow.stepS).toFixed(2)}× | ${(wasm.fitS / gpuRow.fitS).toFixed(2)}× | ${(wasm.kernelOnlyS / gpuRow.kernelOnlyS).toFixed(2)}× | | |`);
  console.log(lines.join('\n'));
  if (gpuRow && g.emulated) console.log('\nwebgpu ran on SwiftShader (software Vulkan on the CPU): a smoke check that training runs end to end, not GPU performance.');
  ax.dispose();
  console.log(`\ntarget: ≥ 15 000 samples/s on wasm (1 thread): ${sps(wasm.stepS) >= 15000 ? 'met' : 'NOT met'}; overhead < 15 %: ${1 - wasm.kernelS / wasm.instrumentedS < 0.15 ? 'met' : 'NOT met'} (instrumented)`);
}

await main();
