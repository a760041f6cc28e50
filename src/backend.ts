/**
 * The process-wide current backend: `init()` chooses it, `getBackend()` returns it.
 */
import { BackendUnavailableError, createBackend, registeredBackends, type BackendName, type BackendOptions } from './backends/index.js';
import type { Kernels } from './kernels/kernels.js';
import type { WasmSource } from '../bindings/instantiate.js';
import { ArgumentError, AxonError, describeValue, nearest } from './errors.js';
import { checkMaxBytes, DEFAULT_MEMORY_BYTES, guardMemory, setMemoryLimit } from './limits.js';

/** Options of {@link init}. */
export interface InitOptions {
  /** Which backend; default: 'wasm' where the engine has SIMD, else 'js'. */
  backend?: BackendName;
  /**
   * Threads for the wasm backend's kernels, the calling one included (1 = no workers). Default:
   * min(4, hardware threads) where SharedArrayBuffer and blocking waits are available (Node,
   * Deno, Web Workers of cross-origin isolated pages), else 1 with the reason in
   * `getBackend().info.notes`. A browser's main thread cannot block, so run axon in a Web Worker
   * to get threads there. Results are bit-identical for every thread count.
   */
  threads?: number;
  /** The compiled wasm kernels: a Module (Cloudflare Workers), bytes, or a URL. */
  wasm?: WasmSource;
  /** For 'webgpu': a GPU object when `navigator.gpu` is absent (Node + the `webgpu` package). */
  gpu?: unknown;
  /**
   * Cap on live tensor data, bytes (all tensors together, every backend). An allocation that
   * would pass it throws `AxonError('OUT_OF_MEMORY')` naming the size asked for, before
   * allocating. Default 2 GiB ({@link DEFAULT_MEMORY_BYTES}); `Infinity` lifts it (the engine's
   * own limits remain: wasm32 memory stops at 4 GiB, a GPU at its `maxBufferSize`).
   */
  maxBytes?: number;
}

const INIT_KEYS = ['backend', 'threads', 'wasm', 'gpu', 'maxBytes'] as const;

let current: Kernels | undefined;

/**
 * Chooses and initialises the backend. With no `backend`, tries wasm and falls back to the js
 * reference backend (the reason is recorded in `getBackend().info.notes`). Naming a backend that
 * cannot run throws {@link BackendUnavailableError}.
 */
export async function init(options: InitOptions = {}): Promise<Kernels> {
  // Every option is checked before anything changes (the current backend stays on a refusal).
  if (options === null || typeof options !== 'object') throw new ArgumentError(`init: argument 'options' expected an object, given ${describeValue(options)}`);
  for (const k of Object.keys(options)) {
    if ((INIT_KEYS as readonly string[]).includes(k)) continue;
    const near = nearest(k, INIT_KEYS);
    throw new ArgumentError(`init: unknown option '${k}' (valid: ${INIT_KEYS.join(', ')})${near ? `; did you mean '${near}'?` : ''}`);
  }
  if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads >= 1)) {
    throw new ArgumentError(`init: option 'threads' expected an integer ≥ 1, given ${describeValue(options.threads)}`);
  }
  const maxBytes = checkMaxBytes('init', options.maxBytes, DEFAULT_MEMORY_BYTES);
  const backendOptions: BackendOptions = { wasm: options.wasm, threads: options.threads, gpu: options.gpu };
  let next: Kernels;
  if (options.backend !== undefined) {
    const names = ['js', 'wasm', 'webgpu'] as const;
    if (!(names as readonly unknown[]).includes(options.backend)) {
      const near = typeof options.backend === 'string' ? nearest(options.backend, names) : undefined;
      throw new ArgumentError(`init: option 'backend' expected one of 'js', 'wasm', 'webgpu', given ${describeValue(options.backend)}${near ? ` (did you mean '${near}'?)` : ''}`);
    }
    next = await createBackend(options.backend, backendOptions);
  } else {
    try {
      next = await createBackend('wasm', backendOptions);
    } catch (e) {
      if (!(e instanceof BackendUnavailableError)) throw e;
      next = await createBackend('js');
      next.info.notes = [...(next.info.notes ?? []), `wasm unavailable, using js: ${e.reason}`];
    }
  }
  if (current && current !== next) current.dispose();
  setMemoryLimit(maxBytes);
  current = guardMemory(next);
  return next;
}

/**
 * Disposes the current backend: frees all its memory (every tensor on it becomes invalid) and
 * stops its worker threads. Until the next `init()`, `getBackend()` (and so every op) throws
 * `AxonError('NOT_INITIALIZED')`. Safe to call more than once.
 */
export function dispose(): void {
  current?.dispose();
  current = undefined;
}

/**
 * The current backend. Throws `AxonError('NOT_INITIALIZED')` before the first `init()` (the
 * backends load with it: see {@link init}) and after {@link dispose}.
 */
export function getBackend(): Kernels {
  if (!current) throw new AxonError('NOT_INITIALIZED', "no backend yet: call `await init()` first (or `await init({ backend: 'js' })` for the reference backend); the backends load with init()");
  return current;
}

/** The current backend, or undefined before `init()` (for reports that must not throw, like `memory()`). */
export function currentBackend(): Kernels | undefined {
  return current;
}

/** Names of the backends that can be passed to {@link init} in this build. */
export function backends(): string[] {
  return registeredBackends();
}
