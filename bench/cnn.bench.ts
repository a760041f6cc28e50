/**
 * The LeNet-style MNIST CNN (examples/mnist-cnn.ts) side by side, in one process (issue 8):
 * axon's plain-JS backend (a few steps: it is slow), axon wasm on 1 and N threads,
 * @tensorflow/tfjs-backend-cpu and @tensorflow/tfjs-backend-wasm — the same network, initial
 * weights and real MNIST batches (batch 64, Adam 1e-3).
 *
 * - training: ms per step, samples/s, the MNIST epoch time that implies (938 steps × the median
 *   step, no data loading), ratio to tfjs-cpu. tfjs-wasm has no Conv2DBackpropFilter kernel; if
 *   its step throws, the row says "unsupported" with tfjs's message;
 * - inference (eval mode, Float32Array in → logits out): batch-256 throughput and batch-1
 *   latency; every engine's logits are checked against axon wasm 1t's (✗ when they differ);
 * - profile: where one axon wasm step spends its time, on 1 and N threads (bench/cnn/profile.ts).
 *
 * Every cell is measured in `--rounds` rounds interleaved with the other engines (so host noise
 * spreads over all of them); a round warms up, then times steps for a budget and keeps their
 * median; tables show the median round and the range of rounds. Slow cells (a warm-up call
 * over 1.5 s: axon js, tfjs-cpu's training) get one round of `--slow-calls` calls.
 *
 * `npm run bench:cnn` (`-- --quick` for a short run; `--threads N`, `--rounds R`,
 * `--only train,infer,profile`, `--slow-calls N`, `--data DIR` for a directory holding the MNIST files, else
 * $AXON_DATA or the cache).
 */
import fs from 'node:fs';
import os from 'node:os';
import * as ax from '../src/index.js';
import { machineLine, pkgVersion } from './harness.js';
import { axonCnnEngine } from './cnn/axon.js';
import type { CnnEngine, InferSession, TrainSession } from './cnn/engine.js';
import { byRole, profileSteps } from './cnn/profile.js';
import { tfjsCnnEngine } from './cnn/tfjs.js';
import { CNN_BATCH, CNN_EPOCH_STEPS, CNN_LABEL, cnnData, type CnnData } from './cnn/workload.js';
import { Table } from './compare/report.js';
import { fmtRate, fmtRatio, median } from './compare/timer.js';

// ---- options ----------------------------------------------------------------------------

