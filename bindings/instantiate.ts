/**
 * Loading the compiled kernels: from a `WebAssembly.Module` (hosts such as Cloudflare Workers
 * that forbid compiling bytes at run time hand us one they imported), from bytes, from a URL,
 * or from the default location next to this package's build output.
 *
 * We instantiate by hand rather than with asc's generated glue or `@assemblyscript/loader`
 * (deprecated upstream): the module has no runtime, no strings and a single `env.abort` import.
 */
import { ACTIVATIONS } from '../src/kernels/kernels.js';
import { describeValue } from '../src/errors.js';
import { REQUIRED_EXPORTS, type AxonWasmExports } from './abi.js';
import { detectFeatures } from './features.js';

/** Where the kernels come from; see the file comment. */
export type WasmSource = WebAssembly.Module | BufferSource | URL | string;

import { WasmLoadError } from './errors.js';

export { WasmLoadError };

/**
 * The four builds of the same kernels (`npm run build:wasm`): plain 128-bit SIMD, relaxed SIMD
 * (fused multiply-add), and each of those with threads (imported shared memory).
 */
export type WasmBuild = 'simd' | 'relaxed' | 'threads' | 'relaxed-threads';

/** Every build, in order of preference when nothing else decides. */
export const WASM_BUILDS: readonly WasmBuild[] = ['simd', 'relaxed', 'threads', 'relaxed-threads'];

/** File name of each build in `build/` (and `dist/`). */
export const WASM_BUILD_FILES: Readonly<Record<WasmBuild, string>> = {
  simd: 'axon-simd.wasm',
  relaxed: 'axon-relaxed.wasm',
  threads: 'axon-threads.wasm',
  'relaxed-threads': 'axon-relaxed-threads.wasm',
};

/** The default build's file name (SIMD, single thread). */
export const DEFAULT_WASM_FILE = WASM_BUILD_FILES.simd;

/** Bits of the module's `buildFeatures()` export. */
export const BUILD_RELAXED = 1;
/** See {@link BUILD_RELAXED}. */
export const BUILD_THREADS = 2;

/**
 * Pages (64 KiB) the threaded builds declare for their imported memory: initial 16 (asconfig's
 * initialMemory) and maximum 65536. The shared memory we create must start at ≥ the initial
 * and declare a maximum ≤ that one.
 */
export const THREADED_INITIAL_PAGES = 16;

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/** URL of a build: `../build/<file>` relative to this file in the source tree. */
export function buildUrl(build: WasmBuild = 'simd'): URL {
  return new URL(`../build/${WASM_BUILD_FILES[build]}`, import.meta.url);
}

/** True when a response's Content-Type is exactly `application/wasm` (what `compileStreaming` demands, no parameters). */
function isWasmResponse(res: Response): boolean {
  return (res.headers.get('content-type') ?? '').trim().toLowerCase() === 'application/wasm';
}

/**
 * The kernels at `url`: from the file system for `file:` URLs (Node), else with `fetch`. An
 * `application/wasm` response is compiled while it downloads (`WebAssembly.compileStreaming`;
 * not `instantiateStreaming`, because the module itself is needed: workers instantiate it again
 * and its imports decide the memory); any other Content-Type is read whole and compiled from
 * bytes, which a note in `notes` reports.
 */
async function fetchKernels(url: URL, notes: string[]): Promise<BufferSource | Response> {
  if (url.protocol === 'file:') {
    if (!isNode()) throw new WasmLoadError(`cannot read ${url.href}: file URLs need Node (or pass init({ wasm }) bytes or a Module)`);
    // Dynamic, so the core bundle carries no static node: import (DESIGN §7).
    const fs = await import(/* @vite-ignore */ 'node:fs/promises' as string) as typeof import('node:fs/promises');
    try {
      const buf = await fs.readFile(url);
      return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
    } catch (e) {
      throw new WasmLoadError(`cannot read the wasm kernels at ${url.href} (run \`npm run build:wasm\`, or pass init({ wasm }))`, e);
    }
  }
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new WasmLoadError(`fetching the wasm kernels from ${url.href} failed: ${(e as Error).message}`, e);
  }
  if (!res.ok) throw new WasmLoadError(`fetching the wasm kernels from ${url.href} failed: HTTP ${res.status}`);
  if (isWasmResponse(res) && typeof WebAssembly.compileStreaming === 'function') return res;
  notes.push(`${url.href} was served as '${res.headers.get('content-type') ?? 'no Content-Type'}', not application/wasm, so it was downloaded whole before compiling (serve .wasm as application/wasm to compile while it downloads)`);
  return res.arrayBuffer();
}

/**
 * Compiles (or accepts) the module; with no source, the named build's file (default 'simd').
 * How it was loaded, when worth knowing (e.g. a server's wrong Content-Type), goes to `notes`.
 */
