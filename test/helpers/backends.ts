/**
 * `describeEachBackend`: one kernel suite, run against every backend and compared element by
 * element with the JS reference backend (the oracle).
 *
 * Availability is probed once, at module load (top-level await). A backend that cannot run here
 * gets a `describe.skip` whose title says why; a backend that *should* run here (js always, wasm
 * wherever the engine has 128-bit SIMD) but fails to build — a missing export, a missing
 * `build/axon-simd.wasm` — gets a failing test with the reason instead, never a skip.
 * `AXON_TEST_BACKENDS=js,wasm` restricts the run (the others show as skipped).
 * `AXON_TEST_PARTIAL_WASM=1` (development only) additionally runs the suite on a wasm build that
 * lacks some exports, so kernel authors see per-kernel results before the module is complete;
 * the "creates the backend" failure stays.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { detectFeatures } from '../../bindings/features.js';
import { instantiateWasm } from '../../bindings/instantiate.js';
import { BackendUnavailableError, createBackend, type BackendName, type BackendOptions } from '../../src/backends/index.js';
import { WasmBackend } from '../../src/backends/wasm/index.js';
import { KernelError, type Kernels, type Storage } from '../../src/kernels/kernels.js';
// The 'axonjs/webgpu' entry: importing it registers the 'webgpu' backend.
import { probeWebGpu } from '../../src/webgpu.js';
import { testGpu, webgpuRequired } from './webgpu.js';

/** Machine epsilon of float32 (2^-23). */
export const F32_EPS = 2 ** -23;

/** `|got − expected| ≤ rel·|expected| + abs`. */
export interface Tol {
  rel: number;
  abs: number;
}

/**
 * Error budget of an accumulation (dot products, sums): `|Δ| ≤ rel·g(k)·Σ|terms| + abs` with
 * `g(k) = sqrt(k)` when `sqrtK` (random rounding errors grow like √k), else 1.
 */
export interface AccumulateTol extends Tol {
  sqrtK: boolean;
}

/** Per-backend tolerances against the reference; one entry per kernel family. */
export interface Tolerances {
  /** Every result must equal the reference exactly (NaN matches NaN; ±0 are equal). */
  exact: boolean;
  /** fill/copy/scale/axpy/binary/binaryStrided/unary/clip, running-statistics update, batch-norm forward. */
  elementwise: Tol;
  /** Activations forward and backward, and the per-element part of softmax / cross-entropy. */
  activation: Tol;
  /** gemm, pairwise distances, sum/mean reductions, softmax normalisers, batch-norm statistics and backward. */
  accumulate: AccumulateTol;
  /**
   * Optimiser updates over several steps: `|Δ| ≤ rel·|p| + update·Σ_steps|p_t − p_{t−1}| + abs`
   * (the update path is ~10 dependent roundings, and centered RMSprop subtracts two nearly equal
   * averages, losing up to log2(1/(1−α)) bits).
   */
  optim: { rel: number; update: number; abs: number };
}

const ZERO: Tol = { rel: 0, abs: 0 };

/**
 * THE TOLERANCE TABLE. Random streams (uniform, normal, dropout), max/min/argmax, fill/copy and
 * the guard elements around every output are compared for exact equality on every backend.
 *
 * | backend | elementwise         | activations         | gemm / reductions / bn stats        | optimisers                 |
 * | ------- | ------------------- | ------------------- | ----------------------------------- | -------------------------- |
 * | js      | exact               | exact               | exact                               | exact                      |
 * | wasm    | 2e-6 rel + 2.5e-7   | 2e-6 rel + 2.5e-7   | 1e-6·√k·Σ\|terms\|                   | 2e-6·\|p\| + 1e-5·Σ\|Δp\|     |
 * | webgpu  | 1e-5 rel + 1e-6     | 1e-5 rel + 1e-6     | 1e-4·Σ\|terms\|                      | 1e-5·\|p\| + 1e-4·Σ\|Δp\|     |
 *
 * Why these numbers (wasm): the SIMD kernels use float32 polynomial approximations documented as
 * ~1e-6 relative (2e-6 ≈ 17 ulp leaves room for the final rounding); the absolute 2.5e-7 (≈ 2 ulp
 * of 1) covers O(1)-scale outputs that cancel towards 0 (gelu's 1 + erf for x ≪ 0, log near 1,
 * 1 − y² in tanh′ computed from y). Float32 accumulation of k signed terms in any order has a
 * random-walk error of about ε·√k·Σ|terms| (ε = 6e-8); 1e-6 is ~17ε. WebGPU's transcendental
 * builtins are only specified to a few ulp and its reductions may be tree-ordered (looser, and
 * not √k-scaled).
 */
