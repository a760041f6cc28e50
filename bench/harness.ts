/**
 * Side-by-side benchmark harness: every case runs once per backend in one process (tinybench),
 * and the table reports a rate (GFLOP/s or G elements/s) per backend plus the ratio to the
 * first column — never a bare time, since these shared machines are noisy (DESIGN §6).
 *
 * Kernels on an asynchronous backend (webgpu) only queue work, so each timed call there is
 * followed by an awaited `flush()` (every queued kernel has run); js and wasm run synchronously
 * and are timed as plain calls.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Bench } from 'tinybench';
import type { Kernels } from '../src/kernels/kernels.js';

/** One benchmark row: `work` units (FLOPs or elements) per call of `run(backend)`. */
export interface Case {
  group: string;
  label: string;
  /** Units of work per call (FLOPs for GEMM, elements for elementwise kernels). */
  work: number;
  /** Prepares buffers on a backend and returns the function to time plus a cleanup. */
  setup(k: Kernels): { run: () => void; cleanup: () => void };
  /** Backends to skip for this case (e.g. the JS loop at 1024³ in quick mode). */
  skip?: readonly string[];
}

/** Timing budget per task. */
export interface Budget {
  timeMs: number;
  minIterations: number;
}

/** Host facts printed above every table. */
export function machineLine(): string {
  const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown CPU';
  return `${new Date().toISOString().slice(0, 10)} · ${cpu} · ${os.cpus().length} cores · node ${process.version} · ${os.platform()}-${os.arch()}`;
}

/** The backend's `flush()` (resolves when queued kernels have run), for asynchronous backends. */
export function flushOf(k: Kernels): (() => Promise<void>) | undefined {
  const f = (k as { flush?: () => Promise<void> }).flush;
  return typeof f === 'function' ? () => f.call(k) : undefined;
}

/** Median seconds per call of each backend's task, NaN where skipped. */
async function timeCase(c: Case, backends: readonly Kernels[], budget: Budget): Promise<number[]> {
  const out: number[] = [];
  for (const k of backends) {
    if (c.skip?.includes(k.name)) {
      out.push(Number.NaN);
      continue;
    }
    const { run, cleanup } = c.setup(k);
    const bench = new Bench({ time: budget.timeMs, iterations: budget.minIterations, warmupTime: Math.min(100, budget.timeMs / 2), warmupIterations: 2 });
    const flush = flushOf(k);
    bench.add(k.name, flush ? async () => { run(); await flush(); } : run);
    await bench.run();
    const r = bench.tasks[0]!.result;
    cleanup();
    if (r.state !== 'completed') throw new Error(`benchmark ${c.group} ${c.label} on ${k.name}: ${r.state}${'error' in r ? `: ${r.error.message}` : ''}`);
    out.push(r.latency.p50 / 1000);
  }
  return out;
}

function fmt(v: number, digits = 2): string {
  // Two significant digits below 0.1, so slow columns (plain JS, GPU emulation) are not all 0.00.
  return Number.isNaN(v) ? '—' : v >= 100 ? v.toFixed(0) : v < 0.1 && v > 0 ? v.toPrecision(2) : v.toFixed(digits);
}

/**
 * Runs the cases and prints one markdown table per group: a rate column per backend and the
 * ratio of each later backend to the first. Returns the rows for RESULTS.md.
 */
export async function runTable(title: string, unit: string, unitScale: number, cases: readonly Case[], backends: readonly Kernels[], budget: Budget, labels?: readonly string[]): Promise<string> {
  const names = backends.map((b, i) => labels?.[i] ?? b.name);
  const ratioNames = names.slice(1).map((n) => `${n}/${names[0]}`);
  const lines = [`### ${title}`, '', `| case | ${names.map((n) => `${n} ${unit}`).join(' | ')} | ${ratioNames.join(' | ')} |`, `|---|${names.map(() => '---:').join('|')}|${ratioNames.map(() => '---:').join('|')}|`];
  console.log(`\n${lines.join('\n')}`);
  for (const c of cases) {
    const secs = await timeCase(c, backends, budget);
    const rates = secs.map((s) => c.work / s / unitScale);
    const ratios = rates.slice(1).map((r) => r / rates[0]!);
    const line = `| ${c.group} ${c.label} | ${rates.map((r) => fmt(r)).join(' | ')} | ${ratios.map((r) => (Number.isNaN(r) ? '—' : `${fmt(r, 1)}×`)).join(' | ')} |`;
    console.log(line);
    lines.push(line);
  }
  return lines.join('\n');
}

/** Deterministic pseudo-random floats in [−1, 1) for benchmark inputs. */
export function randomArray(n: number, seed = 1): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2147483648 - 1;
  }
  return a;
}

const require = createRequire(import.meta.url);
/** An installed package's version (read from its package.json, which not every package exports). */
export function pkgVersion(name: string): string {
  let dir = path.dirname(require.resolve(name));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name) return pkg.version ?? '?';
    }
    const up = path.dirname(dir);
    if (up === dir) return '?';
    dir = up;
  }
}
