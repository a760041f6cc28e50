/**
 * Soak benchmark (issue 9): thousands of training steps of the MNIST MLP (784-256-128-10 ReLU,
 * batch 128, Adam 1e-3, cross-entropy) on the real MNIST, with a validation pass over the 10 000
 * test images every few hundred steps, asserting that memory stays flat after warm-up: the
 * engine's live tensors and bytes (`memory()`), the backend's `liveBytes()`, and what the backend
 * reserved from the host (wasm `memory.buffer.byteLength`, the WebGPU buffer pool) must never
 * rise above their values at the end of warm-up. Exits 1 naming the metric that grew.
 *
 * Two loops per backend:
 * - manual: the PyTorch-style loop of DESIGN §4 over `Dataset.batches` (fresh batch tensors
 *   every step, one `tidy` per step, the loss read back every step), validating every
 *   `--val-every` steps. Warm-up: `--warmup` steps and one validation pass.
 * - fit: `model.fit` with `validationData` (the test set). fit validates once per epoch — every
 *   469 steps for the 60 000 training samples, the nearest it has to "every 500" — and runs whole
 *   epochs, at least 2 (`--steps` is rounded up to whole epochs). Warm-up: the first epoch and
 *   its validation (fit keeps one batch tensor per batch size; the 96-sample last batch and the
 *   validation buffers are created during the first epoch).
 *
 * Backends (`--backends`, comma-separated; default: every one available here) and defaults:
 *   wasm    wasm SIMD, 1 thread (also `wasm1`): 10 000 steps, validation every 500.
 *   wasm2   the threaded build on 2 threads (`wasmN` for N threads): the same.
 *   js      the reference backend: 900 steps, validation every 500. At ~180 ms/step (idle host), 10 000
 *           steps would take ~30 min per loop; 900 steps still cross a validation after
 *           warm-up, and fit runs two epochs (938 steps).
 *   webgpu  when the `webgpu` package (Dawn) and a Vulkan driver are present (SwiftShader in
 *           CI: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json): 200 steps,
 *           validation every 100, fit on the first 12 800 samples (100-step epochs). SwiftShader
 *           is a software GPU: ~0.5–1 s per step and ~20–35 s per validation pass on a 2-core
 *           host, so the defaults keep the run to 5–10 minutes. On a real GPU pass
 *           `--steps 10000 --val-every 500 --fit-samples 60000`.
 *
 * Flags: `--steps N`, `--val-every N`, `--fit-samples N` (override every backend's default),
 * `--warmup N` (50), `--loops manual,fit` (both), `--data DIR` (MNIST files; else $AXON_DATA,
 * /work/shared/data/mnist, then the loader's cache and mirrors).
 *
 * `npm run soak` · `npm run soak -- --backends wasm,js --steps 2000`
 */
import { existsSync } from 'node:fs';
import { detectFeatures, threadSupport } from '../bindings/features.js';
import * as ax from '../src/index.js';
import { loadMnist, type MnistData } from '../src/node.js';
import '../src/webgpu.js';
import { MemoryWatch, type MemorySample } from '../test/helpers/memory-watch.js';
import { testGpu } from '../test/helpers/webgpu.js';
import { machineLine } from './harness.js';

const BATCH = 128;
const SIZES = [784, 256, 128, 10] as const;
const VAL_BATCH = 1000;

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`soak: flag --${name} needs a value`);
  return v;
}

function intFlag(name: string, dflt: number | undefined, min: number): number | undefined {
  const v = flag(name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`soak: --${name} expected an integer ≥ ${min}, given '${v}'`);
  return n;
}

const STEPS = intFlag('steps', undefined, 1);
const VAL_EVERY = intFlag('val-every', undefined, 1);
const FIT_SAMPLES = intFlag('fit-samples', undefined, 1);
const WARMUP = intFlag('warmup', 50, 1)!;
const LOOPS = (flag('loops') ?? 'manual,fit').split(',').map((s) => s.trim());
for (const l of LOOPS) if (l !== 'manual' && l !== 'fit') throw new Error(`soak: --loops takes manual and/or fit, given '${l}'`);

/** A backend to soak: how to init it and how many steps by default (see the file comment). */
interface Spec {
  key: string;
  init: ax.InitOptions;
  threads: number;
  defaultSteps: number;
  /** Validation period of the manual loop, steps. */
  valEvery: number;
  /** Training samples `fit` uses (the first ones of MNIST's train set): sets its epoch, hence validation, period. */
  fitSamples: number;
}