export const TOLERANCES: Record<BackendName, Tolerances> = {
  js: {
    exact: true,
    elementwise: ZERO,
    activation: ZERO,
    accumulate: { rel: 0, abs: 0, sqrtK: false },
    optim: { rel: 0, update: 0, abs: 0 },
  },
  wasm: {
    exact: false,
    elementwise: { rel: 2e-6, abs: 2.5e-7 },
    activation: { rel: 2e-6, abs: 2.5e-7 },
    accumulate: { rel: 1e-6, abs: 0, sqrtK: true },
    optim: { rel: 2e-6, update: 1e-5, abs: 1e-12 },
  },
  webgpu: {
    exact: false,
    elementwise: { rel: 1e-5, abs: 1e-6 },
    activation: { rel: 1e-5, abs: 1e-6 },
    accumulate: { rel: 1e-4, abs: 0, sqrtK: false },
    optim: { rel: 1e-5, update: 1e-4, abs: 1e-10 },
  },
};

/** `rel·g(k)·sumAbs + abs` for an accumulation of `k` terms whose magnitudes sum to `sumAbs`. */
export function accumulateBound(t: AccumulateTol, k: number, sumAbs: number): number {
  return t.rel * (t.sqrtK ? Math.sqrt(Math.max(k, 1)) : 1) * sumAbs + t.abs;
}

// ---- comparison ----------------------------------------------------------------------

/**
 * How close `got[i]` must be to `expected[i]`:
 * - `'bits'`: identical float32 bit patterns (random streams);
 * - `'exact'`: equal values (NaN matches NaN, +0 matches −0);
 * - a {@link Tol}: `rel·|expected| + abs`;
 * - a per-element bound array (absolute), or a function of (index, expected).
 * NaN must always match NaN and ±Inf must match exactly, whatever the bound.
 */
export type Bound = 'bits' | 'exact' | Tol | ArrayLike<number> | ((i: number, expected: number) => number);

function boundAt(bound: Bound, i: number, e: number): number {
  if (bound === 'exact' || bound === 'bits') return 0;
  if (typeof bound === 'function') return bound(i, e);
  if ('rel' in bound) return bound.rel * Math.abs(e) + bound.abs;
  return (bound as ArrayLike<number>)[i]!;
}

function fmt(v: number): string {
  if (Object.is(v, -0)) return '-0';
  return Number.isFinite(v) ? v.toPrecision(9) : String(v);
}

/** How to print an element's position: the tensor shape (multi-index), or a function giving context (e.g. the inputs). */
export type Where = readonly number[] | ((i: number) => string);

function fmtIndex(i: number, shape: Where | undefined): string {
  if (typeof shape === 'function') return `${i} (${shape(i)})`;
  if (!shape || shape.length < 2) return `${i}`;
  const idx: number[] = [];
  let rest = i;
  for (let d = shape.length - 1; d >= 0; d--) {
    const s = Math.max(shape[d]!, 1);
    idx.unshift(rest % s);
    rest = Math.floor(rest / s);
  }
  return `${i} [${idx.join(', ')}]`;
}

/**
 * Compares `got[0..n)` with `expected[0..n)`. Returns null when every element is within `bound`,
 * else a message naming the first few offending indices with got, expected and the tolerance.
 */
