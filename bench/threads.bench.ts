/**
 * Thread scaling of the wasm kernels (issue 5): GEMM GFLOP/s on 1 and N threads for square
 * 256/512/1024 and the 784-256-128-10 MLP's shapes (forward NN, weight gradient TN, input
 * gradient NT), the cost of one pool round trip, and the elementwise cut-off (the size where a
 * 2-way split starts to pay) that src/backends/wasm/index.ts uses.
 *
 * Shared machines are noisy: every case is timed in `REPEATS` rounds, alternating the backends
 * within each round, and the table shows the best and the median round.
 *
 * `npm run bench:threads` (`-- --quick` for fewer rounds, `-- --threads 3` for another N,
 * `-- --only gemm,trip,elementwise,cutoff` for some sections).
 */
import os from 'node:os';
import { WasmBackend } from '../src/backends/wasm/index.js';
import type { Kernels, Storage } from '../src/kernels/kernels.js';
import { machineLine } from './harness.js';

const quick = process.argv.includes('--quick');
const argN = process.argv.indexOf('--threads');
const N = argN > 0 ? Number(process.argv[argN + 1]) : Math.min(4, os.availableParallelism());
const REPEATS = quick ? 5 : 11;
const argOnly = process.argv.indexOf('--only');
const ONLY = argOnly > 0 ? process.argv[argOnly + 1]!.split(',') : ['gemm', 'trip', 'elementwise', 'cutoff'];
/** Seconds per round and backend. */
const ROUND_S = quick ? 0.15 : 0.3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** Seconds per call of `fn`: runs it for about ROUND_S (after one warm-up call). */
function round(fn: () => void): number {
  fn();
  let iters = 0;
  const t0 = performance.now();
  let t = t0;
  do {
    fn();
    iters++;
    t = performance.now();
  } while (t - t0 < ROUND_S * 1000);
  return (t - t0) / 1000 / iters;
}

/** Per backend: seconds per call in each round (rounds alternate the backends). */
function timeAll(fns: Array<() => void>): number[][] {
  const out = fns.map(() => [] as number[]);
  for (let r = 0; r < REPEATS; r++) fns.forEach((fn, i) => out[i]!.push(round(fn)));
  return out;
}

function upload(k: Kernels, n: number, seed: number): Storage {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 4294967296 - 0.5;
  }
  return k.upload(a);
}

interface GemmCase {
  label: string;
  m: number;
  n: number;
  k: number;
  transA?: boolean;
  transB?: boolean;
}

const GEMMS: GemmCase[] = [
  { label: '256³', m: 256, n: 256, k: 256 },
  { label: '512³', m: 512, n: 512, k: 512 },
  { label: '1024³', m: 1024, n: 1024, k: 1024 },
  { label: 'MLP fwd 128×784·784×256 (NN)', m: 128, n: 256, k: 784 },
  { label: 'MLP dW1 784×128ᵀ·128×256 (TN)', m: 784, n: 256, k: 128, transA: true },
  { label: 'MLP dx1 128×256·(784×256)ᵀ (NT)', m: 128, n: 784, k: 256, transB: true },
  { label: 'MLP fwd 128×256·256×128 (NN)', m: 128, n: 128, k: 256 },
  { label: 'MLP fwd 128×128·128×10 (NN)', m: 128, n: 10, k: 128 },
];

/** GEMM GFLOP/s, 1 vs N threads. */
function gemmSection(one: Kernels, many: Kernels): void {
  const lines = [`| GEMM | 1 thread GFLOP/s best / med | ${N} threads GFLOP/s best / med | scaling best / med |`, '|---|---:|---:|---:|'];
  for (const c of GEMMS) {
    const flops = 2 * c.m * c.n * c.k;
    const fns = [one, many].map((k) => {
      const a = upload(k, c.m * c.k, 1), b = upload(k, c.k * c.n, 2), out = k.alloc(c.m * c.n);
      return () => k.gemm({ a, b, c: out, m: c.m, n: c.n, k: c.k, transA: c.transA, transB: c.transB });
    });
    const [t1, tn] = timeAll(fns) as [number[], number[]];
    const g = (s: number) => (flops / s / 1e9).toFixed(1);
    const best1 = Math.min(...t1), bestN = Math.min(...tn), med1 = median(t1), medN = median(tn);
    lines.push(`| ${c.label} | ${g(best1)} / ${g(med1)} | ${g(bestN)} / ${g(medN)} | ${(best1 / bestN).toFixed(2)}× / ${(med1 / medN).toFixed(2)}× |`);
  }
  console.log(lines.join('\n'));
}

