/**
 * Weight initialisers (DESIGN §5). An {@link Initializer} maps a shape and a seed to a new
 * tensor; the same seed gives the same numbers on every backend (Philox streams via
 * `rand`/`randn`). Layers accept an initialiser function or one of {@link INITIALIZER_NAMES}.
 *
 * Fans follow the Keras layout: a 2-D weight `[in, out]` has fanIn = in and fanOut = out; a
 * 1-D tensor uses its length for both; for rank ≥ 3 (`[...receptive, in, out]`) both are
 * multiplied by the receptive-field size. The normal-distribution variants draw from a plain
 * (untruncated) normal, like `torch.nn.init`.
 */
import { ArgumentError, ShapeError, checkName, describeValue, fmtShape } from '../errors.js';
import { checkShape, full, rand, randn, zeros as zerosTensor } from '../ops/create.js';
import { Tensor, sizeOf } from '../tensor.js';

/** What an initialiser gets besides the shape: the seed and the element offset into its stream. */
export interface InitContext {
  /** Non-negative integer seed. */
  seed: number;
  /** Element offset into the seed's Philox stream (default 0). */
  offset?: number;
}

/** Creates a tensor of `shape` (a fresh, untracked-by-autograd tensor). */
export type Initializer = (shape: readonly number[], ctx: InitContext) => Tensor;

/** Fan-in and fan-out of a weight shape (see the file comment). */
export function computeFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  checkShape('computeFans', shape);
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  const receptive = sizeOf(shape.slice(0, -2));
  return { fanIn: shape[shape.length - 2]! * receptive, fanOut: shape[shape.length - 1]! * receptive };
}

function finite(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ArgumentError(`${fn}: argument '${arg}' expected a finite number, given ${describeValue(v)}`);
  return v;
}

function uniformIn(shape: readonly number[], ctx: InitContext, lo: number, hi: number): Tensor {
  return rand(shape, { seed: ctx.seed, offset: ctx.offset ?? 0, low: lo, high: hi });
}

function normalWith(shape: readonly number[], ctx: InitContext, mean: number, std: number): Tensor {
  return randn(shape, { seed: ctx.seed, offset: ctx.offset ?? 0, mean, std });
}

/** All zeros. */
export function zeros(): Initializer {
  return (shape) => zerosTensor(shape);
}

/** All ones. */
export function ones(): Initializer {
  return (shape) => full(shape, 1);
}

/** Every element `value`. */
export function constant(value: number): Initializer {
  const v = finite('initializers.constant', 'value', value);
  return (shape) => full(shape, v);
}

/** Uniform in [lo, hi) — default [−0.05, 0.05) (Keras's RandomUniform). */
export function uniform(lo = -0.05, hi = 0.05): Initializer {
  finite('initializers.uniform', 'lo', lo);
  finite('initializers.uniform', 'hi', hi);
  if (hi < lo) throw new ArgumentError(`initializers.uniform: expected lo ≤ hi, given lo ${lo}, hi ${hi}`);
  return (shape, ctx) => uniformIn(shape, ctx, lo, hi);
}

/** Normal with `mean` (0) and `std` (0.05, Keras's RandomNormal). */
export function normal(mean = 0, std = 0.05): Initializer {
  finite('initializers.normal', 'mean', mean);
  finite('initializers.normal', 'std', std);
  if (std < 0) throw new ArgumentError(`initializers.normal: argument 'std' expected a value ≥ 0, given ${std}`);
  return (shape, ctx) => normalWith(shape, ctx, mean, std);
}

/** The seed's "small random numbers": 0.01·N(0, 1). */
export function small(): Initializer {
  return (shape, ctx) => normalWith(shape, ctx, 0, 0.01);
}

/** LeCun normal: N(0, 1/fanIn). */
export function lecunNormal(): Initializer {
  return (shape, ctx) => normalWith(shape, ctx, 0, Math.sqrt(1 / Math.max(computeFans(shape).fanIn, 1)));
}

/** LeCun uniform: U(±√(3/fanIn)) (Var = 1/fanIn). */
export function lecunUniform(): Initializer {
  return (shape, ctx) => {
    const limit = Math.sqrt(3 / Math.max(computeFans(shape).fanIn, 1));
    return uniformIn(shape, ctx, -limit, limit);
  };
}

