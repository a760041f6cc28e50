/**
 * Reading values back to the host on every backend. js and wasm can read synchronously; webgpu
 * cannot (`await tensor.data()` is its one sync point). Functions that need host values come in
 * two forms built from one body: the body is a generator that `yield`s each tensor it needs and
 * receives its values, and {@link readSync} / {@link readAsync} drive it with `dataSync()` or
 * `await data()`. The synchronous form checks {@link canReadSync} first and otherwise throws an
 * 'UNSUPPORTED' error naming its asynchronous counterpart, before anything has changed.
 */
import { kernels } from './engine.js';
import { ArgumentError, AxonError, describeValue } from './errors.js';
import type { Kernels, Storage } from './kernels/kernels.js';
import { Tensor } from './tensor.js';

/** A computation that yields tensors (or raw storage) to read and receives their values (row-major copies). */
export type Reads<T> = Generator<Tensor | Storage, T, Float32Array>;

const probed = new WeakMap<Kernels, boolean>();

/**
 * True when backend `k` (default: the current one) supports `dataSync()`. Probed once per backend
 * by reading a 1-element buffer (so it holds for any backend, not only the known ones).
 */
export function canReadSync(k: Kernels = kernels()): boolean {
  if (typeof k !== 'object' || k === null || typeof k.alloc !== 'function') throw new ArgumentError(`canReadSync: argument 'k' expected a backend (Kernels), given ${describeValue(k)}`);
  let ok = probed.get(k);
  if (ok === undefined) {
    const s = k.alloc(1);
    try {
      s.readSync();
      ok = true;
    } catch (e) {
      if (!(e instanceof AxonError && e.code === 'UNSUPPORTED')) throw e;
      ok = false;
    } finally {
      s.dispose();
    }
    probed.set(k, ok);
  }
  return ok;
}

/** The error a synchronous API `fn` throws on backend `backend` (a name), which has no synchronous reads. */
export function asyncOnlyError(fn: string, backend: string, alternative: string): AxonError {
  return new AxonError(
    'UNSUPPORTED',
    `${fn}: the '${backend}' backend cannot read values back synchronously; use ${alternative} instead (the same computation, awaiting the read)`,
  );
}

/** Throws {@link asyncOnlyError} unless backend `k` can read synchronously. */
export function requireSyncReads(fn: string, alternative: string, k: Kernels = kernels()): void {
  if (!canReadSync(k)) throw asyncOnlyError(fn, k.name, alternative);
}

/**
 * Runs `body`, answering each yielded tensor with `dataSync()`. With `alt`, a refused
 * synchronous read becomes {@link asyncOnlyError} naming `alt.fn` and its async counterpart.
 */
export function readSync<T>(body: Reads<T>, alt?: { fn: string; use: string }): T {
  let r = body.next();
  while (!r.done) {
    let v: Float32Array;
    try {
      v = r.value instanceof Tensor ? r.value.dataSync() : r.value.readSync();
    } catch (e) {
      const refused = alt && e instanceof AxonError && e.code === 'UNSUPPORTED';
      const backend = r.value instanceof Tensor ? r.value.backend.name : r.value.backend;
      r = body.throw(refused ? asyncOnlyError(alt.fn, backend, alt.use) : e); // runs the body's finally blocks; rethrows unless it catches
      continue;
    }
    r = body.next(v);
  }
  return r.value;
}

/** Runs `body`, answering each yielded tensor with `await data()`. */
export async function readAsync<T>(body: Reads<T>): Promise<T> {
  let r = body.next();
  while (!r.done) {
    let v: Float32Array;
    try {
      v = await (r.value instanceof Tensor ? r.value.data() : r.value.read());
    } catch (e) {
      r = body.throw(e);
      continue;
    }
    r = body.next(v);
  }
  return r.value;
}

/**
 * `x` for the data utilities (src/data/host.ts, which convert host values on the host), with a
 * tensor read to the host with `await data()` as `{ data, shape }` (every backend).
 */
export async function hostInputAsync(fn: string, arg: string, x: unknown): Promise<unknown> {
  if (!(x instanceof Tensor)) return x;
  x.assertLive(fn, arg);
  return { data: x.size > 0 ? await x.data() : new Float32Array(0), shape: [...x.shape] };
}
