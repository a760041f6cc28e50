/**
 * axon side by side with its peers, in one process, with ratios (issue 5):
 *
 * - GEMM GFLOP/s, square 256/512/1024 and the MLP layers' shapes, in NN, TN and NT forms:
 *   axon's plain-JS backend, axon wasm on 1 and N threads, @tensorflow/tfjs-backend-wasm,
 *   @tensorflow/tfjs-backend-cpu, and onnxruntime-web (wasm EP) on 1 and N threads;
 * - training samples/s of the 784-256-128-10 ReLU MLP at batch 128 with Adam (and the MNIST
 *   epoch time that implies), axon vs tfjs-wasm vs tfjs-cpu;
 * - inference of that MLP: batch-1 latency and batch-256 throughput, end to end (a
 *   Float32Array in, a Float32Array out), axon vs tfjs vs onnxruntime-web.
 *
 * Every cell is measured `--rounds` times, interleaved with the other columns of its row (so
 * host noise spreads over all columns); tables show the median and the spread.
 *
 * `npm run bench:compare` (add `-- --quick` for a short run; `--threads N`, `--rounds R`,
 * `--only gemm,train,infer`).
 */
import fs from 'node:fs';
import os from 'node:os';
import { machineLine, pkgVersion } from './harness.js';
import * as ax from '../src/index.js';
import { axonEngine } from './compare/axon.js';
import { ortEngine } from './compare/ort.js';
import { cellSeconds, fmtRange, Table, type Cell } from './compare/report.js';
import { tfjsEngine } from './compare/tfjs.js';
import { fmtRate, fmtRatio, median, type Budget } from './compare/timer.js';
import { checksumsAgree, gemmFlops, gemmShapes, MLP_SIZES, MNIST_STEPS, TRAIN_BATCH, type Engine } from './compare/workload.js';

// ---- options ----------------------------------------------------------------------------

