/**
 * Search spaces: an object whose values are samplers (`uniform`, `logUniform`, `intUniform`,
 * `choice`) or constants (passed through unchanged):
 *
 * ```ts
 * const space = { lr: logUniform(1e-4, 1e-1), dropout: uniform(0, 0.5), hidden: choice([64, 128, 256]), epochs: 3 };
 * ```
 *
 * Trial `t` of a search with seed `s` draws the k-th key (in the object's key order, constants
 * included) from uniform number `t·K + k` of the seed's stream (K = number of keys; see
 * random.ts). A trial's parameters therefore depend only on (seed, space, t): 10 trials start
 * with the same 5 configurations as 5 trials.
 */
import { ArgumentError, describeValue } from '../errors.js';
import { checkSearchSeed, uniformAt } from './random.js';

/** Draws one value from a uniform number u ∈ [0, 1). */
export abstract class Sampler<T = unknown> {
  /** 'uniform', 'logUniform', 'intUniform' or 'choice'. */
  abstract readonly kind: string;
  /** The value for the uniform number `u` ∈ [0, 1) (inverse-CDF sampling). */
  abstract sample(u: number): T;
  /** e.g. `logUniform(0.0001, 0.1)`. */
  abstract toString(): string;
}

function finite(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ArgumentError(`${fn}: argument '${arg}' expected a finite number, given ${describeValue(v)}`);
  return v;
}

function ordered(fn: string, low: number, high: number): void {
  if (!(low < high)) throw new ArgumentError(`${fn}: expected low < high, given low ${low} and high ${high}`);
}

/** Uniform on [low, high). */
export class UniformSampler extends Sampler<number> {
  readonly kind = 'uniform';
  constructor(readonly low: number, readonly high: number) {
    super();
    finite('uniform', 'low', low);
    finite('uniform', 'high', high);
    ordered('uniform', low, high);
  }
  sample(u: number): number {
    checkUnit(this.kind, u);
    return Math.min(this.high, this.low + (this.high - this.low) * u);
  }
  toString(): string {
    return `uniform(${this.low}, ${this.high})`;
  }
}

/** Log-uniform on [low, high): `log(x)` is uniform on [log low, log high); 0 < low < high. */
export class LogUniformSampler extends Sampler<number> {
  readonly kind = 'logUniform';
  constructor(readonly low: number, readonly high: number) {
    super();
    finite('logUniform', 'low', low);
    finite('logUniform', 'high', high);
    if (!(low > 0)) throw new ArgumentError(`logUniform: argument 'low' expected a number > 0 (the scale is logarithmic), given ${low}`);
    ordered('logUniform', low, high);
  }
  sample(u: number): number {
    checkUnit(this.kind, u);
    const a = Math.log(this.low);
    const x = Math.exp(a + (Math.log(this.high) - a) * u);
    return Math.min(this.high, Math.max(this.low, x)); // exp∘log may round just outside
  }
  toString(): string {
    return `logUniform(${this.low}, ${this.high})`;
  }
}

/** Integers low, low+1, …, high (both ends included), equally likely. */
export class IntUniformSampler extends Sampler<number> {
  readonly kind = 'intUniform';
  constructor(readonly low: number, readonly high: number) {
    super();
    for (const [arg, v] of [['low', low], ['high', high]] as const) {
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new ArgumentError(`intUniform: argument '${arg}' expected an integer, given ${describeValue(v)}`);
    }
    if (!(low <= high)) throw new ArgumentError(`intUniform: expected low ≤ high, given low ${low} and high ${high}`);
  }
  sample(u: number): number {
    checkUnit(this.kind, u);
    return Math.min(this.high, this.low + Math.floor(u * (this.high - this.low + 1)));
  }
  toString(): string {
    return `intUniform(${this.low}, ${this.high})`;
  }
}