/** Glorot/Xavier uniform: U(±√(6/(fanIn + fanOut))), Var = 2/(fanIn + fanOut). */
export function glorotUniform(): Initializer {
  return (shape, ctx) => {
    const { fanIn, fanOut } = computeFans(shape);
    const limit = Math.sqrt(6 / Math.max(fanIn + fanOut, 1));
    return uniformIn(shape, ctx, -limit, limit);
  };
}

/** Glorot/Xavier normal: N(0, 2/(fanIn + fanOut)). */
export function glorotNormal(): Initializer {
  return (shape, ctx) => {
    const { fanIn, fanOut } = computeFans(shape);
    return normalWith(shape, ctx, 0, Math.sqrt(2 / Math.max(fanIn + fanOut, 1)));
  };
}

/** He/Kaiming uniform: U(±√(6/fanIn)), Var = 2/fanIn. */
export function heUniform(): Initializer {
  return (shape, ctx) => {
    const limit = Math.sqrt(6 / Math.max(computeFans(shape).fanIn, 1));
    return uniformIn(shape, ctx, -limit, limit);
  };
}

/** He/Kaiming normal: N(0, 2/fanIn). */
export function heNormal(): Initializer {
  return (shape, ctx) => normalWith(shape, ctx, 0, Math.sqrt(2 / Math.max(computeFans(shape).fanIn, 1)));
}

/** Every initialiser factory, e.g. `initializers.constant(0.1)`, `initializers.heNormal()`. */
export const initializers = {
  zeros,
  ones,
  constant,
  uniform,
  normal,
  small,
  lecunNormal,
  lecunUniform,
  glorotUniform,
  glorotNormal,
  heUniform,
  heNormal,
} as const;

/**
 * Names accepted where an initialiser is expected. `uniform`/`normal` use the defaults above;
 * aliases: `he` = heNormal, `glorot`/`xavier` = glorotUniform, `lecun` = lecunNormal.
 */
export const INITIALIZER_NAMES = [
  'zeros',
  'ones',
  'uniform',
  'normal',
  'small',
  'lecunNormal',
  'lecunUniform',
  'glorotUniform',
  'glorotNormal',
  'heUniform',
  'heNormal',
  'he',
  'glorot',
  'xavier',
  'lecun',
] as const;

/** A name from {@link INITIALIZER_NAMES}. */
export type InitializerName = (typeof INITIALIZER_NAMES)[number];

const BY_NAME: Record<InitializerName, () => Initializer> = {
  zeros,
  ones,
  uniform: () => uniform(),
  normal: () => normal(),
  small,
  lecunNormal,
  lecunUniform,
  glorotUniform,
  glorotNormal,
  heUniform,
  heNormal,
  he: heNormal,
  glorot: glorotUniform,
  xavier: glorotUniform,
  lecun: lecunNormal,
};

/**
 * Resolves a name or function. Unknown names throw listing the valid ones (`constant` needs a
 * value: pass `initializers.constant(v)`).
 */
export function getInitializer(init: InitializerName | Initializer, fn = 'getInitializer', arg = 'init'): Initializer {
  if (typeof init === 'function') return init;
  if (init === ('constant' as string)) {
    throw new ArgumentError(`${fn}: ${arg} 'constant' needs a value: pass initializers.constant(value)`);
  }
  return BY_NAME[checkName(fn, `${arg} name`, init, INITIALIZER_NAMES)]();
}

/**
 * Runs an initialiser and checks what it returned (a live tensor of exactly `shape`), so a
 * faulty custom initialiser fails with a clear message.
 */
export function initTensor(init: Initializer, shape: readonly number[], ctx: InitContext, fn: string): Tensor {
  const t: unknown = init(shape, ctx);
  if (!(t instanceof Tensor)) throw new ArgumentError(`${fn}: the initialiser returned ${describeValue(t)}, expected a Tensor of shape ${fmtShape(shape)}`);
  t.assertLive(fn, 'initialiser result');
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new ShapeError(`${fn}: the initialiser returned shape ${fmtShape(t.shape)}, expected ${fmtShape(shape)}`);
  }
  return t;
}