function spec(key: string, gpu: unknown): Spec {
  if (key === 'js') return { key, init: { backend: 'js' }, threads: 1, defaultSteps: 900, valEvery: 500, fitSamples: 60_000 };
  if (key === 'webgpu') return { key, init: { backend: 'webgpu', gpu }, threads: 1, defaultSteps: 200, valEvery: 100, fitSamples: 100 * BATCH };
  const m = /^wasm(\d*)$/.exec(key);
  if (m) {
    const threads = m[1] ? Number(m[1]) : 1;
    if (!(threads >= 1)) throw new Error(`soak: backend '${key}' needs a thread count ≥ 1`);
    return { key: `wasm ${threads}t`, init: { backend: 'wasm', threads }, threads, defaultSteps: 10_000, valEvery: 500, fitSamples: 60_000 };
  }
  throw new Error(`soak: unknown backend '${key}' (valid: js, wasm, wasm1, wasm2, wasmN, webgpu)`);
}

/** Result of one loop on one backend. */
interface Row {
  backend: string;
  loop: string;
  steps: number;
  /** Wall time of the whole loop, validation included. */
  seconds: number;
  /** Part of {@link Row.seconds} spent validating (samples/s counts training time only). */
  valSeconds: number;
  warm?: MemorySample;
  end?: MemorySample;
  watch?: MemoryWatch;
  valAcc?: number;
  note?: string;
}

function buildModel(): ax.Sequential {
  return new ax.Sequential([
    new ax.Dense(SIZES[0], SIZES[1], { activation: 'relu', init: 'heNormal', seed: 1 }),
    new ax.Dense(SIZES[1], SIZES[2], { activation: 'relu', init: 'heNormal', seed: 2 }),
    new ax.Dense(SIZES[2], SIZES[3], { seed: 3 }),
  ]);
}

/** Accuracy over the test set in evaluation mode, batches of VAL_BATCH (manual loop's validation). */
async function validate(model: ax.Sequential, test: ax.Dataset, labels: Uint8Array): Promise<number> {
  model.eval();
  let correct = 0;
  let seen = 0;
  try {
    for (const b of test.batches(VAL_BATCH)) {
      const pred = ax.noGrad(() => ax.tidy(() => ax.argmax(model.forward(b.x), 1)));
      b.x.dispose();
      b.y.dispose();
      const p = await pred.data();
      pred.dispose();
      for (let i = 0; i < p.length; i++) if (p[i] === labels[seen + i]) correct++;
      seen += p.length;
    }
  } finally {
    model.train();
  }
  return correct / seen;
}

async function manualLoop(label: string, data: MnistData, steps: number, valEvery: number): Promise<Row> {
  // Labels as host arrays: `new Dataset(x, uint8Labels)` converts typed arrays through a tensor
  // and a synchronous read, which the webgpu backend cannot do.
  const labels = (set: MnistData['train']) => ({ data: Float32Array.from(set.labels), shape: [set.count] });
  const train = new ax.Dataset(data.train, labels(data.train));
  const test = new ax.Dataset(data.test, labels(data.test));
  const model = buildModel();
  const opt = new ax.Adam(model.parameters(), { lr: 1e-3 });
  const watch = new MemoryWatch();
  const warmup = Math.min(WARMUP, steps);
  let valAcc = NaN;
  let valSeconds = 0;
  const timedValidate = async () => {
    const v0 = performance.now();
    valAcc = await validate(model, test, data.test.labels);
    valSeconds += (performance.now() - v0) / 1000;
  };
  let step = 0;
  let lastLoss = NaN;
  const t0 = performance.now();
  outer: for (let epoch = 0; ; epoch++) {
    for (const b of train.batches(BATCH, { shuffle: true, seed: 0, epoch, dropLast: true })) {
      const loss = ax.tidy(() => {
        opt.zeroGrad();
        const l = ax.crossEntropy(model.forward(b.x), b.y);
        l.backward();
        opt.step();
        return l;
      });
      b.x.dispose();
      b.y.dispose();
      lastLoss = (await loss.data())[0]!;
      loss.dispose();
      if (!Number.isFinite(lastLoss)) throw new Error(`soak: ${label} manual loop: loss ${lastLoss} at step ${step + 1}`);
      step++;
      if (step === warmup) {
        await timedValidate();
        watch.setReference();
      } else if (step % valEvery === 0) {
        await timedValidate();
        watch.check(`step ${step}, after validation`);
      } else {
        watch.check(`step ${step}`);
      }
      if (step >= steps) break outer;
    }
  }
  if (step % valEvery !== 0) await timedValidate();
  const seconds = (performance.now() - t0) / 1000;
  const end = watch.check('end of training');
  opt.dispose();
  model.dispose();
  const note = steps <= warmup ? `no step after warm-up to check (--steps ${steps} ≤ --warmup ${WARMUP})` : undefined;
  return { backend: label, loop: 'manual', steps, seconds, valSeconds, warm: watch.reference, end, watch, valAcc, ...(note ? { note } : {}) };
}