const argv = process.argv.slice(2);
function flag(name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}
const quick = argv.includes('--quick');
const threads = Number(flag('threads') ?? Math.max(2, Math.min(4, os.cpus().length)));
const rounds = Number(flag('rounds') ?? (quick ? 1 : 3));
const only = new Set((flag('only') ?? 'gemm,train,infer').split(','));
if (!Number.isInteger(threads) || threads < 2) throw new Error(`--threads expected an integer ≥ 2, given ${flag('threads')}`);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds expected an integer ≥ 1, given ${flag('rounds')}`);

const GEMM_BUDGET: Budget = quick ? { timeMs: 150, minIterations: 3, maxIterations: 300 } : { timeMs: 400, minIterations: 5, maxIterations: 1000 };
const TRAIN_BUDGET: Budget = quick ? { timeMs: 500, minIterations: 5, maxIterations: 300 } : { timeMs: 1500, minIterations: 10, maxIterations: 1000 };
const INFER_BUDGET: Budget = quick ? { timeMs: 300, minIterations: 20, maxIterations: 5000 } : { timeMs: 1000, minIterations: 50, maxIterations: 20000 };
/** A cell slower than this per call is measured in one round only. */
const SLOW_CELL_S = 1;

function progress(text: string): void {
  process.stderr.write(`  … ${text}\n`);
}

// ---- engines ----------------------------------------------------------------------------

/** Every column, created once; `all` in table order. */
interface Engines {
  axJs: Engine;
  ax1: Engine;
  axN: Engine;
  tfWasm: Awaited<ReturnType<typeof tfjsEngine>>;
  tfCpu: Engine;
  ort1: Engine;
  ortN: Engine;
  /** axon 1t through `model.forward` instead of `predict` (inference table only). */
  ax1Forward: Engine;
  all: Engine[];
}

async function createEngines(): Promise<Engines> {
  const axJs = await axonEngine({ backend: 'js', threads: 1 });
  const ax1 = await axonEngine({ backend: 'wasm', threads: 1 });
  const axN = await axonEngine({ backend: 'wasm', threads });
  const tfWasm = await tfjsEngine('wasm');
  const tfCpu = await tfjsEngine('cpu');
  const ort1 = await ortEngine(1);
  const ortN = await ortEngine(threads);
  const ax1Forward = await axonEngine({ backend: 'wasm', threads: 1, inferVia: 'forward' });
  return { axJs, ax1, axN, tfWasm, tfCpu, ort1, ortN, ax1Forward, all: [axJs, ax1, axN, tfWasm, tfCpu, ort1, ortN] };
}

async function printHeader(E: Engines): Promise<void> {
  // What the wasm backend reports about itself on 1 and on N threads (build file, features).
  const describe = async (n: number) => {
    const info = (await ax.init({ backend: 'wasm', threads: n })).info as ax.BackendInfo & { build?: string };
    return `${n}t: ${info.build ?? 'wasm'}, simd ${info.simd ? 'on' : 'off'}, relaxed-simd ${info.relaxedSimd ? 'on' : 'off'}, threads ${info.threads ?? 1}`;
  };
  const axInfo = `${await describe(1)}; ${await describe(threads)}`;
  const axVersion = (JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  const tw = E.tfWasm.info;
  console.log(`# axon vs TensorFlow.js vs ONNX Runtime Web — ${machineLine()}${quick ? ' (quick)' : ''}`);
  console.log(
    `\naxon ${axVersion} (wasm: ${axInfo}) · @tensorflow/tfjs-core ${tw.version} + tfjs-backend-wasm ${pkgVersion('@tensorflow/tfjs-backend-wasm')} ` +
      `(${tw.wasmError ? 'failed' : `${tw.wasmThreads} thread${tw.wasmThreads === 1 ? '' : 's'}: tfjs turns wasm threads off in Node`}) ` +
      `+ tfjs-backend-cpu ${pkgVersion('@tensorflow/tfjs-backend-cpu')} · onnxruntime-web ${pkgVersion('onnxruntime-web')} (wasm EP) · N = ${threads} threads · ${rounds} round${rounds === 1 ? '' : 's'} per cell`,
  );
  console.log(
    `\nColumns: axon js = axon's plain-JS reference backend (scalar loops); axon 1t / ${threads}t = axon's wasm SIMD backend on 1 / ${threads} threads; ` +
      `tfjs-wasm / tfjs-cpu = TensorFlow.js backends (production mode); ort 1t / ${threads}t = onnxruntime-web, wasm execution provider, 1 / ${threads} threads (each in its own worker thread of this process). ` +
      `Ratio columns "a ÷ b" divide a's rate by b's, so > 1 means a is faster.`,
  );
  for (const e of E.all) if (e.unavailable) console.log(`\n'${e.name}' column: — because ${e.unavailable}.`);
}

/** Adds one measurement (seconds) to a cell; an error marks the cell skipped and is printed. */
async function measure(cell: Cell, fn: () => Promise<number>, what: string): Promise<void> {
  try {
    cell.secs.push(await fn());
  } catch (e) {
    cell.skipped = (e as Error).message;
    console.log(`(${what}: failed: ${cell.skipped})`);
  }
}

// ---- GEMM -------------------------------------------------------------------------------

const gemmSummary = new Map<string, number[]>(); // engine → GFLOP/s per row, for the summary