export function diffArrays(
  got: Float32Array,
  expected: Float32Array,
  bound: Bound,
  label: string,
  n: number = expected.length,
  shape?: Where,
): string | null {
  if (got.length < n || expected.length < n) return `${label}: expected ${n} elements, got ${got.length} (reference ${expected.length})`;
  const gotBits = new Uint32Array(got.buffer, got.byteOffset, got.length);
  const expBits = new Uint32Array(expected.buffer, expected.byteOffset, expected.length);
  const bad: string[] = [];
  let count = 0;
  for (let i = 0; i < n; i++) {
    const g = got[i]!;
    const e = expected[i]!;
    let ok: boolean;
    let tol = 0;
    if (bound === 'bits') ok = gotBits[i] === expBits[i];
    else if (Number.isNaN(e)) ok = Number.isNaN(g);
    else if (!Number.isFinite(e)) ok = g === e;
    else {
      tol = boundAt(bound, i, e);
      ok = Number.isFinite(g) && Math.abs(g - e) <= tol;
    }
    if (!ok) {
      count++;
      if (bad.length < 6) {
        const t =
          bound === 'bits' ? `bits 0x${gotBits[i]!.toString(16)} vs 0x${expBits[i]!.toString(16)}`
          : Number.isNaN(e) ? 'NaN must match NaN'
          : !Number.isFinite(e) ? '±Inf must match exactly'
          : `|Δ| ${fmt(Math.abs(g - e))}, tolerance ${fmt(tol)}`;
        bad.push(`  at ${fmtIndex(i, shape)}: got ${fmt(g)}, expected ${fmt(e)} (${t})`);
      }
    }
  }
  if (count === 0) return null;
  return `${label}: ${count} of ${n} elements differ from the reference\n${bad.join('\n')}`;
}

/** Fails the test with every message that is not null (all mismatches of a loop at once). */
export function expectNoDiffs(messages: readonly (string | null)[]): void {
  const bad = messages.filter((m): m is string => m !== null);
  if (bad.length > 0) {
    const shown = bad.slice(0, 8).join('\n');
    expect.fail(`${bad.length} comparison(s) failed:\n${shown}${bad.length > 8 ? `\n… and ${bad.length - 8} more` : ''}`);
  }
}

/** Asserts that `fn` throws a {@link KernelError} naming `kernel` and (one of) `argument`. */
export function expectKernelError(fn: () => unknown, kernel: string, argument?: string | readonly string[]): KernelError {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  if (err === undefined) expect.fail(`expected ${kernel} to throw a KernelError${argument ? ` about '${argument}'` : ''}, but it returned`);
  if (!(err instanceof KernelError)) expect.fail(`expected a KernelError from ${kernel}, got ${String(err)}`);
  expect(err.kernel, err.message).toBe(kernel);
  expect(err.message).toContain(kernel);
  if (argument !== undefined) {
    const allowed = typeof argument === 'string' ? [argument] : argument;
    expect(allowed, `KernelError names argument '${err.argument}': ${err.message}`).toContain(err.argument);
    expect(err.message).toContain(`'${err.argument}'`);
  }
  return err;
}

// ---- paired storage --------------------------------------------------------------------

/** Elements appended after every buffer: NaN after inputs (an over-read poisons the result), a sentinel after outputs (an over-write is caught). */
export const GUARD = 5;
/** Value of the guard elements after an output buffer. */
export const SENTINEL = -31337.25;

/** The same data held by the backend under test (`test`) and by the reference (`ref`). */
export interface Pair {
  readonly test: Storage;
  readonly ref: Storage;
  /** Elements a kernel may touch (the guard follows). */
  readonly n: number;
  /** The guard's value (NaN or {@link SENTINEL}). */
  readonly guardValue: number;
}

/** Picks one side's handle of a {@link Pair}. */
export type Side = (p: Pair) => Storage;
/** Optional-handle variant of {@link Side}. */
export type OptSide = (p: Pair | undefined) => Storage | undefined;

/** What a suite body receives: the backend under test, the reference, tolerances and paired-buffer helpers. */
export class BackendContext {
  private kernels: Kernels | undefined;
  private reference: Kernels | undefined;
  private live: Pair[] = [];

