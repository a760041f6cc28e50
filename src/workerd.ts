/**
 * The `workerd` condition of `axonjs` (Cloudflare Workers through wrangler, or any bundler run
 * with the `workerd` condition): the main entry, plus the SIMD kernels imported as a module.
 * workerd forbids compiling WebAssembly from bytes at run time, so the kernels must arrive as a
 * `WebAssembly.Module` that the host compiled at upload; wrangler turns this file's
 * `import … from './axon-simd.wasm'` into exactly that, and `init()` uses it by default.
 * Without wrangler (plain workerd configs), import `axonjs/wasm/axon-simd.wasm` yourself, list it
 * as a `wasm` module, and pass it: `init({ wasm })`.
 */
// @ts-expect-error -- not a TypeScript module: the host resolves it to a compiled WebAssembly.Module
import simdModule from './axon-simd.wasm';
import { init as initCore, type InitOptions } from './backend.js';
import type { Kernels } from './kernels/kernels.js';

export * from './index.js';

/** `init()` of the main entry, with `wasm` defaulting to the SIMD module imported above. */
export function init(options: InitOptions = {}): Promise<Kernels> {
  if (options === null || typeof options !== 'object' || options.wasm !== undefined) return initCore(options);
  return initCore({ ...options, wasm: simdModule as WebAssembly.Module });
}
