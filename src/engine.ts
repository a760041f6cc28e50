/**
 * Engine state shared by tensors, ops and autograd: tidy scopes, the no-grad switch, live-tensor
 * accounting and the GC safety net. Kept apart from the Tensor class so ops can import it
 * without cycles.
 */
import { currentBackend, getBackend } from './backend.js';
import type { Kernels, Storage } from './kernels/kernels.js';
import { countTensorBytes } from './limits.js';
import { ArgumentError, describeValue } from './errors.js';

/** What the engine needs to know about a tensor (implemented by Tensor). */
export interface Tracked {
  readonly id: number;
  readonly storage: Storage;
  /** Not disposed by any tidy scope (variables, gradients, optimiser state, `keep()`). */
  kept: boolean;
  readonly disposed: boolean;
  dispose(): void;
}

let nextId = 1;
/** A fresh tensor id. */
export function newId(): number {
  return nextId++;
}

const scopes: Array<Set<Tracked>> = [];
let noGradDepth = 0;
let liveCount = 0;
let liveBytesCount = 0;

// Frees storage of tensors the user dropped without dispose(). Tensors register their storage
// (not themselves, so the registry does not keep them alive).
const registry =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<{ storage: Storage; bytes: number }>((held) => {
        if (!held.storage.disposed) {
          held.storage.dispose();
          liveCount--;
          liveBytesCount -= held.bytes;
          countTensorBytes(-held.bytes);
        }
      })
    : undefined;

/** The kernels every new tensor is created on. */
export function kernels(): Kernels {
  return getBackend();
}

/** Called by the Tensor constructor. */
export function track(t: Tracked, token: object): void {
  liveCount++;
  liveBytesCount += t.storage.size * 4;
  countTensorBytes(t.storage.size * 4);
  registry?.register(t, { storage: t.storage, bytes: t.storage.size * 4 }, token);
  const top = scopes[scopes.length - 1];
  if (top && !t.kept) top.add(t);
}

/** Called by Tensor.dispose() once. */
export function untrack(t: Tracked, token: object): void {
  liveCount--;
  liveBytesCount -= t.storage.size * 4;
  countTensorBytes(-t.storage.size * 4);
  registry?.unregister(token);
  for (const s of scopes) s.delete(t);
}

/** Removes a tensor from every open tidy scope (it survives them). */
export function keepAlive(t: Tracked): void {
  t.kept = true;
  for (const s of scopes) s.delete(t);
}

/** True unless inside {@link noGrad}. */
export function gradEnabled(): boolean {
  return noGradDepth === 0;
}

/** Runs `fn` without recording operations for autograd (sync or async). */
export function noGrad<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new ArgumentError(`noGrad: argument 'fn' expected a function, given ${describeValue(fn)}`);
  noGradDepth++;
  let result: T;
  try {
    result = fn();
  } catch (e) {
    noGradDepth--;
    throw e;
  }
  if (isPromise(result)) {
    return result.finally(() => {
      noGradDepth--;
    }) as T;
  }
  noGradDepth--;
  return result;
}

function isPromise(v: unknown): v is Promise<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

function collect(v: unknown, out: Set<Tracked>, seen: Set<unknown>): void {
  if (v === null || typeof v !== 'object' || seen.has(v)) return;
  seen.add(v);
  if (typeof (v as Tracked).storage === 'object' && typeof (v as Tracked).dispose === 'function' && 'kept' in (v as object)) {
    out.add(v as Tracked);
    return;
  }
  if (Array.isArray(v)) for (const x of v) collect(x, out, seen);
  else if (v instanceof Map) for (const x of v.values()) collect(x, out, seen);
  else if (Object.getPrototypeOf(v) === Object.prototype) for (const x of Object.values(v)) collect(x, out, seen);
}

function closeScope(scope: Set<Tracked>, result: unknown): void {
  const idx = scopes.lastIndexOf(scope);
  if (idx >= 0) scopes.splice(idx, 1);
  const keep = new Set<Tracked>();
  collect(result, keep, new Set());
  const parent = scopes[scopes.length - 1];
  for (const t of scope) {
    if (keep.has(t) || t.kept) {
      if (parent && !t.kept) parent.add(t);
      continue;
    }
    if (!t.disposed) t.dispose();
  }
}

/**
 * Runs `fn` and disposes every tensor it created except those it returns (found in arrays,
 * plain objects and Maps) and those kept (`keep()`, variables, gradients). Works with async
 * functions: the scope closes when the promise settles — avoid interleaving two async tidies.
 */
export function tidy<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new ArgumentError(`tidy: argument 'fn' expected a function, given ${describeValue(fn)}`);
  const scope = new Set<Tracked>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    closeScope(scope, undefined);
    throw e;
  }
  if (isPromise(result)) {
    return result.then(
      (v) => {
        closeScope(scope, v);
        return v;
      },
      (e) => {
        closeScope(scope, undefined);
        throw e;
      },
    ) as T;
  }
  closeScope(scope, result);
  return result;
}

/**
 * Runs the body of an op so that a refusal leaves nothing behind: if `fn` throws, every tensor it
 * created (and did not keep) is disposed; if it returns, those tensors stay where they would have
 * been without it (the enclosing `tidy` scope, if any). Synchronous bodies only.
 */
export function atomic<T>(fn: () => T): T {
  const scope = new Set<Tracked>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    removeScope(scope);
    for (const t of scope) if (!t.kept && !t.disposed) t.dispose();
    throw e;
  }
  removeScope(scope);
  const parent = scopes[scopes.length - 1];
  if (parent) for (const t of scope) if (!t.kept && !t.disposed) parent.add(t);
  return result;
}

function removeScope(scope: Set<Tracked>): void {
  const idx = scopes.lastIndexOf(scope);
  if (idx >= 0) scopes.splice(idx, 1);
}

/** Live tensor and byte counts (`numBytes` counts tensor data; `backendBytes` everything the backend holds for users). */
export interface MemoryInfo {
  numTensors: number;
  numBytes: number;
  backendBytes: number;
  /** The current backend's name; 'none' before `init()`. */
  backend: string;
}

/** What is alive right now. */
export function memory(): MemoryInfo {
  const k = currentBackend();
  return { numTensors: liveCount, numBytes: liveBytesCount, backendBytes: k?.liveBytes() ?? 0, backend: k?.name ?? 'none' };
}
