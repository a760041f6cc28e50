/**
 * Loading the compiled kernels: from a `WebAssembly.Module` (hosts such as Cloudflare Workers
 * that forbid compiling bytes at run time hand us one they imported), from bytes, from a URL,
 * or from the default location next to this package's build output.
 *
 * We instantiate by hand rather than with asc's generated glue or `@assemblyscript/loader`
 * (deprecated upstream): the module has no runtime, no strings and a single `env.abort` import.
 */
import { ACTIVATIONS } from '../src/kernels/kernels.js';
import { REQUIRED_EXPORTS, type AxonWasmExports } from './abi.js';
import { detectFeatures } from './features.js';

/** Where the kernels come from; see the file comment. */
export type WasmSource = WebAssembly.Module | BufferSource | URL | string;

/** Thrown when the module cannot be found, compiled or does not match the ABI. */
export class WasmLoadError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message);
    this.name = 'WasmLoadError';
    if (cause !== undefined) (this as { cause?: unknown }).cause = cause;
  }
}

/** The default build's file name (SIMD, single thread). */
export const DEFAULT_WASM_FILE = 'axon-simd.wasm';

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/** Default URL of the build: `../build/` relative to this file in the source tree. */
function defaultUrl(): URL {
  return new URL(`../build/${DEFAULT_WASM_FILE}`, import.meta.url);
}

async function fetchBytes(url: URL): Promise<ArrayBuffer> {
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
  const res = await fetch(url);
  if (!res.ok) throw new WasmLoadError(`fetching the wasm kernels from ${url.href} failed: HTTP ${res.status}`);
  return res.arrayBuffer();
}

/** Compiles (or accepts) the module. */
export async function compileWasm(source?: WasmSource): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  let bytes: BufferSource;
  if (source === undefined) bytes = await fetchBytes(defaultUrl());
  else if (typeof source === 'string' || source instanceof URL) bytes = await fetchBytes(new URL(source.toString(), import.meta.url));
  else if (ArrayBuffer.isView(source) || source instanceof ArrayBuffer) bytes = source;
  else throw new WasmLoadError(`init: option 'wasm' expected a WebAssembly.Module, bytes (ArrayBuffer / typed array) or a URL, given ${typeof source}`);
  const features = detectFeatures();
  if (!features.simd) throw new WasmLoadError('this WebAssembly engine lacks 128-bit SIMD, which the wasm backend requires; use init({ backend: "js" })');
  try {
    return await WebAssembly.compile(bytes);
  } catch (e) {
    throw new WasmLoadError(`compiling the wasm kernels failed: ${(e as Error).message}`, e);
  }
}

/** Options of {@link instantiateWasm}. */
export interface InstantiateOptions {
  /** Throw when an ABI export is missing (default true). False only for partial development builds. */
  requireAll?: boolean;
}

/** Instantiates the module and checks that it exports the whole ABI. */
export async function instantiateWasm(source?: WasmSource, options: InstantiateOptions = {}): Promise<AxonWasmExports> {
  const module = await compileWasm(source);
  const imports = {
    env: {
      abort(): never {
        throw new WasmLoadError('wasm kernel aborted (internal error)');
      },
    },
  };
  let instance: WebAssembly.Instance;
  try {
    instance = await WebAssembly.instantiate(module, imports);
  } catch (e) {
    throw new WasmLoadError(`instantiating the wasm kernels failed: ${(e as Error).message}`, e);
  }
  const ex = instance.exports as unknown as AxonWasmExports;
  const missing = REQUIRED_EXPORTS.filter((k) => !(k in ex));
  for (const a of ACTIVATIONS) {
    if (!(`${a}_f32` in ex)) missing.push(`${a}_f32`);
    if (!(`${a}Backward_f32` in ex)) missing.push(`${a}Backward_f32`);
  }
  if (missing.length > 0 && options.requireAll !== false) {
    throw new WasmLoadError(`the wasm module does not match this version of axon: missing exports ${missing.join(', ')}`);
  }
  return ex;
}
