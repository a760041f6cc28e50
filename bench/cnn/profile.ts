/**
 * Where one axon training step of the benchmark CNN spends its time: every kernel-contract call
 * of the current backend is timed (outermost calls only; the wasm kernels are synchronous, so a
 * call's time is its kernel's) and attributed to a layer and a role by its shapes — im2col,
 * each GEMM, col2im, pooling, the NCHW ↔ channels-rows layout copies, allocations (zero-filled or not),
 * elementwise work. The rest of the step is JS: autograd, tensor bookkeeping.
 */
import type { Kernels } from '../../src/kernels/kernels.js';
import { median } from '../compare/timer.js';
import type { TrainSession } from './engine.js';
import { CNN_BATCH } from './workload.js';

/** Methods that are not kernels, or helpers whose kernels are timed by their caller. */
const NOT_KERNELS = new Set(['constructor', 'dispose', 'liveBytes', 'releaseStorage', 'checkAlive', 'workspace', 'ownAlloc', 'ownRelease', 'startPool', 'poolExports', 'worthSplitting', 'chunkOf', 'split', 'elementwise', 'rowwise', 'channelwise', 'gemmSplit', 'convUnits']);

interface GemmArgs { m: number; n: number; k: number; transA?: boolean; transB?: boolean; bias?: unknown; beta?: number }
interface GeomArgs { channels: number; height: number }

/** The role of a GEMM in the benchmark network at batch B, from its shape. */
function gemmRole(g: GemmArgs, B: number): string {
  const form = g.transA ? 'TN' : g.transB ? 'NT' : 'NN';
  const shape = `${form} ${g.m}×${g.n}×${g.k}`;
  const roles: Array<[number, number, number, string]> = [
    [B * 576, 32, 25, 'conv1 forward (cols·Wᵀ, bias+relu fused)'],
    [32, 25, B * 576, 'conv1 dW (dZᵀ·cols)'],
    [B * 64, 64, 800, 'conv2 forward (cols·Wᵀ, bias+relu fused)'],
    [64, 800, B * 64, 'conv2 dW (dZᵀ·cols)'],
    [B * 64, 800, 64, 'conv2 dcols (dZ·W)'],
    [B, 128, 1024, 'dense1 forward'],
    [1024, 128, B, 'dense1 dW'],
    [B, 1024, 128, 'dense1 dx'],
    [B, 10, 128, 'dense2 forward'],
    [128, 10, B, 'dense2 dW'],
    [B, 128, 10, 'dense2 dx'],
  ];
  const r = roles.find(([m, n, k]) => m === g.m && n === g.n && k === g.k);
  return `GEMM ${r ? r[3] : 'other'} — ${shape}`;
}

/** A readable label for one kernel call. */
function label(name: string, args: unknown[], B: number): string {
  const layerOf = (g: GeomArgs) => (g.channels === 1 ? 'conv1' : g.channels === 32 && g.height === 12 ? 'conv2' : g.channels === 32 ? 'pool1' : g.channels === 64 ? 'pool2' : `C=${g.channels}`);
  switch (name) {
    case 'gemm':
      return gemmRole(args[0] as GemmArgs, B);
    case 'im2col':
    case 'col2im':
      return `${name} ${layerOf(args[2] as GeomArgs)}`;
    case 'maxPool2d':
      return `maxPool2d ${layerOf(args[3] as GeomArgs)}`;
    case 'maxPool2dBackward':
      return `maxPool2dBackward ${layerOf(args[3] as GeomArgs)}`;
    case 'stridedCopy': {
      // rowsToNchw walks [n, C, P], nchwToRows [n, P, C] (src/ops/conv.ts).
      return `layout copy NCHW ↔ channels-last rows [${(args[6] as number[]).join(',')}]`;
    }
    case 'allocUninitialized':
      return 'alloc (uninitialised: no fill)';
    case 'alloc': {
      const n = args[0] as number;
      return `alloc (zero-filled) ${n >= 1 << 20 ? '≥ 1M floats' : n >= 1 << 16 ? '64K–1M floats' : '< 64K floats'}`;
    }
    case 'reduce':
      return `reduce ${String(args[0])} (bias gradients, loss)`;
    default:
      return name;
  }
}