const argv = process.argv.slice(2);
function flag(name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}
const quick = argv.includes('--quick');
const threads = Number(flag('threads') ?? 2);
const rounds = Number(flag('rounds') ?? (quick ? 2 : 5));
const only = new Set((flag('only') ?? 'train,infer,profile').split(','));
const dataDir = flag('data');
const slowCalls = Number(flag('slow-calls') ?? 2);
if (!Number.isInteger(threads) || threads < 2) throw new Error(`--threads expected an integer ≥ 2, given ${flag('threads')}`);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds expected an integer ≥ 1, given ${flag('rounds')}`);
if (!Number.isInteger(slowCalls) || slowCalls < 1) throw new Error(`--slow-calls expected an integer ≥ 1, given ${flag('slow-calls')}`);

/** How one round of one cell is timed. */
interface Budget {
  /** Untimed calls first (JIT, allocator, pool start-up, tfjs moving data between backends). */
  warmup: number;
  /** Timed milliseconds, at least. */
  timeMs: number;
  minCalls: number;
  maxCalls: number;
}
const TRAIN: Budget = quick ? { warmup: 2, timeMs: 800, minCalls: 3, maxCalls: 100 } : { warmup: 3, timeMs: 2500, minCalls: 6, maxCalls: 300 };
const INFER: Record<number, Budget> = quick
  ? { 1: { warmup: 5, timeMs: 300, minCalls: 20, maxCalls: 2000 }, 256: { warmup: 1, timeMs: 500, minCalls: 3, maxCalls: 200 } }
  : { 1: { warmup: 10, timeMs: 1000, minCalls: 50, maxCalls: 5000 }, 256: { warmup: 2, timeMs: 1500, minCalls: 5, maxCalls: 500 } };
const PROFILE_STEPS = quick ? 10 : 30;

function progress(text: string): void {
  process.stderr.write(`  … ${text}\n`);
}

/** A warm-up call slower than this marks the cell slow: then `SLOW` budget, one round. */
const SLOW_CALL_S = 1.5;
/** Budget of slow cells (axon js, tfjs-cpu training): a few calls after one warm-up, one round. */
const SLOW: Budget = { warmup: 1, timeMs: 0, minCalls: slowCalls, maxCalls: slowCalls };

/** Seconds per call of each timed call of `fn` (after the warm-up), and whether the cell is slow. */
async function timeCalls(fn: (i: number) => unknown, b: Budget): Promise<{ calls: number[]; slow: boolean }> {
  let i = 0;
  let slow = false;
  for (let w = 0; w < b.warmup; w++) {
    const s = performance.now();
    await fn(i++);
    if (performance.now() - s > SLOW_CALL_S * 1000) {
      slow = true;
      b = SLOW;
      break;
    }
  }
  const out: number[] = [];
  const t0 = performance.now();
  while (out.length < b.maxCalls && (out.length < b.minCalls || performance.now() - t0 < b.timeMs)) {
    const s = performance.now();
    await fn(i++);
    out.push((performance.now() - s) / 1000);
  }
  return { calls: out, slow };
}

/** The rounds of one cell: each round's median, every call, or why there are none. */
interface Cell {
  rounds: number[];
  calls: number[];
  skipped?: string;
  wrong?: boolean;
  /** Measured once, with the slow budget (its range is over its calls). */
  slow?: boolean;
}
const newCell = (): Cell => ({ rounds: [], calls: [] });
const cellS = (c: Cell): number => (c.skipped || !c.rounds.length ? Number.NaN : median(c.rounds));
/** Lowest–highest of the rounds (of the calls, with one round), mapped through `f`. */
function range(c: Cell, f: (s: number) => number, fmt: (v: number) => string): string {
  const v = (c.rounds.length > 1 ? c.rounds : c.calls).map(f);
  return c.skipped || v.length < 2 ? '—' : `${fmt(Math.min(...v))}–${fmt(Math.max(...v))}`;
}
/** The first line of an error's message, shortened. */
function firstLine(e: unknown): string {
  const m = (e instanceof Error ? e.message : String(e)).split('\n')[0]!.trim();
  return m.length > 200 ? `${m.slice(0, 197)}…` : m;
}

/** Runs one round of a cell in a fresh session; an error marks the cell skipped. */
async function measure<S extends TrainSession | InferSession>(cell: Cell, open: () => Promise<S>, call: (s: S, i: number) => unknown, b: Budget, what: string): Promise<void> {
  let s: S | undefined;
  try {
    s = await open();
    const { calls, slow } = await timeCalls((i) => call(s!, i), b);
    cell.calls.push(...calls);
    cell.rounds.push(median(calls));
    if (slow) cell.slow = true;
  } catch (e) {
    cell.skipped = `unsupported: ${firstLine(e)}`;
    console.log(`(${what}: ${cell.skipped})`);
  } finally {
    try {
      s?.dispose();
    } catch {
      // A session that failed half-way may not dispose cleanly; the next one starts afresh.
    }
  }
}

// ---- header -----------------------------------------------------------------------------

async function header(data: CnnData, tfWasmThreads: number, tfVersion: string): Promise<void> {
  const describe = async (n: number) => {
    const info = (await ax.init({ backend: 'wasm', threads: n })).info as ax.BackendInfo & { build?: string };
    return `${n}t: ${info.build ?? 'wasm'}, threads ${info.threads ?? 1}`;
  };
  const axInfo = `${await describe(1)}; ${await describe(threads)}`;
  const axVersion = (JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  console.log(`# MNIST CNN: axon vs TensorFlow.js — ${machineLine()}${quick ? ' (quick)' : ''}`);
  console.log(`\nload average at start: ${os.loadavg().map((v) => v.toFixed(2)).join(' / ')} (1 / 5 / 15 min)`);
  console.log(
    `\naxon ${axVersion} (wasm ${axInfo}) · @tensorflow/tfjs-core ${tfVersion} + tfjs-backend-cpu ${pkgVersion('@tensorflow/tfjs-backend-cpu')} + tfjs-backend-wasm ${pkgVersion('@tensorflow/tfjs-backend-wasm')} ` +
      `(${tfWasmThreads} thread${tfWasmThreads === 1 ? '' : 's'}: tfjs turns wasm threads off in Node) · ${rounds} interleaved round${rounds === 1 ? '' : 's'} per cell · MNIST from ${data.source}`,
  );
  console.log(`\nNetwork: ${CNN_LABEL}; batch ${CNN_BATCH}; Adam (lr 1e-3, betas 0.9/0.999, eps 1e-8); softmax cross-entropy; the same initial weights everywhere.`);
}

