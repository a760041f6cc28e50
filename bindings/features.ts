/**
 * WebAssembly feature detection by validating tiny hand-assembled modules: no compilation, no
 * instantiation, so it works on hosts that forbid compiling bytes at run time.
 */

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const V128_ZERO = [0xfd, 0x0c, ...new Array<number>(16).fill(0)]; // v128.const 0

/** (func (result v128) v128.const 0) */
const SIMD_PROBE = new Uint8Array([
  ...HEADER,
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type: () -> v128
  0x03, 0x02, 0x01, 0x00, // func 0 : type 0
  0x0a, 0x16, 0x01, 0x14, 0x00, ...V128_ZERO, 0x0b, // code
]);

/** (func (result v128) (i8x16.relaxed_swizzle (v128.const 0) (v128.const 0))) */
const RELAXED_SIMD_PROBE = new Uint8Array([
  ...HEADER,
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b,
  0x03, 0x02, 0x01, 0x00,
  0x0a, 0x2b, 0x01, 0x29, 0x00, ...V128_ZERO, ...V128_ZERO, 0xfd, 0x80, 0x02, 0x0b,
]);

/** (memory 1 1 shared) */
const THREADS_PROBE = new Uint8Array([...HEADER, 0x05, 0x04, 0x01, 0x03, 0x01, 0x01]);

/** What the host's WebAssembly engine supports. */
export interface WasmFeatures {
  /** WebAssembly at all. */
  wasm: boolean;
  /** 128-bit SIMD (required by axon's wasm backend). */
  simd: boolean;
  /** Relaxed SIMD (FMA); Node 20 needs --experimental-wasm-relaxed-simd. */
  relaxedSimd: boolean;
  /** Shared memory in the engine and SharedArrayBuffer usable by this realm (cross-origin isolated in browsers). */
  threads: boolean;
}

function validates(bytes: Uint8Array<ArrayBuffer>): boolean {
  try {
    return WebAssembly.validate(bytes);
  } catch {
    return false;
  }
}

let cached: WasmFeatures | undefined;

/** Probes the engine once and caches the answer. */
export function detectFeatures(): WasmFeatures {
  if (cached) return cached;
  const wasm = typeof WebAssembly === 'object' && typeof WebAssembly.validate === 'function';
  const g = globalThis as { SharedArrayBuffer?: unknown; crossOriginIsolated?: boolean };
  const sab = typeof g.SharedArrayBuffer === 'function' && g.crossOriginIsolated !== false;
  cached = {
    wasm,
    simd: wasm && validates(SIMD_PROBE),
    relaxedSimd: wasm && validates(RELAXED_SIMD_PROBE),
    threads: wasm && sab && validates(THREADS_PROBE),
  };
  return cached;
}

// ---- threads: what the worker pool (bindings/pool.ts) needs from the host ----------------

/** Whether this host can run the pool, and if not, why (one sentence for `info.notes`). */
export interface ThreadSupport {
  ok: boolean;
  reason?: string;
}

/**
 * Hosts with `node:worker_threads` (Node, Deno 2, Bun): their workers can be `unref`'d, so an
 * idle pool never keeps the process alive (a Web Worker keeps Deno running until terminated).
 */
export function isNodeHost(): boolean {
  const g = globalThis as { process?: { versions?: { node?: string } } };
  return typeof g.process?.versions?.node === 'string';
}

/** True when this thread may block in `Atomics.wait` (not a browser's main thread). */
export function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** Can this realm run threaded kernels? Needs SharedArrayBuffer, workers, and a thread that may block. */
export function threadSupport(): ThreadSupport {
  const g = globalThis as { SharedArrayBuffer?: unknown; crossOriginIsolated?: boolean; Worker?: unknown };
  if (typeof g.SharedArrayBuffer !== 'function') return { ok: false, reason: 'SharedArrayBuffer is unavailable here, so kernels run on one thread' };
  if (g.crossOriginIsolated === false) return { ok: false, reason: 'the page is not cross-origin isolated (COOP/COEP headers), so SharedArrayBuffer is off and kernels run on one thread' };
  if (!isNodeHost() && typeof g.Worker !== 'function') return { ok: false, reason: 'this host has no Worker, so kernels run on one thread' };
  if (!canBlock()) return { ok: false, reason: "this thread cannot block (a browser's main thread), so kernels run on one thread; run axon in a Web Worker for threads" };
  return { ok: true };
}

/** Hardware threads of this machine (navigator.hardwareConcurrency, or Node's os.availableParallelism). */
export async function hardwareThreads(): Promise<number> {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  if (typeof nav?.hardwareConcurrency === 'number' && nav.hardwareConcurrency > 0) return nav.hardwareConcurrency;
  if (isNodeHost()) {
    const os = await import(/* @vite-ignore */ 'node:os' as string) as typeof import('node:os');
    return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  }
  return 1;
}
