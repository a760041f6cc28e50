/**
 * axonjs/node — helpers that need Node's file system. Kept out of the core entry so that the
 * core bundle has no `node:` import (DESIGN §7). Dataset loaders arrive here too.
 */
import { readFile } from 'node:fs/promises';
import { init, type InitOptions } from './backend.js';
import type { Kernels } from './kernels/kernels.js';
import { ArgumentError, AxonError, checkOptions, describeValue } from './errors.js';

/**
 * Reads and compiles a wasm kernel build from disk (e.g. when an app ships `axon-simd.wasm` in
 * its own asset folder). Throws with the path when the file cannot be read or compiled.
 */
export async function readWasmModule(path: string | URL): Promise<WebAssembly.Module> {
  if (typeof path !== 'string' && !(path instanceof URL)) throw new ArgumentError(`readWasmModule: argument 'path' expected a file path or URL, given ${describeValue(path)}`);
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    throw new ArgumentError(`readWasmModule: argument 'path' expected a readable file, cannot read '${String(path)}': ${(e as Error).message}`);
  }
  try {
    return await WebAssembly.compile(bytes);
  } catch (e) {
    throw new AxonError('CORRUPT_DATA', `readWasmModule: argument 'path': '${String(path)}' is not a valid wasm module: ${(e as Error).message}`);
  }
}

/** `init({ backend: 'wasm', wasm: <module read from path>, ...options })`. */
export async function initFromFile(path: string | URL, options: Omit<InitOptions, 'wasm' | 'backend'> = {}): Promise<Kernels> {
  // Checked before reading the file; 'wasm' and 'backend' are this function's to set.
  checkOptions('initFromFile', options, ['threads', 'gpu', 'maxBytes']);
  return init({ ...options, backend: 'wasm', wasm: await readWasmModule(path) });
}

// dataset loaders (files, downloads, cache) and the core parsers they use
export * from './data/node/index.js';
export { parseIdx, encodeIdx, isGzip, IDX_MAGIC_IMAGES, IDX_MAGIC_LABELS, type IdxData, type IdxDtype, type IdxValues, type ParseIdxOptions } from './data/idx.js';
export { parseCsv, type ParseCsvOptions, type CsvTable } from './data/csv.js';