  constructor(
    /** Name of the backend under test. */
    readonly name: BackendName,
    /** Tolerances of this backend against the reference (see {@link TOLERANCES}). */
    readonly tol: Tolerances,
    private readonly factory: () => Promise<Kernels> = () => createBackend(name, backendOptions(name)),
  ) {}

  /** The backend under test (valid inside tests and hooks). */
  get backend(): Kernels {
    if (!this.kernels) throw new Error(`backend '${this.name}' is not created yet (use it inside it()/beforeAll)`);
    return this.kernels;
  }

  /** The reference JS backend (a separate instance, also for name 'js'). */
  get ref(): Kernels {
    if (!this.reference) throw new Error('reference backend is not created yet');
    return this.reference;
  }

  /** A second, independent instance of the backend under test (the caller disposes it). */
  createAnother(): Promise<Kernels> {
    return this.factory();
  }

  /** @internal */
  async setUp(): Promise<void> {
    this.kernels = await this.factory();
    this.reference = await createBackend('js');
  }

  /** @internal */
  tearDown(): void {
    this.freeAll();
    this.kernels?.dispose();
    this.reference?.dispose();
    this.kernels = undefined;
    this.reference = undefined;
  }

  /** Disposes every pair created since the last call (done after each test). */
  freeAll(): void {
    for (const p of this.live) {
      p.test.dispose();
      p.ref.dispose();
    }
    this.live = [];
  }

  /** Uploads `data` to both backends, followed by {@link GUARD} NaN elements. */
  upload(data: Float32Array | readonly number[]): Pair {
    return this.make(Float32Array.from(data), NaN);
  }

  /**
   * A buffer of `n` elements on both backends, filled with `fill` (default NaN: a kernel must
   * overwrite every element it owns), followed by {@link GUARD} {@link SENTINEL} elements.
   */
  alloc(n: number, fill = NaN): Pair {
    return this.make(new Float32Array(n).fill(fill), SENTINEL);
  }

  /** Like {@link upload} but followed by sentinels: for buffers that are inputs and outputs (in-place, optimiser state). */
  uploadOut(data: Float32Array | readonly number[]): Pair {
    return this.make(Float32Array.from(data), SENTINEL);
  }

  private make(body: Float32Array, guardValue: number): Pair {
    const full = new Float32Array(body.length + GUARD).fill(guardValue);
    full.set(body);
    const p: Pair = { test: this.backend.upload(full), ref: this.ref.upload(full), n: body.length, guardValue };
    this.live.push(p);
    return p;
  }

  /** Runs `fn` on the backend under test, then on the reference, each with its own handles. */
  both(fn: (k: Kernels, h: Side, o: OptSide) => void): void {
    fn(this.backend, (p) => p.test, (p) => p?.test);
    fn(this.ref, (p) => p.ref, (p) => p?.ref);
  }

  /** Runs `fn` on the reference only (to make inputs, e.g. y = act(x)) and returns its result buffer. */
  async refResult(p: Pair, fn: (k: Kernels, h: Side) => void): Promise<Float32Array> {
    fn(this.ref, (q) => q.ref);
    return (await p.ref.read()).subarray(0, p.n);
  }

  /** Both sides' contents of `p` (guard included). */
  async read(p: Pair): Promise<{ got: Float32Array; expected: Float32Array }> {
    const [got, expected] = await Promise.all([p.test.read(), p.ref.read()]);
    return { got, expected };
  }

  /**
   * Compares the first `p.n` elements of both sides within `bound` (exact for the js backend),
   * and checks that the guard after them is untouched on both sides. Null when all is well.
   */
  async diff(p: Pair, bound: Bound, label: string, shape?: Where): Promise<string | null> {
    const { got, expected } = await this.read(p);
    const b: Bound = this.tol.exact && bound !== 'bits' ? 'exact' : bound;
    const msg = diffArrays(got, expected, b, `${label} [${this.name} vs js]`, p.n, shape);
    if (msg) return msg;
    const guard = new Float32Array(GUARD).fill(p.guardValue);
    for (const [side, arr] of [[this.name, got], ['js reference', expected]] as const) {
      const g = diffArrays(arr.subarray(p.n), guard, 'exact', `${label}: ${side} wrote past element ${p.n} (guard)`, GUARD);
      if (g) return g;
    }
    return null;
  }

