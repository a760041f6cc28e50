/**
 * Resource limits: the `maxBytes` caps of the parsers and loaders (untrusted input) and of
 * `init` (live tensor memory). Every cap is checked BEFORE the allocation it guards, and a
 * refusal names the size asked for and the limit:
 *
 * - input larger than a parser's or loader's `maxBytes` (or a header that would decode to more)
 *   → `AxonError('CORRUPT_DATA')`: the input is refused, nothing was allocated for it;
 * - an allocation that would take live tensor memory past `init({ maxBytes })`, or that the
 *   engine / device cannot satisfy → `AxonError('OUT_OF_MEMORY')`.
 *
 * No Node import: the core parsers use it too.
 */
import { ArgumentError, AxonError, describeValue } from './errors.js';
import type { Kernels, Storage } from './kernels/kernels.js';

/** Default `maxBytes` of every parser and loader of untrusted bytes: 256 MiB (5× MNIST's largest file). */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

/** Default `init({ maxBytes })`: 2 GiB of live tensor data (a wasm32 arena cannot pass 4 GiB anyway). */
export const DEFAULT_MEMORY_BYTES = 2 * 1024 * 1024 * 1024;

/**
 * Checks a `maxBytes` option: a positive integer, or `Infinity` for no limit. Returns `dflt`
 * when the option is absent.
 */
export function checkMaxBytes(caller: string, v: unknown, dflt = DEFAULT_MAX_BYTES): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !(v === Infinity || (Number.isSafeInteger(v) && v >= 1))) {
    throw new ArgumentError(`${caller}: option 'maxBytes' expected a positive integer (bytes) or Infinity, given ${describeValue(v)}`);
  }
  return v;
}

/** `AxonError('CORRUPT_DATA')` for input of `asked` bytes (or decoding to that many) over `limit`. */
export function inputTooLarge(caller: string, what: string, asked: number, limit: number): AxonError {
  return new AxonError('CORRUPT_DATA', `${caller}: ${what} is ${asked} bytes, more than maxBytes = ${limit}; raise maxBytes if the input is trusted`);
}

// ---- live tensor memory (init's maxBytes) --------------------------------------------------

let liveTensorBytes = 0;
let memoryCap = DEFAULT_MEMORY_BYTES;

/** Called by the engine as tensors are created (+bytes) and freed (−bytes). */
export function countTensorBytes(delta: number): void {
  liveTensorBytes += delta;
}

/** The cap `init({ maxBytes })` set on live tensor bytes. */
export function memoryLimit(): number {
  return memoryCap;
}

/** Sets the cap on live tensor bytes (what `init({ maxBytes })` does). */
export function setMemoryLimit(bytes: number): void {
  memoryCap = bytes;
}

function oom(backend: string, kernel: string, bytes: number, why: string): AxonError {
  return new AxonError('OUT_OF_MEMORY', `${backend} ${kernel}: cannot allocate ${bytes} bytes (${bytes / 4} float32 elements): ${why}`);
}

const GUARDED = Symbol('axon.memoryGuard');

/**
 * Makes `k.alloc` / `k.upload` refuse, before allocating, a request that would take live tensor
 * bytes past {@link memoryLimit}, and turns an engine allocation failure (a RangeError such as
 * "Array buffer allocation failed") into `AxonError('OUT_OF_MEMORY')` with the size asked for.
 * Idempotent; returns `k`.
 */
export function guardMemory(k: Kernels): Kernels {
  const g = k as Kernels & { [GUARDED]?: true };
  if (g[GUARDED]) return k;
  const alloc = k.alloc.bind(k);
  const upload = k.upload.bind(k);
  const guarded = <A>(kernel: string, bytesOf: (a: A) => number, f: (a: A) => Storage) => (a: A): Storage => {
    const bytes = bytesOf(a);
    // Non-numbers fall through to the backend's own argument checks.
    if (bytes > 0 && liveTensorBytes + bytes > memoryCap) {
      throw oom(k.name, kernel, bytes, `live tensors already hold ${liveTensorBytes} bytes and init's maxBytes is ${memoryCap}; dispose tensors (tidy) or raise init({ maxBytes })`);
    }
    try {
      return f(a);
    } catch (e) {
      if (e instanceof RangeError && !(e instanceof AxonError)) throw oom(k.name, kernel, bytes, `the engine refused (${e.message})`);
      throw e;
    }
  };
  k.alloc = guarded('alloc', (size: number) => 4 * size, alloc);
  if (k.allocUninitialized) k.allocUninitialized = guarded('allocUninitialized', (size: number) => 4 * size, k.allocUninitialized.bind(k));
  k.upload = guarded('upload', (data: Float32Array) => 4 * (data?.length ?? 0), upload);
  g[GUARDED] = true;
  return k;
}
