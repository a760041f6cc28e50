/**
 * What skipping the zero fill buys (`Kernels.allocUninitialized`, used for op outputs their
 * kernel overwrites whole): one process, the same model and batches, the allocation mode
 * toggled on the backend every other step (the first step after a switch is discarded), so host
 * noise falls on both modes alike. Prints p10 / median ms per step and the ratios, for the
 * benchmark CNN (bench/cnn) and a 784-256-128-10 MLP, on wasm with 1 and `--threads N` threads.
 *
 * `npx tsx bench/alloc.bench.ts [--threads 2] [--steps 160] [--data DIR]` (MNIST from DIR, else
 * `$AXON_DATA`, else the cache).
 */
import * as ax from '../src/index.js';
import { axonCnnEngine } from './cnn/axon.js';
import { cnnData } from './cnn/workload.js';
import { machineLine } from './harness.js';

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const threads = Number(flag('threads') ?? 2);
const steps = Number(flag('steps') ?? 160);
if (!Number.isInteger(threads) || threads < 2) throw new Error(`--threads expected an integer ≥ 2, given ${flag('threads')}`);
if (!Number.isInteger(steps) || steps < 8) throw new Error(`--steps expected an integer ≥ 8, given ${flag('steps')}`);

const quantile = (a: readonly number[], p: number) => [...a].sort((x, y) => x - y)[Math.floor(p * (a.length - 1))]!;

/** Times `step` with the current backend's allocUninitialized on and off, alternating. */
function compare(name: string, step: (i: number) => void, n: number): string {
  const k = ax.getBackend();
  const own = k.allocUninitialized;
  if (!own) throw new Error(`${k.name} has no allocUninitialized`);
  const times: Record<'zeroed' | 'uninit', number[]> = { zeroed: [], uninit: [] };
  for (let i = 0; i < 5; i++) step(i);
  try {
    for (let i = 0; i < n; i++) {
      const mode = (i >> 1) % 2 ? 'uninit' : 'zeroed';
      k.allocUninitialized = mode === 'uninit' ? own : undefined;
      const t0 = performance.now();
      step(i);
      if (i % 2) times[mode].push(performance.now() - t0);
    }
  } finally {
    k.allocUninitialized = own;
  }
  const [z10, z50, u10, u50] = [quantile(times.zeroed, 0.1), quantile(times.zeroed, 0.5), quantile(times.uninit, 0.1), quantile(times.uninit, 0.5)];
  return `| ${name} | ${z10.toFixed(2)} / ${z50.toFixed(2)} | ${u10.toFixed(2)} / ${u50.toFixed(2)} | ${(z10 / u10).toFixed(2)}× / ${(z50 / u50).toFixed(2)}× |`;
}

const data = await cnnData(flag('data'));
console.log(`allocation A/B — ${machineLine()}\n`);
console.log('| step (ms: p10 / median) | zero-filled | uninitialised | speed-up (p10 / median) |\n|---|---:|---:|---:|');
for (const t of [1, threads]) {
  const cnn = await axonCnnEngine({ backend: 'wasm', threads: t }, data).train();
  console.log(compare(`MNIST CNN, batch 64, wasm ${t} thread${t > 1 ? 's' : ''}`, (i) => cnn.step(i), steps));
  await ax.init({ backend: 'wasm', threads: t });
  const model = new ax.Sequential([new ax.Dense(784, 256, { activation: 'relu', seed: 1 }), new ax.Dense(256, 128, { activation: 'relu', seed: 2 }), new ax.Dense(128, 10, { seed: 3 })]);
  const opt = new ax.Adam(model.parameters(), { lr: 1e-3 });
  const batches = data.train.length;
  const xs = Array.from({ length: batches >> 1 }, (_, i) => ax.tensor(Float32Array.from([...data.train[2 * i]!.x, ...data.train[2 * i + 1]!.x]), [128, 784]));
  const ys = Array.from({ length: batches >> 1 }, (_, i) => ax.tensor(Float32Array.from([...data.train[2 * i]!.labels, ...data.train[2 * i + 1]!.labels])));
  const mlpStep = (i: number) => {
    opt.zeroGrad();
    ax.tidy(() => ax.crossEntropy(model.forward(xs[i % xs.length]!), ys[i % ys.length]!).backward());
    opt.step();
  };
  console.log(compare(`MLP 784-256-128-10, batch 128, Adam, wasm ${t} thread${t > 1 ? 's' : ''}`, mlpStep, steps * 2));
}
process.exit(0);