async function fitLoop(label: string, data: MnistData, steps: number, samples: number): Promise<Row> {
  const n = Math.min(samples, data.train.count);
  const perEpoch = Math.ceil(n / BATCH);
  const epochs = Math.max(2, Math.ceil(steps / perEpoch));
  const row = data.train.data.length / data.train.count;
  const x = ax.tensor(data.train.data.subarray(0, n * row), [n, row]);
  const y = ax.tensor(Float32Array.from(data.train.labels.subarray(0, n)), [n]);
  const vx = data.test.x, vy = data.test.y;
  const model = buildModel().compile({ optimizer: new ax.Adam({ lr: 1e-3 }), loss: 'crossEntropy', metrics: ['accuracy'] });
  const watch = new MemoryWatch();
  let done = 0;
  let valSeconds = 0;
  let lastBatchAt = 0;
  const t0 = performance.now();
  try {
    const h = await model.fit(x, y, {
      epochs,
      batchSize: BATCH,
      seed: 0,
      validationData: [vx, vy],
      callbacks: [
        {
          onBatchEnd: (b, logs) => {
            done++;
            lastBatchAt = performance.now();
            if (logs.epoch === 1 && b === 0) watch.setReference();
            else watch.check(`step ${done} (epoch ${logs.epoch + 1}, batch ${b + 1})`);
          },
          onEpochEnd: (e) => {
            // fit validates between the epoch's last batch and this hook
            valSeconds += (performance.now() - lastBatchAt) / 1000;
            if (e >= 1) watch.check(`end of epoch ${e + 1}, after validation`);
          },
        },
      ],
    });
    const seconds = (performance.now() - t0) / 1000;
    // The last sample taken inside training (fit frees its batch buffers when it returns).
    const end = watch.last;
    const acc = h.history['valAccuracy'];
    return { backend: label, loop: 'fit', steps: done, seconds, valSeconds, warm: watch.reference, end, watch, valAcc: acc?.[acc.length - 1] };
  } catch (e) {
    // fit on webgpu is recent work: report it instead of aborting the other backends' runs.
    if (done === 0 && label === 'webgpu') return { backend: label, loop: 'fit', steps: 0, seconds: 0, valSeconds: 0, note: `fit failed before its first step: ${(e as Error).message.split('\n')[0]}` };
    throw e;
  } finally {
    model.dispose();
    for (const t of [x, y, vx, vy]) t.dispose();
  }
}

function fmtBytes(b: number | undefined): string {
  if (b === undefined) return '–';
  return b >= 2 ** 20 ? `${(b / 2 ** 20).toFixed(1)} MiB` : `${b} B`;
}

function reserved(s: MemorySample | undefined): number | undefined {
  return s?.wasmMemory ?? s?.gpuPool;
}

function table(rows: Row[]): string {
  const lines = [
    '| backend | loop | steps | seconds (validation) | train samples/s | live tensors warm-up → end | live bytes warm-up → end | backend bytes warm-up → end | wasm memory / gpu pool warm-up → end | max drift (tensors / bytes / backend / reserved) | val acc |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    if (!r.watch) {
      lines.push(`| ${r.backend} | ${r.loop} | – | – | – | – | – | – | – | – | ${r.note ?? ''} |`);
      continue;
    }
    const w = r.watch;
    const drift = `${w.drift('tensors')} / ${w.drift('bytes')} / ${w.drift('backendBytes')} / ${w.drift('wasmMemory') + w.drift('gpuPool')}`;
    lines.push(
      `| ${r.backend} | ${r.loop} | ${r.steps} | ${r.seconds.toFixed(1)} (${r.valSeconds.toFixed(1)}) | ${((r.steps * BATCH) / (r.seconds - r.valSeconds)).toFixed(0)} | ${r.warm!.tensors} → ${r.end!.tensors} | ${fmtBytes(r.warm!.bytes)} → ${fmtBytes(r.end!.bytes)} | ${fmtBytes(r.warm!.backendBytes)} → ${fmtBytes(r.end!.backendBytes)} | ${fmtBytes(reserved(r.warm))} → ${fmtBytes(reserved(r.end))} | ${drift} | ${r.valAcc === undefined ? '–' : `${(100 * r.valAcc).toFixed(2)} %`} |`,
    );
  }
  return lines.join('\n');
}

