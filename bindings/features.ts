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