async function gemmSection(E: Engines): Promise<void> {
  const { axJs, ax1, axN, tfWasm, tfCpu, ort1, ortN, all } = E;
  const cols = all;
  const base = ax1;
  const peers = [axJs, tfWasm, tfCpu, ort1, ortN];
  const short = (e: Engine) => e.name.replace(/^axon /, '');
  const ratioHeads = [...peers.map((p) => `${short(base)} ÷ ${short(p)}`), `${short(axN)} ÷ ${short(base)}`, `${short(axN)} ÷ ${short(ortN)}`];
  const t = new Table(
    'GEMM GFLOP/s (C = op(A)·op(B), float32)',
    ['case', ...cols.map((c) => c.name), ...ratioHeads],
    [false, ...cols.map(() => true), ...ratioHeads.map(() => true)],
  );
  const ranges: string[][] = []; // per row: min–max GFLOP/s over the rounds, per column
  for (const s of gemmShapes()) {
    const cells = new Map<Engine, Cell>(cols.map((c) => [c, { secs: [] }]));
    const sums = new Map<Engine, number>();
    for (const e of cols) {
      const c = cells.get(e)!;
      if (e.unavailable || !e.gemm) c.skipped = e.unavailable ?? 'no GEMM';
      else if (quick && s.m === 1024 && (e === axJs || e === tfCpu || (e === tfWasm && s.form !== 'NN'))) c.skipped = 'slow; skipped in --quick';
    }
    for (let r = 0; r < rounds; r++) {
      for (const e of cols) {
        const c = cells.get(e)!;
        if (c.skipped || (r > 0 && c.secs[0]! > SLOW_CELL_S)) continue;
        await measure(
          c,
          async () => {
            const res = await e.gemm!(s, GEMM_BUDGET);
            sums.set(e, res.checksum);
            return res.seconds;
          },
          `${e.name} ${s.label}`,
        );
      }
    }
    const ref = sums.get(base) ?? sums.get(axJs);
    for (const [e, sum] of sums) if (ref !== undefined && !checksumsAgree(sum, ref, s)) cells.get(e)!.wrong = true;
    const rate = (e: Engine) => gemmFlops(s) / cellSeconds(cells.get(e)) / 1e9;
    for (const e of cols) {
      const list = gemmSummary.get(e.name) ?? [];
      list.push(rate(e));
      gemmSummary.set(e.name, list);
    }
    const ratios = [...peers.map((p) => rate(base) / rate(p)), rate(axN) / rate(base), rate(axN) / rate(ortN)];
    t.row([s.label, ...cols.map((e) => `${fmtRate(rate(e))}${cells.get(e)!.wrong ? ' ✗' : ''}`), ...ratios.map(fmtRatio)]);
    ranges.push([s.label, ...cols.map((e) => fmtRange(cells.get(e), (sec) => gemmFlops(s) / sec / 1e9, fmtRate))]);
  }
  t.note(
    `\naxon columns call the kernel contract's \`gemm\` into a preallocated output; tfjs calls \`tf.matMul(a, b, transposeA, transposeB)\` (output allocated and disposed per call); ` +
      `onnxruntime-web runs a one-node Gemm model (transA/transB attributes) built in code, so each run also copies A and B in and C out. ` +
      `Medians of ${rounds} round${rounds === 1 ? '' : 's'} (cells slower than ${SLOW_CELL_S} s per call: one round); ratios > 1 mean axon is faster. ✗ = result differs from axon's. — = not run (see above).`,
  );
  if (rounds > 1) {
    const spread = new Table(`GEMM spread: lowest–highest GFLOP/s over the ${rounds} rounds`, ['case', ...cols.map((c) => c.name)], [false, ...cols.map(() => true)]);
    for (const r of ranges) spread.row(r);
  }
}

// ---- training ---------------------------------------------------------------------------

const trainRates = new Map<string, number>();

