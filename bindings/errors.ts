/**
 * The wasm backend's error classes, in a module of their own so the core entry can export them
 * (for `instanceof`) without loading the backend, which `init()` imports on demand.
 */
import { AxonError, type AxonErrorCode } from '../src/errors.js';

/**
 * Thrown when the module cannot be found, compiled or does not match the ABI: an `AxonError`
 * with code 'UNSUPPORTED' (not found, not loadable here), 'CORRUPT_DATA' (bytes that do not
 * compile or do not match the ABI) or 'INVALID_ARGUMENT' (a `wasm` option of the wrong type).
 */
export class WasmLoadError extends AxonError {
  constructor(message: string, cause?: unknown, code: AxonErrorCode = 'UNSUPPORTED') {
    super(code, message);
    this.name = 'WasmLoadError';
    if (cause !== undefined) (this as { cause?: unknown }).cause = cause;
  }
}

/**
 * Thrown when linear memory cannot grow to satisfy an allocation (`memory.grow` refused, or the
 * memory's maximum / the arena's `maxBytes` is reached): an `AxonError('OUT_OF_MEMORY')` naming
 * the bytes asked for. The arena is unchanged and still usable.
 */
export class ArenaOutOfMemoryError extends AxonError {
  /** Bytes that were requested. */
  readonly requested: number;
  constructor(requested: number, current: number, cause?: unknown, limit?: number) {
    super(
      'OUT_OF_MEMORY',
      `wasm arena: out of memory allocating ${requested} bytes (linear memory is ${current} bytes and cannot grow further${limit !== undefined ? `; the arena's limit is ${limit} bytes` : ''})`,
    );
    this.name = 'ArenaOutOfMemoryError';
    this.requested = requested;
    if (cause !== undefined) (this as { cause?: unknown }).cause = cause;
  }
}
