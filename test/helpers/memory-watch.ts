/**
 * Memory flatness checks for long training runs (bench/soak.bench.ts, test/soak.test.ts): take a
 * reference sample after warm-up, then sample after every step and validation pass; any metric
 * that rises above its reference is a leak (or unbounded growth) and is reported with the step
 * where it first grew.
 *
 * Metrics: the engine's live tensors and bytes (`memory()`), the backend's `liveBytes()`, and
 * where the backend has one, the size of what it reserved from the host — wasm linear memory
 * (`memory.buffer.byteLength`) or the WebGPU buffer pool (bytes in use plus bytes kept free).
 */
import * as ax from '../../src/index.js';
import { WasmBackend } from '../../src/backends/entry.js';

/** One reading of every metric, in tensors or bytes; absent where the backend lacks it. */
export interface MemorySample {
  /** `memory().numTensors`. */
  tensors: number;
  /** `memory().numBytes` (bytes of live tensors). */
  bytes: number;
  /** `getBackend().liveBytes()` (bytes of live storage, tensors or not). */
  backendBytes: number;
  /** wasm: `memory.buffer.byteLength` of the backend's linear memory. */
  wasmMemory?: number;
  /** webgpu: bytes of every pooled GPU buffer, in use or free. */
  gpuPool?: number;
}

/** Metric names as printed. */
export const METRIC_LABELS: Record<keyof MemorySample, string> = {
  tensors: 'live tensors',
  bytes: 'live bytes',
  backendBytes: 'backend liveBytes',
  wasmMemory: 'wasm memory.buffer.byteLength',
  gpuPool: 'webgpu buffer pool bytes',
};

interface PoolStatsLike {
  inUseBytes: number;
  freeBytes: number;
}

/** Reads every metric of the current backend now. */
export function sampleMemory(): MemorySample {
  const m = ax.memory();
  const k = ax.getBackend();
  const s: MemorySample = { tensors: m.numTensors, bytes: m.numBytes, backendBytes: m.backendBytes };
  if (k instanceof WasmBackend) s.wasmMemory = k.arena.capacity;
  const stats = (k as { stats?: () => { pool?: PoolStatsLike } }).stats;
  if (typeof stats === 'function') {
    const pool = stats.call(k).pool;
    if (pool) s.gpuPool = pool.inUseBytes + pool.freeBytes;
  }
  return s;
}

/** A metric that rose above its reference. */
export interface Growth {
  metric: keyof MemorySample;
  /** Value at the reference sample. */
  reference: number;
  /** Largest value seen after it. */
  max: number;
  /** Label of the first sample above the reference (e.g. "step 1234"). */
  firstAt: string;
}

/** Tracks samples against a reference taken after warm-up; see the file comment. */
export class MemoryWatch {
  /** The sample taken by {@link MemoryWatch.setReference}. */
  reference: MemorySample | undefined;
  /** The most recent sample. */
  last: MemorySample | undefined;
  /** Samples checked since the reference. */
  count = 0;
  private readonly max = new Map<keyof MemorySample, number>();
  private readonly firstAt = new Map<keyof MemorySample, string>();

  /** Takes the reference sample (call once warm-up — first steps, first validation — is over). */
  setReference(): MemorySample {
    this.reference = sampleMemory();
    this.last = this.reference;
    return this.reference;
  }

  /** Samples now and records any growth over the reference; `where` labels the sample. */
  check(where: string): MemorySample {
    const s = sampleMemory();
    this.last = s;
    const ref = this.reference;
    if (!ref) return s;
    this.count++;
    for (const key of Object.keys(ref) as Array<keyof MemorySample>) {
      const v = s[key];
      if (v === undefined) continue;
      if (v > (this.max.get(key) ?? ref[key]!)) this.max.set(key, v);
      if (v > ref[key]! && !this.firstAt.has(key)) this.firstAt.set(key, where);
    }
    return s;
  }

  /** Largest rise of `metric` over its reference so far (0 when flat). */
  drift(metric: keyof MemorySample): number {
    const ref = this.reference?.[metric];
    if (ref === undefined) return 0;
    return (this.max.get(metric) ?? ref) - ref;
  }

  /** Every metric that rose above its reference. */
  growth(): Growth[] {
    const ref = this.reference;
    if (!ref) return [];
    return [...this.firstAt.entries()].map(([metric, firstAt]) => ({ metric, reference: ref[metric]!, max: this.max.get(metric)!, firstAt }));
  }

  /** One line per grown metric, or an empty string when everything stayed flat. */
  report(): string {
    return this.growth()
      .map((g) => `${METRIC_LABELS[g.metric]} grew from ${g.reference} to ${g.max} (+${g.max - g.reference}), first at ${g.firstAt}`)
      .join('\n');
  }
}
