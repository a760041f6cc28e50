/**
 * Backend registry: `createBackend(name)` builds a backend by name. The core registers 'js' and
 * 'wasm'; the `axonjs/webgpu` entry registers 'webgpu' (so no WebGPU code sits in the core bundle).
 */
import type { Kernels } from '../kernels/kernels.js';
import type { WasmSource } from '../../bindings/instantiate.js';
import { JsBackend } from './js/index.js';
import { WasmBackend } from './wasm/index.js';

/** Every backend name axon knows of. */
export type BackendName = 'js' | 'wasm' | 'webgpu';

/** Options passed through to a backend's factory. */
export interface BackendOptions {
  /** wasm: the compiled module, its bytes or URL. */
  wasm?: WasmSource;
  /** wasm: threads in all, the calling one included (1 = no workers; default min(4, cores) where threads work). */
  threads?: number;
  /** webgpu: a `GPU` object (e.g. from the `webgpu` npm package) when `navigator.gpu` is absent. */
  gpu?: unknown;
}

/** A factory that builds a backend or throws {@link BackendUnavailableError}. */
export type BackendFactory = (options: BackendOptions) => Promise<Kernels>;

/** Thrown when a backend cannot run here; `reason` says why in one sentence. */
export class BackendUnavailableError extends Error {
  readonly backend: string;
  readonly reason: string;
  constructor(backend: string, reason: string) {
    super(`backend '${backend}' is unavailable: ${reason}`);
    this.name = 'BackendUnavailableError';
    this.backend = backend;
    this.reason = reason;
  }
}

const factories = new Map<string, BackendFactory>();

/** Registers (or replaces) a backend factory under `name`. */
export function registerBackend(name: BackendName, factory: BackendFactory): void {
  factories.set(name, factory);
}

/** Names of the registered backends. */
export function registeredBackends(): string[] {
  return [...factories.keys()];
}

/** Builds the named backend; throws {@link BackendUnavailableError} with the reason when it cannot. */
export async function createBackend(name: BackendName, options: BackendOptions = {}): Promise<Kernels> {
  const factory = factories.get(name);
  if (!factory) {
    const hint = name === 'webgpu' ? "import 'axonjs/webgpu' first to register it" : `known backends: ${[...factories.keys()].join(', ')}`;
    throw new BackendUnavailableError(name, `not registered (${hint})`);
  }
  return factory(options);
}

registerBackend('js', async () => new JsBackend());
registerBackend('wasm', async (options) => {
  try {
    return await WasmBackend.create({ wasm: options.wasm, threads: options.threads });
  } catch (e) {
    throw new BackendUnavailableError('wasm', (e as Error).message);
  }
});