// ---- training ---------------------------------------------------------------------------

/** Median seconds per training step by engine name, for the summary. */
const trainSeconds = new Map<string, number>();

async function trainSection(engines: CnnEngine[], ref: CnnEngine): Promise<void> {
  const cells = new Map<CnnEngine, Cell>(engines.map((e) => [e, e.unavailable ? { ...newCell(), skipped: e.unavailable } : newCell()]));
  for (let r = 0; r < rounds; r++) {
    for (const e of engines) {
      const c = cells.get(e)!;
      if (c.skipped || c.slow) continue;
      progress(`training ${e.name}, round ${r + 1}/${rounds}`);
      await measure(c, () => e.train(), (s, i) => s.step(i), TRAIN, `${e.name} training`);
    }
  }
  const refS = cellS(cells.get(ref)!);
  const t = new Table(
    `Training: one step = forward + loss + backward + Adam + loss read back, batch ${CNN_BATCH}, real MNIST batches`,
    ['engine', 'ms / step', 'ms range', 'samples/s', `MNIST epoch s (${CNN_EPOCH_STEPS} steps)`, `speed-up vs ${ref.name}`],
    [false, true, true, true, true, true],
  );
  for (const e of engines) {
    const c = cells.get(e)!;
    const s = cellS(c);
    trainSeconds.set(e.name, s);
    if (c.skipped) {
      t.row([e.name, c.skipped, '—', '—', '—', '—']);
      continue;
    }
    t.row([e.name, fmtRate(s * 1000), range(c, (v) => v * 1000, fmtRate), fmtRate(CNN_BATCH / s), fmtRate(s * CNN_EPOCH_STEPS), fmtRatio(refS / s)]);
  }
  t.note(
    `\naxon: the manual loop of DESIGN §4 (zeroGrad; crossEntropy(model.forward(x), y); backward; item; step) on NCHW tensors. ` +
      `tfjs: the same network in NHWC with tf.fused.conv2d / maxPool / fused.matMul / dropout, tf.train.adam(…).minimize(…, returnCost) + dataSync. ` +
      `Medians of per-round medians; the range is over rounds (cells whose warm-up step took over ${SLOW_CALL_S} s — axon js, tfjs-cpu — get one round of ${slowCalls} timed step${slowCalls === 1 ? '' : 's'} after 1 warm-up, the range over those steps). ` +
      `The epoch time is ${CNN_EPOCH_STEPS} × the median step (no data loading or shuffling).`,
  );
}

// ---- inference --------------------------------------------------------------------------