/** The cost of one pool round trip: a tiny kernel forced through the pool vs inline. */
function tripSection(one: Kernels, forced: Kernels): void {
  const x = one.alloc(16), y = one.alloc(16);
  const xf = forced.alloc(16), yf = forced.alloc(16);
  const [t1, tf] = timeAll([() => one.activation('relu', x, y, 16), () => forced.activation('relu', xf, yf, 16)]) as [number[], number[]];
  console.log(`\npool round trip (relu on 16 floats, forced split vs inline): ${((median(tf) - median(t1)) * 1e6).toFixed(1)} µs median, ${((Math.min(...tf) - Math.min(...t1)) * 1e6).toFixed(1)} µs best`);
}

/** Elementwise kernels inline vs forced through the pool, by size: where splitting starts to pay. */
function elementwiseSection(one: Kernels, forced: Kernels): void {
  const ew = [`| n | relu 1t / ${N}t-split µs (med) | gelu 1t / ${N}t-split µs | adam 1t / ${N}t-split µs |`, '|---:|---:|---:|---:|'];
  for (const n of [4096, 8192, 16384, 32768, 65536, 131072, 262144, 1048576]) {
    const row: string[] = [];
    for (const kind of ['relu', 'gelu', 'adam'] as const) {
      const fns = [one, forced].map((k) => {
        const x = upload(k, n, 3), y = k.alloc(n), m = k.alloc(n), v = k.alloc(n);
        let step = 0;
        if (kind === 'adam') return () => k.adamStep({ param: y, grad: x, m, v, n, lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: ++step });
        return () => k.activation(kind, x, y, n);
      });
      const [t1, tn] = timeAll(fns) as [number[], number[]];
      row.push(`${(median(t1) * 1e6).toFixed(1)} / ${(median(tn) * 1e6).toFixed(1)}`);
    }
    ew.push(`| ${n} | ${row.join(' | ')} |`);
  }
  console.log(`\nelementwise: inline vs split across ${N} threads (the backend splits memory-bound kernels such as relu from 512 K elements, compute-bound ones such as gelu and Adam from 16 K)\n${ew.join('\n')}`);
}

/** Small square GEMMs, 1 vs N threads with the backend's own policy: whether the cut-off is right. */
function cutoffSection(one: Kernels, many: Kernels): void {
  const gm = [`| m×n×k | MACs | 1t µs (med) | ${N}t µs (med) |`, '|---|---:|---:|---:|'];
  for (const s of [64, 80, 96, 128, 160]) {
    const fns = [one, many].map((k) => {
      const a = upload(k, s * s, 1), b = upload(k, s * s, 2), out = k.alloc(s * s);
      return () => k.gemm({ a, b, c: out, m: s, n: s, k: s });
    });
    const [t1, tn] = timeAll(fns) as [number[], number[]];
    gm.push(`| ${s}³ | ${s ** 3} | ${(median(t1) * 1e6).toFixed(1)} | ${(median(tn) * 1e6).toFixed(1)} |`);
  }
  console.log(`\nGEMM cut-off (the backend splits from 524288 multiply-adds, 80³, one chunk per thread)\n${gm.join('\n')}`);
}

async function main(): Promise<void> {
  const one = await WasmBackend.create({ threads: 1 });
  const many = await WasmBackend.create({ threads: N });
  const forced = await WasmBackend.create({ threads: N, split: 'always' });
  console.log(`axon thread scaling — ${machineLine()}`);
  console.log(`builds: 1 thread ${one.info.build}, ${N} threads ${many.info.build} (${many.info.threads} threads${many.info.notes.length ? `; ${many.info.notes.join('; ')}` : ''})`);
  console.log(`${REPEATS} rounds of ${ROUND_S} s per case and backend; best / median round\n`);
  if (ONLY.includes('gemm')) gemmSection(one, many);
  if (ONLY.includes('trip')) tripSection(one, forced);
  if (ONLY.includes('elementwise')) elementwiseSection(one, forced);
  if (ONLY.includes('cutoff')) cutoffSection(one, many);
  for (const k of [one, many, forced]) k.dispose();
}

await main();