async function trainSection(E: Engines): Promise<void> {
  const { axJs, ax1, axN, tfWasm, tfCpu } = E;
  const rows = [axJs, ax1, axN, tfWasm, tfCpu];
  const cells = new Map<Engine, Cell>(rows.map((e) => [e, { secs: [] }]));
  for (const e of rows) if (e.unavailable || !e.train) cells.get(e)!.skipped = e.unavailable ?? 'no training';
  for (let r = 0; r < rounds; r++) {
    for (const e of rows) {
      const c = cells.get(e)!;
      if (c.skipped || (r > 0 && e === axJs && quick)) continue;
      progress(`training ${e.name}, round ${r + 1}/${rounds}`);
      await measure(c, () => e.train!(TRAIN_BUDGET), `${e.name} training`);
    }
  }
  const t = new Table(
    `Training: ${MLP_SIZES.join('-')} ReLU MLP, batch ${TRAIN_BATCH}, Adam (lr 1e-3), softmax cross-entropy, one step = forward + loss + backward + update + loss read back`,
    ['engine', 'step ms', 'samples/s', 'samples/s range', `MNIST epoch s (${MNIST_STEPS} steps, extrapolated)`, `${ax1.name} ÷ engine`],
    [false, true, true, true, true, true],
  );
  const base = cellSeconds(cells.get(ax1));
  for (const e of rows) {
    const c = cells.get(e)!;
    const s = cellSeconds(c);
    trainRates.set(e.name, TRAIN_BATCH / s);
    t.row([
      e.name,
      Number.isFinite(s) ? (s * 1000).toFixed(2) : '—',
      fmtRate(TRAIN_BATCH / s),
      fmtRange(c, (sec) => TRAIN_BATCH / sec, fmtRate),
      Number.isFinite(s) ? (s * MNIST_STEPS).toFixed(2) : '—',
      fmtRatio(s / base),
    ]);
  }
  t.note(
    `\naxon: the manual loop of DESIGN §4 (zeroGrad, crossEntropy(model.forward(x), y), backward, step, loss.item()). ` +
      `tfjs: the same MLP with tf.fused.matMul (bias + ReLU fused, as tfjs-layers' Dense), tf.losses.softmaxCrossEntropy on one-hot labels, tf.train.adam(1e-3, 0.9, 0.999, 1e-8).minimize(…, returnCost) + dataSync. ` +
      `Same initial weights and batch. The epoch time is ${MNIST_STEPS} × the median step (no data loading).`,
  );
}

// ---- inference --------------------------------------------------------------------------

const inferStats = new Map<string, { latencyUs: number; throughput: number }>();

async function inferSection(E: Engines): Promise<void> {
  const { axJs, ax1, axN, tfWasm, tfCpu, ort1, ortN, ax1Forward } = E;
  const rows = [axJs, ax1, ax1Forward, axN, tfWasm, tfCpu, ort1, ortN];
  const batches = [1, 256] as const;
  const cells = new Map<string, Cell>();
  const outputs = new Map<string, Float32Array>();
  const key = (e: Engine, b: number) => `${e.name}@${b}`;
  for (const e of rows) for (const b of batches) cells.set(key(e, b), e.unavailable || !e.infer ? { secs: [], skipped: e.unavailable ?? 'no inference' } : { secs: [] });
  for (let r = 0; r < rounds; r++) {
    for (const e of rows) {
      for (const b of batches) {
        const c = cells.get(key(e, b))!;
        if (c.skipped) continue;
        progress(`inference ${e.name} batch ${b}, round ${r + 1}/${rounds}`);
        await measure(
          c,
          async () => {
            const res = await e.infer!(b, INFER_BUDGET);
            outputs.set(key(e, b), res.output);
            return res.seconds;
          },
          `${e.name} inference batch ${b}`,
        );
      }
    }
  }
  // Every engine's logits must match axon wasm 1t's (same weights and inputs).
  for (const b of batches) {
    const ref = outputs.get(key(ax1, b));
    for (const e of rows) {
      const out = outputs.get(key(e, b));
      if (!ref || !out) continue;
      let worst = out.length === ref.length ? 0 : Infinity;
      for (let i = 0; i < Math.min(out.length, ref.length); i++) worst = Math.max(worst, Math.abs(out[i]! - ref[i]!));
      if (!(worst <= 1e-3 * Math.max(1, ...Array.from(ref, Math.abs)))) cells.get(key(e, b))!.wrong = true;
    }
  }
  const t = new Table(
    `Inference: ${MLP_SIZES.join('-')} ReLU MLP, end to end (Float32Array in → logits Float32Array out)`,
    ['engine', 'batch 1: µs (median)', 'µs range', 'batch 256: samples/s', 'samples/s range', `${ax1.name} ÷ engine, batch 1`, `${ax1.name} ÷ engine, batch 256`],
    [false, true, true, true, true, true, true],
  );
  const s1 = (e: Engine) => cellSeconds(cells.get(key(e, 1)));
  const s256 = (e: Engine) => cellSeconds(cells.get(key(e, 256)));
  for (const e of rows) {
    const c1 = cells.get(key(e, 1))!;
    const c256 = cells.get(key(e, 256))!;
    inferStats.set(e.name, { latencyUs: s1(e) * 1e6, throughput: 256 / s256(e) });
    t.row([
      e.name,
      `${fmtRate(s1(e) * 1e6)}${c1.wrong ? ' ✗' : ''}`,
      fmtRange(c1, (sec) => sec * 1e6, fmtRate),
      `${fmtRate(256 / s256(e))}${c256.wrong ? ' ✗' : ''}`,
      fmtRange(c256, (sec) => 256 / sec, fmtRate),
      fmtRatio(s1(e) / s1(ax1)),
      fmtRatio(s256(e) / s256(ax1)),
    ]);
  }
  t.note(
    `\naxon: \`model.predict(ax.tensor(x, [B, 784]), { batchSize: B }).dataSync()\` in eval mode ('forward()' row: \`ax.noGrad(() => model.forward(x)).dataSync()\`); tfjs: tf.tidy(fused.matMul layers on tf.tensor2d(x)).dataSync(); ` +
      `onnxruntime-web: session.run on a Gemm/Relu model built in code (awaited; it is async). ✗ = logits differ from axon's.`,
  );
}

