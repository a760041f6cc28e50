/**
 * axonjs/inline — the whole library with the SIMD kernels inlined as base64, for hosts that can
 * neither read files nor fetch URLs (some serverless platforms, single-file bundles, data:
 * URLs). `init()` decodes and compiles the inlined bytes unless `wasm` is given. The price is
 * ≈120 KB more JavaScript and no relaxed-SIMD or threaded build; prefer the default entry
 * wherever it can load `axon-simd.wasm`. Hosts that forbid compiling bytes at run time
 * (Cloudflare Workers) need the module import instead: see `axonjs/wasm/*` and src/workerd.ts.
 */
import { init as initCore, type InitOptions } from './backend.js';
import type { Kernels } from './kernels/kernels.js';

export * from './index.js';

/** Base64 of build/axon-simd.wasm; the placeholder is replaced when rollup builds dist/inline.js. */
const WASM_SIMD_BASE64: string = '__AXON_INLINE_WASM_BASE64__';

let decoded: Uint8Array<ArrayBuffer> | undefined;

/** The inlined kernel bytes (decoded once). */
export function inlineWasmBytes(): Uint8Array<ArrayBuffer> {
  if (WASM_SIMD_BASE64.startsWith('__AXON')) {
    throw new Error('axonjs/inline: the kernels are inlined when the package is built (npm run build); from the source tree use the main entry');
  }
  if (!decoded) {
    const bin = atob(WASM_SIMD_BASE64);
    decoded = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) decoded[i] = bin.charCodeAt(i);
  }
  return decoded;
}

/**
 * `init()` of the main entry, with `wasm` defaulting to the inlined SIMD kernels (so no file or
 * network access happens). Every other option behaves as in the main entry.
 */
export function init(options: InitOptions = {}): Promise<Kernels> {
  if (options === null || typeof options !== 'object' || options.wasm !== undefined || options.backend === 'js' || options.backend === 'webgpu') return initCore(options);
  return initCore({ ...options, wasm: inlineWasmBytes() });
}