function dataDir(): string | undefined {
  const d = flag('data') ?? process.env['AXON_DATA'];
  if (d) return d;
  return existsSync('/work/shared/data/mnist') ? '/work/shared/data/mnist' : undefined;
}

/** Which backends can run here, and why the others cannot. */
async function available(): Promise<{ keys: string[]; skipped: string[]; gpu: unknown }> {
  const keys = ['js'];
  const skipped: string[] = [];
  const f = detectFeatures();
  if (f.simd) keys.push('wasm1');
  else skipped.push('wasm: no WebAssembly SIMD');
  const ts = threadSupport();
  if (f.simd && f.threads && ts.ok) keys.push('wasm2');
  else skipped.push(`wasm2: ${ts.reason ?? 'no wasm threads'}`);
  const { gpu, reason } = await testGpu();
  if (gpu) {
    try {
      await ax.init({ backend: 'webgpu', gpu });
      keys.push('webgpu');
    } catch (e) {
      skipped.push(`webgpu: ${(e as Error).message.split('\n')[0]}`);
    }
  } else skipped.push(`webgpu: ${reason}`);
  return { keys, skipped, gpu };
}

async function main(): Promise<void> {
  const { keys: avail, skipped, gpu } = await available();
  const asked = flag('backends')?.split(',').map((s) => s.trim()).filter(Boolean);
  const keys = asked ?? avail;
  console.log(`axon soak — ${machineLine()}`);
  console.log(`MNIST MLP ${SIZES.join('-')}, batch ${BATCH}, Adam 1e-3; validation on the 10 000 test images every --val-every steps (manual) / every epoch (fit); warm-up ${WARMUP} steps + 1 validation (manual), 1 epoch (fit)`);
  if (!asked && skipped.length) console.log(`not available here: ${skipped.join('; ')}`);
  const dir = dataDir();
  const data = await loadMnist({ ...(dir ? { dir } : {}) });
  console.log(`data: ${data.files.trainImages} (${data.train.count} train, ${data.test.count} test)\n`);
  const rows: Row[] = [];
  for (const key of keys) {
    const s = spec(key, gpu);
    if (s.init.backend === 'webgpu' && !gpu) throw new Error('soak: webgpu asked for, but no GPU: the `webgpu` package or a Vulkan driver is missing');
    const k = await ax.init(s.init);
    if ((k.info.threads ?? 1) !== s.threads) throw new Error(`soak: ${s.key}: asked for ${s.threads} threads, got ${k.info.threads} (${k.info.notes?.join('; ')})`);
    const steps = STEPS ?? s.defaultSteps;
    const valEvery = VAL_EVERY ?? s.valEvery;
    const fitSamples = FIT_SAMPLES ?? s.fitSamples;
    for (const loop of LOOPS) {
      console.error(`… ${s.key} ${loop}: ${loop === 'fit' ? `≥ ${steps} steps in whole epochs of ${fitSamples} samples` : `${steps} steps, validation every ${valEvery}`}`);
      const row = loop === 'manual' ? await manualLoop(s.key, data, steps, valEvery) : await fitLoop(s.key, data, steps, fitSamples);
      rows.push(row);
      const grown = row.watch?.report();
      console.error(`  ${row.note ?? `${row.steps} steps in ${row.seconds.toFixed(1)} s, ${grown ? `GREW:\n${grown}` : 'flat'}`}`);
    }
  }
  ax.dispose();
  console.log(table(rows));
  const bad = rows.filter((r) => r.watch && r.watch.growth().length > 0);
  const failed = rows.filter((r) => r.note !== undefined);
  for (const r of failed) console.log(`\nnote: ${r.backend} ${r.loop}: ${r.note}`);
  // A run whose warm-up took every step checked nothing: a failure too, not "flat".
  if (rows.some((r) => r.watch && r.note)) process.exitCode = 1;
  if (bad.length) {
    for (const r of bad) console.log(`\nFAIL ${r.backend} ${r.loop}: memory grew after warm-up:\n${r.watch!.report()}`);
    process.exitCode = 1;
  } else {
    console.log(`\nmemory flat after warm-up on every ${failed.length ? 'checked ' : ''}run: live tensors, live bytes, backend liveBytes, wasm memory / webgpu pool`);
  }
}

await main();
