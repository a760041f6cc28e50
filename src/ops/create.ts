/**
 * Creating tensors: from values (`tensor`), constants (`zeros`, `ones`, `full`), seeded random
 * draws (`rand`, `randn`, bit-identical on every backend), and trainable `variable`s.
 */
import { kernels, keepAlive } from '../engine.js';
import { ArgumentError, ShapeError, checkOptions, describeValue, fmtShape } from '../errors.js';
import type { Kernels } from '../kernels/kernels.js';
import { Tensor, checkTensorParts, sizeOf, type NestedArray, type TensorLike } from '../tensor.js';

/** Checks a shape: an array of non-negative integers. Returns a copy. */
export function checkShape(fn: string, shape: unknown, arg = 'shape'): number[] {
  if (!Array.isArray(shape)) throw new ArgumentError(`${fn}: argument '${arg}' expected an array of non-negative integers, given ${describeValue(shape)}`);
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new ArgumentError(`${fn}: argument '${arg}' expected non-negative integer dimensions, given ${fmtShape(shape as number[])}`);
    }
  }
  if (sizeOf(shape as number[]) > 2 ** 31) throw new ArgumentError(`${fn}: argument '${arg}' ${fmtShape(shape as number[])} has more than 2^31 elements`);
  return [...(shape as number[])];
}

/** Wraps fresh storage as a tensor on the current backend. */
export function fromStorage(k: Kernels, storage: ReturnType<Kernels['alloc']>, shape: readonly number[]): Tensor {
  checkTensorParts('fromStorage', storage, shape, k);
  return new Tensor(storage, shape, k);
}

/** An uninitialised-looking (actually zero-filled) tensor of `shape` on the current backend. */
export function empty(shape: readonly number[]): Tensor {
  const sh = checkShape('empty', shape);
  const k = kernels();
  return new Tensor(k.alloc(sizeOf(sh)), sh, k);
}

function inferShape(values: NestedArray, fn: string): number[] {
  const shape: number[] = [];
  let v: NestedArray = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0]!;
  }
  return shape;
}

function flattenInto(values: NestedArray, shape: readonly number[], dim: number, out: Float32Array, offset: number, fn: string): number {
  if (dim === shape.length) {
    if (typeof values !== 'number') throw new ArgumentError(`${fn}: ragged or non-numeric nested array: expected a number at depth ${dim}, given ${describeValue(values)}`);
    out[offset] = values;
    return offset + 1;
  }
  if (!Array.isArray(values) || values.length !== shape[dim]) {
    throw new ArgumentError(`${fn}: ragged nested array: expected length ${shape[dim]} at depth ${dim}, given ${describeValue(values)}`);
  }
  for (const v of values) offset = flattenInto(v, shape, dim + 1, out, offset, fn);
  return offset;
}

/**
 * Nested number arrays (or a number) flattened on the host, row-major, with their shape —
 * what {@link tensor} uploads, without creating a tensor. Ragged or non-numeric input throws.
 */
export function flattenNested(values: NestedArray, fn = 'tensor'): { data: Float32Array; shape: number[] } {
  if (typeof values === 'number') return { data: Float32Array.of(values), shape: [] };
  if (!Array.isArray(values)) throw new ArgumentError(`${fn}: expected a number or nested arrays, given ${describeValue(values)}`);
  const shape = inferShape(values, fn);
  const data = new Float32Array(sizeOf(shape));
  flattenInto(values, shape, 0, data, 0, fn);
  return { data, shape };
}

/**
 * A tensor from values: a number (rank 0), nested arrays (shape inferred), or a flat
 * Float32Array / number array with an explicit `shape`.
 */
export function tensor(values: NestedArray | Float32Array | ArrayLike<number>, shape?: readonly number[]): Tensor {
  const fn = 'tensor';
  let data: Float32Array;
  let sh: number[];
  if (values instanceof Float32Array || (ArrayBuffer.isView(values) && !(values instanceof DataView))) {
    data = values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
    sh = shape ? checkShape(fn, shape) : [data.length];
  } else if (typeof values === 'number') {
    data = new Float32Array([values]);
    sh = shape ? checkShape(fn, shape) : [];
  } else if (Array.isArray(values)) {
    if (shape !== undefined && values.every((v) => typeof v === 'number')) {
      data = Float32Array.from(values as number[]);
      sh = checkShape(fn, shape);
    } else {
      sh = inferShape(values, fn);
      data = new Float32Array(sizeOf(sh));
      flattenInto(values, sh, 0, data, 0, fn);
      if (shape !== undefined) {
        const want = checkShape(fn, shape);
        if (sizeOf(want) !== data.length) throw new ShapeError(`${fn}: values have ${data.length} elements but shape ${fmtShape(want)} needs ${sizeOf(want)}`);
        sh = want;
      }
    }
  } else {
    throw new ArgumentError(`${fn}: argument 'values' expected a number, nested arrays or a Float32Array, given ${describeValue(values)}`);
  }
  if (sizeOf(sh) !== data.length) throw new ShapeError(`${fn}: ${data.length} values do not fill shape ${fmtShape(sh)} (${sizeOf(sh)} elements)`);
  const k = kernels();
  return new Tensor(k.upload(data), sh, k);
}