/** Per label: total ms and calls over the profiled steps. */
export interface Profile {
  stepMs: number;
  instrumentedMs: number;
  steps: number;
  rows: Array<{ label: string; ms: number; calls: number }>;
}

/**
 * Times `steps` steps of `session` plain (median), then `steps` more with every kernel of `k`
 * wrapped by a timer, and returns the per-label totals (per step), largest first.
 */
export function profileSteps(k: Kernels, session: TrainSession, steps: number): Profile {
  const plain: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t = performance.now();
    void session.step(i);
    plain.push(performance.now() - t);
  }
  const target = k as unknown as Record<string, (...a: unknown[]) => unknown>;
  const names = new Set<string>();
  for (let proto: object | null = Object.getPrototypeOf(k); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const n of Object.getOwnPropertyNames(proto)) {
      const d = Object.getOwnPropertyDescriptor(proto, n);
      if (d && typeof d.value === 'function' && !NOT_KERNELS.has(n) && !n.startsWith('_')) names.add(n);
    }
  }
  const acc = new Map<string, { ms: number; calls: number }>();
  let depth = 0;
  for (const n of names) {
    const orig = target[n]!;
    target[n] = function (this: unknown, ...args: unknown[]) {
      if (depth > 0) return orig.apply(this, args);
      depth++;
      const t = performance.now();
      try {
        return orig.apply(this, args);
      } finally {
        const ms = performance.now() - t;
        depth--;
        const key = label(n, args, CNN_BATCH);
        const e = acc.get(key) ?? { ms: 0, calls: 0 };
        e.ms += ms;
        e.calls++;
        acc.set(key, e);
      }
    };
  }
  const t0 = performance.now();
  try {
    for (let i = 0; i < steps; i++) void session.step(i);
  } finally {
    for (const n of names) delete target[n]; // back to the prototype's methods
  }
  const instrumentedMs = (performance.now() - t0) / steps;
  const rows = [...acc].map(([l, e]) => ({ label: l, ms: e.ms / steps, calls: e.calls / steps })).sort((a, b) => b.ms - a.ms);
  return { stepMs: median(plain), instrumentedMs, steps, rows };
}

/** Sums of a profile by role (GEMM, im2col/col2im, pooling, layout copies, allocation, other). */
export function byRole(p: Profile): Array<[string, number]> {
  const roles: Array<[string, (l: string) => boolean]> = [
    ['GEMM (conv layers)', (l) => l.startsWith('GEMM conv')],
    ['GEMM (dense layers)', (l) => l.startsWith('GEMM dense') || l.startsWith('GEMM other')],
    ['im2col + col2im', (l) => l.startsWith('im2col') || l.startsWith('col2im')],
    ['pooling forward + backward', (l) => l.startsWith('maxPool')],
    ['layout copies NCHW ↔ rows', (l) => l.startsWith('layout copy')],
    ['allocation (zero fill, or none for allocUninitialized)', (l) => l.startsWith('alloc')],
  ];
  const sums = roles.map(([r]) => [r, 0] as [string, number]);
  let other = 0;
  for (const row of p.rows) {
    const i = roles.findIndex(([, f]) => f(row.label));
    if (i >= 0) sums[i]![1] += row.ms;
    else other += row.ms;
  }
  sums.push(['elementwise, reductions, Adam, loss', other]);
  const kernels = sums.reduce((s, [, v]) => s + v, 0);
  sums.push(['outside kernels (autograd, JS)', Math.max(0, p.instrumentedMs - kernels)]);
  return sums;
}