  /** {@link diff}, failing the test on a mismatch. */
  async expectClose(p: Pair, bound: Bound, label: string, shape?: Where): Promise<void> {
    expectNoDiffs([await this.diff(p, bound, label, shape)]);
  }
}

// ---- availability ----------------------------------------------------------------------

/** Every backend the suite knows of, in report order. */
export const BACKENDS: readonly BackendName[] = ['js', 'wasm', 'webgpu'];

type Availability = { kind: 'ok' } | { kind: 'skip'; reason: string } | { kind: 'broken'; reason: string };

/** Backends that must work on this host; their failure to build is a test failure, not a skip. */
function requiredHere(name: BackendName): boolean {
  if (name === 'js') return true;
  if (name === 'wasm') return detectFeatures().simd;
  return webgpuRequired(); // webgpu: in CI, through Dawn on SwiftShader (see ./webgpu.ts)
}

/** The GPU object Dawn gives the tests in Node (loaded only when webgpu is among the backends to test). */
const TEST_GPU = (process.env['AXON_TEST_BACKENDS'] ?? 'webgpu').split(',').map((s) => s.trim()).includes('webgpu') ? await testGpu() : {};

/** Options for `createBackend(name)`: the webgpu backend gets the test GPU. */
function backendOptions(name: BackendName): BackendOptions {
  return name === 'webgpu' && TEST_GPU.gpu !== undefined ? { gpu: TEST_GPU.gpu } : {};
}

async function probe(name: BackendName): Promise<Availability> {
  const only = process.env['AXON_TEST_BACKENDS'];
  if (only && !only.split(',').map((s) => s.trim()).includes(name)) return { kind: 'skip', reason: `not listed in AXON_TEST_BACKENDS=${only}` };
  try {
    const k = await createBackend(name, backendOptions(name));
    k.dispose();
    return { kind: 'ok' };
  } catch (e) {
    let reason = e instanceof BackendUnavailableError ? e.reason : `${(e as Error).name}: ${(e as Error).message}`;
    if (name === 'webgpu') reason += `; WebGPU probe: ${(await probeWebGpu(TEST_GPU.gpu)).reason ?? 'an adapter is available'}${TEST_GPU.reason ? `; ${TEST_GPU.reason}` : ''}`;
    return requiredHere(name) ? { kind: 'broken', reason } : { kind: 'skip', reason };
  }
}

/** Availability of each backend, probed once per test file at load time. */
const AVAILABILITY = new Map<BackendName, Availability>();
for (const name of BACKENDS) AVAILABILITY.set(name, await probe(name));

/**
 * Declares `describe('<title> [<backend>]')` once per backend. The backend under test and the
 * reference are created in `beforeAll` and disposed in `afterAll`; pairs made with the context
 * are disposed after each test.
 */
export function describeEachBackend(title: string, body: (ctx: BackendContext) => void): void {
  for (const name of BACKENDS) {
    const avail = AVAILABILITY.get(name)!;
    if (avail.kind === 'skip') {
      describe.skip(`${title} [${name}] (skipped: ${avail.reason})`, () => {
        it('is unavailable on this host', () => {});
      });
      continue;
    }
    const partial = avail.kind === 'broken' && name === 'wasm' && process.env['AXON_TEST_PARTIAL_WASM'] === '1';
    if (avail.kind === 'broken') {
      describe(`${title} [${name}]`, () => {
        it('creates the backend', () => {
          expect.fail(`backend '${name}' must be available on this host but createBackend('${name}') failed: ${avail.reason}`);
        });
      });
      if (!partial) continue;
    }
    describe(`${title} [${name}${partial ? ', partial build' : ''}]`, () => {
      const factory = partial ? async () => new WasmBackend(await instantiateWasm(undefined, { requireAll: false })) : undefined;
      const ctx = new BackendContext(name, TOLERANCES[name], factory);
      beforeAll(() => ctx.setUp());
      afterEach(() => ctx.freeAll());
      afterAll(() => ctx.tearDown());
      body(ctx);
    });
  }
}