/** A tensor filled with `value`. */
export function full(shape: readonly number[], value: number): Tensor {
  const sh = checkShape('full', shape);
  if (typeof value !== 'number') throw new ArgumentError(`full: argument 'value' expected a number, given ${describeValue(value)}`);
  const t = empty(sh);
  if (value !== 0) t.backend.fill(t.storage, t.size, value);
  return t;
}

/** A tensor of zeros. */
export function zeros(shape: readonly number[]): Tensor {
  return empty(checkShape('zeros', shape));
}

/** A tensor of ones. */
export function ones(shape: readonly number[]): Tensor {
  return full(checkShape('ones', shape), 1);
}

/** Zeros of `t`'s shape. */
export function zerosLike(t: Tensor): Tensor {
  return empty(liveTensor(t, 'zerosLike', 't').shape);
}

/** Ones of `t`'s shape. */
export function onesLike(t: Tensor): Tensor {
  return full(liveTensor(t, 'onesLike', 't').shape, 1);
}

/** A new tensor with the same values (no autograd link). */
export function copyTensor(t: Tensor): Tensor {
  liveTensor(t, 'copy', 't');
  const out = empty(t.shape);
  t.backend.copy(t.storage, out.storage, t.size);
  return out;
}

/** Options of the random creators. */
export interface RandomOptions {
  /** Integer seed; the same seed gives the same numbers on every backend. Default 0. */
  seed?: number;
  /** Element offset into the seed's stream (to draw a continuation). Default 0. */
  offset?: number;
}

function seedOf(fn: string, o: RandomOptions | undefined, keys: readonly string[]): { seed: number; offset: number } {
  checkOptions(fn, o, keys);
  const seed = o?.seed ?? 0;
  const offset = o?.offset ?? 0;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new ArgumentError(`${fn}: option 'seed' expected a non-negative integer, given ${describeValue(seed)}`);
  if (!Number.isSafeInteger(offset) || offset < 0) throw new ArgumentError(`${fn}: option 'offset' expected a non-negative integer, given ${describeValue(offset)}`);
  return { seed, offset };
}

/** Uniform samples in [low, high) (default [0, 1)). */
export function rand(shape: readonly number[], options?: RandomOptions & { low?: number; high?: number }): Tensor {
  const sh = checkShape('rand', shape);
  const { seed, offset } = seedOf('rand', options, ['seed', 'offset', 'low', 'high']);
  const low = options?.low ?? 0;
  const high = options?.high ?? 1;
  if (!Number.isFinite(low) || !Number.isFinite(high) || high < low) throw new ArgumentError(`rand: options 'low'/'high' expected finite numbers with low ≤ high, given ${low}, ${high}`);
  const t = empty(sh);
  t.backend.randomUniform(t.storage, t.size, seed, offset, low, high);
  return t;
}

/** Normal samples with `mean` (0) and `std` (1). */
export function randn(shape: readonly number[], options?: RandomOptions & { mean?: number; std?: number }): Tensor {
  const sh = checkShape('randn', shape);
  const { seed, offset } = seedOf('randn', options, ['seed', 'offset', 'mean', 'std']);
  const mean = options?.mean ?? 0;
  const std = options?.std ?? 1;
  if (!Number.isFinite(mean) || !Number.isFinite(std) || std < 0) throw new ArgumentError(`randn: options 'mean'/'std' expected finite numbers with std ≥ 0, given ${mean}, ${std}`);
  const t = empty(sh);
  t.backend.randomNormal(t.storage, t.size, seed, offset, mean, std);
  return t;
}

/**
 * A trainable leaf: a copy of `init` (a tensor or values) that requires grad and survives
 * `tidy` scopes. Its gradient appears in `.grad` after `backward()`.
 */
export function variable(init: TensorLike, options?: { name?: string }): Tensor {
  checkOptions('variable', options, ['name']);
  if (options?.name !== undefined && typeof options.name !== 'string') throw new ArgumentError(`variable: option 'name' expected a string, given ${describeValue(options.name)}`);
  const src = toTensor(init, 'variable', 'init');
  const v = empty(src.shape);
  src.backend.copy(src.storage, v.storage, src.size);
  if (src !== init) src.dispose();
  keepAlive(v);
  v.requiresGrad = true;
  if (options?.name) v.name = options.name;
  return v;
}

/** `t` when it is a live Tensor of the current backend (never converts host values). */
function liveTensor(t: unknown, fn: string, arg: string): Tensor {
  if (!(t instanceof Tensor)) throw new ArgumentError(`${fn}: argument '${arg}' expected a Tensor, given ${describeValue(t)}`);
  return toTensor(t, fn, arg);
}

/** Converts an op argument to a tensor (numbers become rank-0 tensors). */
export function toTensor(x: TensorLike, fn: string, arg: string): Tensor {
  if (x instanceof Tensor) {
    x.assertLive(fn, arg);
    if (x.backend !== kernels()) {
      throw new ArgumentError(`${fn}: argument '${arg}' lives on the '${x.backend.name}' backend but the current backend is '${kernels().name}' (tensors do not move between backends; recreate it after init())`);
    }
    return x;
  }
  if (typeof x === 'number' || Array.isArray(x) || x instanceof Float32Array) return tensor(x as NestedArray);
  throw new ArgumentError(`${fn}: argument '${arg}' expected a Tensor, a number or nested arrays, given ${describeValue(x)}`);
}

/** A rank-0 tensor holding `value` (for scalar operands inside ops and gradient rules). */
export function scalarLike(value: number): Tensor {
  return full([], value);
}
