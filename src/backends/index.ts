/**
 * Backend registry: `createBackend(name)` builds a backend by name. The core registers 'js' and
 * 'wasm' as factories that import their backend on first use, so the kernels' glue (and the
 * shared validators) load with `init()` rather than with the core entry; the `axonjs/webgpu`
 * entry registers 'webgpu'. The classes themselves are exported by `axonjs/backends`.
 */
import type { Kernels } from '../kernels/kernels.js';
import { ArgumentError, AxonError, checkName, checkOptions, describeValue, type AxonErrorCode } from '../errors.js';
import type { WasmSource } from '../../bindings/instantiate.js';

/** Every backend name axon knows of. */
export type BackendName = 'js' | 'wasm' | 'webgpu';

const BACKEND_NAMES: readonly BackendName[] = ['js', 'wasm', 'webgpu'];

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

/**
 * Thrown when a backend cannot run here; `reason` says why in one sentence. An {@link AxonError}
 * with code 'UNSUPPORTED', or the code of the failure behind it (e.g. 'CORRUPT_DATA' for wasm
 * bytes that do not compile).
 */
export class BackendUnavailableError extends AxonError {
  readonly backend: string;
  readonly reason: string;
  constructor(backend: string, reason: string, code: AxonErrorCode = 'UNSUPPORTED') {
    super(code, `backend '${backend}' is unavailable: ${reason}`);
    this.name = 'BackendUnavailableError';
    this.backend = backend;
    this.reason = reason;
  }
}

const factories = new Map<string, BackendFactory>();

/** Registers (or replaces) a backend factory under `name`. */
export function registerBackend(name: BackendName, factory: BackendFactory): void {
  checkName('registerBackend', 'name', name, BACKEND_NAMES);
  if (typeof factory !== 'function') throw new ArgumentError(`registerBackend: argument 'factory' expected a function (options) => Promise<Kernels>, given ${describeValue(factory)}`);
  factories.set(name, factory);
}

/** Names of the registered backends. */
export function registeredBackends(): string[] {
  return [...factories.keys()];
}

/** Builds the named backend; throws {@link BackendUnavailableError} with the reason when it cannot. */
export async function createBackend(name: BackendName, options: BackendOptions = {}): Promise<Kernels> {
  checkName('createBackend', 'name', name, BACKEND_NAMES);
  checkOptions('createBackend', options, ['wasm', 'threads', 'gpu']);
  const factory = factories.get(name);
  if (!factory) {
    const hint = name === 'webgpu' ? "import 'axonjs/webgpu' first to register it" : `known backends: ${[...factories.keys()].join(', ')}`;
    throw new BackendUnavailableError(name, `not registered (${hint})`);
  }
  return factory(options);
}

registerBackend('js', async () => new (await import('./js/index.js')).JsBackend());
registerBackend('wasm', async (options) => {
  try {
    const { WasmBackend } = await import('./wasm/index.js');
    return await WasmBackend.create({ wasm: options.wasm, threads: options.threads });
  } catch (e) {
    // A bad argument (e.g. `wasm: 42`) is the caller's mistake, not an unavailable backend.
    if (e instanceof AxonError && e.code === 'INVALID_ARGUMENT') throw e;
    throw new BackendUnavailableError('wasm', (e as Error).message, e instanceof AxonError ? e.code : 'UNSUPPORTED');
  }
});