// ---- run --------------------------------------------------------------------------------

/** One line per issue-5 target: the measured value and whether it is met. */
function printTargets(E: Engines): void {
  const { ax1, axN, tfWasm } = E;
  console.log('\n### Targets (issue 5)');
  if (only.has('gemm')) {
    const big = (name: string) => {
      const shapes = gemmShapes();
      const v = (gemmSummary.get(name) ?? []).filter((_, i) => shapes[i]!.m * shapes[i]!.n * shapes[i]!.k >= 256 ** 3);
      return v.filter(Number.isFinite);
    };
    const one = big(ax1.name);
    const many = big(axN.name);
    const fmtMin = (v: number[]) => (v.length ? `${fmtRate(Math.min(...v))}–${fmtRate(Math.max(...v))} (median ${fmtRate(median(v))})` : '—');
    console.log(`- GEMM ≥ 40 GFLOP/s on 1 thread (shapes ≥ 256³, NN/TN/NT): ${fmtMin(one)} → ${one.length && Math.min(...one) >= 40 ? 'met' : 'NOT met'}`);
    console.log(`- GEMM ≥ 75 GFLOP/s on ${threads} threads: ${fmtMin(many)} → ${many.length && Math.min(...many) >= 75 ? 'met' : many.length ? 'NOT met' : 'not measured'}`);
  }
  if (only.has('train')) {
    const n = trainRates.get(axN.name) ?? Number.NaN;
    const tf = trainRates.get(tfWasm.name) ?? Number.NaN;
    console.log(`- training ≥ 40 000 samples/s on ${threads} threads: ${fmtRate(n)} → ${n >= 40000 ? 'met' : Number.isFinite(n) ? 'NOT met' : 'not measured'} (1 thread: ${fmtRate(trainRates.get(ax1.name) ?? Number.NaN)}; best axon ÷ tfjs-wasm, target ≥ 15×: ${fmtRatio(Math.max(n, trainRates.get(ax1.name) ?? 0) / tf)})`);
  }
  if (only.has('infer')) {
    const l = inferStats.get(ax1.name)?.latencyUs ?? Number.NaN;
    console.log(`- batch-1 inference ≤ 50 µs: ${fmtRate(l)} µs on 1 thread → ${l <= 50 ? 'met' : 'NOT met'}`);
  }
}

async function main(): Promise<void> {
  const E = await createEngines();
  try {
    await printHeader(E);
    if (only.has('gemm')) await gemmSection(E);
    if (only.has('train')) await trainSection(E);
    if (only.has('infer')) await inferSection(E);
    printTargets(E);
  } finally {
    for (const e of [...E.all, E.ax1Forward]) await e.dispose();
  }
}

// Exit explicitly: worker pools (onnxruntime-web's, axon's) must not keep the process alive, and
// tfjs-wasm's Emscripten runtime rethrows uncaught errors with its whole minified source.
main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`bench:compare failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