/** One of a fixed list of values, equally likely. */
export class ChoiceSampler<T> extends Sampler<T> {
  readonly kind = 'choice';
  readonly values: readonly T[];
  constructor(values: readonly T[]) {
    super();
    if (!Array.isArray(values) || values.length === 0) throw new ArgumentError(`choice: argument 'values' expected a non-empty array, given ${describeValue(values)}`);
    this.values = Object.freeze([...values]);
  }
  sample(u: number): T {
    checkUnit(this.kind, u);
    return this.values[Math.min(this.values.length - 1, Math.floor(u * this.values.length))]!;
  }
  toString(): string {
    return `choice([${this.values.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v))).join(', ')}])`;
  }
}

/** Uniform on [low, high) (linear scale: for dropout, momentum, …). */
export function uniform(low: number, high: number): UniformSampler {
  return new UniformSampler(low, high);
}

/** Log-uniform on [low, high), 0 < low: every decade equally likely (for learning rates, L2 strengths, …). */
export function logUniform(low: number, high: number): LogUniformSampler {
  return new LogUniformSampler(low, high);
}

/** A uniformly chosen integer in [low, high], both ends included. */
export function intUniform(low: number, high: number): IntUniformSampler {
  return new IntUniformSampler(low, high);
}

/** A uniformly chosen element of `values`. */
export function choice<T>(values: readonly T[]): ChoiceSampler<T> {
  return new ChoiceSampler(values);
}

/** A search space: samplers and constants by parameter name. */
export type SearchSpace = Record<string, unknown>;

/** The parameters a space yields: each sampler replaced by its value type, constants kept. */
export type SampledParams<S extends SearchSpace> = { [K in keyof S]: S[K] extends Sampler<infer T> ? T : S[K] };

/** Checks that `space` is a plain object with at least one key. */
export function checkSpace(fn: string, space: unknown): SearchSpace {
  if (space === null || typeof space !== 'object' || Array.isArray(space)) {
    throw new ArgumentError(`${fn}: option 'space' expected an object of samplers, e.g. { lr: logUniform(1e-4, 1e-1) }, given ${describeValue(space)}`);
  }
  if (Object.keys(space).length === 0) throw new ArgumentError(`${fn}: option 'space' is empty; give at least one parameter`);
  return space as SearchSpace;
}

/** The parameters of trial `trial` (integer ≥ 0) for `seed` (see the file comment). */
export function sampleParams<S extends SearchSpace>(space: S, seed: number, trial: number): SampledParams<S> {
  const fn = 'sampleParams';
  checkSpace(fn, space);
  checkSearchSeed(fn, seed);
  if (typeof trial !== 'number' || !Number.isSafeInteger(trial) || trial < 0) throw new ArgumentError(`${fn}: argument 'trial' expected a non-negative integer, given ${describeValue(trial)}`);
  const keys = Object.keys(space);
  const out: Record<string, unknown> = {};
  keys.forEach((key, k) => {
    const v = space[key];
    out[key] = v instanceof Sampler ? v.sample(uniformAt(seed, trial * keys.length + k)) : v;
  });
  return out as SampledParams<S>;
}

/** The parameters of trials 0 … n−1 (what `randomSearch` will try, in order). */
export function sampleSpace<S extends SearchSpace>(space: S, n: number, seed = 0): Array<SampledParams<S>> {
  checkSearchSeed('sampleSpace', seed);
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new ArgumentError(`sampleSpace: argument 'n' expected a non-negative integer, given ${describeValue(n)}`);
  return Array.from({ length: n }, (_, t) => sampleParams(space, seed, t));
}

/** One line per parameter: `lr ~ logUniform(0.0001, 0.1)`, `epochs = 3`. */
export function describeSpace(space: SearchSpace): string {
  checkSpace('describeSpace', space);
  return Object.entries(space)
    .map(([k, v]) => (v instanceof Sampler ? `${k} ~ ${v.toString()}` : `${k} = ${JSON.stringify(v)}`))
    .join('\n');
}

/** `sample(u)` takes a uniform draw in [0, 1). */
function checkUnit(kind: string, u: unknown): void {
  if (typeof u !== 'number' || !(u >= 0 && u < 1)) throw new ArgumentError(`${kind}.sample: argument 'u' expected a number in [0, 1), given ${describeValue(u)}`);
}