async function inferSection(engines: CnnEngine[], ref: CnnEngine, base: CnnEngine): Promise<void> {
  const batches = [1, 256] as const;
  const key = (e: CnnEngine, b: number) => `${e.name}@${b}`;
  const cells = new Map<string, Cell>();
  const outputs = new Map<string, Float32Array>();
  for (const e of engines) for (const b of batches) cells.set(key(e, b), e.unavailable ? { ...newCell(), skipped: e.unavailable } : newCell());
  for (let r = 0; r < rounds; r++) {
    for (const e of engines) {
      for (const b of batches) {
        const c = cells.get(key(e, b))!;
        if (c.skipped || c.slow) continue;
        progress(`inference ${e.name} batch ${b}, round ${r + 1}/${rounds}`);
        await measure(
          c,
          () => e.infer(b),
          async (s) => outputs.set(key(e, b), await s.run()),
          INFER[b]!,
          `${e.name} inference batch ${b}`,
        );
      }
    }
  }
  // Same weights and inputs: every engine's logits must match axon wasm 1t's.
  for (const b of batches) {
    const want = outputs.get(key(base, b));
    if (!want) continue;
    const scale = Math.max(1, ...Array.from(want, Math.abs));
    for (const e of engines) {
      const got = outputs.get(key(e, b));
      if (!got) continue;
      let worst = got.length === want.length ? 0 : Infinity;
      for (let i = 0; i < Math.min(got.length, want.length); i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
      if (!(worst <= 1e-3 * scale)) cells.get(key(e, b))!.wrong = true;
    }
  }
  const t = new Table(
    'Inference (eval mode, end to end: Float32Array in → logits Float32Array out)',
    ['engine', 'batch 256: samples/s', 'samples/s range', 'batch 1: ms', 'ms range', `speed-up vs ${ref.name}, batch 256`, `batch 1`],
    [false, true, true, true, true, true, true],
  );
  const s = (e: CnnEngine, b: number) => cellS(cells.get(key(e, b))!);
  for (const e of engines) {
    const c1 = cells.get(key(e, 1))!, c256 = cells.get(key(e, 256))!;
    const mark = (c: Cell) => (c.wrong ? ' ✗' : '');
    t.row([
      e.name,
      c256.skipped ?? `${fmtRate(256 / s(e, 256))}${mark(c256)}`,
      range(c256, (v) => 256 / v, fmtRate),
      c1.skipped ?? `${fmtRate(s(e, 1) * 1000)}${mark(c1)}`,
      range(c1, (v) => v * 1000, fmtRate),
      fmtRatio(s(ref, 256) / s(e, 256)),
      fmtRatio(s(ref, 1) / s(e, 1)),
    ]);
  }
  t.note(
    `\naxon: \`model.eval().predict(ax.tensor(x, [B, 1, 28, 28]), { batchSize: B }).dataSync()\`; tfjs: tf.tidy(forward on tf.tensor4d(x, [B, 28, 28, 1])).dataSync(). ` +
      `Cells whose warm-up call took over ${SLOW_CALL_S} s: one round of ${slowCalls} calls. Real MNIST test images. ✗ = logits differ from axon wasm 1t's by more than 1e-3 (relative to the largest).`,
  );
}

// ---- profile ----------------------------------------------------------------------------

async function profileSection(data: CnnData, n: number): Promise<void> {
  const e = axonCnnEngine({ backend: 'wasm', threads: n }, data);
  const session = await e.train();
  try {
    const k = ax.getBackend();
    for (let i = 0; i < 3; i++) session.step(i);
    const p = profileSteps(k, session, PROFILE_STEPS);
    const t = new Table(
      `Profile: one axon wasm ${n}-thread training step (${PROFILE_STEPS} steps; plain median ${p.stepMs.toFixed(1)} ms, instrumented mean ${p.instrumentedMs.toFixed(1)} ms)`,
      ['kernel call', 'ms / step', '% of step', 'calls / step'],
      [false, true, true, true],
    );
    for (const row of p.rows) if (row.ms >= 0.01) t.row([row.label, row.ms.toFixed(2), `${((100 * row.ms) / p.instrumentedMs).toFixed(1)} %`, String(row.calls)]);
    const roles = new Table(`By role (axon wasm ${n}t)`, ['role', 'ms / step', '% of step'], [false, true, true]);
    for (const [role, ms] of byRole(p)) roles.row([role, ms.toFixed(2), `${((100 * ms) / p.instrumentedMs).toFixed(1)} %`]);
  } finally {
    session.dispose();
  }
}

// ---- run --------------------------------------------------------------------------------

function summary(one: string, many: string, tf: string): void {
  const ep = (name: string) => trainSeconds.get(name)! * CNN_EPOCH_STEPS;
  console.log('\n### MNIST epoch (issue 8: time per epoch on 1 and 2 threads, tfjs-cpu side by side)');
  console.log(`- ${one}: ${fmtRate(ep(one))} s per epoch; ${many}: ${fmtRate(ep(many))} s; ${tf}: ${fmtRate(ep(tf))} s (${fmtRatio(ep(tf) / ep(one))} / ${fmtRatio(ep(tf) / ep(many))} faster than tfjs-cpu)`);
}

async function main(): Promise<void> {
  const data = await cnnData(dataDir);
  const tfCpu = await tfjsCnnEngine('cpu', data);
  const tfWasm = await tfjsCnnEngine('wasm', data);
  const axJs = axonCnnEngine({ backend: 'js', threads: 1 }, data);
  const ax1 = axonCnnEngine({ backend: 'wasm', threads: 1 }, data);
  const axN = axonCnnEngine({ backend: 'wasm', threads }, data);
  const engines: CnnEngine[] = [axJs, ax1, axN, tfCpu, tfWasm];
  await header(data, tfWasm.wasmThreads, tfCpu.version);
  if (only.has('train')) await trainSection(engines, tfCpu);
  if (only.has('infer')) await inferSection(engines, tfCpu, ax1);
  if (only.has('train')) summary(ax1.name, axN.name, tfCpu.name);
  if (only.has('profile')) {
    await profileSection(data, 1);
    await profileSection(data, threads);
  }
  ax.dispose();
}

// Exit explicitly: worker pools must not keep the process alive, and tfjs-wasm's Emscripten
// runtime rethrows uncaught errors with its whole minified source.
main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`bench:cnn failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