export async function compileWasm(source?: WasmSource, build: WasmBuild = 'simd', notes: string[] = []): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  let url: URL | undefined;
  if (source === undefined) url = buildUrl(build);
  else if (typeof source === 'string' || source instanceof URL) url = new URL(source.toString(), import.meta.url);
  else if (!ArrayBuffer.isView(source) && !(source instanceof ArrayBuffer)) {
    throw new WasmLoadError(`init: option 'wasm' expected a WebAssembly.Module, bytes (ArrayBuffer / typed array) or a URL, given ${describeValue(source)}`, undefined, 'INVALID_ARGUMENT');
  }
  const features = detectFeatures();
  if (!features.simd) throw new WasmLoadError('this WebAssembly engine lacks 128-bit SIMD, which the wasm backend requires; use init({ backend: "js" })');
  const input = url ? await fetchKernels(url, notes) : (source as BufferSource);
  try {
    // (no `instanceof Response`: hosts without fetch have no Response global either)
    return await (ArrayBuffer.isView(input) || input instanceof ArrayBuffer ? WebAssembly.compile(input) : WebAssembly.compileStreaming(input as Response));
  } catch (e) {
    const msg = (e as Error).message;
    const hint = !features.relaxedSimd && /simd opcode|relaxed/i.test(msg)
      ? ' (this looks like a relaxed-SIMD build, which this engine lacks; Node 20 needs --experimental-wasm-relaxed-simd)'
      : '';
    throw new WasmLoadError(`compiling the wasm kernels failed: ${msg}${hint}`, e, 'CORRUPT_DATA');
  }
}

/** True when the module imports its memory: one of the threaded (shared-memory) builds. */
export function importsMemory(module: WebAssembly.Module): boolean {
  return WebAssembly.Module.imports(module).some((i) => i.kind === 'memory');
}

/**
 * A shared memory for a threaded build: `initialPages` to start with, and the largest of 2 GiB,
 * 1 GiB, 512 MiB, 256 MiB as its maximum that the host will reserve (a shared memory cannot
 * move, so the engine reserves the maximum up front). Returns the memory and its maximum in bytes.
 */
export function createSharedMemory(initialPages = THREADED_INITIAL_PAGES): { memory: WebAssembly.Memory; maxBytes: number } {
  let last: unknown;
  for (const maximum of [32768, 16384, 8192, 4096]) {
    try {
      const memory = new WebAssembly.Memory({ initial: Math.min(initialPages, maximum), maximum, shared: true });
      return { memory, maxBytes: maximum * 65536 };
    } catch (e) {
      last = e;
    }
  }
  throw new WasmLoadError(`cannot create a shared WebAssembly.Memory for the threaded build: ${(last as Error)?.message}`, last);
}

/** Options of {@link instantiateWasm} and {@link loadWasm}. */
export interface InstantiateOptions {
  /** Throw when an ABI export is missing (default true). False only for partial development builds. */
  requireAll?: boolean;
  /** Which build file to load when no source is given (default 'simd'). */
  build?: WasmBuild;
  /** For a threaded build: the shared memory to import (default: a new one, see {@link createSharedMemory}). */
  memory?: WebAssembly.Memory;
}

/** A loaded module: what the wasm backend and its worker pool need. */
export interface LoadedWasm {
  /** The compiled module (workers instantiate it again on the same memory). */
  module: WebAssembly.Module;
  exports: AxonWasmExports;
  /** The linear memory (shared for the threaded builds). */
  memory: WebAssembly.Memory;
  /** True for a threaded build (imported shared memory). */
  shared: boolean;
  /** Most bytes the memory may grow to (4 GiB − 64 KiB when not known). */
  maxBytes: number;
  /** The module's `buildFeatures()` bits ({@link BUILD_RELAXED}, {@link BUILD_THREADS}); 0 for a partial build without it. */
  features: number;
  /** How the module was loaded, when worth saying (for the backend's `info.notes`); usually empty. */
  notes: string[];
}

/** Compiles and instantiates the module (creating its shared memory if it imports one) and checks the ABI. */
export async function loadWasm(source?: WasmSource, options: InstantiateOptions = {}): Promise<LoadedWasm> {
  const notes: string[] = [];
  const module = await compileWasm(source, options.build, notes);
  const shared = importsMemory(module);
  let maxBytes = 4 * 1024 * 1024 * 1024 - 65536;
  const env: Record<string, unknown> = {
    abort(): never {
      throw new WasmLoadError('wasm kernel aborted (internal error)');
    },
  };
  if (shared) {
    if (options.memory) env['memory'] = options.memory;
    else {
      const created = createSharedMemory();
      env['memory'] = created.memory;
      maxBytes = created.maxBytes;
    }
  }
  let instance: WebAssembly.Instance;
  try {
    instance = await WebAssembly.instantiate(module, { env } as WebAssembly.Imports);
  } catch (e) {
    throw new WasmLoadError(`instantiating the wasm kernels failed: ${(e as Error).message}`, e);
  }
  const ex = checkExports(instance.exports as unknown as AxonWasmExports, options);
  const memory = shared ? (env['memory'] as WebAssembly.Memory) : ex.memory;
  const features = typeof ex.buildFeatures === 'function' ? ex.buildFeatures() : 0;
  return { module, exports: ex, memory, shared, maxBytes, features, notes };
}

/** Instantiates the module and checks that it exports the whole ABI. */
export async function instantiateWasm(source?: WasmSource, options: InstantiateOptions = {}): Promise<AxonWasmExports> {
  return (await loadWasm(source, options)).exports;
}

function checkExports(ex: AxonWasmExports, options: InstantiateOptions): AxonWasmExports {
  const missing = REQUIRED_EXPORTS.filter((k) => !(k in ex));
  for (const a of ACTIVATIONS) {
    if (!(`${a}_f32` in ex)) missing.push(`${a}_f32`);
    if (!(`${a}Backward_f32` in ex)) missing.push(`${a}Backward_f32`);
  }
  if (missing.length > 0 && options.requireAll !== false) {
    throw new WasmLoadError(`the wasm module does not match this version of axon: missing exports ${missing.join(', ')}`, undefined, 'CORRUPT_DATA');
  }
  return ex;
}
